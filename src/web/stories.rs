//! `/stories/{id}`: one story as every source in the archive told it, as
//! a timeline (who published first, when each other source followed, how
//! each version's length differs). `id` is the permalink of any of its
//! versions, so a link stays good when stories are joined or recomputed.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::store::lists;
use crate::urls;
use crate::web::error::AppError;

use super::AppState;
use super::extract::Path;
use super::layout::Layout;
#[allow(unused_imports)] // named by the template
use super::nouns;
use super::render::Page;
use super::timeline::{self, Step};

#[derive(Template)]
#[template(path = "story.html")]
pub struct StoryPage {
    pub layout: Layout,
    /// The headline of the version the link came from.
    pub title: String,
    /// Where the link came from (back to that article).
    pub from_url: String,
    /// Every version, oldest first.
    pub versions: Vec<Step>,
    /// How many different sources told it.
    pub sources: usize,
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let cards = lists::story(&mut conn, &id).await?;
    let ids: Vec<i64> = cards.iter().map(|c| c.id).collect();
    let lengths = lists::body_lengths(&mut conn, &ids)
        .await?
        .into_iter()
        .collect();
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
        versions: timeline::steps(&cards, &lengths, digits),
    };
    Ok(Page(page).into_response())
}
