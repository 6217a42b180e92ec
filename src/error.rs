//! The one error type at the HTTP boundary. Internal details go to the
//! log; the reader gets a clear Arabic page (or JSON under `/api/`) with
//! the right status and a way back.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::store::StoreError;
use crate::web::render::ErrorPage;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Render(#[from] askama::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        AppError::Store(StoreError::Sql(err))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Store(_) | AppError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
            AppError::Store(_) | AppError::Render(_) => {
                "حدث خطأ داخلي أثناء تجهيز الصفحة. سُجّل الخطأ، ويمكنك المحاولة بعد قليل.".to_owned()
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        ErrorPage::new(status, self.message()).into_response()
    }
}
