//! `/users`: the admins' page of accounts — list them, add one, change a
//! role, remove one (after a confirmation page). Every change goes through
//! `accounts`, which keeps the last admin and writes the audit log.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::accounts::{self, AccountError};
use crate::auth::{Permission, Role};
use crate::store::users;
use crate::web::error::AppError;

use super::AppState;
use super::auth::{CsrfForm, CurrentUser};
use super::extract::{Form, Path};
use super::layout::Layout;
use super::render::Page;

/// One account as the list shows it.
pub struct UserRow {
    pub name: String,
    /// The name as a path segment (`/users/{segment}/…`).
    pub segment: String,
    pub role: Role,
    pub added: String,
}

#[derive(Template)]
#[template(path = "users.html")]
pub struct UsersPage {
    pub layout: Layout,
    pub csrf: String,
    pub me: String,
    pub users: Vec<UserRow>,
    pub roles: [Role; 3],
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "user_remove.html")]
pub struct RemovePage {
    pub layout: Layout,
    pub csrf: String,
    pub name: String,
    pub segment: String,
    pub role: Role,
}

pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    user.require(Permission::ManageUsers)?;
    users_page(&state, user, None, StatusCode::OK).await
}

async fn users_page(
    state: &AppState,
    user: CurrentUser,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let users = users::list(&mut *state.db.read.acquire().await?)
        .await?
        .into_iter()
        .map(|u| UserRow {
            segment: crate::urls::segment(&u.name),
            role: u.role(),
            added: u.created_at.get(..10).unwrap_or_default().to_owned(),
            name: u.name,
        })
        .collect();
    let page = UsersPage {
        layout: Layout::new(state, "/users", "").await?,
        csrf: user.csrf,
        me: user.name,
        users,
        roles: Role::ALL,
        message,
    };
    Ok((status, Page(page)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    pub csrf: Option<String>,
    pub name: String,
    pub password: String,
    pub role: String,
}

pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    user.require(Permission::ManageUsers)?;
    user.check(form.csrf.as_deref())?;
    let role = parse_role(&form.role)?;
    let name = form.name.trim();
    let added = accounts::add(&state.db, &user.name, name, &form.password, role).await;
    answer(&state, user, added).await
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    pub csrf: Option<String>,
    pub role: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    user.require(Permission::ManageUsers)?;
    user.check(form.csrf.as_deref())?;
    let role = parse_role(&form.role)?;
    let changed = accounts::set_role(&state.db, &user.name, &name, role).await;
    answer(&state, user, changed).await
}

/// The confirmation page of a removal: what goes with the account.
pub async fn confirm_remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    user.require(Permission::ManageUsers)?;
    let found = users::find(&mut *state.db.read.acquire().await?, &name)
        .await?
        .ok_or(AppError::NotFound)?;
    let segment = crate::urls::segment(&found.name);
    Ok(Page(RemovePage {
        layout: Layout::new(&state, &format!("/users/{segment}/remove"), "").await?,
        csrf: user.csrf,
        role: found.role(),
        name: found.name,
        segment,
    })
    .into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    user.require(Permission::ManageUsers)?;
    user.check(form.csrf.as_deref())?;
    let removed = accounts::remove(&state.db, &user.name, &name).await;
    answer(&state, user, removed).await
}

/// Back to the list after a change; the list again with the reason (and
/// 400 or 409) when it was refused.
async fn answer(
    state: &AppState,
    user: CurrentUser,
    outcome: Result<(), AccountError>,
) -> Result<Response, AppError> {
    let status = match &outcome {
        Ok(()) => return Ok(super::see_other("/users")),
        Err(AccountError::Store(_) | AccountError::Hash(_)) => {
            return Err(AppError::internal("account change", outcome.unwrap_err()));
        }
        Err(AccountError::NoSuchUser(_)) => StatusCode::NOT_FOUND,
        Err(AccountError::NameTaken(_) | AccountError::LastAdmin(_)) => StatusCode::CONFLICT,
        Err(_) => StatusCode::BAD_REQUEST,
    };
    let message = outcome.err().map(|e| e.arabic());
    users_page(state, user, message, status).await
}

fn parse_role(text: &str) -> Result<Role, AppError> {
    text.parse()
        .map_err(|e: crate::auth::roles::UnknownRole| AppError::BadRequest(e.to_string()))
}
