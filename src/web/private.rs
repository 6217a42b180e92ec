//! A private archive (`ARSHIF_PRIVATE`): one layer in front of every
//! route lets a request through only with an account — a session cookie
//! (any role), an API token under `/api/`, or a feed token in a feed's
//! URL (`?token=`, for feed readers that cannot sign in). Everyone else is
//! sent to sign in and back (pages), or told 401 (API, feeds). Robots are
//! kept out and the sitemap does not exist.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::tokens;
use crate::store::{auth as store_auth, users};
use crate::web::error::{ApiError, AppError};

use super::AppState;
use super::current_user::{CurrentUser, SignInFirst};

/// What a private archive tells crawlers.
const ROBOTS: &str = "User-agent: *\nDisallow: /\n";

/// The layer's work: see the module doc.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path == "/robots.txt" {
        return (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            ROBOTS,
        )
            .into_response();
    }
    if path == "/sitemap.xml" || path.starts_with("/sitemap/") {
        return AppError::NotFound.into_response();
    }
    if open_to_all(&path) {
        return next.run(request).await;
    }
    match CurrentUser::from_headers(&state, request.headers()).await {
        Ok(Some(user)) => {
            // The handler's `CurrentUser` finds it here instead of asking again.
            request.extensions_mut().insert(user);
            return next.run(request).await;
        }
        Ok(None) => {}
        Err(err) => return err.into_response(),
    }
    let allowed = if path.starts_with("/api/") {
        let bearer = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|v| v.trim().to_owned());
        live_api_token(&state, bearer).await
    } else if is_feed(&path) {
        let query = request.uri().query().map(str::to_owned);
        live_feed_token(&state, query.as_deref()).await
    } else {
        let back = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        return SignInFirst(back).into_response();
    };
    match allowed {
        Ok(true) => next.run(request).await,
        Ok(false) if path.starts_with("/api/") => ApiError(AppError::Unauthorized).into_response(),
        Ok(false) => (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "This archive is private: use the feed URL with your feed token (/account).\n",
        )
            .into_response(),
        Err(err) => err.into_response(),
    }
}

/// What a visitor without an account may still ask for: signing in, the
/// site's own styles, scripts and fonts (the sign-in page needs them; no
/// article content lives there) and the health check.
fn open_to_all(path: &str) -> bool {
    matches!(path, "/login" | "/healthz") || path.starts_with("/static/")
}

/// The Atom feeds: the archive's and each source's and tag's.
fn is_feed(path: &str) -> bool {
    path == "/feed.xml"
        || (path.ends_with("/feed.xml")
            && (path.starts_with("/sources/") || path.starts_with("/tags/")))
}

async fn live_api_token(state: &AppState, bearer: Option<String>) -> Result<bool, AppError> {
    let Some(bearer) = bearer else {
        return Ok(false);
    };
    let hash = tokens::hash(&bearer);
    let found = store_auth::find_token(&mut *state.db.read.acquire().await?, &hash).await?;
    Ok(found.is_some())
}

async fn live_feed_token(state: &AppState, query: Option<&str>) -> Result<bool, AppError> {
    let token = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "token")
        .map(|(_, value)| value.into_owned());
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(false);
    };
    let found = users::by_feed_token(&mut *state.db.read.acquire().await?, &token).await?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sign_in_styles_and_health_are_open() {
        for open in ["/login", "/healthz", "/static/app.css"] {
            assert!(open_to_all(open), "{open}");
        }
        for closed in [
            "/",
            "/a/1/x",
            "/feed.xml",
            "/api/articles",
            "/search",
            "/404",
        ] {
            assert!(!open_to_all(closed), "{closed}");
        }
    }

    #[test]
    fn feeds_are_known_by_their_paths() {
        assert!(is_feed("/feed.xml"));
        assert!(is_feed("/sources/الجزيرة/feed.xml"));
        assert!(is_feed("/tags/x/feed.xml"));
        assert!(!is_feed("/a/1/feed.xml"));
        assert!(!is_feed("/sources/x"));
    }
}
