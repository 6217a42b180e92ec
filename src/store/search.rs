//! The search index (`article_fts`, migration 0002) and every search query: writing
//! shadow rows, the reindex walk, and the bounded reads the engine (`crate::search`)
//! composes: windows of newest matches, ranked slices, capped counts, facets, hit
//! rows, filter-only listings and vocabulary look-ups for suggestions.
//!
//! MATCH expressions come from `search::fts` (analyzer output, every term quoted);
//! they are bound as parameters, never spliced into SQL.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::Result;

/// Rows per multi-row statement: 5 bound values each, far under SQLite's
/// 32766-variable limit, and a few MiB of text per statement at most.
const ROWS_PER_INSERT: usize = 200;
/// Ids per `IN (...)` list.
const IDS_PER_LIST: usize = 1000;

/// One article's shadow text, as `arabic::index_strings` makes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexRow {
    pub id: i64,
    pub title_norm: String,
    pub body_norm: String,
    pub title_stem: String,
    pub body_stem: String,
}

/// (Re)indexes articles: rows already in the index for these ids are deleted
/// first, so new and rewritten articles go through the same call. Runs inside the
/// caller's transaction (the importer's batch, or a reindex batch).
pub async fn index(conn: &mut SqliteConnection, rows: Vec<IndexRow>) -> Result<()> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    remove(conn, &ids).await?;
    insert(conn, rows).await
}

/// Adds rows known not to be in the index (a rebuild after [`clear`]).
pub async fn insert(conn: &mut SqliteConnection, rows: Vec<IndexRow>) -> Result<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<IndexRow> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO article_fts (rowid, title_norm, body_norm, title_stem, body_stem) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.title_norm)
                .push_bind(r.body_norm)
                .push_bind(r.title_stem)
                .push_bind(r.body_stem);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Removes articles from the index (unknown ids are ignored).
pub async fn remove(conn: &mut SqliteConnection, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(IDS_PER_LIST) {
        let mut q = QueryBuilder::<Sqlite>::new("DELETE FROM article_fts WHERE rowid IN (");
        push_ids(&mut q, chunk);
        q.push(")");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Empties the index before a full rebuild, and forgets which analyzer built it
/// (`settings.analyzer_version`), so an interrupted rebuild is redone.
pub async fn clear(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("DELETE FROM settings WHERE key = 'analyzer_version'")
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO article_fts (article_fts) VALUES ('delete-all')")
        .execute(conn)
        .await?;
    Ok(())
}

/// Merges the index's segments into one, after a full rebuild: fewer segments
/// to read per term makes every later query cheaper.
pub async fn optimize(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("INSERT INTO article_fts (article_fts) VALUES ('optimize')")
        .execute(conn)
        .await?;
    Ok(())
}

/// One step of an incremental [`optimize`]: merges about `pages` pages of
/// the index's b-trees, every level as one (FTS5 `merge` with a negative
/// count). True while there was work to do: a finished index changes fewer
/// than two rows (the FTS5 documentation's test).
pub async fn merge_step(conn: &mut SqliteConnection, pages: u32) -> Result<bool> {
    let (before,): (i64,) = sqlx::query_as("SELECT total_changes()")
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO article_fts (article_fts, rank) VALUES ('merge', ?)")
        .bind(-i64::from(pages))
        .execute(&mut *conn)
        .await?;
    let (after,): (i64,) = sqlx::query_as("SELECT total_changes()")
        .fetch_one(conn)
        .await?;
    Ok(after - before >= 2)
}

/// The text of one article, as the reindex walk and suggestions read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleText {
    pub id: i64,
    pub title: String,
    pub body: String,
}

/// The next `limit` articles after id `after`, in id order (a keyset walk).
pub async fn texts_after(
    conn: &mut SqliteConnection,
    after: i64,
    limit: u32,
) -> Result<Vec<ArticleText>> {
    Ok(
        sqlx::query_as("SELECT id, title, body FROM articles WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after)
            .bind(limit)
            .fetch_all(conn)
            .await?,
    )
}

/// The texts of the given articles (any order), e.g. for the importer to index
/// the articles a batch touched.
pub async fn texts(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<ArticleText>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(IDS_PER_LIST) {
        let mut q =
            QueryBuilder::<Sqlite>::new("SELECT id, title, body FROM articles WHERE id IN (");
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

/// Number of articles (for reindex progress).
pub async fn article_count(conn: &mut SqliteConnection) -> Result<u64> {
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM articles")
        .fetch_one(conn)
        .await?;
    Ok(n.max(0) as u64)
}

/// Id of the source whose normalized name is `key`.
pub async fn source_id(conn: &mut SqliteConnection, key: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM sources WHERE key = ?")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Id of the tag whose normalized name is `key`.
pub async fn tag_id(conn: &mut SqliteConnection, key: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM tags WHERE key = ?")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Indexed words (of the `*_norm` columns) starting with `prefix`, with the number
/// of articles holding each, at most `limit` of them in term order.
pub async fn words_with_prefix(
    conn: &mut SqliteConnection,
    prefix: &str,
    limit: u32,
) -> Result<Vec<(String, i64)>> {
    // Every UTF-8 continuation of `prefix` sorts below prefix + U+10FFFF.
    let end = format!("{prefix}\u{10FFFF}");
    Ok(sqlx::query_as(
        "SELECT term, sum(doc) FROM article_fts_vocab WHERE term >= ? AND term < ? \
         AND col IN ('title_norm', 'body_norm') GROUP BY term LIMIT ?",
    )
    .bind(prefix)
    .bind(end)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// The `limit` words found in most articles' bodies (for benchmarks).
pub async fn most_frequent_words(
    conn: &mut SqliteConnection,
    limit: u32,
) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT term, doc FROM article_fts_vocab WHERE col = 'body_norm' ORDER BY doc DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

pub(super) fn push_ids(q: &mut QueryBuilder<Sqlite>, ids: &[i64]) {
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
}

mod counts;
mod reads;
pub use counts::GroupCounts;
pub use reads::*;
