//! `/upload`: the upload form of admins and editors, and receiving uploads —
//! the body streams into the database in chunks (never whole into memory;
//! any node may run the job), the import is queued, and the browser lands
//! on its progress page.

use crate::auth::Permission;
use crate::ingest::upload_files::Received;
use crate::store::imports;
use crate::web::error::AppError;
use askama::Template;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::auth::CurrentUser;
use super::imports::ImportView;
use super::layout::Layout;
#[allow(unused_imports)] // named by the template
use super::nouns;
use super::render::Page;

/// What the form says it accepts.
pub const ACCEPT: &str = ".txt,.html,.htm,.warc,.warc.gz,.zip,.tar,.tar.gz,.tgz,.jsonl,.ndjson";

#[derive(Template)]
#[template(path = "upload.html")]
pub struct UploadPage {
    pub layout: Layout,
    pub csrf: String,
    pub accept: &'static str,
    pub limit_mib: u64,
    pub message: Option<String>,
    pub recent: Vec<ImportView>,
}

pub async fn form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    user.require(Permission::Upload)?;
    upload_page(&state, &user, None, StatusCode::OK).await
}

async fn upload_page(
    state: &AppState,
    user: &CurrentUser,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let recent = imports::list(&mut *state.db.read.acquire().await?, i64::MAX, 5)
        .await?
        .into_iter()
        .map(|row| ImportView::new(row, state.config.digits))
        .collect();
    let page = UploadPage {
        layout: Layout::new(state, "/upload", "upload").await?,
        csrf: user.csrf.clone(),
        accept: ACCEPT,
        limit_mib: state.config.max_upload_bytes >> 20,
        message,
        recent,
    };
    Ok((status, Page(page)).into_response())
}

pub async fn receive(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    user.require(Permission::Upload)?;
    check_length(&state, &headers)?;
    let files = receive_files(&state, &mut multipart, "files", Some(&user)).await?;
    if files.is_empty() {
        let message = "لم تختر أي ملف: اختر ملفًا واحدًا على الأقل ثم أعد الإرسال.".to_owned();
        return upload_page(&state, &user, Some(message), StatusCode::BAD_REQUEST).await;
    }
    let import_id = queue(&state, "upload", &user.name, files).await?;
    Ok(super::see_other(&format!("/imports/{import_id}")))
}

/// Refuses a body whose declared length is past the limit, before reading it.
pub fn check_length(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(len) if len > state.config.max_upload_bytes => Err(too_large(state)),
        _ => Ok(()),
    }
}

fn too_large(state: &AppState) -> AppError {
    AppError::TooLarge {
        limit_mib: state.config.max_upload_bytes >> 20,
    }
}

/// Queues the received files as a job, in an import row started by the
/// account `started_by`.
pub async fn queue(
    state: &AppState,
    origin: &str,
    started_by: &str,
    files: Received,
) -> Result<i64, AppError> {
    Ok(state.queue.enqueue(origin, started_by, files).await?)
}

/// Streams every file part named `field_name` into the database. With a
/// session (`user`), the form's CSRF token must come first. A part with a
/// file name but no bytes is kept (it is reported as an empty file); a part
/// without a file name (no file chosen) is not a file.
pub async fn receive_files(
    state: &AppState,
    multipart: &mut Multipart,
    field_name: &str,
    user: Option<&CurrentUser>,
) -> Result<Received, AppError> {
    let mut files = Received::new(&state.db);
    let mut budget = state.config.max_upload_bytes;
    let mut csrf_seen = user.is_none();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(state, e))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "csrf" {
            let sent = field.text().await.map_err(|e| multipart_error(state, e))?;
            if let Some(user) = user {
                user.check(Some(&sent))?;
            }
            csrf_seen = true;
            continue;
        }
        if !csrf_seen {
            return Err(AppError::Forbidden);
        }
        let display = field.file_name().map(display_name).unwrap_or_default();
        if name != field_name || display.is_empty() {
            continue;
        }
        files.start_file(&display).await?;
        save(state, field, &mut files, &mut budget).await?;
    }
    if !csrf_seen {
        return Err(AppError::Forbidden);
    }
    Ok(files)
}

/// A file name as given by the browser, reduced to its last component: a
/// label for reports, never used as a path.
fn display_name(given: &str) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    base.chars().filter(|c| !c.is_control()).take(200).collect()
}

async fn save(
    state: &AppState,
    mut field: Field<'_>,
    files: &mut Received,
    budget: &mut u64,
) -> Result<(), AppError> {
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(state, e))? {
        *budget = budget
            .checked_sub(chunk.len() as u64)
            .ok_or_else(|| too_large(state))?;
        files.write(&chunk).await?;
    }
    Ok(())
}

fn multipart_error(state: &AppState, err: axum::extract::multipart::MultipartError) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(state)
    } else {
        AppError::BadRequest(format!(
            "the upload could not be read ({})",
            err.body_text()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_last_component_of_a_file_name() {
        assert_eq!(display_name("C:\\Users\\me\\news.zip"), "news.zip");
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("أخبار.txt"), "أخبار.txt");
        assert_eq!(display_name(""), "");
    }
}
