//! What the relating engine (`src/related`) stores and reads: its tables
//! (migrations 0005, 0007: per-article sketches and term statistics, its
//! settings), and the reads of `article_tags` and `articles` it needs (the
//! rows of `relations` are `store::relations`'). Every lookup is bounded by
//! an id list, except the full reads that rebuild the engine's resident
//! buckets and postings (`related::Resident`).

mod lookups;
mod packed;
mod rebuild;

pub use lookups::*;
pub use packed::*;
pub use rebuild::*;

use crate::dispatch;
use crate::store::{Conn, per_backend};
use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::{Result, settings};

/// Ids or keys per `IN (...)` list, well under SQLite's bound-variable limit.
const PER_LIST: usize = 500;
/// Rows per multi-row insert (3 values each at most).
const PER_INSERT: usize = 1000;

/// Settings keys: articles with a `related_docs` row (the N of idf, kept
/// here because `count(*)` would scan the table), and the version of the
/// rules the stored relations were computed with.
const DOC_COUNT_KEY: &str = "related_doc_count";
/// Bumped by every transaction that relates articles or replaces tags (see
/// `related::Resident`).
const GENERATION_KEY: &str = "related_generation";
pub const RULES_KEY: &str = "related_rules";

/// What the engine keeps about one article.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocRow {
    pub article_id: i64,
    pub cluster_id: i64,
    pub day: Option<i64>,
    pub fingerprint: i64,
    pub basis: i64,
    pub signature: Vec<u8>,
    pub vector: Vec<u8>,
}

/// An article's text and publication day, as the engine analyses it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TextRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub day: Option<i64>,
}

