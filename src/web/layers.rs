//! The middleware stack, in one place, outermost first.

use std::time::Duration;

use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use super::AppState;

/// Longest a request may take before the reader gets a 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn wrap(router: Router<AppState>) -> Router<AppState> {
    router
        // A panic in a handler becomes a 500, not a dropped connection.
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
