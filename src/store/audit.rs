//! The `audit_log` table: one row per hand-made change to the archive
//! (takedown, restore, undone import, account change), never edited.

use super::{Result, now};
use crate::store::{Conn, per_backend};

/// One hand-made change, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// What changed, by whom; written in the same transaction as the change
/// itself so the log never claims a change that did not happen.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// The account name, or `"cli"` for the command line.
    pub actor: &'a str,
    /// A dotted verb: `article.remove`, `import.undo`, `user.add`, …
    pub action: &'a str,
    /// What it was done to (an article id, an import id, a user name).
    pub subject: &'a str,
    /// The reason given, or what was kept and why.
    pub detail: &'a str,
}

#[per_backend]
pub async fn record(conn: &mut Conn, change: Change<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now())
    .bind(change.actor)
    .bind(change.action)
    .bind(change.subject)
    .bind(change.detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest `limit` entries older than `before` (an id; `None` for the
/// newest), newest first: one page of the admin's audit list.
#[per_backend]
pub async fn page(conn: &mut Conn, before: Option<i64>, limit: u32) -> Result<Vec<AuditEntry>> {
    Ok(sqlx::query_as(
        "SELECT id, at, actor, action, subject, detail FROM audit_log \
         WHERE id < $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?)
}
