//! Taking an article down from its page: `GET /a/{id}/remove` asks for a
//! reason and a confirmation, `POST /a/{id}/remove` (an account allowed
//! to take down: admins and editors; CSRF) takes it
//! down; its permalink then answers 410 Gone with `removed.html` (when and
//! why, never the text).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Permission;
use crate::curate::takedown::{self, Takedown};
use crate::store::browse;
use crate::store::takedowns::Tombstone;
use crate::urls;
use crate::web::error::AppError;

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{Form, Path};
use super::format;
use super::layout::Layout;
use super::render::Page;

#[derive(Template)]
#[template(path = "removed.html")]
pub struct RemovedPage {
    pub layout: Layout,
    pub when: String,
    pub reason: String,
}

/// The 410 answer of a taken-down article's permalink.
pub fn gone(tombstone: Tombstone, layout: Layout) -> Response {
    let when = format::parse_date(&tombstone.removed_at)
        .map(|d| format::date_long(d, layout.digits))
        .unwrap_or_default();
    let page = RemovedPage {
        layout,
        when,
        reason: tombstone.reason,
    };
    match page.render() {
        Ok(html) => (StatusCode::GONE, Html(html)).into_response(),
        Err(err) => AppError::from(err).into_response(),
    }
}

#[derive(Template)]
#[template(path = "remove.html")]
pub struct ConfirmPage {
    pub layout: Layout,
    pub csrf: String,
    pub id: String,
    pub title: String,
    pub url: String,
    pub message: Option<&'static str>,
}

pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    user.require(Permission::TakeDown)?;
    confirm_page(&state, user.csrf, id, None).await
}

async fn confirm_page(
    state: &AppState,
    csrf: String,
    id: String,
    message: Option<&'static str>,
) -> Result<Response, AppError> {
    let article = browse::article(&mut *state.db.read.acquire().await?, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = format!("/a/{id}/remove");
    let layout = Layout::new(state, &path, "").await?;
    let page = ConfirmPage {
        layout,
        csrf,
        url: urls::article_encoded(&article.permalink, &article.slug),
        title: article.title,
        id,
        message,
    };
    let status = match message {
        Some(_) => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    };
    Ok((status, Page(page)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    pub csrf: Option<String>,
    #[serde(default)]
    pub reason: String,
    /// A checkbox: present (`on`) when ticked.
    pub keep_original: Option<String>,
}

pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, AppError> {
    user.require(Permission::TakeDown)?;
    user.check(form.csrf.as_deref())?;
    let reason = form.reason.trim();
    if reason.is_empty() {
        let message = Some("اكتب سبب الإزالة: يظهر لمن يفتح رابط المقال بعدها.");
        return confirm_page(&state, user.csrf, id, message).await;
    }
    let how = Takedown {
        reason,
        keep_original: form.keep_original.is_some(),
        actor: &user.name,
    };
    let report = takedown::take_down(&state.archive(), std::slice::from_ref(&id), how)
        .await
        .map_err(|e| AppError::internal("taking an article down", e))?;
    if report.removed.is_empty() && report.already_removed.is_empty() {
        return Err(AppError::NotFound);
    }
    state.totals.clear_now();
    state.periods.clear();
    // The permalink (a known one: it was just matched) now answers 410.
    Ok(super::see_other(&format!("/a/{id}")))
}
