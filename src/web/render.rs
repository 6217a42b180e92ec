//! Turning askama templates into responses: `Html(T)` renders a page (a
//! render failure becomes the 500 page), `ErrorPage` is the Arabic error
//! page every failure ends on.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

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
    pub status: u16,
    pub heading: &'static str,
    pub message: String,
}

impl ErrorPage {
    pub fn new(status: StatusCode, message: String) -> ErrorPage {
        let heading = match status.as_u16() {
            404 => "الصفحة غير موجودة",
            413 => "الملف أكبر من المسموح",
            400..=499 => "طلب غير صالح",
            _ => "خطأ في الخادم",
        };
        ErrorPage {
            status: status.as_u16(),
            heading,
            message,
        }
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match self.render() {
            Ok(html) => (status, Html(html)).into_response(),
            // The error page itself failed: plain text is all that is left.
            Err(_) => (status, self.message).into_response(),
        }
    }
}
