//! Who is signed in: the `CurrentUser` extractor (a live session; pages
//! send an anonymous visitor to `/login` and back), `Admin` (the same,
//! for admins only), and the permission checks handlers make with them.
//!
//! A handler that changes the archive takes `user: CurrentUser`, calls
//! `user.require(Permission::…)?` and `user.check(form.csrf)?`, and writes
//! `user.name` to the audit log as the actor.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::auth::{Permission, Role, tokens};
use crate::store::auth as store_auth;
use crate::web::error::AppError;

use super::AppState;
use super::auth::{SESSION_COOKIE, cookie};

/// A signed-in account, with its session's form token.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The account's name: the actor of audit-log entries.
    pub name: String,
    /// Its role now (a changed role applies from the next request).
    pub role: Role,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    pub(super) token_hash: Vec<u8>,
}

impl CurrentUser {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }

    /// `Ok` when the role allows `permission`, else a 403 page saying so.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        match self.can(permission) {
            true => Ok(()),
            false => Err(AppError::NotPermitted),
        }
    }

    /// Whether this account may undo an import started by `started_by`
    /// (`imports.started_by`; `None` for the command line).
    pub fn may_undo(&self, started_by: Option<&str>) -> bool {
        self.role.may_undo(&self.name, started_by)
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check(&self, sent: Option<&str>) -> Result<(), AppError> {
        match sent {
            Some(sent) if tokens::same(sent, &self.csrf) => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The account of the request's session cookie, if it is live.
    pub async fn from_headers(
        state: &AppState,
        headers: &HeaderMap,
    ) -> Result<Option<CurrentUser>, AppError> {
        let Some(token) = cookie(headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        let token_hash = tokens::hash(token);
        let found = store_auth::session(&mut *state.db.read.acquire().await?, &token_hash).await?;
        Ok(found.map(|s| CurrentUser {
            name: s.user.clone(),
            role: s.role(),
            csrf: s.csrf,
            token_hash,
        }))
    }

    /// The account of `parts`: the one the private-archive guard already
    /// found (it leaves it in the extensions), or the session's.
    async fn of(parts: &Parts, state: &AppState) -> Result<Option<CurrentUser>, AppError> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(Some(user.clone()));
        }
        Self::from_headers(state, &parts.headers).await
    }
}

/// Where an anonymous visitor is sent: the sign-in page, then back.
pub struct SignInFirst(pub String);

impl SignInFirst {
    /// The sign-in page with the request's own path and query to return to.
    pub fn back_to(parts: &Parts) -> SignInFirst {
        SignInFirst(
            parts
                .uri
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned(),
        )
    }
}

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        super::see_other(&format!(
            "/login?next={}",
            crate::urls::query_value(&self.0)
        ))
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        CurrentUser::of(parts, state)
            .await
            .map_err(IntoResponse::into_response)?
            .ok_or_else(|| SignInFirst::back_to(parts).into_response())
    }
}

impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Response> {
        CurrentUser::of(parts, state)
            .await
            .map_err(IntoResponse::into_response)
    }
}

/// A signed-in admin; any other signed-in account gets a 403 page.
#[derive(Debug, Clone)]
pub struct Admin(pub CurrentUser);

impl std::ops::Deref for Admin {
    type Target = CurrentUser;
    fn deref(&self) -> &CurrentUser {
        &self.0
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let user =
            <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        match user.role {
            Role::Admin => Ok(Admin(user)),
            _ => Err(AppError::NotPermitted.into_response()),
        }
    }
}
