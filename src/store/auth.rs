//! Sign-in state: sessions, known devices and API tokens, all kept as
//! hashes, each belonging to an account of `store::users`.

use super::users::{self, parse_role};
use super::{Result, now};
use crate::auth::Role;
use crate::store::{Conn, per_backend};

/// The account that `ARSHIF_ADMIN_PASSWORD` and `admin set-password` set.
pub const ADMIN_USER: &str = "admin";

/// The stored argon2id hash of the `admin` account's password, if one was
/// ever set.
pub async fn admin_password(conn: &mut Conn) -> Result<Option<String>> {
    users::password_hash(conn, ADMIN_USER).await
}

/// Stores a new password hash for `admin` (bringing the account back as an
/// admin if it was removed), ends its sessions and forgets its known
/// devices.
pub async fn set_admin_password(conn: &mut Conn, hash: &str) -> Result<()> {
    users::set_password(conn, ADMIN_USER, hash).await
}

/// Remembers a browser that signed in to `account` (its device cookie's hash).
#[per_backend]
pub async fn add_known_device(
    conn: &mut Conn,
    token_hash: &[u8],
    account: &str,
    expires_at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO known_devices (token_hash, account, created_at, expires_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (token_hash) DO UPDATE SET \
         account = excluded.account, created_at = excluded.created_at, \
         expires_at = excluded.expires_at",
    )
    .bind(token_hash)
    .bind(account)
    .bind(now())
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether this device cookie hash signed in to `account` and has not expired.
#[per_backend]
pub async fn is_known_device(conn: &mut Conn, token_hash: &[u8], account: &str) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(1 AS BIGINT) FROM known_devices \
         WHERE token_hash = $1 AND account = $2 AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(account)
    .bind(now())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// A signed-in session, with its account's name and role as they are now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub csrf: String,
    pub expires_at: String,
    pub user: String,
    role: String,
}

impl Session {
    pub fn role(&self) -> Role {
        parse_role(&self.role)
    }
}

/// Starts a session of the account `user`.
#[per_backend]
pub async fn create_session(
    conn: &mut Conn,
    token_hash: &[u8],
    csrf: &str,
    expires_at: &str,
    user: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, csrf, created_at, expires_at, user_id) \
         VALUES ($1, $2, $3, $4, (SELECT id FROM users WHERE name = $5))",
    )
    .bind(token_hash)
    .bind(csrf)
    .bind(now())
    .bind(expires_at)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

/// The live session with this token hash (expired ones do not count).
#[per_backend]
pub async fn session(conn: &mut Conn, token_hash: &[u8]) -> Result<Option<Session>> {
    Ok(sqlx::query_as(
        "SELECT s.csrf, s.expires_at, u.name AS user, u.role FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(conn)
    .await?)
}

#[per_backend]
pub async fn delete_session(conn: &mut Conn, token_hash: &[u8]) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets expired sessions and known devices (at start); the sessions
/// forgotten.
#[per_backend]
pub async fn delete_expired_sessions(conn: &mut Conn) -> Result<u64> {
    sqlx::query("DELETE FROM known_devices WHERE expires_at <= $1")
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now())
        .execute(conn)
        .await?
        .rows_affected())
}

/// An API token as listed (never the token itself).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used: Option<String>,
    pub revoked_at: Option<String>,
    /// The account it acts for (none when that account was removed).
    pub user: Option<String>,
}

/// A token of the `admin` account.
pub async fn create_token(conn: &mut Conn, name: &str, token_hash: &[u8]) -> Result<i64> {
    create_token_for(conn, name, token_hash, ADMIN_USER).await
}

/// A token of the account `user`: it acts with that account's role.
#[per_backend]
pub async fn create_token_for(
    conn: &mut Conn,
    name: &str,
    token_hash: &[u8],
    user: &str,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_tokens (name, token_hash, created_at, user_id) \
         VALUES ($1, $2, $3, (SELECT id FROM users WHERE name = $4)) RETURNING id",
    )
    .bind(name)
    .bind(token_hash)
    .bind(now())
    .bind(user)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// A live (not revoked) API token, as a request presents it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveToken {
    pub id: i64,
    pub last_used: Option<String>,
    /// The account it belongs to, and that account's role now.
    pub user: String,
    role: String,
}

impl LiveToken {
    pub fn role(&self) -> Role {
        parse_role(&self.role)
    }
}

/// The live token with this hash. A read: checking a token must not wait
/// for the single write connection, which an import holds batch after batch.
#[per_backend]
pub async fn find_token(conn: &mut Conn, token_hash: &[u8]) -> Result<Option<LiveToken>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.last_used, u.name AS user, u.role FROM api_tokens t \
         JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

/// Records that token `id` was used now.
#[per_backend]
pub async fn mark_token_used(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used = $1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[per_backend]
pub async fn list_tokens(conn: &mut Conn) -> Result<Vec<ApiToken>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name, t.created_at, t.last_used, t.revoked_at, u.name AS user \
         FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id ORDER BY t.id",
    )
    .fetch_all(conn)
    .await?)
}

/// Revokes a token; false when there is no live token with that id.
#[per_backend]
pub async fn revoke_token(conn: &mut Conn, id: i64) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
            > 0,
    )
}
