//! `/search.xml?…`: a search as an Atom feed a reader can follow. It takes
//! the search page's parameters and lists the newest [`FEED_ENTRIES`]
//! matches, newest first whatever the page's sort, with their highlighted
//! snippets; answered conditionally like every feed (`feeds::respond`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::arabic::numbers::Digits;
use crate::search::{self, Order, SearchError};
use crate::store;
use crate::urls;
use crate::web::error::AppError;

use super::AppState;
use super::extract::Query;
use super::feeds::{self, Feed, FeedEntry, xml_text};
use super::format;
use super::search::{SearchParams, user_message};

/// Entries in a search's feed.
const FEED_ENTRIES: u32 = 50;

pub async fn feed(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let mut request = params.request()?;
    request.order = Order::Newest;
    request.page = 1;
    request.per_page = FEED_ENTRIES;
    let results = match search::search(&state.search, &request).await {
        Ok(results) => results,
        Err(err) if err.is_user_error() => {
            return Err(AppError::BadRequest(user_message(&err, Digits::Latn)));
        }
        Err(SearchError::Store(err)) => return Err(err.into()),
        Err(err) => return Err(AppError::internal("search", err)),
    };
    let ids: Vec<i64> = results.hits.iter().map(|h| h.article_id).collect();
    let last_change =
        store::feeds::last_updated(&mut *state.db.read.acquire().await?, &ids).await?;
    let entries = results
        .hits
        .iter()
        .map(|hit| FeedEntry {
            url: state
                .site
                .absolute(&urls::article_encoded(&hit.id, &hit.slug)),
            title: xml_text(&hit.title),
            updated: hit
                .published
                .as_deref()
                .map(format::feed_time)
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned()),
            published: hit.published.as_deref().map(format::feed_time),
            author: hit.source.as_deref().map(xml_text),
            summary: xml_text(&hit.snippet_html),
            summary_type: "html",
        })
        .collect();
    let unpaged = |p: &mut SearchParams| (p.page, p.sort) = (None, None);
    let feed = Feed {
        title: xml_text(&title(&params)),
        self_url: state.site.absolute(&params.url_at("/search.xml", unpaged)),
        site_url: state.site.absolute(&params.url_at("/search", unpaged)),
        updated: String::new(),
        entries,
    };
    feeds::respond(feed, last_change.as_deref(), &headers)
}

/// `أرشيف: البحث عن «سد النهضة» · الوسم: مصر`: the words, then the filters
/// the parameters add (those typed in the words are in the words).
fn title(params: &SearchParams) -> String {
    let mut parts = Vec::new();
    let q = params.q.trim();
    if !q.is_empty() {
        parts.push(format!("البحث عن «{q}»"));
    }
    for (label, value) in [
        ("المصدر", &params.source),
        ("الوسم", &params.tag),
        ("من", &params.from),
        ("إلى", &params.to),
        ("السنة", &params.year),
        ("الشهر", &params.month),
    ] {
        if let Some(v) = given(value) {
            parts.push(format!("{label}: {v}"));
        }
    }
    if parts.is_empty() {
        "أرشيف: البحث".to_owned()
    } else {
        format!("أرشيف: {}", parts.join(" · "))
    }
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_words_and_the_filters() {
        let params = SearchParams {
            q: " سد النهضة ".into(),
            tag: Some("مصر".into()),
            source: Some(" ".into()),
            year: Some("2025".into()),
            ..SearchParams::default()
        };
        assert_eq!(
            title(&params),
            "أرشيف: البحث عن «سد النهضة» · الوسم: مصر · السنة: 2025"
        );
        assert_eq!(title(&SearchParams::default()), "أرشيف: البحث");
    }
}
