//! The article permalink page `/a/{id}/{slug}`: a wrong or missing slug
//! answers 301 to the canonical URL, an unknown id the 404 page. Carries
//! what a shared link needs to unfurl (Open Graph, Twitter card, JSON-LD).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::arabic::numbers::{Digits, count};
use crate::auth::Permission;
use crate::store::browse::{self, ArticleRecord};
use crate::store::captures::{self, Provenance};
use crate::store::lists;
use crate::store::takedowns;
use crate::urls;
use crate::web::error::AppError;

use super::AppState;
use super::auth::CurrentUser;
use super::extract::Path;
use super::format;
use super::layout::Layout;
use super::nouns;
use super::related_links::RelatedGroups;
use super::render::Page;
use super::takedown::gone;

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub layout: Layout,
    pub title: String,
    pub description: String,
    pub paragraphs: Vec<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub other_sources: Vec<(String, String)>,
    pub date_iso: Option<String>,
    pub date_text: Option<String>,
    /// The Hijri (Umm al-Qura) date beside the Gregorian one.
    pub hijri_text: Option<String>,
    pub reading: String,
    pub tags: Vec<(String, String)>,
    pub related: RelatedGroups,
    /// `/stories/{id}` of this article's story, when other sources told it.
    pub story_url: Option<String>,
    /// How many versions the story has, this one included (`3 روايات`).
    pub story_versions: String,
    /// This version was published before the story's others.
    pub story_first: bool,
    pub files: Vec<String>,
    /// Where a saved web page came from: (address, link when it is a web
    /// address, capture date), for "نسخة محفوظة من … في …".
    pub captures: Vec<(String, Option<String>, Option<String>)>,
    pub imported_on: String,
    /// The takedown form's address, shown to a signed-in administrator.
    pub remove_url: Option<String>,
    /// JSON-LD `NewsArticle`, already escaped for a `<script>` element.
    pub json_ld: String,
    /// The permalink as readers share it (Arabic slug, not percent-encoded).
    pub share_url: String,
}

pub async fn show_without_slug(
    state: State<AppState>,
    user: Option<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    render(state, id, None, may_take_down(user)).await
}

pub async fn show(
    state: State<AppState>,
    user: Option<CurrentUser>,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    render(state, id, Some(slug), may_take_down(user)).await
}

/// Whether the page shows the takedown button.
fn may_take_down(user: Option<CurrentUser>) -> bool {
    user.is_some_and(|u| u.can(Permission::TakeDown))
}

async fn render(
    State(state): State<AppState>,
    id: String,
    slug: Option<String>,
    may_remove: bool,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let Some(article) = browse::article(&mut conn, &id).await? else {
        // A taken-down article's permalink says so (410); any other is unknown.
        let stone = takedowns::get(&mut conn, &id).await?;
        let Some(stone) = stone else {
            return Err(AppError::NotFound);
        };
        let mut layout = Layout::bare(&format!("/a/{}", stone.permalink));
        layout.digits = state.config.digits;
        return Ok(gone(stone, layout));
    };
    let path = urls::article_encoded(&article.permalink, &article.slug);
    if slug.as_deref() != Some(article.slug.as_str()) {
        return Ok(super::moved_permanently(&path));
    }
    let related = RelatedGroups::load(&mut conn, &article).await?;
    let captures = captures::of_article(&mut conn, article.id).await?;
    let story_first =
        related.story_size > 0 && lists::first_of_story(&mut conn, article.id).await?;
    drop(conn);
    let tags = article.tags();
    let layout = Layout::new(&state, &path, "").await?;
    let digits = layout.digits;
    let date = article.published.as_deref().and_then(format::parse_date);
    let page = ArticlePage {
        json_ld: json_ld(&article, &layout.canonical, &tags),
        share_url: state
            .site
            .absolute(&urls::article(&article.permalink, &article.slug)),
        layout,
        description: description(&article),
        paragraphs: article.body.lines().map(str::to_owned).collect(),
        source_url: article.source.as_deref().map(urls::source),
        other_sources: article
            .other_sources()
            .into_iter()
            .map(|s| (urls::source(&s), s))
            .collect(),
        date_text: date.map(|d| format::date_long(d, digits)),
        hijri_text: date.map(|d| format::hijri_date(d, digits)),
        date_iso: article.published.clone(),
        reading: format::reading_time(article.body.split_whitespace().count(), digits),
        tags: tags.into_iter().map(|t| (urls::tag(&t), t)).collect(),
        story_url: (related.story_size > 0).then(|| urls::story(&article.permalink)),
        story_versions: count(related.story_size as u64 + 1, &nouns::VERSIONS, digits),
        story_first,
        related,
        files: article.files(),
        captures: captures
            .into_iter()
            .map(|p| capture_line(p, digits))
            .collect(),
        remove_url: may_remove.then(|| format!("/a/{}/remove", article.permalink)),
        imported_on: format::parse_date(&article.created_at)
            .map(|d| format::date_short(d, digits))
            .unwrap_or_default(),
        source: article.source,
        title: article.title,
    };
    Ok(Page(page).into_response())
}

/// A capture as the page shows it. Only a web address becomes a link: a
/// WARC may name anything as its target.
fn capture_line(p: Provenance, digits: Digits) -> (String, Option<String>, Option<String>) {
    let is_web = p.url.starts_with("https://") || p.url.starts_with("http://");
    let date = p
        .captured_at
        .as_deref()
        .and_then(format::parse_date)
        .map(|d| format::date_long(d, digits));
    (p.url.clone(), is_web.then_some(p.url), date)
}

/// The first paragraph, shortened: what a shared link shows under the title.
fn description(article: &ArticleRecord) -> String {
    format::excerpt(article.body.lines().next().unwrap_or_default(), 200)
}

/// A schema.org `NewsArticle` for search engines and link previews.
///
/// Serialized by serde_json and made safe for a `<script>` element by
/// escaping `<`, `>` and `&`, so no article text can close the element;
/// the template then prints it unescaped.
fn json_ld(article: &ArticleRecord, url: &str, tags: &[String]) -> String {
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "inLanguage": "ar",
        "url": url,
        "mainEntityOfPage": url,
        "description": description(article),
        "keywords": tags,
    });
    if let Some(published) = &article.published {
        doc["datePublished"] = published.clone().into();
    }
    if let Some(source) = &article.source {
        doc["publisher"] = serde_json::json!({ "@type": "Organization", "name": source });
        doc["author"] = serde_json::json!({ "@type": "Organization", "name": source });
    }
    doc.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
