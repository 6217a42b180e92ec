//! The article permalink page `/a/{id}/{slug}`: a wrong or missing slug
//! answers 301 to the canonical URL, an unknown id the 404 page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::store::browse::{self, ArticleRef};
use crate::urls;

use super::AppState;
use super::format;
use super::render::Page;

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub title: String,
    pub canonical: String,
    pub paragraphs: Vec<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub date_iso: Option<String>,
    pub date_text: Option<String>,
    pub published_raw: Option<String>,
    pub tags: Vec<(String, String)>,
    pub read_also: Vec<ArticleRef>,
    pub mentioned_in: Vec<ArticleRef>,
    pub files: Vec<String>,
    pub imported_on: String,
}

pub async fn show_without_slug(
    state: State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    render(state, id, None).await
}

pub async fn show(
    state: State<AppState>,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    render(state, id, Some(slug)).await
}

async fn render(
    State(state): State<AppState>,
    id: String,
    slug: Option<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let article = browse::article(&mut conn, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if slug.as_deref() != Some(article.slug.as_str()) {
        let location = urls::article_encoded(&article.permalink, &article.slug);
        return Ok((
            axum::http::StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response());
    }
    let date = article.published.as_deref().and_then(format::parse_date);
    let page = ArticlePage {
        canonical: state
            .site
            .absolute(&urls::article_encoded(&article.permalink, &article.slug)),
        paragraphs: article.body.lines().map(str::to_owned).collect(),
        source_url: article.source.as_deref().map(urls::source),
        date_iso: article.published.clone(),
        date_text: date.map(format::date_long),
        published_raw: article.published_raw.clone(),
        tags: browse::tags_of(&mut conn, article.id)
            .await?
            .into_iter()
            .map(|t| (urls::tag(&t), t))
            .collect(),
        read_also: browse::read_also_of(&mut conn, article.id).await?,
        mentioned_in: browse::mentioned_in(&mut conn, article.id).await?,
        files: browse::files_of(&mut conn, article.id).await?,
        imported_on: format::parse_date(&article.created_at)
            .map(format::date_short)
            .unwrap_or_default(),
        source: article.source,
        title: article.title,
    };
    Ok(Page(page).into_response())
}
