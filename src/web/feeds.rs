//! Feeds and housekeeping for machines: `/feed.xml` and each source's and
//! tag's `…/feed.xml` (Atom, answered conditionally; the old `?source=` /
//! `?tag=` forms redirect), `/sitemap.xml` (an index of sitemap pages),
//! `/robots.txt`.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::store;
use crate::store::lists::{self, Direction, Scope};
use crate::urls;
use crate::web::error::AppError;

use super::AppState;
use super::browse::Kind;
use super::conditional::Versioned;
use super::extract::{Path, Query};
use super::format;

/// Entries in a feed.
const FEED_ENTRIES: i64 = 50;
/// Articles per sitemap page (the protocol allows 50,000).
const SITEMAP_PAGE: i64 = 10_000;

/// The old per-name feed parameters (`/feed.xml?tag=…`), answered with a
/// redirect to the name's own feed.
#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    pub source: Option<String>,
    pub tag: Option<String>,
}

pub struct FeedEntry {
    pub url: String,
    pub title: String,
    pub updated: String,
    pub published: Option<String>,
    pub author: Option<String>,
    pub summary: String,
    /// `text`, or `html` when `summary` is HTML (a search's highlights).
    pub summary_type: &'static str,
}

#[derive(Template)]
#[template(path = "feed.xml")]
pub struct Feed {
    pub title: String,
    pub self_url: String,
    /// The HTML page the feed follows.
    pub site_url: String,
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

/// `/feed.xml`: the newest articles of the whole archive.
pub async fn feed(
    State(state): State<AppState>,
    Query(q): Query<FeedQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let named = match (q.source, q.tag) {
        (Some(name), _) => Some((Kind::Source, name)),
        (None, Some(name)) => Some((Kind::Tag, name)),
        (None, None) => None,
    };
    if let Some((kind, name)) = named {
        let found = kind
            .find(&mut *state.db.read.acquire().await?, &name)
            .await?;
        return Ok(super::moved_permanently(&format!(
            "{}/feed.xml",
            kind.path(&found.name)
        )));
    }
    let title = "أرشيف: أحدث المقالات".to_owned();
    atom(&state, &Scope::All, title, "/feed.xml", "/", &headers).await
}

/// `/sources/{source}/feed.xml`.
pub async fn source_feed(
    state: State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    named_feed(state, Kind::Source, name, headers).await
}

/// `/tags/{tag}/feed.xml`.
pub async fn tag_feed(
    state: State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    named_feed(state, Kind::Tag, name, headers).await
}

async fn named_feed(
    State(state): State<AppState>,
    kind: Kind,
    name: String,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let found = kind
        .find(&mut *state.db.read.acquire().await?, &name)
        .await?;
    let page = kind.path(&found.name);
    let self_path = format!("{page}/feed.xml");
    if found.name != name {
        return Ok(super::moved_permanently(&self_path));
    }
    let title = format!("أرشيف: {}", found.name);
    atom(
        &state,
        &kind.scope(found.id),
        title,
        &self_path,
        &page,
        &headers,
    )
    .await
}

/// The Atom feed of the newest [`FEED_ENTRIES`] articles of `scope`,
/// answered conditionally (`ETag`, `Last-Modified`, `304`).
pub async fn atom(
    state: &AppState,
    scope: &Scope,
    title: String,
    self_path: &str,
    page_path: &str,
    request: &HeaderMap,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let page = lists::cards(&mut conn, scope, &Direction::First, FEED_ENTRIES).await?;
    let ids: Vec<i64> = page.cards.iter().map(|c| c.id).collect();
    let last_change = store::feeds::last_updated(&mut conn, &ids).await?;
    drop(conn);
    let entries: Vec<FeedEntry> = page
        .cards
        .iter()
        .map(|c| FeedEntry {
            url: state
                .site
                .absolute(&urls::article_encoded(&c.permalink, &c.slug)),
            title: xml_text(&c.title),
            updated: c
                .published
                .as_deref()
                .map(format::feed_time)
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned()),
            published: c.published.as_deref().map(format::feed_time),
            author: c.source.as_deref().map(xml_text),
            summary: xml_text(&format::excerpt(
                c.lead.lines().next().unwrap_or_default(),
                300,
            )),
            summary_type: "text",
        })
        .collect();
    let feed = Feed {
        updated: String::new(),
        title: xml_text(&title),
        self_url: state.site.absolute(self_path),
        site_url: state.site.absolute(page_path),
        entries,
    };
    respond(feed, last_change.as_deref(), request)
}

