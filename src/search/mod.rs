//! The search engine: a query string and filters in, one page of ranked hits with
//! highlighted titles and snippets out (`/search` and `/api/search` sit on
//! [`search`]). Query text goes through the Arabic analyzer only (query.rs), becomes
//! a fully quoted FTS5 expression (fts.rs), is ranked with bounded work (rank.rs),
//! and hits are highlighted on their original text by the analyzer.

pub mod filters;
pub mod fts;
pub mod query;
pub mod rank;
pub mod reindex;
pub mod suggest;
pub mod tidy;

use serde::Serialize;

use crate::arabic::{self, QueryTerms};
use crate::store::search::{self as db, FacetRow, HitRow, Scope};
use crate::store::{Db, StoreError};
use crate::urls;

pub use filters::Applied;
pub use query::Query;
pub use rank::Limits;

/// Hits per page.
pub const PAGE_SIZE: u32 = 20;
/// Pages a search can reach: at most `PAGE_SIZE * MAX_PAGES` hits are ranked.
pub const MAX_PAGES: u32 = 50;
/// Characters of body around the matches in a snippet.
pub const SNIPPET_CHARS: usize = 240;
/// Sources and tags listed as facets.
pub const FACET_TOP: u32 = 10;
/// Facets count the newest this many matches (exact for smaller result sets):
/// each match costs index look-ups of its source and tags.
pub const FACET_WINDOW: u32 = 200;

/// What the search page and the API ask for (their query parameters).
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub source: Option<String>,
    pub tag: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    /// 1-based; 0 is read as 1.
    pub page: u32,
}

/// One page of results.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Number of matches (a lower bound when `total_capped`).
    pub total: u64,
    pub total_capped: bool,
    pub hits: Vec<Hit>,
    /// The page shown, 1-based.
    pub page: u32,
    pub has_more: bool,
    /// The whole query text with zero-hit words corrected, when there was no hit.
    pub suggestion: Option<String>,
    pub facets: Facets,
    /// The filters in force (parameters merged with the text's).
    #[serde(skip)]
    pub filters: Applied,
    /// True when the query had more words than are searched.
    pub truncated: bool,
    /// True when only the newest articles were searched (`rank::bound`: a
    /// phrase of very common words): the page should say so.
    pub recent_only: bool,
}

/// One hit, ready to render: `*_html` fields are escaped HTML with `<mark>`s.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The permalink id.
    pub id: String,
    pub url: String,
    pub title: String,
    pub title_html: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub snippet_html: String,
}

/// Counts of sources and tags among the results, most frequent first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub sources: Vec<FacetCount>,
    pub tags: Vec<FacetCount>,
    /// Counted over the newest `FACET_WINDOW` matches only.
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub name: String,
    /// Normalized name, as filters compare.
    pub key: String,
    pub count: u64,
}

/// Why a search could not run. Messages are for logs; `is_user_error` tells the
/// web layer whether to show the user their mistake (400) or a server error.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("invalid {field} date {value:?} (expected YYYY-MM-DD)")]
    InvalidDate { field: &'static str, value: String },
    #[error("empty date range: from {from} is after to {to}")]
    EmptyDateRange { from: time::Date, to: time::Date },
    #[error("page {page} is past the last page ({max})")]
    PageOutOfRange { page: u32, max: u32 },
    #[error("search failed: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SearchError {
    fn from(err: sqlx::Error) -> Self {
        SearchError::Store(StoreError::Sql(err))
    }
}

impl SearchError {
    /// True for mistakes in the request (bad date, page too far), not failures.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, SearchError::Store(_))
    }
}

/// Runs one search on the read pool.
pub async fn search(db: &Db, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    search_with(db, req, &Limits::default()).await
}

