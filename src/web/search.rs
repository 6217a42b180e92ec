//! `/search` (the results page, with filters, facets and the matches' date
//! histogram) and `/api/search` (the same as JSON). The engine is
//! `crate::search`; this only reads the parameters and shows what it found.
//! The same parameters make the search's feed (`search_feed.rs`).

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::arabic::numbers::{Digits, count, number};
use crate::search::{self, FacetCount, SearchError, SearchRequest, SearchResults};
use crate::urls;
use crate::web::error::{ApiError, AppError};

use super::AppState;
use super::extract::Query;
use super::histogram::{Histogram, Period, PeriodQuery};
use super::layout::Layout;
use super::render::Page;
use super::{format, nouns};

/// The query parameters of both routes.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub source: Option<String>,
    pub tag: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// A histogram bar's year, and month of that year.
    pub year: Option<String>,
    pub month: Option<String>,
    pub page: Option<u32>,
    /// `new`: newest first instead of by relevance.
    pub sort: Option<String>,
}

impl SearchParams {
    /// The engine's request; a malformed year or month is a bad request.
    pub fn request(&self) -> Result<SearchRequest, AppError> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let period = Period::parse(&PeriodQuery {
            year: self.year.clone(),
            month: self.month.clone(),
        })?;
        Ok(SearchRequest {
            q: self.q.trim().to_owned(),
            source: given(&self.source),
            tag: given(&self.tag),
            from: given(&self.from),
            to: given(&self.to),
            period,
            page: self.page.unwrap_or(1),
            per_page: 0,
            order: if self.newest() {
                search::Order::Newest
            } else {
                search::Order::Relevance
            },
        })
    }

    fn newest(&self) -> bool {
        self.sort.as_deref() == Some("new")
    }

    /// `/search?…` with these parameters, `change` applied.
    fn url(&self, change: impl FnOnce(&mut SearchParams)) -> String {
        self.url_at("/search", change)
    }

    /// `path?…` with these parameters, `change` applied (the search's
    /// feed takes the same ones).
    pub fn url_at(&self, path: &str, change: impl FnOnce(&mut SearchParams)) -> String {
        let mut p = self.clone();
        change(&mut p);
        let mut pairs = vec![("q", p.q.clone())];
        for (name, value) in [
            ("source", &p.source),
            ("tag", &p.tag),
            ("from", &p.from),
            ("to", &p.to),
            ("year", &p.year),
            ("month", &p.month),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                pairs.push((name, v.to_owned()));
            }
        }
        if let Some(sort) = p.sort.as_deref().filter(|s| *s == "new") {
            pairs.push(("sort", sort.to_owned()));
        }
        if let Some(page) = p.page.filter(|&n| n > 1) {
            pairs.push(("page", page.to_string()));
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", urls::query_value(v)))
            .collect();
        format!("{path}?{}", query.join("&"))
    }

    /// The page narrowed to `period` (back on its first page).
    fn in_period(&self, period: Period) -> String {
        self.url(|p| {
            p.year = period.year.map(|y| y.to_string());
            p.month = period.month.map(|m| m.to_string());
            p.page = None;
        })
    }
}

/// One hit as the page shows it.
pub struct HitView {
    pub url: String,
    pub title_html: String,
    pub source: Option<String>,
    pub date_iso: Option<String>,
    pub date_text: Option<String>,
    pub hijri_text: Option<String>,
    pub snippet_html: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub params: SearchParams,
    pub searched: bool,
    /// Some filter was asked for (the filters panel opens).
    pub has_filters: bool,
    /// "3 نتائج", "نتيجتان"…
    pub count_text: String,
    pub results: SearchResults,
    pub hits: Vec<HitView>,
    /// (link, name, count) of facets that narrow the results.
    pub source_facets: Vec<(String, String, u64)>,
    pub tag_facets: Vec<(String, String, u64)>,
    pub suggestion: Option<(String, String)>,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub error: Option<String>,
    /// The matches per year (and per month of a chosen year).
    pub histogram: Histogram,
    /// `يوليو 2025` when a bar narrowed the results.
    pub period_label: Option<String>,
    /// This search as an Atom feed.
    pub feed_url: String,
    /// (by relevance, newest first) links, when there are words to rank by.
    pub sort_links: Option<(String, String)>,
    pub newest: bool,
}

