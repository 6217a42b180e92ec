//! The web archive: `app(state)` builds the router (tests drive it with
//! `tower::ServiceExt::oneshot`), `layers` wraps it in the middleware
//! stack, and one file per page family holds its handlers.

pub mod archive;
pub mod article;
pub mod assets;
pub mod browse;
pub mod cards;
pub mod feeds;
pub mod format;
pub mod layers;
pub mod layout;
pub mod render;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;
use crate::store::Db;

use assets::Assets;
use layout::TotalsCache;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub site: Arc<Site>,
    pub assets: Arc<Assets>,
    pub totals: Arc<TotalsCache>,
}

impl AppState {
    pub fn new(db: Db, site: Site, static_dir: &Path) -> AppState {
        let assets = Arc::new(Assets::load(static_dir));
        layout::install(assets.clone(), &site.public_url);
        AppState {
            db,
            site: Arc::new(site),
            assets,
            totals: Arc::new(TotalsCache::default()),
        }
    }
}

/// Facts about this archive that pages print.
#[derive(Debug, Clone)]
pub struct Site {
    /// Public base URL without a trailing slash (canonical links, feeds).
    pub public_url: String,
}

impl Site {
    pub fn new(public_url: &str) -> Site {
        Site {
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Absolute URL of a root-relative path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

/// Every route, without state or middleware.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(browse::home))
        .route("/healthz", get(healthz))
        .route("/a/{id}", get(article::show_without_slug))
        .route("/a/{id}/{slug}", get(article::show))
        .route("/sources", get(browse::sources))
        .route("/sources/{source}", get(browse::source))
        .route("/tags", get(browse::tags))
        .route("/tags/{tag}", get(browse::tag))
        .route("/archive", get(archive::years))
        .route("/archive/{year}", get(archive::year))
        .route("/archive/{year}/{month}", get(archive::month))
        .route("/archive/{year}/{month}/{day}", get(archive::day))
        .route("/feed.xml", get(feeds::feed))
        .route("/sitemap.xml", get(feeds::sitemap_index))
        .route("/sitemap/{file}", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .route("/404", get(not_found_page))
        .fallback(not_found)
}

/// The complete application: routes, static files, state and middleware.
pub fn app(state: AppState, static_dir: &Path) -> Router {
    // Every linked asset URL carries a content hash, so a year is safe.
    let statics = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(ServeDir::new(static_dir));
    layers::wrap(routes().nest_service("/static", statics)).with_state(state)
}

/// A permanent redirect with status 301 (axum's `Redirect::permanent` is
/// 308; old links and crawlers know 301 best).
pub fn moved_permanently(location: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let location = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
    (
        axum::http::StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location)],
    )
        .into_response()
}

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// The not-found page served with status 200 at a stable URL, so tools
/// that refuse to inspect 4xx answers (page-check) can check its markup.
async fn not_found_page() -> render::ErrorPage {
    let mut page = render::ErrorPage::new(
        axum::http::StatusCode::NOT_FOUND,
        AppError::NotFound.message(),
    );
    page.send_ok = true;
    page.layout = layout::Layout::bare("/404");
    page
}
