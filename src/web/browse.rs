//! Browsing pages: the home page (latest articles), the source and tag
//! indexes, and one source's or tag's articles.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::arabic;
use crate::store::lists::{self, Named, Scope};
use crate::store::names::NameTable;
use crate::urls;
use crate::web::error::AppError;

use super::AppState;
use super::cards::{Listing, PAGE_SIZE, PageQuery};
use super::extract::{Path, Query};
use super::layout::Layout;
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
        layout,
        listing: Listing::new(&page, "/"),
    })
    .into_response())
}

/// A source's or a tag's page: its name and its articles.
#[derive(Template)]
#[template(path = "named.html")]
pub struct NamedPage {
    pub layout: Layout,
    /// `source` or `tag`.
    pub kind: &'static str,
    pub name: String,
    pub count: i64,
    pub feed: String,
    pub listing: Listing,
}

pub async fn source(
    state: State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    named(state, Kind::Source, name, q).await
}

pub async fn tag(
    state: State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    named(state, Kind::Tag, name, q).await
}

#[derive(Clone, Copy)]
enum Kind {
    Source,
    Tag,
}

async fn named(
    State(state): State<AppState>,
    kind: Kind,
    name: String,
    q: PageQuery,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let key = arabic::normalize(&name);
    let found = match kind {
        Kind::Source => lists::source_by_key(&mut conn, &key).await?,
        Kind::Tag => lists::tag_by_key(&mut conn, &key).await?,
    };
    let found = found.ok_or(AppError::NotFound)?;
    let (path, scope, kind_name, feed) = match kind {
        Kind::Source => (
            urls::source(&found.name),
            Scope::Source(found.id),
            "source",
            "source",
        ),
        Kind::Tag => (urls::tag(&found.name), Scope::Tag(found.id), "tag", "tag"),
    };
    // Another spelling of the same name: send readers to the one URL.
    if found.name != name {
        return Ok(super::moved_permanently(&path));
    }
    let page = story_cards(&mut conn, &scope, &q.direction(), PAGE_SIZE).await?;
    drop(conn);
    let section = if matches!(kind, Kind::Source) {
        "sources"
    } else {
        "tags"
    };
    let page_view = NamedPage {
        layout: Layout::new(&state, &path, section).await?,
        kind: kind_name,
        feed: format!("/feed.xml?{feed}={}", urls::query_value(&found.name)),
        name: found.name,
        count: found.article_count,
        listing: Listing::new(&page, &path),
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
