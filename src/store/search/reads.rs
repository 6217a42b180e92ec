//! Search reads. Every FTS pass here is bounded by a row limit or a rowid cut, so
//! a query for a word found in nearly every article costs no more than one for a
//! word found in a few thousand: the engine picks the limits (`crate::search`).

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::push_ids;
use crate::store::Result;

/// Resolved filters: which articles a search may return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub source_id: Option<i64>,
    /// The article must carry every one of these tags.
    pub tag_ids: Vec<i64>,
    /// Inclusive lower bound on `articles.sort_key` (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Exclusive upper bound on `articles.sort_key` (the day after `to`).
    pub before: Option<String>,
    /// Only articles with an id at least this (the newest ones): the engine's
    /// bound for queries too costly to run over the whole archive.
    pub since_id: Option<i64>,
}

impl Scope {
    /// True when no article filter applies (`since_id` aside).
    pub fn is_empty(&self) -> bool {
        self.source_id.is_none()
            && self.tag_ids.is_empty()
            && self.from.is_none()
            && self.before.is_none()
    }
}

/// `FROM … WHERE …` of the matches of `expr` within `scope`, newer than
/// `min_rowid` when given. The articles join is there only when a filter needs it.
fn push_matches(
    q: &mut QueryBuilder<Sqlite>,
    expr: &str,
    scope: &Scope,
    min_rowid: Option<i64>,
    join: bool,
) {
    q.push(" FROM article_fts f");
    if join || !scope.is_empty() {
        // CROSS JOIN keeps the index as the outer loop: left to choose, the
        // planner may scan every article and probe the index once per row.
        q.push(" CROSS JOIN articles a INDEXED BY articles_search ON a.id = f.rowid");
    }
    q.push(" WHERE f.article_fts MATCH ").push_bind(expr);
    if let Some(min) = min_rowid.max(scope.since_id) {
        q.push(" AND f.rowid >= ").push_bind(min);
    }
    push_scope(q, scope);
}

/// ` AND …` conditions on the articles alias `a`.
fn push_scope(q: &mut QueryBuilder<Sqlite>, scope: &Scope) {
    if let Some(source) = scope.source_id {
        q.push(" AND a.source_id = ").push_bind(source);
    }
    for tag in &scope.tag_ids {
        q.push(
            " AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag_id = ",
        )
        .push_bind(*tag)
        .push(")");
    }
    if let Some(from) = &scope.from {
        q.push(" AND a.sort_key >= ").push_bind(from.as_str());
    }
    if let Some(before) = &scope.before {
        q.push(" AND a.sort_key < ").push_bind(before.as_str());
    }
}

/// The newest `limit` matches: how many there are (at most `limit`) and the
/// smallest rowid among them (the cut for ranking just these).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub count: u64,
    pub oldest: Option<i64>,
}

/// Counts the newest `limit` matches, walking the index in rowid order with no
/// ranking (FTS5 streams `ORDER BY rowid DESC` and stops at the limit).
pub async fn window(
    conn: &mut SqliteConnection,
    expr: &str,
    scope: &Scope,
    limit: u32,
) -> Result<Window> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT count(*), min(id) FROM (SELECT f.rowid AS id");
    push_matches(&mut q, expr, scope, None, false);
    q.push(" ORDER BY f.rowid DESC LIMIT ")
        .push_bind(limit)
        .push(")");
    let (count, oldest): (i64, Option<i64>) = q.build_query_as().fetch_one(conn).await?;
    Ok(Window {
        count: count.max(0) as u64,
        oldest,
    })
}

/// The newest `limit` matches themselves, newest (highest rowid) first: the
/// engine's first pass, kept so that later passes (facets, the newest-first
/// order) read these ids instead of evaluating the MATCH again — for common
/// words each evaluation walks long posting lists.
pub async fn newest_matches(
    conn: &mut SqliteConnection,
    expr: &str,
    scope: &Scope,
    limit: u32,
) -> Result<Vec<i64>> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT group_concat(id) FROM (SELECT f.rowid AS id");
    push_matches(&mut q, expr, scope, None, false);
    q.push(" ORDER BY f.rowid DESC LIMIT ")
        .push_bind(limit)
        .push(")");
    fetch_ids(q, conn).await
}