/// The rendered feed (its `updated` the newest entry's), answered
/// conditionally; `last_change` is when its entries last changed.
pub fn respond(
    mut feed: Feed,
    last_change: Option<&str>,
    request: &HeaderMap,
) -> Result<Response, AppError> {
    feed.updated = feed
        .entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    let versioned = Versioned {
        body: feed.render()?,
        content_type: ATOM,
        last_modified: last_change.and_then(system_time),
    };
    Ok(versioned.respond(request))
}

/// The Atom media type.
pub const ATOM: &str = "application/atom+xml; charset=utf-8";

fn system_time(rfc3339: &str) -> Option<std::time::SystemTime> {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(Into::into)
}

#[derive(Template)]
#[template(path = "sitemap_index.xml")]
pub struct SitemapIndex {
    pub sitemaps: Vec<String>,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
pub struct Sitemap {
    /// (absolute URL, last modified date).
    pub urls: Vec<(String, Option<String>)>,
}

pub async fn sitemap_index(State(state): State<AppState>) -> Result<Response, AppError> {
    let highest = lists::highest_id(&mut *state.db.read.acquire().await?).await?;
    let pages = (highest + SITEMAP_PAGE - 1) / SITEMAP_PAGE;
    let sitemaps = std::iter::once(state.site.absolute("/sitemap/pages.xml"))
        .chain((1..=pages).map(|n| state.site.absolute(&format!("/sitemap/{n}.xml"))))
        .collect();
    xml(
        SitemapIndex { sitemaps }.render()?,
        "application/xml; charset=utf-8",
    )
}

pub async fn sitemap(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let urls = if file == "pages.xml" {
        ["/", "/sources", "/tags", "/archive"]
            .iter()
            .map(|p| (state.site.absolute(p), None))
            .collect()
    } else {
        let (first, last) = file
            .strip_suffix(".xml")
            .and_then(|n| n.parse().ok())
            .and_then(sitemap_rows)
            .ok_or(AppError::NotFound)?;
        let mut conn = state.db.read.acquire().await?;
        let rows = lists::permalinks(&mut conn, first, last).await?;
        // A page the index names stays, empty, when takedowns emptied it.
        if rows.is_empty() && lists::highest_id(&mut conn).await? < first {
            return Err(AppError::NotFound);
        }
        rows.into_iter()
            .map(|(permalink, slug, updated)| {
                (
                    xml_text(
                        &state
                            .site
                            .absolute(&urls::article_encoded(&permalink, &slug)),
                    ),
                    updated.get(..10).map(xml_text),
                )
            })
            .collect()
    };
    xml(Sitemap { urls }.render()?, "application/xml; charset=utf-8")
}

/// The first and last row number of sitemap page `n` (1-based), or
/// `None` when `n` is not a page number any archive could have.
fn sitemap_rows(n: i64) -> Option<(i64, i64)> {
    let last = n.checked_mul(SITEMAP_PAGE).filter(|_| n > 0)?;
    Some((last - SITEMAP_PAGE + 1, last))
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /upload\nDisallow: /login\nDisallow: /imports\nDisallow: /api/\n\nSitemap: {}\n",
        state.site.absolute("/sitemap.xml")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// Stored text as XML may carry it: the parser drops the characters XML
/// 1.0 forbids, but articles stored before it did may still hold some,
/// and one of them would make the whole feed unreadable.
pub fn xml_text(text: &str) -> String {
    crate::dump::controls::cleaned(text).into_owned()
}

fn xml(body: String, content_type: &'static str) -> Result<Response, AppError> {
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_page_numbers_that_would_wrap_are_no_page() {
        assert_eq!(sitemap_rows(1), Some((1, SITEMAP_PAGE)));
        assert_eq!(sitemap_rows(2), Some((SITEMAP_PAGE + 1, 2 * SITEMAP_PAGE)));
        assert_eq!(sitemap_rows(0), None);
        assert_eq!(sitemap_rows(-3), None);
        assert_eq!(sitemap_rows(922_337_203_685_477_581), None);
        assert_eq!(sitemap_rows(i64::MAX), None);
    }
}
