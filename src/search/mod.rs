//! The search engine: a query string and filters in, one page of ranked hits with
//! highlighted titles and snippets out (`/search` and `/api/search` sit on
//! [`search`]). Query text goes through the Arabic analyzer only (query.rs),
//! becomes an index query (plan.rs) over the tantivy index (index/), which
//! counts, facets and ranks every match; hits are read from the database and
//! highlighted on their original text by the analyzer.

pub mod filters;
pub mod index;
pub mod plan;
pub mod query;
pub mod suggest;

use serde::Serialize;

use crate::arabic::{self, QueryTerms};
use crate::store::StoreError;
use crate::store::search::{self as db, HitRow, NameRow};
use crate::urls;
use filters::Scope;

pub use filters::{Applied, Period};
pub use index::{COUNT_CAP, IndexError, Order};
pub use query::Query;

/// Hits per page.
pub const PAGE_SIZE: u32 = 20;
/// Characters of body around the matches in a snippet.
pub const SNIPPET_CHARS: usize = 240;
/// Sources and tags listed as facets.
pub const FACET_TOP: usize = 10;

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
    /// The year (and month) the results are narrowed to; the histogram's
    /// years and the year's months are counted without it.
    pub period: Period,
    /// 1-based; 0 is read as 1.
    pub page: u32,
    /// Hits per page; 0 is [`PAGE_SIZE`].
    pub per_page: u32,
    /// Relevance (the default) or newest first; filters without words
    /// always list newest first.
    pub order: Order,
}

/// One page of results.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Number of matches: exact up to [`COUNT_CAP`], an estimate past it.
    pub total: u64,
    /// `total` (and the facet counts) are estimates: more than [`COUNT_CAP`]
    /// matches (the API's `total_capped`; pages say "about").
    pub total_capped: bool,
    pub hits: Vec<Hit>,
    /// The page shown, 1-based.
    pub page: u32,
    pub has_more: bool,
    /// The whole query text with zero-hit words corrected, when there was no hit.
    pub suggestion: Option<String>,
    pub facets: Facets,
    /// (year, matches) of the dated matches, all years, period or not
    /// (estimates when `total_capped`), oldest first.
    pub years: Vec<(i32, u64)>,
    /// (month, matches) of the period's year, when one is chosen.
    pub months: Vec<(u8, u64)>,
    /// The filters in force (parameters merged with the text's).
    #[serde(skip)]
    pub filters: Applied,
    /// True when the query had more words than are searched.
    pub truncated: bool,
}

/// One hit, ready to render: `*_html` fields are escaped HTML with `<mark>`s.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The permalink id.
    pub id: String,
    /// The database id (a feed's `Last-Modified` reads it).
    #[serde(skip)]
    pub article_id: i64,
    /// The permalink's slug (feeds write the URL percent-encoded).
    #[serde(skip)]
    pub slug: String,
    pub url: String,
    pub title: String,
    pub title_html: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub snippet_html: String,
}

/// One page of `query` within `scope` from the index, with its counts
/// (CPU work: run off the async workers).
fn find(
    index: &index::SearchIndex,
    query: &Query,
    scope: &Scope,
    order: Order,
    window: (usize, usize),
) -> Result<index::Found, IndexError> {
    let common = index.common();
    let on = (index.fields(), &*common);
    let (Some(shown), Some(walked)) = (
        plan::build(query, scope, on),
        plan::matching(query, &scope.without_period(), on),
    ) else {
        return Ok(index::Found::default());
    };
    let walk = index::Walk {
        query: &*walked,
        period: scope.period,
    };
    // The words alone, when a page by relevance has the period as its
    // only filter.
    let words = (order == Order::Relevance
        && scope.period.is_some()
        && scope.without_period() == Scope::default())
    .then(|| plan::build(query, &Scope::default(), on))
    .flatten();
    let ranked = index::Ranked {
        query: &*shown,
        without_period: words.as_deref(),
    };
    index.find((ranked, &walk), order, window, FACET_TOP)
}

/// Counts of sources and tags among the results, most frequent first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub sources: Vec<FacetCount>,
    pub tags: Vec<FacetCount>,
    /// The counts are estimates (more than `index::FACET_EXACT` matches).
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
    #[error("search failed: {0}")]
    Index(#[from] IndexError),
}

