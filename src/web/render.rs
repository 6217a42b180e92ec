//! Turning askama templates into responses: `Html(T)` renders a page (a
//! render failure becomes the 500 page), `ErrorPage` is the Arabic error
//! page every failure ends on.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::layout::Layout;

/// A rendered page; a template failure is logged and shown as a 500.
pub struct Page<T: Template>(pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => Html(html).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "template failed");
                ErrorPage::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "حدث خطأ داخلي أثناء تجهيز الصفحة.".to_owned(),
                )
                .into_response()
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    /// The status the page names (404, 413, 500…).
    pub status: u16,
    /// Send the page with 200 instead (the `/404` twin of the 404 page).
    pub send_ok: bool,
    pub heading: &'static str,
    pub message: String,
}

impl ErrorPage {
    pub fn new(status: StatusCode, message: String) -> ErrorPage {
        let heading = match status.as_u16() {
            401 => "تسجيل الدخول مطلوب",
            403 => "طلب مرفوض",
            404 => "الصفحة غير موجودة",
            413 => "الملف أكبر من المسموح",
            429 => "محاولات كثيرة",
            400..=499 => "طلب غير صالح",
            _ => "خطأ في الخادم",
        };
        ErrorPage {
            layout: Layout::bare("/"),
            status: status.as_u16(),
            send_ok: false,
            heading,
            message,
        }
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let status = match self.send_ok {
            true => StatusCode::OK,
            false => StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        };
        match self.render() {
            Ok(html) => (status, Html(html)).into_response(),
            // The error page itself failed: plain text is all that is left.
            Err(_) => (status, self.message).into_response(),
        }
    }
}
