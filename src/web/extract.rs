//! `Query`, `Path` and `Form` as the handlers use them: axum's extractors,
//! except that a request they cannot read is answered the archive's way —
//! the Arabic error page with axum's status (400, 413, 415, 422…), or the
//! JSON error under `/api/` — instead of axum's English plain text.

use axum::Json;
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::render::ErrorPage;

/// The query string, deserialized.
pub struct Query<T>(pub T);

/// The path parameters, deserialized.
pub struct Path<T>(pub T);

/// An urlencoded form body (or a GET form's query), deserialized.
pub struct Form<T>(pub T);

/// A request an extractor could not read.
#[derive(Debug)]
pub struct Unreadable {
    status: StatusCode,
    /// What the reader is told (Arabic).
    message: &'static str,
    /// What a script is told (axum's English detail).
    detail: String,
    api: bool,
}

impl Unreadable {
    fn new(
        uri: &axum::http::Uri,
        status: StatusCode,
        message: &'static str,
        detail: String,
    ) -> Self {
        Unreadable {
            status,
            message,
            detail,
            api: uri.path().starts_with("/api/"),
        }
    }
}

impl IntoResponse for Unreadable {
    fn into_response(self) -> Response {
        if self.api {
            let body = serde_json::json!({ "error": self.detail, "status": self.status.as_u16() });
            return (self.status, Json(body)).into_response();
        }
        ErrorPage::new(self.status, self.message.to_owned()).into_response()
    }
}

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Unreadable;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(err) => Err(query_rejection(&parts.uri, err)),
        }
    }
}

fn query_rejection(uri: &axum::http::Uri, err: QueryRejection) -> Unreadable {
    Unreadable::new(
        uri,
        err.status(),
        "في عنوان الصفحة قيمة لا تصلح (مثل رقم صفحة غير معقول). صحّح الرابط أو ارجع إلى الصفحة السابقة.",
        err.body_text(),
    )
}

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Unreadable;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(err) => Err(path_rejection(&parts.uri, err)),
        }
    }
}

fn path_rejection(uri: &axum::http::Uri, err: PathRejection) -> Unreadable {
    Unreadable::new(
        uri,
        err.status(),
        "الرابط غير صالح: فيه ترميز لا يُقرأ أو قيمة في غير موضعها. تأكّد من نسخه كاملًا.",
        err.body_text(),
    )
}

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Unreadable;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let uri = req.uri().clone();
        match axum::extract::Form::<T>::from_request(req, state).await {
            Ok(axum::extract::Form(value)) => Ok(Form(value)),
            Err(err) => Err(form_rejection(&uri, err)),
        }
    }
}

fn form_rejection(uri: &axum::http::Uri, err: FormRejection) -> Unreadable {
    let message = match err.status() {
        StatusCode::PAYLOAD_TOO_LARGE => "النموذج المرسل أكبر من المسموح.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "لم يُرسل النموذج بالصيغة المتوقعة. أرسله من صفحته في الأرشيف."
        }
        _ => "تعذّرت قراءة النموذج المرسل. أعد تحميل الصفحة ثم حاول مرة أخرى.",
    };
    Unreadable::new(uri, err.status(), message, err.body_text())
}