impl From<sqlx::Error> for SearchError {
    fn from(err: sqlx::Error) -> Self {
        SearchError::Store(StoreError::Sql(err))
    }
}

impl SearchError {
    /// True for mistakes in the request (bad date, page too far), not failures.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, SearchError::Store(_) | SearchError::Index(_))
    }
}

/// Runs one search: filters resolved on the read pool, the index queried off
/// the async workers, the shown hits read back and highlighted.
pub async fn search(slot: &index::Slot, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    let db = slot.db();
    let page = req.page.max(1);
    let per_page = Some(req.per_page).filter(|&n| n > 0).unwrap_or(PAGE_SIZE);
    let query = Query::parse(&req.q);
    let filters = filters::merge(
        req.source.as_deref(),
        req.tag.as_deref(),
        (req.from.as_deref(), req.to.as_deref()),
        req.period,
        &query.filters,
    )?;
    let mut results = SearchResults {
        page,
        truncated: query.truncated,
        ..SearchResults::default()
    };
    if query.is_empty() && filters.is_empty() {
        results.filters = filters;
        return Ok(results);
    }
    let mut conn = db.read.acquire().await?;
    let scope = filters::resolve(&mut conn, &filters).await?;
    results.filters = filters;
    let Some(scope) = scope else {
        return Ok(results); // an unknown source or tag: nothing can match
    };
    let index = index::of(slot).await?;
    let order = if query.is_empty() {
        Order::Newest
    } else {
        req.order
    };
    let offset = (page - 1) as usize * per_page as usize;
    let found = {
        let (index, query) = (index.clone(), query.clone());
        let window = (offset, per_page as usize + 1);
        tokio::task::spawn_blocking(move || find(&index, &query, &scope, order, window))
            .await
            .map_err(|e| IndexError::Worker(e.to_string()))??
    };
    let last_page = found.tally.total.div_ceil(u64::from(per_page)).max(1);
    if found.tally.total > 0 && u64::from(page) > last_page {
        return Err(SearchError::PageOutOfRange {
            page,
            max: u32::try_from(last_page).unwrap_or(u32::MAX),
        });
    }
    results.total = found.tally.total;
    results.total_capped = found.tally.estimated;
    results.has_more = found.ids.len() > per_page as usize;
    let ids: Vec<i64> = found.ids.into_iter().take(per_page as usize).collect();
    results.facets = facets(&mut conn, &found.tally).await?;
    results.years = found.tally.years.clone();
    results.months = found.tally.months.clone();
    if results.total == 0 && !query.is_empty() {
        results.suggestion = suggest::suggest((&index, &mut conn), &req.q, &query).await?;
    }
    let rows = db::hit_rows(&mut conn, &ids).await?;
    drop(conn);
    let terms = QueryTerms::from_words(&query.positive_words());
    results.hits = rows.into_iter().map(|row| hit(row, &terms)).collect();
    Ok(results)
}

/// The facet counts with their names, most frequent first, then by name.
async fn facets(
    conn: &mut crate::store::Conn,
    tally: &index::Tally,
) -> Result<Facets, SearchError> {
    let ids = |counts: &[(i64, u64)]| counts.iter().map(|c| c.0).collect::<Vec<_>>();
    let sources = db::source_names(conn, &ids(&tally.sources)).await?;
    let tags = db::tag_names(conn, &ids(&tally.tags)).await?;
    Ok(Facets {
        sources: named(&tally.sources, sources),
        tags: named(&tally.tags, tags),
        partial: tally.facets_estimated,
    })
}

fn named(counts: &[(i64, u64)], names: Vec<NameRow>) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = names
        .into_iter()
        .filter_map(|n| {
            let count = counts.iter().find(|c| c.0 == n.id)?.1;
            Some(FacetCount {
                name: n.name,
                key: n.key,
                count,
            })
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    out
}

fn hit(row: HitRow, terms: &QueryTerms) -> Hit {
    Hit {
        url: urls::article(&row.permalink, &row.slug),
        title_html: arabic::highlight(&row.title, terms),
        snippet_html: arabic::snippet(&row.body, terms, SNIPPET_CHARS),
        article_id: row.id,
        slug: row.slug,
        id: row.permalink,
        title: row.title,
        source: row.source,
        published: row.published,
    }
}
