//! The web archive: `app(state)` builds the router (tests drive it with
//! `tower::ServiceExt::oneshot`), `layers` wraps it in the middleware
//! stack, and one file per page family holds its handlers.

pub mod account;
pub mod api;
pub mod archive;
pub mod article;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod browse;
pub mod cards;
pub mod client;
pub mod conditional;
pub mod current_user;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod format;
pub mod hijri_archive;
pub mod histogram;
pub mod imports;
pub mod layers;
pub mod layout;
pub mod login_guard;
pub mod nouns;
pub mod opensearch;
pub mod period_counts;
pub mod private;
pub mod redirect_target;
pub mod related_links;
pub mod render;
pub mod search;
pub mod search_feed;
pub mod search_help;
pub mod server;
pub mod stories;
pub mod story_cards;
pub mod takedown;
pub mod undo;
pub mod timeline;
pub mod upload;
pub mod users;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::arabic::numbers::Digits;
use crate::archive::Archive;
use crate::auth::{Throttle, Verifications};
use crate::ingest::pipeline::ImportOptions;
use crate::ingest::queue::ImportQueue;
use crate::store::Db;
use crate::web::error::AppError;

use assets::Assets;
use layout::TotalsCache;
use period_counts::PeriodCounts;

/// How the web archive is set up (from `arshif serve`'s options).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Public base URL (canonical links, feeds; https → `Secure` cookies).
    pub public_url: String,
    pub static_dir: PathBuf,
    /// Where the node running an upload's job copies its files (from the
    /// database) for the import: temporary files.
    pub upload_dir: PathBuf,
    /// Largest request body an upload may have.
    pub max_upload_bytes: u64,
    /// Limits and threads for upload imports.
    pub import: ImportOptions,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Longest a page request may take (uploads have their own limit).
    pub page_timeout: std::time::Duration,
    /// The digits dates and counts are written with (`ARSHIF_DIGITS`).
    pub digits: Digits,
    /// A private archive (`ARSHIF_PRIVATE`): every page, feed and API
    /// route needs an account (see `private`).
    pub private: bool,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The search index beside `db` (shared with the import worker).
    pub search: crate::search::index::Slot,
    /// The relating engine's resident set, shared with the import worker
    /// (a takedown relates the articles that named what it removed).
    pub relating: crate::related::Relating,
    pub site: Arc<Site>,
    pub config: Arc<WebConfig>,
    pub assets: Arc<Assets>,
    pub totals: Arc<TotalsCache>,
    /// Sources' and tags' articles per year and month (their histograms).
    pub periods: Arc<PeriodCounts>,
    pub queue: ImportQueue,
    pub throttle: Arc<Throttle>,
    /// Password verifications, a few at a time.
    pub verifications: Arc<Verifications>,
}

impl AppState {
    /// Builds the state and starts the import worker (needs a tokio runtime).
    pub fn new(archive: Archive, config: WebConfig) -> AppState {
        let db = archive.db.clone();
        let search = archive.search.clone();
        let relating = archive.relating.clone();
        let site = Site::new(&config.public_url);
        let assets = Arc::new(Assets::load(&config.static_dir));
        layout::install(assets.clone(), &site.public_url);
        let totals = Arc::new(TotalsCache::default());
        let periods = Arc::new(PeriodCounts::default());
        let (refresh, forget) = (totals.clone(), periods.clone());
        let queue = ImportQueue::start(
            archive,
            config.import.clone(),
            config.upload_dir.clone(),
            Arc::new(move || {
                refresh.clear_now();
                forget.clear();
            }),
        );
        AppState {
            db,
            search,
            relating,
            site: Arc::new(site),
            config: Arc::new(config),
            assets,
            totals,
            periods,
            queue,
            throttle: Arc::new(Throttle::default()),
            verifications: Arc::new(Verifications::default()),
        }
    }
}

