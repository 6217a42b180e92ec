//! The password check of one sign-in attempt, with everything around it:
//! who is asking (the client's address, or a browser that signed in to
//! the account before, by its device cookie), the throttle (the attempt
//! counts as failed before the password is checked), a turn among the few
//! verifications that may run at once, and after a success a device cookie
//! for the next time.

use std::net::IpAddr;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue};

use crate::auth::throttle::Client;
use crate::auth::tokens;
use crate::auth::verifications::Busy;
use crate::store::{auth as store_auth, users};
use crate::web::error::AppError;

use super::AppState;
use super::auth::{cookie, set_cookie};

/// The device cookie: set after a sign-in, sent back with the next attempt.
const DEVICE_COOKIE: &str = "arshif_device";
const DEVICE_DAYS: i64 = 365;
/// What a busy server asks the client to wait.
const BUSY_RETRY: Duration = Duration::from_secs(2);

/// What the check found.
pub enum Checked {
    /// The right password; a new device cookie to set, unless the browser
    /// already had one.
    Right {
        device_cookie: Option<HeaderValue>,
    },
    Wrong,
}

/// Checks `attempt` as the password of `account`, or answers 429 (with
/// how long to wait) when the throttle or the server says so.
pub async fn check(
    state: &AppState,
    ip: IpAddr,
    headers: &HeaderMap,
    account: &str,
    attempt: String,
) -> Result<Checked, AppError> {
    let device = known_device(state, headers, account).await?;
    let client = device
        .clone()
        .map_or_else(|| Client::address(ip), Client::Device);
    let counted = state
        .throttle
        .attempt(client, account, device.is_some())
        .map_err(AppError::TooManyRequests)?;
    // An unknown name is checked against a hash of nothing, so it costs
    // what a known one does and the answer's timing names no accounts.
    let stored = users::password_hash(&mut *state.db.read.acquire().await?, account)
        .await?
        .or_else(|| Some(unknown_account_hash().to_owned()));
    match state.verifications.verify(attempt, stored).await {
        Err(Busy) => {
            counted.not_checked();
            Err(AppError::TooManyRequests(BUSY_RETRY))
        }
        Ok(false) => {
            let _still_counted = counted;
            Ok(Checked::Wrong)
        }
        Ok(true) => {
            counted.succeeded();
            let device_cookie = match device {
                Some(_) => None,
                None => Some(new_device(state, account).await?),
            };
            Ok(Checked::Right { device_cookie })
        }
    }
}

/// The hash of the request's device cookie, if it names a browser that
/// signed in to `account` before.
async fn known_device(
    state: &AppState,
    headers: &HeaderMap,
    account: &str,
) -> Result<Option<Vec<u8>>, AppError> {
    let Some(token) = cookie(headers, DEVICE_COOKIE) else {
        return Ok(None);
    };
    let hash = tokens::hash(token);
    let known =
        store_auth::is_known_device(&mut *state.db.read.acquire().await?, &hash, account).await?;
    Ok(known.then_some(hash))
}

async fn new_device(state: &AppState, account: &str) -> Result<HeaderValue, AppError> {
    let token = tokens::generate();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(DEVICE_DAYS);
    let expires = expires
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut conn = state.db.write.acquire().await?;
    store_auth::add_known_device(&mut conn, &tokens::hash(&token), account, &expires).await?;
    Ok(set_cookie(
        state,
        DEVICE_COOKIE,
        &token,
        DEVICE_DAYS * 86_400,
        "Strict",
    ))
}

/// A hash no password matches in practice (of 32 random bytes, made once).
fn unknown_account_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        crate::auth::password::hash(&crate::auth::tokens::generate()).unwrap_or_default()
    })
}
