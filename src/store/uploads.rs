//! Uploaded files in the database (`upload_files`, `upload_chunks`): written
//! chunk by chunk while an upload streams in, read back chunk by chunk by
//! the node that runs its job, deleted with the job (`jobs::finish`).

use super::dialect;
use super::{Result, json_ids, now};
use crate::store::{Conn, per_backend};

/// A file of a job, in upload order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadFile {
    pub id: i64,
    pub name: String,
    pub bytes: i64,
}

/// Starts a file named `name` (no job yet); returns its id.
#[per_backend]
pub async fn create(conn: &mut Conn, name: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO upload_files (name, received_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(name)
    .bind(now())
    .fetch_one(conn)
    .await?)
}

/// Adds chunk number `seq` of file `file_id`.
#[per_backend]
pub async fn append(conn: &mut Conn, file_id: i64, seq: i64, data: &[u8]) -> Result<()> {
    sqlx::query("INSERT INTO upload_chunks (file_id, seq, data) VALUES ($1, $2, $3)")
        .bind(file_id)
        .bind(seq)
        .bind(data)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the size of file `file_id`, once all of it is in.
#[per_backend]
pub async fn set_bytes(conn: &mut Conn, file_id: i64, bytes: i64) -> Result<()> {
    sqlx::query("UPDATE upload_files SET bytes = $1 WHERE id = $2")
        .bind(bytes)
        .bind(file_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives the files `file_ids` to the job of import `import_id`.
#[per_backend]
pub async fn attach(conn: &mut Conn, import_id: i64, file_ids: &[i64]) -> Result<()> {
    let ids = dialect::id_list(&*conn, 2);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE upload_files SET import_id = $1 WHERE id IN (SELECT value FROM {ids})"
    )))
    .bind(import_id)
    .bind(json_ids(file_ids))
    .execute(conn)
    .await?;
    Ok(())
}

/// The files of import `import_id`'s job, in upload order.
#[per_backend]
pub async fn of_job(conn: &mut Conn, import_id: i64) -> Result<Vec<UploadFile>> {
    Ok(
        sqlx::query_as("SELECT id, name, bytes FROM upload_files WHERE import_id = $1 ORDER BY id")
            .bind(import_id)
            .fetch_all(conn)
            .await?,
    )
}

/// Chunk number `seq` of file `file_id` (`None` past its end).
#[per_backend]
pub async fn chunk(conn: &mut Conn, file_id: i64, seq: i64) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT data FROM upload_chunks WHERE file_id = $1 AND seq = $2")
            .bind(file_id)
            .bind(seq)
            .fetch_optional(conn)
            .await?,
    )
}

/// Deletes files that never became part of a job (an upload refused or
/// cut off half-way).
#[per_backend]
pub async fn delete(conn: &mut Conn, file_ids: &[i64]) -> Result<()> {
    let ids = dialect::id_list(&*conn, 1);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM upload_files WHERE import_id IS NULL AND id IN (SELECT value FROM {ids})"
    )))
    .bind(json_ids(file_ids))
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes files without a job received before `cutoff` (RFC 3339): what
/// a node that died while receiving an upload left behind.
#[per_backend]
pub async fn delete_orphans(conn: &mut Conn, cutoff: &str) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM upload_files WHERE import_id IS NULL AND received_at < $1")
            .bind(cutoff)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
