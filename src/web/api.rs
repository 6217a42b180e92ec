//! The JSON API for scripts: `POST /api/imports` (upload with a bearer
//! token; the report, or 202 and where to follow a large import),
//! `GET /api/imports/{id}`, and articles in the export schema.

use std::time::Duration;

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Permission;
use crate::export;
use crate::store::imports;
use crate::web::error::{ApiError, AppError};

use super::AppState;
use super::auth::{ApiClient, CurrentUser};
use super::extract::{Path, Query};
use super::upload;

/// Uploads up to this size are answered with their report; larger ones
/// with 202 and the URL to follow (their import may take minutes).
const WAIT_FOR_REPORT_BYTES: u64 = 64 << 20;
/// Longest a script is kept waiting for a report.
const WAIT_LIMIT: Duration = Duration::from_secs(600);

pub async fn import(
    State(state): State<AppState>,
    client: ApiClient,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    client.require(Permission::Upload)?;
    upload::check_length(&state, &headers)?;
    let files = upload::receive_files(&state, &mut multipart, "file", None).await?;
    if files.is_empty() {
        return Err(AppError::BadRequest(
            "no file: send one or more multipart fields named `file`".to_owned(),
        )
        .into());
    }
    let bytes = files.bytes();
    let import_id = upload::queue(&state, "api", &client.user, files).await?;
    let url = format!("/api/imports/{import_id}");
    if bytes > WAIT_FOR_REPORT_BYTES {
        let body =
            Json(serde_json::json!({ "import_id": import_id, "status": "queued", "url": url }));
        return Ok((StatusCode::ACCEPTED, [(header::LOCATION, url)], body).into_response());
    }
    let row = state.queue.wait(&state.db, import_id, WAIT_LIMIT).await?;
    match row.and_then(|r| r.report) {
        Some(report) if !report.is_empty() => {
            Ok(([(header::CONTENT_TYPE, "application/json")], report).into_response())
        }
        _ => Ok((
            StatusCode::ACCEPTED,
            [(header::LOCATION, url.clone())],
            Json(serde_json::json!({ "import_id": import_id, "status": "running", "url": url })),
        )
            .into_response()),
    }
}

/// Progress and report of one import, for scripts (token) and for the
/// progress page's live updates (session).
pub async fn import_status(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    client: Result<ApiClient, ApiError>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    match user {
        Some(user) => user.require(Permission::Upload)?,
        None => client?.require(Permission::Upload)?,
    }
    let row = imports::get(&mut *state.db.read.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let report: Option<serde_json::Value> = row
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    Ok(Json(serde_json::json!({
        "import_id": row.id,
        "status": row.status,
        "files_total": row.files_total,
        "files_done": row.files_done,
        "articles_done": row.articles_done,
        "report": report,
    }))
    .into_response())
}

pub async fn article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let found = export::by_permalink(&mut *state.db.read.acquire().await?, &id).await?;
    Ok(Json(found.ok_or(AppError::NotFound)?).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct ArticlesQuery {
    /// Permalink id after which to continue (the previous page's `next`).
    pub after: Option<String>,
    pub limit: Option<i64>,
}

/// Every article in permalink order, `limit` (≤ 500) at a time.
pub async fn articles(
    State(state): State<AppState>,
    Query(q): Query<ArticlesQuery>,
) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let mut conn = state.db.read.acquire().await?;
    let page = export::page_after(&mut conn, q.after.as_deref().unwrap_or(""), limit).await?;
    let next = (page.len() as i64 == limit)
        .then(|| page.last().map(|a| a.id.clone()))
        .flatten();
    Ok(Json(serde_json::json!({ "articles": page, "next": next })).into_response())
}
