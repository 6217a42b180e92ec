//! The one error type at the HTTP boundary. Internal details go to the
//! log; the reader gets a clear Arabic page with the right status and a way
//! back, and scripts under `/api/` get the same as JSON (`ApiError`).

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::store::StoreError;
use crate::web::render::ErrorPage;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not signed in")]
    Unauthorized,
    #[error("form token missing or wrong")]
    Forbidden,
    /// Signed in, but the account's role does not allow this.
    #[error("the account's role does not allow this")]
    NotPermitted,
    #[error("request body too large (limit {limit_mib} MiB)")]
    TooLarge { limit_mib: u64 },
    #[error("too many attempts; retry in {0:?}")]
    TooManyRequests(Duration),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Render(#[from] askama::Error),
    /// Something failed that the reader cannot fix; `what` was being done,
    /// `source` is why (both logged).
    #[error("{what}")]
    Internal {
        what: &'static str,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::Store(StoreError::Sql(err))
    }
}

impl AppError {
    /// An [`AppError::Internal`] that keeps its cause.
    pub fn internal(
        what: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> AppError {
        AppError::Internal {
            what,
            source: source.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::NotPermitted => StatusCode::FORBIDDEN,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Store(_) | AppError::Render(_) | AppError::Internal { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the reader is told, in Arabic; never internal details.
    pub fn message(&self) -> String {
        match self {
            AppError::NotFound => {
                "لم نجد الصفحة التي تطلبها. ربما تغيّر الرابط أو لم يُستورد هذا المقال بعد."
                    .to_owned()
            }
            AppError::BadRequest(why) => format!("تعذّر فهم الطلب: {why}"),
            AppError::Unauthorized => "هذه الصفحة لأصحاب الحسابات: سجّل الدخول أولًا.".to_owned(),
            AppError::NotPermitted => {
                "حسابك لا يملك صلاحية هذا الإجراء. اطلب من أحد المشرفين تغيير دورك إن احتجت إليه."
                    .to_owned()
            }
            AppError::Forbidden => {
                "انتهت صلاحية النموذج أو لم يُرسل من هذا الموقع. أعد تحميل الصفحة ثم حاول مرة أخرى."
                    .to_owned()
            }
            AppError::TooLarge { limit_mib } => format!(
                "حجم ما أرسلته أكبر من الحد المسموح ({limit_mib} ميغابايت). قسّم الملفات على عدة دفعات أو اطلب من مدير الخادم رفع الحد."
            ),
            AppError::TooManyRequests(wait) => format!(
                "محاولات دخول كثيرة. انتظر {} ثانية ثم حاول مرة أخرى.",
                whole_seconds(*wait)
            ),
            AppError::Store(_) | AppError::Render(_) | AppError::Internal { .. } => {
                "حدث خطأ داخلي أثناء تجهيز الصفحة. سُجّل الخطأ، ويمكنك المحاولة بعد قليل.".to_owned()
            }
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %causes(self), "request failed");
        }
    }

    fn retry_after(&self) -> Option<HeaderValue> {
        match self {
            AppError::TooManyRequests(wait) => {
                HeaderValue::from_str(&whole_seconds(*wait).to_string()).ok()
            }
            _ => None,
        }
    }
}

/// A wait in whole seconds, rounded up: a client that waits as long as it
/// is told must find the wait over (1.6 s said as "1" was still throttled).
fn whole_seconds(wait: Duration) -> u128 {
    wait.as_millis().div_ceil(1000).max(1)
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let retry = self.retry_after();
        let mut response = ErrorPage::new(self.status(), self.message()).into_response();
        if let Some(retry) = retry {
            response.headers_mut().insert(header::RETRY_AFTER, retry);
        }
        response
    }
}

/// An [`AppError`] answered as JSON `{"error": "...", "status": N}`, for
/// scripts (`/api/...`). The message is English: scripts log it.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let status = err.status();
        let message = match &err {
            AppError::Store(_) | AppError::Render(_) | AppError::Internal { .. } => {
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let body = Json(serde_json::json!({ "error": message, "status": status.as_u16() }));
        let mut response = (status, body).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(retry) = err.retry_after() {
            response.headers_mut().insert(header::RETRY_AFTER, retry);
        }
        response
    }
}

/// An error and every cause below it, as one line for the log (a cause
/// already quoted by the message above it is not repeated).
fn causes(err: &dyn std::error::Error) -> String {
    let mut line = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_keeps_its_cause_for_the_log_and_not_for_the_reader() {
        let cause = std::io::Error::other("disk full");
        let err = AppError::internal("upload storage", cause);
        assert_eq!(
            std::error::Error::source(&err).map(ToString::to_string),
            Some("disk full".to_owned())
        );
        assert_eq!(causes(&err), "upload storage: disk full");
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!err.message().contains("disk full"));
    }

    #[test]
    fn causes_already_in_the_message_are_not_repeated() {
        let sql = sqlx::Error::Protocol("bad row".to_owned());
        let err = AppError::Store(crate::store::StoreError::Sql(sql));
        assert_eq!(causes(&err).matches("bad row").count(), 1);
    }
}
