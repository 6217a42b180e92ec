//! Signing in and out (a user name, empty meaning `admin`, and a
//! password), and the `ApiClient` extractor (a bearer token). Who is
//! signed in is `current_user`'s, re-exported here.

use std::time::Duration;

use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::{Permission, Role, tokens};
use crate::store::auth as store_auth;

pub use super::current_user::{Admin, CurrentUser, SignInFirst};
use crate::web::error::{ApiError, AppError};

use super::AppState;
use super::client::ClientIp;
use super::extract::{Form, Query};
use super::layout::Layout;
use super::login_guard::{self, Checked};
use super::redirect_target::local_path;
use super::render::Page;

pub(super) const SESSION_COOKIE: &str = "arshif_session";
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

/// A script holding a live API token (`Authorization: Bearer …`), acting
/// for the token's account with that account's role.
pub struct ApiClient {
    pub token_id: i64,
    pub user: String,
    pub role: Role,
}

impl ApiClient {
    /// `Ok` when the token's account may do this, else 403.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        match self.role.can(permission) {
            true => Ok(()),
            false => Err(AppError::NotPermitted),
        }
    }
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
        Ok(ApiClient {
            token_id: token.id,
            role: token.role(),
            user: token.user,
        })
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
    /// Whether the archive is private (the form says why it is asked).
    pub private: bool,
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
    if CurrentUser::from_headers(&state, &headers).await?.is_some() {
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
        private: state.config.private,
    };
    Ok((status, [(header::SET_COOKIE, cookie)], Page(page)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub csrf: Option<String>,
    /// Empty or absent: `admin` (a sign-in with the password alone).
    pub username: Option<String>,
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
    let account = form
        .username
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or(store_auth::ADMIN_USER)
        .to_owned();
    let checked = login_guard::check(&state, ip, &headers, &account, form.password).await?;
    let Checked::Right { device_cookie } = checked else {
        tokio::time::sleep(FAILURE_DELAY).await;
        let message = "اسم المستخدم أو كلمة المرور غير صحيحة.".to_owned();
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
        &account,
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
    user: CurrentUser,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    user.check(form.csrf.as_deref())?;
    store_auth::delete_session(&mut *state.db.write.acquire().await?, &user.token_hash).await?;
    let mut response = super::see_other("/");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0, "Lax"),
    );
    Ok(response)
}
