//! The web archive: `app(state)` builds the router (used as is by tests
//! through `tower::ServiceExt::oneshot`), `layers` wraps it in the
//! middleware stack, and one file per page family holds its handlers.

pub mod article;
pub mod format;
pub mod layers;
pub mod render;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use crate::store::Db;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub site: Arc<Site>,
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

/// The router with every route, without middleware.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/a/{id}", get(article::show_without_slug))
        .route("/a/{id}/{slug}", get(article::show))
        .fallback(not_found)
}

/// The complete application: routes, state and middleware.
pub fn app(state: AppState) -> Router {
    layers::wrap(routes()).with_state(state)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn not_found() -> crate::error::AppError {
    crate::error::AppError::NotFound
}
