//! Sign-in state: the admin password hash (in `settings`), sessions,
//! known devices and API tokens, all kept as hashes.

use sqlx::SqliteConnection;

use super::{Result, now, settings};

const ADMIN_PASSWORD: &str = "admin_password";

/// The stored argon2id hash of the admin password, if one was ever set.
pub async fn admin_password(conn: &mut SqliteConnection) -> Result<Option<String>> {
    settings::get(conn, ADMIN_PASSWORD).await
}

/// Stores a new admin password hash, ends every session and forgets
/// every known device.
pub async fn set_admin_password(conn: &mut SqliteConnection, hash: &str) -> Result<()> {
    settings::set(conn, ADMIN_PASSWORD, hash).await?;
    sqlx::query("DELETE FROM sessions")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM known_devices")
        .execute(conn)
        .await?;
    Ok(())
}

/// Remembers a browser that signed in to `account` (its device cookie's hash).
pub async fn add_known_device(
    conn: &mut SqliteConnection,
    token_hash: &[u8],
    account: &str,
    expires_at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT OR REPLACE INTO known_devices (token_hash, account, created_at, expires_at) \
         VALUES (?, ?, ?, ?)",
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
pub async fn is_known_device(
    conn: &mut SqliteConnection,
    token_hash: &[u8],
    account: &str,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM known_devices WHERE token_hash = ? AND account = ? AND expires_at > ?",
    )
    .bind(token_hash)
    .bind(account)
    .bind(now())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// A signed-in session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub csrf: String,
    pub expires_at: String,
}

pub async fn create_session(
    conn: &mut SqliteConnection,
    token_hash: &[u8],
    csrf: &str,
    expires_at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, csrf, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(csrf)
    .bind(now())
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The live session with this token hash (expired ones do not count).
pub async fn session(conn: &mut SqliteConnection, token_hash: &[u8]) -> Result<Option<Session>> {
    Ok(sqlx::query_as(
        "SELECT csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(conn)
    .await?)
}

pub async fn delete_session(conn: &mut SqliteConnection, token_hash: &[u8]) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets expired sessions and known devices (at start); the sessions
/// forgotten.
pub async fn delete_expired_sessions(conn: &mut SqliteConnection) -> Result<u64> {
    sqlx::query("DELETE FROM known_devices WHERE expires_at <= ?")
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
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
}

pub async fn create_token(
    conn: &mut SqliteConnection,
    name: &str,
    token_hash: &[u8],
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(token_hash)
    .bind(now())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// A live (not revoked) API token, as a request presents it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveToken {
    pub id: i64,
    pub last_used: Option<String>,
}

/// The live token with this hash. A read: checking a token must not wait
/// for the single write connection, which an import holds batch after batch.
pub async fn find_token(
    conn: &mut SqliteConnection,
    token_hash: &[u8],
) -> Result<Option<LiveToken>> {
    Ok(sqlx::query_as(
        "SELECT id, last_used FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

/// Records that token `id` was used now.
pub async fn mark_token_used(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used = ? WHERE id = ?")
        .bind(now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn list_tokens(conn: &mut SqliteConnection) -> Result<Vec<ApiToken>> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at, last_used, revoked_at FROM api_tokens ORDER BY id",
    )
    .fetch_all(conn)
    .await?)
}

/// Revokes a token; false when there is no live token with that id.
pub async fn revoke_token(conn: &mut SqliteConnection, id: i64) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
            > 0,
    )
}