impl AppState {
    /// The archive this server serves, as the curating steps take it.
    pub fn archive(&self) -> Archive {
        Archive {
            db: self.db.clone(),
            relating: self.relating.clone(),
            search: self.search.clone(),
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

    /// Whether cookies must be `Secure` (the archive is served over https).
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Every route, without state or middleware; pages answer within
/// `page_timeout`.
pub fn routes(page_timeout: std::time::Duration) -> Router<AppState> {
    // Uploads stream to disk and count their own bytes against the limit
    // (answering an Arabic 413 page), so axum's small default is lifted.
    let uploads = Router::new()
        .route("/upload", get(upload::form).post(upload::receive))
        .route("/api/imports", post(api::import))
        .layer(DefaultBodyLimit::disable());
    let pages = Router::new()
        .route("/", get(browse::home))
        .route("/healthz", get(healthz))
        .route("/a/{id}", get(article::show_without_slug))
        .route(
            "/a/{id}/remove",
            get(takedown::confirm).post(takedown::remove),
        )
        .route("/a/{id}/{slug}", get(article::show))
        .route("/sources", get(browse::sources))
        .route("/sources/{source}", get(browse::source))
        .route("/sources/{source}/feed.xml", get(feeds::source_feed))
        .route("/stories/{id}", get(stories::show))
        .route("/tags", get(browse::tags))
        .route("/tags/{tag}", get(browse::tag))
        .route("/tags/{tag}/feed.xml", get(feeds::tag_feed))
        .route("/archive", get(archive::years))
        .route("/archive/{year}", get(archive::year))
        .route("/archive/{year}/{month}", get(archive::month))
        .route("/archive/{year}/{month}/{day}", get(archive::day))
        .route("/archive/hijri/{year}", get(hijri_archive::year))
        .route("/archive/hijri/{year}/{month}", get(hijri_archive::month))
        .route("/feed.xml", get(feeds::feed))
        .route("/opensearch.xml", get(opensearch::description))
        .route("/sitemap.xml", get(feeds::sitemap_index))
        .route("/sitemap/{file}", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .route("/search", get(search::page))
        .route("/search.xml", get(search_feed::feed))
        .route("/search/help", get(search_help::page))
        .route("/api/search", get(search::api))
        .route("/login", get(auth::form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/account", get(account::show))
        .route("/account/feed-token", post(account::feed_token))
        .route("/users", get(users::list).post(users::add))
        .route("/users/{name}/role", post(users::set_role))
        .route(
            "/users/{name}/remove",
            get(users::confirm_remove).post(users::remove),
        )
        .route("/audit", get(audit::list))
        .route("/imports", get(imports::list))
        .route("/imports/{id}", get(imports::show))
        .route("/imports/{id}/undo", get(undo::confirm).post(undo::undo))
        .route("/api/imports/{id}", get(api::import_status))
        .route("/api/articles", get(api::articles))
        .route("/api/articles/{id}", get(api::article))
        .route("/404", get(not_found_page))
        .fallback(not_found);
    layers::page_timeout(pages, page_timeout)
        .merge(layers::upload_timeout(uploads))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The complete application: routes, static files, state and middleware.
pub fn app(state: AppState) -> Router {
    // Every linked asset URL carries a content hash, so a year is safe.
    let statics = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(ServeDir::new(&state.config.static_dir));
    let https = state.site.https();
    let mut routes = routes(state.config.page_timeout).nest_service("/static", statics);
    if state.config.private {
        routes = routes.layer(axum::middleware::from_fn_with_state(
            state.clone(),
            private::guard,
        ));
    }
    layers::wrap(routes, https).with_state(state)
}

/// A permanent redirect with status 301 (axum's `Redirect::permanent` is
/// 308; old links and crawlers know 301 best).
pub fn moved_permanently(location: &str) -> axum::response::Response {
    redirect(axum::http::StatusCode::MOVED_PERMANENTLY, location)
}

/// "See other" (303): where a form sends the browser after a POST.
pub fn see_other(location: &str) -> axum::response::Response {
    redirect(axum::http::StatusCode::SEE_OTHER, location)
}

fn redirect(status: axum::http::StatusCode, location: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let location = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
    (status, [(header::LOCATION, location)]).into_response()
}

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// A known address asked with a method it does not answer (axum's own
/// answer has no body).
async fn method_not_allowed(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    if uri.path().starts_with("/api/") {
        let body = serde_json::json!({ "error": "method not allowed", "status": 405 });
        return (status, axum::Json(body)).into_response();
    }
    let message = "هذا العنوان لا يقبل هذا النوع من الطلبات. افتحه من رابطه في الأرشيف.";
    render::ErrorPage::new(status, message.to_owned()).into_response()
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