pub async fn page(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let request = params.request()?;
    let outcome = search::search(&state.search, &request).await;
    let (results, error) = match outcome {
        Ok(results) => (results, None),
        Err(err) if err.is_user_error() => (
            SearchResults::default(),
            Some(user_message(&err, state.config.digits)),
        ),
        Err(SearchError::Store(err)) => return Err(err.into()),
        Err(err) => return Err(AppError::internal("search", err)),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let layout = Layout::new(&state, &params.url(|_| {}), "search")
        .await?
        .with_query(&params.q);
    let has_filters = request.source.is_some()
        || request.tag.is_some()
        || request.from.is_some()
        || request.to.is_some();
    let digits = layout.digits;
    let view = SearchPage {
        histogram: histogram(&params, &results, request.period, digits),
        period_label: request.period.label(digits),
        feed_url: params.url_at("/search.xml", |p| {
            p.page = None;
            p.sort = None;
        }),
        sort_links: (!request.q.is_empty() && results.total > 1).then(|| {
            (
                params.url(|p| (p.sort, p.page) = (None, None)),
                params.url(|p| (p.sort, p.page) = (Some("new".into()), None)),
            )
        }),
        newest: params.newest(),
        has_filters,
        count_text: count(results.total, &nouns::RESULTS, layout.digits),
        searched: !request.q.is_empty() || has_filters,
        hits: results
            .hits
            .iter()
            .map(|h| hit_view(h, layout.digits))
            .collect(),
        source_facets: facets(&params, &results.facets.sources, |p, name| {
            p.source = Some(name)
        }),
        tag_facets: facets(&params, &results.facets.tags, |p, name| p.tag = Some(name)),
        suggestion: results.suggestion.clone().map(|s| {
            (
                params.url(|p| {
                    p.q = s.clone();
                    p.page = None;
                }),
                s,
            )
        }),
        newer: (results.page > 1).then(|| params.url(|p| p.page = Some(results.page - 1))),
        older: results
            .has_more
            .then(|| params.url(|p| p.page = Some(results.page + 1))),
        layout,
        params,
        results,
        error,
    };
    Ok((status, Page(view)).into_response())
}

/// The bars of the matches' years (and the chosen year's months).
fn histogram(
    params: &SearchParams,
    results: &SearchResults,
    period: Period,
    digits: Digits,
) -> Histogram {
    let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let years: Vec<(i32, i64)> = results.years.iter().map(|&(y, n)| (y, signed(n))).collect();
    let months: Vec<(u8, i64)> = results
        .months
        .iter()
        .map(|&(m, n)| (m, signed(n)))
        .collect();
    Histogram::new(&years, &months, period, |p| params.in_period(p), digits)
}

fn hit_view(hit: &search::Hit, digits: Digits) -> HitView {
    let date = hit.published.as_deref().and_then(format::parse_date);
    HitView {
        url: hit.url.clone(),
        title_html: hit.title_html.clone(),
        source: hit.source.clone(),
        date_iso: hit.published.clone(),
        date_text: date.map(|d| format::date_short(d, digits)),
        hijri_text: date.map(|d| format::hijri_date(d, digits)),
        snippet_html: hit.snippet_html.clone(),
    }
}

fn facets(
    params: &SearchParams,
    counts: &[FacetCount],
    set: impl Fn(&mut SearchParams, String),
) -> Vec<(String, String, u64)> {
    counts
        .iter()
        .map(|f| {
            (
                params.url(|p| {
                    set(p, f.name.clone());
                    p.page = None;
                }),
                f.name.clone(),
                f.count,
            )
        })
        .collect()
}

/// What the reader is told about a request the engine refused.
pub(super) fn user_message(err: &SearchError, digits: Digits) -> String {
    match err {
        SearchError::InvalidDate { value, .. } => {
            format!("التاريخ «{value}» غير مفهوم: اكتبه بالصيغة 2025-07-13.")
        }
        SearchError::EmptyDateRange { .. } => {
            "تاريخ البداية بعد تاريخ النهاية: لا شيء بينهما.".to_owned()
        }
        SearchError::PageOutOfRange { max, .. } => {
            let max = number(u64::from(*max), digits);
            format!("آخر صفحة لهذه النتائج هي الصفحة {max}.")
        }
        SearchError::Store(_) | SearchError::Index(_) => "تعذّر البحث الآن.".to_owned(),
    }
}

/// `GET /api/search`: the documented shape, plus paging facts.
pub async fn api(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let request = params.request()?;
    let results = match search::search(&state.search, &request).await {
        Ok(results) => results,
        Err(err) if err.is_user_error() => return Err(AppError::BadRequest(err.to_string()).into()),
        Err(SearchError::Store(err)) => return Err(err.into()),
        Err(err) => return Err(AppError::internal("search", err).into()),
    };
    let hits: Vec<serde_json::Value> = results
        .hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "id": h.id, "url": h.url, "title": h.title, "source": h.source,
                "published": h.published, "snippet": h.snippet_html,
            })
        })
        .collect();
    let years: Vec<serde_json::Value> = results
        .years
        .iter()
        .map(|(year, count)| serde_json::json!({"year": year, "count": count}))
        .collect();
    // `total_capped`: `total` (and the years' and months' counts) are
    // estimates (more than `search::COUNT_CAP` matches); `total_kind` says
    // the same in words.
    let mut body = serde_json::json!({
        "total": results.total,
        "total_capped": results.total_capped,
        "total_kind": if results.total_capped { "estimate" } else { "exact" },
        "page": results.page,
        "has_more": results.has_more,
        "suggestion": results.suggestion,
        "hits": hits,
        "years": years,
    });
    if request.period.year.is_some() {
        body["months"] = results
            .months
            .iter()
            .map(|(month, count)| serde_json::json!({"month": month, "count": count}))
            .collect();
    }
    Ok(Json(body).into_response())
}
