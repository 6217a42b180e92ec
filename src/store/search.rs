//! What the search index (`crate::search::index`) reads from and writes to
//! the database: the change log it follows (`search_log`, migration 0010),
//! articles as it indexes them, and what a results page shows of its hits
//! and facets. The index itself lives outside SQLite; this is its feed.

use crate::store::{Conn, per_backend};
use sqlx::QueryBuilder;

use super::Result;

/// Ids per `IN (...)` list or multi-row insert.
const IDS_PER_LIST: usize = 1000;

/// Appends `ids` to the change log, inside the caller's transaction: every
/// write that changes what the index holds of an article (its text, date,
/// source or tags) calls this in the transaction that makes the change.
#[per_backend]
pub async fn log_changes(conn: &mut Conn, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(IDS_PER_LIST) {
        let mut q = QueryBuilder::new("INSERT INTO search_log (article_id) ");
        q.push_values(chunk, |mut b, id| {
            b.push_bind(*id);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The last sequence number of the log (0 when empty).
#[per_backend]
pub async fn last_seq(conn: &mut Conn) -> Result<i64> {
    let (seq,): (Option<i64>,) = sqlx::query_as("SELECT max(seq) FROM search_log")
        .fetch_one(conn)
        .await?;
    Ok(seq.unwrap_or(0))
}

/// Up to `limit` log entries after `seq`, in order, as (seq, article id).
#[per_backend]
pub async fn changes_after(conn: &mut Conn, seq: i64, limit: u32) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT seq, article_id FROM search_log WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(seq)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?)
}

/// The identity of this database's log (migration 0010): an index built
/// from another database (a restored backup) does not match it.
pub async fn epoch(conn: &mut Conn) -> Result<String> {
    Ok(super::settings::get(conn, "search_epoch")
        .await?
        .unwrap_or_default())
}

/// One article as the index holds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndexedArticle {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub source_id: Option<i64>,
    /// `YYYY-MM-DDTHH:MM:SS`, or '' when undated.
    pub sort_key: String,
    /// Tag ids, comma-separated (`string_agg`), or `None`.
    pub tags: Option<String>,
}

impl IndexedArticle {
    pub fn tag_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.tags
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(|t| t.parse().ok())
    }
}

const INDEXED: &str = "SELECT a.id, a.title, a.body, a.source_id, a.sort_key, \
     (SELECT string_agg(CAST(t.tag_id AS TEXT), ',' ORDER BY t.tag_id) FROM article_tags t WHERE t.article_id = a.id) AS tags \
     FROM articles a";

/// The articles `ids` (any order; ids no longer stored are absent).
#[per_backend]
pub async fn indexed_articles(conn: &mut Conn, ids: &[i64]) -> Result<Vec<IndexedArticle>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_LIST) {
        let mut q = QueryBuilder::new(INDEXED);
        q.push(" WHERE a.id IN (");
        push_ids(&mut q, chunk);
        q.push(")");
        found.extend(q.build_query_as().fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// The next `limit` articles after id `after`, in id order (a rebuild's walk).
#[per_backend]
pub async fn indexed_after(conn: &mut Conn, after: i64, limit: u32) -> Result<Vec<IndexedArticle>> {
    let mut q = QueryBuilder::new(INDEXED);
    q.push(" WHERE a.id > ")
        .push_bind(after)
        .push(" ORDER BY a.id LIMIT ")
        .push_bind(i64::from(limit));
    Ok(q.build_query_as().fetch_all(conn).await?)
}

/// Number of articles (for rebuild progress).
#[per_backend]
pub async fn article_count(conn: &mut Conn) -> Result<u64> {
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM articles")
        .fetch_one(conn)
        .await?;
    Ok(n.max(0) as u64)
}

/// Id of the source whose normalized name is `key`.
#[per_backend]
pub async fn source_id(conn: &mut Conn, key: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM sources WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Id of the tag whose normalized name is `key`.
#[per_backend]
pub async fn tag_id(conn: &mut Conn, key: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM tags WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| id))
}

/// A source or tag as a facet shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NameRow {
    pub id: i64,
    pub name: String,
    pub key: String,
}

/// Names of the sources `ids` (any order).
pub async fn source_names(conn: &mut Conn, ids: &[i64]) -> Result<Vec<NameRow>> {
    names(conn, "SELECT id, name, key FROM sources WHERE id IN (", ids).await
}

/// Names of the tags `ids` (any order).
pub async fn tag_names(conn: &mut Conn, ids: &[i64]) -> Result<Vec<NameRow>> {
    names(conn, "SELECT id, name, key FROM tags WHERE id IN (", ids).await
}

#[per_backend]
async fn names(conn: &mut Conn, select: &'static str, ids: &[i64]) -> Result<Vec<NameRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::new(select);
    push_ids(&mut q, &ids[..ids.len().min(IDS_PER_LIST)]);
    q.push(")");
    Ok(q.build_query_as().fetch_all(conn).await?)
}

/// The text of one article, as suggestions read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleText {
    pub id: i64,
    pub title: String,
    pub body: String,
}

/// The texts of the given articles (any order).
#[per_backend]
pub async fn texts(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ArticleText>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(IDS_PER_LIST) {
        let mut q = QueryBuilder::new("SELECT id, title, body FROM articles WHERE id IN (");
        push_ids(&mut q, chunk);
        q.push(")");
        found.extend(
            q.build_query_as::<ArticleText>()
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(found)
}

/// What a result line shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HitRow {
    pub id: i64,
    pub permalink: String,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub published: Option<String>,
    pub source: Option<String>,
}

/// The rows of `ids`, in the order of `ids` (missing ids are skipped).
#[per_backend]
pub async fn hit_rows(conn: &mut Conn, ids: &[i64]) -> Result<Vec<HitRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::new(
        "SELECT a.id, a.permalink, a.slug, a.title, a.body, a.published, s.name AS source \
         FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id IN (",
    );
    push_ids(&mut q, &ids[..ids.len().min(IDS_PER_LIST)]);
    q.push(")");
    let mut rows: Vec<HitRow> = q.build_query_as().fetch_all(conn).await?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

fn push_ids<DB: sqlx::Database>(q: &mut QueryBuilder<DB>, ids: &[i64])
where
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
}