/// Runs `q`, whose one row is `group_concat` of ids in the inner order.
/// One row of text instead of one row per id: sqlx hands each row over
/// from its worker thread on its own, which costs more than the parsing
/// (a thousand ids: 2.6 ms as rows).
async fn fetch_ids(mut q: QueryBuilder<Sqlite>, conn: &mut SqliteConnection) -> Result<Vec<i64>> {
    let (list,): (Option<String>,) = q.build_query_as().fetch_one(conn).await?;
    Ok(
        crate::store::unpack::<1>(list.as_deref().unwrap_or_default())
            .map(|[id]| id)
            .collect(),
    )
}

/// The `limit` of `ids` with the latest dates (then the higher id): the
/// order of a query whose every word is very common.
pub async fn latest_of(conn: &mut SqliteConnection, ids: &[i64], limit: u32) -> Result<Vec<i64>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT group_concat(id) FROM (SELECT a.id AS id FROM json_each(",
    );
    q.push_bind(crate::store::json_ids(ids)).push(
        ") j CROSS JOIN articles a INDEXED BY articles_search ON a.id = j.value \
         ORDER BY a.sort_key DESC, a.id DESC LIMIT ",
    );
    q.push_bind(limit).push(")");
    fetch_ids(q, conn).await
}

/// A ranked match: lower `rank` is better (FTS5 bm25 is negative).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Ranked {
    pub id: i64,
    pub rank: f64,
    pub sort_key: String,
}

/// The best `limit` matches by bm25, among matches with rowid ≥ `min_rowid`
/// (all of them when `None`): FTS5 ranks only the rows inside the cut.
pub async fn ranked(
    conn: &mut SqliteConnection,
    expr: &str,
    scope: &Scope,
    min_rowid: Option<i64>,
    limit: u32,
) -> Result<Vec<Ranked>> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT f.rowid AS id, f.rank AS rank, a.sort_key");
    push_matches(&mut q, expr, scope, min_rowid, true);
    q.push(" ORDER BY f.rank LIMIT ").push_bind(limit);
    Ok(q.build_query_as().fetch_all(conn).await?)
}

/// The best `limit` articles by bm25 over `score_expr`, among the matches of
/// `expr`. bm25 scans the whole posting list of every phrase it scores (for its
/// IDF), so the engine scores with the query's rarer words only; `expr` (every
/// word, the exclusions) still decides what matches. `+rowid` keeps SQLite from
/// turning the `IN` into one index probe per id.
pub async fn ranked_by(
    conn: &mut SqliteConnection,
    score_expr: &str,
    expr: &str,
    scope: &Scope,
    limit: u32,
) -> Result<Vec<Ranked>> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT f.rowid AS id, f.rank AS rank, a.sort_key");
    push_matches(&mut q, score_expr, scope, None, true);
    q.push(" AND +f.rowid IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ")
        .push_bind(expr)
        .push(")");
    q.push(" ORDER BY f.rank LIMIT ").push_bind(limit);
    Ok(q.build_query_as().fetch_all(conn).await?)
}

/// Among the newest `window` matches (by rowid, no ranking) with rowid ≥
/// `min_rowid`, the `limit` with the latest dates: the order of a query whose
/// every word is very common.
pub async fn newest(
    conn: &mut SqliteConnection,
    expr: &str,
    scope: &Scope,
    (min_rowid, window): (Option<i64>, u32),
    limit: u32,
) -> Result<Vec<i64>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT group_concat(id) FROM (SELECT id FROM (SELECT f.rowid AS id, a.sort_key AS k",
    );
    push_matches(&mut q, expr, scope, min_rowid, true);
    q.push(" ORDER BY f.rowid DESC LIMIT ").push_bind(window);
    q.push(") ORDER BY k DESC, id DESC LIMIT ").push_bind(limit);
    q.push(")");
    fetch_ids(q, conn).await
}

