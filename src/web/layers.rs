//! The middleware stack, in one place, outermost last: tracing, compression,
//! panic recovery, request timeouts (pages and uploads differ) and the security headers every
//! response carries (HSTS too when the archive is public over https).

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use super::AppState;

/// Uploads of hundreds of MiB over a slow link need minutes.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The request timeout of pages (`WebConfig::page_timeout`): past it the
/// reader gets a 408.
pub fn page_timeout(router: Router<AppState>, timeout: Duration) -> Router<AppState> {
    router.layer(TimeoutLayer::with_status_code(
        axum::http::StatusCode::REQUEST_TIMEOUT,
        timeout,
    ))
}

/// The request timeout of uploads.
pub fn upload_timeout(router: Router<AppState>) -> Router<AppState> {
    router.layer(TimeoutLayer::with_status_code(
        axum::http::StatusCode::REQUEST_TIMEOUT,
        UPLOAD_TIMEOUT,
    ))
}

/// Only this site's own scripts, styles, fonts and images; no framing.
/// (The JSON-LD block is data, not script, so it needs no exception.)
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
object-src 'none'";

/// What the reader sees when a handler panicked: the internal-error page
/// (the panic itself is logged with the error).
fn panic_page(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    crate::web::error::AppError::internal("handler panicked", what).into_response()
}

/// Browsers that reached the archive over https keep to https for two
/// years (sent only when the public URL is https: over plain http the
/// header is ignored, and sending it would promise what is not there).
const HSTS: &str = "max-age=63072000";

pub fn wrap(router: Router<AppState>, https: bool) -> Router<AppState> {
    let security = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ),
    ];
    let mut router = router
        // A panic in a handler becomes the 500 page, not a dropped connection.
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(CompressionLayer::new());
    for (name, value) in security {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    if https {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    router.layer(TraceLayer::new_for_http())
}
