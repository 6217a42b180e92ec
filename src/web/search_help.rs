//! `/search/help`: the search language on one short Arabic page (linked
//! from the search form), with examples a reader can follow.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::web::error::AppError;

use super::AppState;
use super::layout::Layout;
use super::render::Page;

#[derive(Template)]
#[template(path = "search_help.html")]
pub struct SearchHelp {
    pub layout: Layout,
}

pub async fn page(State(state): State<AppState>) -> Result<Response, AppError> {
    let layout = Layout::new(&state, "/search/help", "search").await?;
    Ok(Page(SearchHelp { layout }).into_response())
}
