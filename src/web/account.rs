//! `/account`: the signed-in user's own page — name and role, the feed
//! URL with its feed token (renewed or revoked here; what feed readers use
//! on a private archive), signing out, and for admins the links to the
//! accounts and the audit log.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::accounts;
use crate::auth::Permission;
use crate::store::users;
use crate::web::error::AppError;

use super::AppState;
use super::auth::CurrentUser;
use super::extract::Form;
use super::layout::Layout;
use super::render::Page;

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
    /// The archive's feed URL with this user's token, if it has one.
    pub feed_url: Option<String>,
    pub private: bool,
    pub manages_users: bool,
}

pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let token = users::feed_token(&mut *state.db.read.acquire().await?, &user.name).await?;
    let feed_url = token.map(|t| state.site.absolute(&format!("/feed.xml?token={t}")));
    Ok(Page(AccountPage {
        layout: Layout::new(&state, "/account", "").await?,
        role: user.role.label(),
        manages_users: user.can(Permission::ManageUsers),
        name: user.name,
        csrf: user.csrf,
        feed_url,
        private: state.config.private,
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct FeedTokenForm {
    pub csrf: Option<String>,
    /// `renew` or `revoke`.
    pub action: String,
}

/// Renews or revokes the user's own feed token, then back to the page.
pub async fn feed_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<FeedTokenForm>,
) -> Result<Response, AppError> {
    user.check(form.csrf.as_deref())?;
    let changed = match form.action.as_str() {
        "renew" => accounts::renew_feed_token(&state.db, &user.name, &user.name)
            .await
            .map(drop),
        "revoke" => accounts::revoke_feed_token(&state.db, &user.name, &user.name).await,
        other => return Err(AppError::BadRequest(format!("unknown action {other:?}"))),
    };
    changed.map_err(|e| AppError::internal("feed token", e))?;
    Ok(super::see_other("/account"))
}
