//! The `imports` table: one row per import run, its live progress and,
//! once finished, its JSON report.

use super::{Result, now};
use crate::store::{Conn, per_backend};

/// An import run as listed on `/imports` and shown on `/imports/{id}`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub origin: String,
    pub status: String,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub files_total: Option<i64>,
    pub files_done: i64,
    pub articles_done: i64,
    pub report: Option<String>,
    /// What undoing it did (JSON), once it was undone.
    pub undo_report: Option<String>,
}

/// Starts a new import run in `status` (`queued` or `running`).
#[per_backend]
pub async fn create(conn: &mut Conn, origin: &str, status: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO imports (origin, status, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(origin)
    .bind(status)
    .bind(now())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

#[per_backend]
pub async fn set_status(conn: &mut Conn, id: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE imports SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[per_backend]
pub async fn set_total(conn: &mut Conn, id: i64, files_total: i64) -> Result<()> {
    sqlx::query("UPDATE imports SET files_total = $1 WHERE id = $2")
        .bind(files_total)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[per_backend]
pub async fn set_progress(
    conn: &mut Conn,
    id: i64,
    files_done: i64,
    articles_done: i64,
) -> Result<()> {
    sqlx::query("UPDATE imports SET files_done = $1, articles_done = $2 WHERE id = $3")
        .bind(files_done)
        .bind(articles_done)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the end of a run with its final status and JSON report.
#[per_backend]
pub async fn finish(conn: &mut Conn, id: i64, status: &str, report_json: &str) -> Result<()> {
    sqlx::query(
        "UPDATE imports SET status = $1, report = $2, finished_at = $3, \
         files_total = COALESCE(files_total, files_done) WHERE id = $4",
    )
    .bind(status)
    .bind(report_json)
    .bind(now())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

#[per_backend]
pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<ImportRow>> {
    Ok(sqlx::query_as(
        "SELECT id, origin, status, created_at, finished_at, files_total, files_done, \
         articles_done, report, undo_report FROM imports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Import runs, newest first, before `before` (keyset pagination).
#[per_backend]
pub async fn list(conn: &mut Conn, before: i64, limit: i64) -> Result<Vec<ImportRow>> {
    Ok(sqlx::query_as(
        "SELECT id, origin, status, created_at, finished_at, files_total, files_done, \
         articles_done, NULL AS report, NULL AS undo_report FROM imports WHERE id < $1 \
         ORDER BY id DESC LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Marks server-run imports (uploads, API) left `running` or `queued`
/// without a job to run them (their node died mid-job, see
/// `jobs::recover`) as interrupted, so no page shows them as still going.
/// A queued job keeps its import: its files are in the database, and a
/// node runs it.
#[per_backend]
pub async fn mark_interrupted(conn: &mut Conn) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE imports SET status = 'interrupted', finished_at = $1 \
         WHERE status IN ('running', 'queued') AND origin IN ('upload', 'api') \
         AND NOT EXISTS (SELECT 1 FROM import_jobs j WHERE j.import_id = imports.id)",
    )
    .bind(now())
    .execute(conn)
    .await?
    .rows_affected())
}

/// Records which account started import `id` (so an editor may undo it).
#[per_backend]
pub async fn set_started_by(conn: &mut Conn, id: i64, user: &str) -> Result<()> {
    sqlx::query("UPDATE imports SET started_by = $1 WHERE id = $2")
        .bind(user)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The account that started import `id` (`None`: the command line, an
/// import from before accounts, or no such import).
#[per_backend]
pub async fn started_by(conn: &mut Conn, id: i64) -> Result<Option<String>> {
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT started_by FROM imports WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(found.flatten())
}

/// Records that an import was undone, with what undoing it did (JSON).
#[per_backend]
pub async fn set_undone(conn: &mut Conn, id: i64, undo_json: &str) -> Result<()> {
    sqlx::query("UPDATE imports SET status = 'undone', undo_report = $1 WHERE id = $2")
        .bind(undo_json)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
