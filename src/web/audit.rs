//! `/audit`: the admins' list of hand-made changes (takedowns, undone
//! imports, restores, account changes), newest first, a page at a time.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Permission;
use crate::store::audit::{self, AuditEntry};
use crate::web::error::AppError;

use super::AppState;
use super::auth::CurrentUser;
use super::extract::Query;
use super::layout::Layout;
use super::render::Page;

/// Entries on one page.
const PER_PAGE: u32 = 50;

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub entries: Vec<AuditEntry>,
    /// The next (older) page, when there is one.
    pub older: Option<String>,
}

impl AuditPage {
    /// An entry's time as `2026-12-03 13:30` (UTC).
    pub fn when(&self, entry: &AuditEntry) -> String {
        entry.at.replacen('T', " ", 1).chars().take(16).collect()
    }

    /// What an action is called on the page.
    pub fn action(&self, entry: &AuditEntry) -> String {
        match entry.action.as_str() {
            "user.add" => "إضافة مستخدم".to_owned(),
            "user.remove" => "حذف مستخدم".to_owned(),
            "user.role" => "تغيير دور".to_owned(),
            "user.feed_token" => "رابط خلاصة".to_owned(),
            "article.remove" => "حذف مقال".to_owned(),
            "article.restore" => "استعادة مقال".to_owned(),
            "import.undo" => "تراجع عن استيراد".to_owned(),
            other => other.to_owned(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    pub before: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    user.require(Permission::ReadAudit)?;
    let mut entries =
        audit::page(&mut *state.db.read.acquire().await?, q.before, PER_PAGE + 1).await?;
    let older = (entries.len() > PER_PAGE as usize).then(|| {
        entries.truncate(PER_PAGE as usize);
        format!("/audit?before={}", entries[entries.len() - 1].id)
    });
    Ok(Page(AuditPage {
        layout: Layout::new(&state, "/audit", "").await?,
        entries,
        older,
    })
    .into_response())
}
