//! The `files` table (original bytes of every imported file, compressed)
//! and `article_files` (which file brought which article).

use crate::store::dialect;
use crate::store::{Conn, per_backend};
use std::collections::HashSet;

use sqlx::QueryBuilder;

use super::Result;

/// One original file as stored.
#[derive(Debug, Clone)]
pub struct FileRow {
    pub id: i64,
    pub import_id: i64,
    pub name: String,
    /// `page` or `jsonl` (one JSONL line).
    pub kind: &'static str,
    pub size: i64,
    pub sha256: Vec<u8>,
    /// zstd-compressed original bytes.
    pub content: Vec<u8>,
}

/// A stored file read back for reparsing.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredFile {
    pub id: i64,
    pub import_id: i64,
    pub name: String,
    pub kind: String,
    /// `html` or `warc` for a saved web page (see `captures`).
    pub format: Option<String>,
    pub content: Vec<u8>,
}

#[per_backend]
pub async fn max_id(conn: &mut Conn) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM files")
        .fetch_one(conn)
        .await?;
    Ok(id)
}

/// Which of `hashes` are already stored (the file was imported before).
#[per_backend]
pub async fn existing_hashes(conn: &mut Conn, hashes: &[Vec<u8>]) -> Result<HashSet<Vec<u8>>> {
    let mut found = HashSet::new();
    for chunk in hashes.chunks(1000) {
        let mut q = QueryBuilder::new("SELECT sha256 FROM files WHERE sha256 IN (");
        let mut list = q.separated(", ");
        for hash in chunk {
            list.push_bind(hash.clone());
        }
        q.push(")");
        let rows: Vec<(Vec<u8>,)> = q.build_query_as().fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().map(|(h,)| h));
    }
    Ok(found)
}

#[per_backend]
pub async fn insert(conn: &mut Conn, rows: &[FileRow]) -> Result<()> {
    // Rows carry compressed pages of a few KB; 200 per statement keeps each
    // statement's bound data to a few MB.
    for chunk in rows.chunks(200) {
        let mut q = QueryBuilder::new(format!(
            "{} files (id, import_id, name, kind, size, sha256, content) ",
            super::dialect::insert_many(&*conn)
        ));
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.import_id)
                .push_bind(r.name.clone())
                .push_bind(r.kind)
                .push_bind(r.size)
                .push_bind(r.sha256.clone())
                .push_bind(r.content.clone());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Provenance link: `article_id` came from `file_id` at `position`
/// (0 = the page itself, n = its n-th read-also item).
#[derive(Debug, Clone, Copy)]
pub struct FileLink {
    pub article_id: i64,
    pub file_id: i64,
    pub position: i64,
}

#[per_backend]
pub async fn link(conn: &mut Conn, rows: &[FileLink]) -> Result<()> {
    for chunk in rows.chunks(1000) {
        let mut q = QueryBuilder::new(format!(
            "{} article_files (article_id, file_id, position) ",
            super::dialect::insert_many(&*conn)
        ));
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.article_id)
                .push_bind(r.file_id)
                .push_bind(r.position);
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stored files with id above `after`, in import order, `limit` at a time
/// (reparse walks the whole table this way in bounded memory).
#[per_backend]
pub async fn page_after(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<StoredFile>> {
    Ok(sqlx::query_as(
        "SELECT f.id, f.import_id, f.name, f.kind, c.format, f.content FROM files f \
         LEFT JOIN file_captures c ON c.file_id = f.id WHERE f.id > $1 ORDER BY f.id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The articles a file brought, as (position, article id).
#[per_backend]
pub async fn links_of(conn: &mut Conn, file_id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT position, article_id FROM article_files WHERE file_id = $1 ORDER BY position",
    )
    .bind(file_id)
    .fetch_all(conn)
    .await?)
}

/// The stored files with ids `ids` (those that exist), in id order.
#[per_backend]
pub async fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<StoredFile>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT f.id, f.import_id, f.name, f.kind, c.format, f.content FROM files f \
         LEFT JOIN file_captures c ON c.file_id = f.id \
         WHERE f.id IN (SELECT value FROM {}) ORDER BY f.id",
        dialect::id_list(&*conn, 1)
    )))
    .bind(super::json_ids(ids))
    .fetch_all(conn)
    .await?)
}

/// (file, article) of every provenance link of the files `ids`.
#[per_backend]
pub async fn links_of_files(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT file_id, article_id FROM article_files \
         WHERE file_id IN (SELECT value FROM {})",
        dialect::id_list(&*conn, 1)
    )))
    .bind(super::json_ids(ids))
    .fetch_all(conn)
    .await?)
}
