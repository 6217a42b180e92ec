//! `/opensearch.xml`: the OpenSearch 1.1 description that lets a browser
//! add the archive's search to its own search box (every page links it
//! with `<link rel="search">`): the HTML results and their Atom feed.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::web::error::AppError;

use super::AppState;

#[derive(Template)]
#[template(path = "opensearch.xml")]
pub struct Description {
    /// The archive's public base URL, without a trailing slash.
    pub base: String,
}

pub async fn description(State(state): State<AppState>) -> Result<Response, AppError> {
    let body = Description {
        base: state.site.public_url.clone(),
    }
    .render()?;
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/opensearchdescription+xml; charset=utf-8"),
        ),
        // It changes only with the public URL, when the server restarts.
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ),
    ];
    Ok((headers, body).into_response())
}