/// True when `expr` matches at least one article.
pub async fn any(conn: &mut SqliteConnection, expr: &str) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT rowid FROM article_fts WHERE article_fts MATCH ? LIMIT 1")
            .bind(expr)
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}

/// First article (lowest id) matching `expr`.
pub async fn first(conn: &mut SqliteConnection, expr: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid LIMIT 1",
    )
    .bind(expr)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// One facet value: a source or a tag and how many matches carry it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FacetRow {
    pub kind: String,
    pub key: String,
    pub name: String,
    pub count: i64,
}

/// The `top` most frequent sources and tags among the articles `ids` (rows
/// of kind `source` and `tag`).
pub async fn facets(conn: &mut SqliteConnection, ids: &[i64], top: u32) -> Result<Vec<FacetRow>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "WITH m AS MATERIALIZED (SELECT a.id AS id, a.source_id AS source_id \
         FROM json_each(",
    );
    // The covering index: the rows themselves hold the body, whose
    // overflow pages a lookup by id would walk to reach later columns.
    q.push_bind(crate::store::json_ids(ids))
        .push(") j CROSS JOIN articles a INDEXED BY articles_search ON a.id = j.value");
    // Counted and cut by id first, names looked up for the shown ones only:
    // a page of matches carries hundreds of tags, most of them once. Among
    // equal counts at the cut, the older source or tag stays; the shown ones
    // are ordered by count, then name.
    q.push(
        ") SELECT * FROM (SELECT 'source' AS kind, s.key, s.name, c.n AS count FROM \
         (SELECT source_id, count(*) AS n FROM m GROUP BY source_id \
          ORDER BY n DESC, source_id LIMIT ",
    )
    .push_bind(top)
    .push(") c CROSS JOIN sources s ON s.id = c.source_id ORDER BY count DESC, s.name)");
    q.push(
        " UNION ALL SELECT * FROM (SELECT 'tag' AS kind, t.key, t.name, c.n AS count FROM \
         (SELECT x.tag_id, count(*) AS n FROM m CROSS JOIN article_tags x ON x.article_id = m.id \
          GROUP BY x.tag_id ORDER BY n DESC, x.tag_id LIMIT ",
    )
    .push_bind(top)
    .push(") c CROSS JOIN tags t ON t.id = c.tag_id ORDER BY count DESC, t.name)");
    Ok(q.build_query_as().fetch_all(conn).await?)
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
pub async fn hit_rows(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<HitRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT a.id, a.permalink, a.slug, a.title, a.body, a.published, s.name AS source \
         FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id IN (",
    );
    push_ids(&mut q, &ids[..ids.len().min(super::IDS_PER_LIST)]);
    q.push(")");
    let mut rows: Vec<HitRow> = q.build_query_as().fetch_all(conn).await?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// Articles within `scope`, newest first (a search with filters and no words):
/// `offset`/`limit` as the engine pages, plus the total counted up to `cap`.
pub async fn browse(
    conn: &mut SqliteConnection,
    scope: &Scope,
    offset: u32,
    limit: u32,
    cap: u32,
) -> Result<(Vec<i64>, u64)> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT a.id FROM articles a WHERE 1");
    push_scope(&mut q, scope);
    q.push(" ORDER BY a.sort_key DESC, a.id DESC LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    let ids: Vec<(i64,)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut c =
        QueryBuilder::<Sqlite>::new("SELECT count(*) FROM (SELECT 1 FROM articles a WHERE 1");
    push_scope(&mut c, scope);
    c.push(" LIMIT ").push_bind(cap).push(")");
    let (n,): (i64,) = c.build_query_as().fetch_one(conn).await?;
    Ok((ids.into_iter().map(|(id,)| id).collect(), n.max(0) as u64))
}