/// Runs `head (ids…) tail` for each chunk of `ids` and collects the rows.
#[per_backend]
pub(super) async fn by_ids<T>(
    conn: &mut Conn,
    head: &str,
    tail: &str,
    ids: &[i64],
) -> Result<Vec<T>>
where
    T: crate::store::DecodeRow,
{
    let mut out = Vec::new();
    for chunk in super::chunks::statement_sized(ids, PER_LIST) {
        let mut q = QueryBuilder::new(head);
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        q.push(tail);
        out.extend(q.build_query_as::<T>().fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// [`by_ids`] for two-column rows, as a map from the first column.
async fn map_by_ids<V>(conn: &mut Conn, head: &str, ids: &[i64]) -> Result<HashMap<i64, V>>
where
    (i64, V): crate::store::DecodeRow,
{
    let rows: Vec<(i64, V)> = by_ids(conn, head, ")", ids).await?;
    Ok(rows.into_iter().collect())
}

/// The texts of the given articles (those that exist).
pub async fn texts(conn: &mut Conn, ids: &[i64]) -> Result<Vec<TextRow>> {
    let day = dispatch!(conn, |c| super::dialect::epoch_day(&*c, "sort_key"));
    let head = format!(
        "SELECT id, title, body, CASE sort_key WHEN '' THEN NULL ELSE {day} END AS day \
         FROM articles WHERE id IN ("
    );
    by_ids(conn, &head, ")", ids).await
}

/// Ids of the next `limit` articles after `after`, in id order.
#[per_backend]
pub async fn ids_after(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

#[per_backend]
pub async fn article_count(conn: &mut Conn) -> Result<u64> {
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM articles")
        .fetch_one(conn)
        .await?;
    Ok(n.max(0) as u64)
}

/// The stored sketches of the given articles (those that have one).
pub async fn docs(conn: &mut Conn, ids: &[i64]) -> Result<Vec<DocRow>> {
    by_ids(
        conn,
        "SELECT article_id, cluster_id, day, fingerprint, basis, signature, vector \
         FROM related_docs WHERE article_id IN (",
        ")",
        ids,
    )
    .await
}

/// Inserts or replaces sketches.
#[per_backend]
pub async fn save_docs(conn: &mut Conn, rows: &[DocRow]) -> Result<()> {
    let rows = super::upsert::last_of_each(rows, |r| r.article_id);
    for chunk in rows.chunks(PER_INSERT / 7) {
        let mut q = QueryBuilder::new(format!(
            "{} related_docs \
             (article_id, cluster_id, day, fingerprint, basis, signature, vector) ",
            super::dialect::insert_many(&*conn)
        ));
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.article_id)
                .push_bind(r.cluster_id)
                .push_bind(r.day)
                .push_bind(r.fingerprint)
                .push_bind(r.basis)
                .push_bind(r.signature.clone())
                .push_bind(r.vector.clone());
        });
        q.push(
            " ON CONFLICT (article_id) DO UPDATE SET cluster_id = excluded.cluster_id, \
             day = excluded.day, fingerprint = excluded.fingerprint, basis = excluded.basis, \
             signature = excluded.signature, vector = excluded.vector",
        );
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Up to `limit` articles whose vectors were computed against at most
/// `basis` articles, stalest first.
#[per_backend]
pub async fn stale(conn: &mut Conn, basis: u64, limit: usize) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT article_id FROM related_docs WHERE basis <= $1 ORDER BY basis, article_id LIMIT $2",
    )
    .bind(basis as i64)
    .bind(limit as i64)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Moves articles to other story clusters: (article, cluster) pairs.
#[per_backend]
pub async fn set_clusters(conn: &mut Conn, moves: &[(i64, i64)]) -> Result<()> {
    for chunk in moves.chunks(PER_INSERT / 2) {
        let mut q = QueryBuilder::new("WITH m(a, c) AS (");
        q.push_values(chunk, |mut b, (a, c)| {
            b.push_bind(*a).push_bind(*c);
        });
        q.push(
            ") UPDATE related_docs SET cluster_id = (SELECT c FROM m WHERE m.a = article_id) \
             WHERE article_id IN (SELECT a FROM m)",
        );
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The number of articles with a sketch.
pub async fn doc_count(conn: &mut Conn) -> Result<u64> {
    let stored = settings::get(conn, DOC_COUNT_KEY).await?;
    Ok(stored.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub async fn set_doc_count(conn: &mut Conn, n: u64) -> Result<()> {
    settings::set(conn, DOC_COUNT_KEY, &n.to_string()).await
}

/// The generation of the related tables (0 before the first).
pub async fn generation(conn: &mut Conn) -> Result<i64> {
    let stored = settings::get(conn, GENERATION_KEY).await?;
    Ok(stored.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Moves the generation on; returns the new one.
#[per_backend]
pub async fn bump_generation(conn: &mut Conn) -> Result<i64> {
    let (value,): (String,) = sqlx::query_as(
        "INSERT INTO settings (key, value) VALUES ($1, '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT) \
         RETURNING value",
    )
    .bind(GENERATION_KEY)
    .fetch_one(conn)
    .await?;
    Ok(value.parse().unwrap_or(0))
}

/// (article, tag) rows, in page order, as each article's tag list.
fn group_tags(rows: Vec<(i64, i64)>) -> HashMap<i64, Vec<i64>> {
    let mut tags: HashMap<i64, Vec<i64>> = HashMap::new();
    for (article, tag) in rows {
        tags.entry(article).or_default().push(tag);
    }
    tags
}

/// The rules version the stored relations were computed with.
pub async fn rules(conn: &mut Conn) -> Result<Option<String>> {
    settings::get(conn, RULES_KEY).await
}

pub async fn set_rules(conn: &mut Conn, version: &str) -> Result<()> {
    settings::set(conn, RULES_KEY, version).await
}

/// Forgets every computed relation and everything kept to compute them
/// (`relate --all` starts here); read-also links stay.
#[per_backend]
pub async fn clear_all(conn: &mut Conn) -> Result<()> {
    for sql in [
        "DELETE FROM relations WHERE kind IN ('same_story', 'similar')",
        "DELETE FROM related_docs",
        "DELETE FROM related_terms",
        "DELETE FROM settings WHERE key IN ('related_doc_count', 'related_rules')",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    Ok(())
}