/// [`search`] with other ranking bounds (tests reach the tiered path with them).
pub async fn search_with(
    db: &Db,
    req: &SearchRequest,
    limits: &Limits,
) -> Result<SearchResults, SearchError> {
    let page = req.page.max(1);
    if page > MAX_PAGES {
        return Err(SearchError::PageOutOfRange {
            page,
            max: MAX_PAGES,
        });
    }
    let query = Query::parse(&req.q);
    let filters = filters::merge(
        req.source.as_deref(),
        req.tag.as_deref(),
        req.from.as_deref(),
        req.to.as_deref(),
        &query.filters,
    )?;
    let mut results = SearchResults {
        page,
        truncated: query.truncated,
        ..SearchResults::default()
    };
    let expr = fts::build(&query);
    if expr.is_none() && filters.is_empty() {
        results.filters = filters;
        return Ok(results);
    }
    let mut conn = db.read.acquire().await?;
    let Some(scope) = filters::resolve(&mut conn, &filters).await? else {
        results.filters = filters;
        return Ok(results); // an unknown source or tag: nothing can match
    };
    results.filters = filters;
    let offset = (page - 1) * PAGE_SIZE;
    let ids = match &expr {
        Some(expr) => {
            let conn = (&mut *conn, &*db.group_counts);
            let page = ranked_page(conn, (&query, expr), &scope, offset, limits);
            page.await?.apply(&mut results)
        }
        None => browse_page(&mut conn, &scope, offset, limits, &mut results).await?,
    };
    if results.total == 0 && expr.is_some() {
        results.suggestion = suggest::suggest(&mut conn, &req.q, &query).await?;
    }
    let rows = db::hit_rows(&mut conn, &ids).await?;
    drop(conn);
    let terms = QueryTerms::from_words(&query.positive_words());
    results.hits = rows.into_iter().map(|row| hit(row, &terms)).collect();
    Ok(results)
}

/// What ranking found for one page.
struct RankedPage {
    ranking: rank::Ranking,
    facets: Facets,
    offset: u32,
    recent_only: bool,
}

impl RankedPage {
    /// Fills total, facets and `has_more`; returns the page's ids.
    fn apply(self, results: &mut SearchResults) -> Vec<i64> {
        results.total = self.ranking.total;
        results.total_capped = self.ranking.total_capped;
        results.facets = self.facets;
        results.recent_only = self.recent_only;
        page_of(self.ranking.ids, self.offset, results)
    }
}

async fn ranked_page(
    (conn, counts): (&mut sqlx::SqliteConnection, &db::GroupCounts),
    (query, expr): (&Query, &str),
    scope: &Scope,
    offset: u32,
    limits: &Limits,
) -> Result<RankedPage, SearchError> {
    let want = (offset, PAGE_SIZE + 1);
    let scope = &rank::bound((conn, counts), query, scope, limits).await?;
    let ranking = rank::rank((conn, counts), (query, expr), scope, want, limits).await?;
    let mut facets = Facets::default();
    if ranking.total > 0 {
        let counted = &ranking.newest[..ranking.newest.len().min(FACET_WINDOW as usize)];
        let rows = db::facets(conn, counted, FACET_TOP).await?;
        facets = facets_of(rows, ranking.total > u64::from(FACET_WINDOW));
    }
    Ok(RankedPage {
        ranking,
        facets,
        offset,
        recent_only: scope.since_id.is_some(),
    })
}

/// A search with filters and no words: the filtered articles, newest first.
async fn browse_page(
    conn: &mut sqlx::SqliteConnection,
    scope: &Scope,
    offset: u32,
    limits: &Limits,
    results: &mut SearchResults,
) -> Result<Vec<i64>, SearchError> {
    let cap = limits.count_cap;
    let (ids, total) = db::browse(conn, scope, offset, PAGE_SIZE + 1, cap + 1).await?;
    results.total = total.min(u64::from(cap));
    results.total_capped = total > u64::from(cap);
    Ok(page_of(ids, 0, results))
}

/// `ids[from..]` cut to one page; sets `has_more` if a further hit exists.
fn page_of(ids: Vec<i64>, from: u32, results: &mut SearchResults) -> Vec<i64> {
    let rest: Vec<i64> = ids.into_iter().skip(from as usize).collect();
    results.has_more = rest.len() > PAGE_SIZE as usize && results.page < MAX_PAGES;
    rest.into_iter().take(PAGE_SIZE as usize).collect()
}

fn facets_of(rows: Vec<FacetRow>, partial: bool) -> Facets {
    let mut out = Facets {
        partial,
        ..Facets::default()
    };
    for row in rows {
        let count = FacetCount {
            name: row.name,
            key: row.key,
            count: row.count.max(0) as u64,
        };
        match row.kind.as_str() {
            "source" => out.sources.push(count),
            _ => out.tags.push(count),
        }
    }
    // Most frequent first, then by name (a compound query's parts keep
    // their own order only by custom, not by guarantee).
    for list in [&mut out.sources, &mut out.tags] {
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    }
    out
}

fn hit(row: HitRow, terms: &QueryTerms) -> Hit {
    Hit {
        url: urls::article(&row.permalink, &row.slug),
        title_html: arabic::highlight(&row.title, terms),
        snippet_html: arabic::snippet(&row.body, terms, SNIPPET_CHARS),
        id: row.permalink,
        title: row.title,
        source: row.source,
        published: row.published,
    }
}
