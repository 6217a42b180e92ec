//! `/stories/{id}`: one story as every source in the archive told it. `id`
//! is the permalink of any of its versions, so a link stays good when
//! stories are joined or recomputed.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::store::lists;
use crate::urls;
use crate::web::error::AppError;

use super::AppState;
use super::cards::CardView;
use super::extract::Path;
use super::layout::Layout;
#[allow(unused_imports)] // named by the template
use super::nouns;
use super::render::Page;

#[derive(Template)]
#[template(path = "story.html")]
pub struct StoryPage {
    pub layout: Layout,
    /// The headline of the version the link came from.
    pub title: String,
    /// Where the link came from (back to that article).
    pub from_url: String,
    /// Every version, oldest first.
    pub versions: Vec<CardView>,
    /// How many different sources told it.
    pub sources: usize,
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let cards = lists::story(&mut conn, &id).await?;
    drop(conn);
    let from = cards
        .iter()
        .find(|c| c.permalink == id)
        .ok_or(AppError::NotFound)?;
    let mut sources: Vec<&str> = cards.iter().filter_map(|c| c.source.as_deref()).collect();
    sources.sort_unstable();
    sources.dedup();
    let layout = Layout::new(&state, &urls::story(&id), "").await?;
    let digits = layout.digits;
    let page = StoryPage {
        layout,
        title: from.title.clone(),
        from_url: urls::article(&from.permalink, &from.slug),
        sources: sources.len(),
        versions: cards.iter().map(|c| CardView::new(c, digits)).collect(),
    };
    Ok(Page(page).into_response())
}
