//! Signing in and out, and who is asking: the `Admin` extractor (a live
//! session cookie; pages redirect to `/login` and back), the `ApiClient`
//! extractor (a bearer token), and CSRF checks for state-changing forms.

use std::time::Duration;

use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::tokens;
use crate::store::auth as store_auth;
use crate::web::error::{ApiError, AppError};

use super::AppState;
use super::client::ClientIp;
use super::extract::{Form, Query};
use super::layout::Layout;
use super::login_guard::{self, ADMIN_ACCOUNT, Checked};
use super::redirect_target::local_path;
use super::render::Page;

const SESSION_COOKIE: &str = "arshif_session";
/// Double-submit token of the sign-in form (there is no session yet).
const LOGIN_CSRF_COOKIE: &str = "arshif_login_csrf";
const SESSION_DAYS: i64 = 30;
/// Every failed sign-in costs the client this long, before any throttle.
const FAILURE_DELAY: Duration = Duration::from_millis(400);

/// The value of cookie `name` in the request, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub(super) fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: i64,
    same_site: &str,
) -> HeaderValue {
    let secure = if state.site.https() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    ))
    .expect("cookie values are hex")
}

/// A signed-in administrator, with the session's form token.
pub struct Admin {
    pub csrf: String,
    token_hash: Vec<u8>,
}

/// Where an anonymous visitor is sent: the sign-in page, then back.
pub struct SignInFirst(String);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        super::see_other(&format!(
            "/login?next={}",
            crate::urls::query_value(&self.0)
        ))
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let back = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => session(state, token)
                .await
                .map_err(IntoResponse::into_response)?,
            None => None,
        };
        session.ok_or_else(|| SignInFirst(back).into_response())
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => session(state, token)
                .await
                .map_err(IntoResponse::into_response),
            None => Ok(None),
        }
    }
}

async fn session(state: &AppState, token: &str) -> Result<Option<Admin>, AppError> {
    let token_hash = tokens::hash(token);
    let found = store_auth::session(&mut *state.db.read.acquire().await?, &token_hash).await?;
    Ok(found.map(|s| Admin {
        csrf: s.csrf,
        token_hash,
    }))
}

impl Admin {
    /// Checks a form's CSRF token against the session's.
    pub fn check(&self, sent: Option<&str>) -> Result<(), AppError> {
        match sent {
            Some(sent) if tokens::same(sent, &self.csrf) => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// A script holding a live API token (`Authorization: Bearer …`).
pub struct ApiClient {
    pub token_id: i64,
}

impl FromRequestParts<AppState> for ApiClient {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthorized)?;
        let token =
            store_auth::find_token(&mut *state.db.read.acquire().await?, &tokens::hash(bearer))
                .await?
                .ok_or(AppError::Unauthorized)?;
        if used_long_ago(token.last_used.as_deref()) {
            // Recorded beside the request, which does not wait for it: the
            // write connection may be busy with an import for seconds.
            let db = state.db.clone();
            tokio::spawn(async move {
                if let Ok(mut conn) = db.write.acquire().await
                    && let Err(err) = store_auth::mark_token_used(&mut conn, token.id).await
                {
                    tracing::warn!(%err, "could not record an API token's use");
                }
            });
        }
        Ok(ApiClient { token_id: token.id })
    }
}

/// How stale a token's "last used" may get before a request refreshes it
/// (scripts polling an import would otherwise write on every request).
const TOKEN_USE_PRECISION: time::Duration = time::Duration::minutes(1);

fn used_long_ago(last_used: Option<&str>) -> bool {
    let parsed = last_used.and_then(|t| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
    });
    parsed.is_none_or(|at| time::OffsetDateTime::now_utc() - at > TOKEN_USE_PRECISION)
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub csrf: String,
    pub next: String,
    pub message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = local_path(q.next.as_deref());
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && session(&state, token).await?.is_some()
    {
        return Ok(super::see_other(&next));
    }
    login_page(&state, next, None, StatusCode::OK).await
}

async fn login_page(
    state: &AppState,
    next: String,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let csrf = tokens::generate();
    let cookie = set_cookie(state, LOGIN_CSRF_COOKIE, &csrf, 3600, "Strict");
    let page = LoginPage {
        layout: Layout::new(state, "/login", "").await?,
        csrf,
        next,
        message,
    };
    Ok((status, [(header::SET_COOKIE, cookie)], Page(page)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub csrf: Option<String>,
    pub password: String,
    pub next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty()
        || !form
            .csrf
            .as_deref()
            .is_some_and(|sent| tokens::same(sent, expected))
    {
        return Err(AppError::Forbidden);
    }
    let next = local_path(form.next.as_deref());
    let checked = login_guard::check(&state, ip, &headers, ADMIN_ACCOUNT, form.password).await?;
    let Checked::Right { device_cookie } = checked else {
        tokio::time::sleep(FAILURE_DELAY).await;
        let message = "كلمة المرور غير صحيحة.".to_owned();
        return login_page(&state, next, Some(message), StatusCode::UNAUTHORIZED).await;
    };
    let token = tokens::generate();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(SESSION_DAYS);
    let expires = expires
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut conn = state.db.write.acquire().await?;
    store_auth::create_session(
        &mut conn,
        &tokens::hash(&token),
        &tokens::generate(),
        &expires,
    )
    .await?;
    let mut response = super::see_other(&next);
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, &token, SESSION_DAYS * 86_400, "Lax"),
    );
    headers.append(
        header::SET_COOKIE,
        set_cookie(&state, LOGIN_CSRF_COOKIE, "", 0, "Strict"),
    );
    if let Some(device_cookie) = device_cookie {
        headers.append(header::SET_COOKIE, device_cookie);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    pub csrf: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    admin: Admin,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    admin.check(form.csrf.as_deref())?;
    store_auth::delete_session(&mut *state.db.write.acquire().await?, &admin.token_hash).await?;
    let mut response = super::see_other("/");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0, "Lax"),
    );
    Ok(response)
}
