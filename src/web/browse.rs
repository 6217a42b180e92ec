//! Browsing pages: the home page (latest articles), the source and tag
//! indexes, and one source's or tag's articles with their date histogram.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::arabic;
use crate::arabic::numbers::count;
use crate::store::lists::{self, Named, Scope};
use crate::store::names::NameTable;
use crate::store::periods::Counted;
use crate::urls;
use crate::web::error::AppError;

use super::AppState;
use super::cards::{Listing, PAGE_SIZE, PageQuery};
use super::extract::{Path, Query};
use super::histogram::{Histogram, Period, PeriodQuery};
use super::layout::Layout;
use super::nouns;
use super::render::Page;
use super::story_cards::story_cards;

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub listing: Listing,
}

pub async fn home(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let page = story_cards(&mut conn, &Scope::All, &q.direction(), PAGE_SIZE).await?;
    drop(conn);
    let layout = Layout::new(&state, "/", "home").await?;
    Ok(Page(HomePage {
        listing: Listing::new(&page, "/", layout.digits),
        layout,
    })
    .into_response())
}

/// A source's or a tag's page: its name, how its articles spread over
/// time, and its articles (of one year or month, when one is chosen).
#[derive(Template)]
#[template(path = "named.html")]
pub struct NamedPage {
    pub layout: Layout,
    /// `source` or `tag`.
    pub kind: &'static str,
    pub name: String,
    /// `1,204 مقال`.
    pub count: String,
    /// Its Atom feed.
    pub feed: String,
    pub histogram: Histogram,
    /// `المقالات في يوليو 2025 (12 مقالًا)`, when the list is narrowed.
    pub narrowed: Option<String>,
    pub listing: Listing,
}

pub async fn source(
    state: State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    Query(p): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    named(state, Kind::Source, name, q, p).await
}

pub async fn tag(
    state: State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    Query(p): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    named(state, Kind::Tag, name, q, p).await
}

/// Which kind of name a page or feed is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Source,
    Tag,
}

impl Kind {
    /// The source or tag called `name` (any spelling of it).
    pub async fn find(self, conn: &mut crate::store::Conn, name: &str) -> Result<Named, AppError> {
        let key = arabic::normalize(name);
        let found = match self {
            Kind::Source => lists::source_by_key(conn, &key).await?,
            Kind::Tag => lists::tag_by_key(conn, &key).await?,
        };
        found.ok_or(AppError::NotFound)
    }

    /// Its page's path (`/tags/…`).
    pub fn path(self, name: &str) -> String {
        match self {
            Kind::Source => urls::source(name),
            Kind::Tag => urls::tag(name),
        }
    }

    pub fn scope(self, id: i64) -> Scope {
        match self {
            Kind::Source => Scope::Source(id),
            Kind::Tag => Scope::Tag(id),
        }
    }

    fn counted(self, id: i64) -> Counted {
        match self {
            Kind::Source => Counted::Source(id),
            Kind::Tag => Counted::Tag(id),
        }
    }
}

async fn named(
    State(state): State<AppState>,
    kind: Kind,
    name: String,
    q: PageQuery,
    p: PeriodQuery,
) -> Result<Response, AppError> {
    let period = Period::parse(&p)?;
    let mut conn = state.db.read.acquire().await?;
    let found = kind.find(&mut conn, &name).await?;
    let path = kind.path(&found.name);
    let here = period.url(&path);
    // Another spelling of the same name: send readers to the one URL.
    if found.name != name {
        return Ok(super::moved_permanently(&here));
    }
    let counted = kind.counted(found.id);
    let years = state.periods.years(&mut conn, counted).await?;
    let months = match period.year {
        Some(year) => state.periods.months(&mut conn, counted, year).await?,
        None => Vec::new(),
    };
    let scope = match period.range() {
        Some((from, to)) => kind.scope(found.id).within(from, to),
        None => kind.scope(found.id),
    };
    let page = story_cards(&mut conn, &scope, &q.direction(), PAGE_SIZE).await?;
    drop(conn);
    let section = match kind {
        Kind::Source => "sources",
        Kind::Tag => "tags",
    };
    let layout = Layout::new(&state, &here, section).await?;
    let digits = layout.digits;
    let in_period = match (period.year, period.month) {
        (Some(_), Some(m)) => months.iter().find(|c| c.0 == m).map(|c| c.1),
        (Some(y), None) => years.iter().find(|c| c.0 == y).map(|c| c.1),
        _ => None,
    };
    let page_view = NamedPage {
        kind: match kind {
            Kind::Source => "source",
            Kind::Tag => "tag",
        },
        feed: format!("{path}/feed.xml"),
        histogram: Histogram::new(&years, &months, period, |p| p.url(&path), digits),
        narrowed: period.label(digits).map(|label| {
            let n = count(
                in_period.unwrap_or(0).max(0) as u64,
                &nouns::ARTICLES,
                digits,
            );
            format!("المقالات في {label} ({n})")
        }),
        count: count(found.article_count.max(0) as u64, &nouns::ARTICLES, digits),
        name: found.name,
        listing: Listing::new(&page, &here, digits),
        layout,
    };
    Ok(Page(page_view).into_response())
}

/// The index of all sources or all tags, with counts.
#[derive(Template)]
#[template(path = "names.html")]
pub struct NamesPage {
    pub layout: Layout,
    /// `sources` or `tags`.
    pub kind: &'static str,
    pub names: Vec<(String, String, i64)>,
    pub more: Option<String>,
}

/// Names per index page: enough for a long scroll, bounded for huge archives.
const NAMES_PER_PAGE: i64 = 200;

#[derive(Debug, Default, Deserialize)]
pub struct NamesQuery {
    /// `<count>~<id>` of the last name of the previous page.
    pub after: Option<String>,
}

impl NamesQuery {
    fn after(&self) -> Option<(i64, i64)> {
        let (count, id) = self.after.as_deref()?.split_once('~')?;
        Some((count.parse().ok()?, id.parse().ok()?))
    }
}

pub async fn sources(
    state: State<AppState>,
    Query(q): Query<NamesQuery>,
) -> Result<Response, AppError> {
    names(state, "sources", q).await
}

pub async fn tags(
    state: State<AppState>,
    Query(q): Query<NamesQuery>,
) -> Result<Response, AppError> {
    names(state, "tags", q).await
}

async fn names(
    State(state): State<AppState>,
    kind: &'static str,
    q: NamesQuery,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let table = if kind == "sources" {
        NameTable::Sources
    } else {
        NameTable::Tags
    };
    let rows: Vec<Named> = lists::names(&mut conn, table, q.after(), NAMES_PER_PAGE + 1).await?;
    drop(conn);
    let more = (rows.len() as i64 > NAMES_PER_PAGE).then(|| {
        let last = &rows[NAMES_PER_PAGE as usize - 1];
        format!("/{kind}?after={}~{}", last.article_count, last.id)
    });
    let link = if kind == "sources" {
        urls::source
    } else {
        urls::tag
    };
    let names = rows
        .iter()
        .take(NAMES_PER_PAGE as usize)
        .map(|n| (link(&n.name), n.name.clone(), n.article_count))
        .collect();
    let layout = Layout::new(&state, &format!("/{kind}"), kind).await?;
    Ok(Page(NamesPage {
        layout,
        kind,
        names,
        more,
    })
    .into_response())
}
