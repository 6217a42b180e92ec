//! The `users` table: accounts with their password hash, role and feed
//! token. Sessions and API tokens (`store::auth`) point at a row here.

use super::{Result, now};
use crate::auth::Role;
use crate::dispatch;
use crate::store::{Conn, per_backend};

/// An account as listed (never its password hash or feed token).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub name: String,
    role: String,
    pub created_at: String,
}

impl User {
    pub fn role(&self) -> Role {
        parse_role(&self.role)
    }
}

/// The table's CHECK allows only the three names; anything else would be
/// a hand-edited database, and gets the least.
pub(super) fn parse_role(text: &str) -> Role {
    text.parse().unwrap_or(Role::Reader)
}

#[per_backend]
pub async fn list(conn: &mut Conn) -> Result<Vec<User>> {
    Ok(
        sqlx::query_as("SELECT name, role, created_at FROM users ORDER BY name")
            .fetch_all(conn)
            .await?,
    )
}

/// The account named `name`, if there is one.
#[per_backend]
pub async fn find(conn: &mut Conn, name: &str) -> Result<Option<User>> {
    Ok(
        sqlx::query_as("SELECT name, role, created_at FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}

/// The stored password hash of `name` (none for an unknown name, or an
/// account that has no password yet).
#[per_backend]
pub async fn password_hash(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?;
    Ok(found.flatten())
}

/// Adds an account; false when the name is taken.
#[per_backend]
pub async fn add(conn: &mut Conn, name: &str, password_hash: &str, role: Role) -> Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO users (name, password_hash, role, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now())
    .execute(conn)
    .await?
    .rows_affected()
        > 0)
}

/// Sets the password of `name` (adding it as an admin when there is no
/// such account: `ARSHIF_ADMIN_PASSWORD` and `admin set-password` bring
/// `admin` back), then signs that account out everywhere and forgets its
/// known devices.
pub async fn set_password(conn: &mut Conn, name: &str, hash: &str) -> Result<()> {
    dispatch!(conn, |c| {
        sqlx::query(
            "INSERT INTO users (name, password_hash, role, created_at) VALUES ($1, $2, 'admin', $3) \
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
        )
        .bind(name)
        .bind(hash)
        .bind(now())
        .execute(c)
        .await
        .map(drop)
    })?;
    sign_out_everywhere(conn, name).await
}

/// Ends every session of `name` and forgets the browsers it signed in from.
#[per_backend]
async fn sign_out_everywhere(conn: &mut Conn, name: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = $1)")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM known_devices WHERE account = $1")
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes an account with its sessions, API tokens and known devices;
/// false when there is no such account.
pub async fn remove(conn: &mut Conn, name: &str) -> Result<bool> {
    sign_out_everywhere(conn, name).await?;
    delete_account(conn, name).await
}

/// Deletes the account `name` and its API tokens.
#[per_backend]
async fn delete_account(conn: &mut Conn, name: &str) -> Result<bool> {
    sqlx::query("DELETE FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE name = $1)")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query("DELETE FROM users WHERE name = $1")
        .bind(name)
        .execute(conn)
        .await?
        .rows_affected()
        > 0)
}

/// Gives `name` a new role; false when there is no such account.
#[per_backend]
pub async fn set_role(conn: &mut Conn, name: &str, role: Role) -> Result<bool> {
    Ok(sqlx::query("UPDATE users SET role = $1 WHERE name = $2")
        .bind(role.as_str())
        .bind(name)
        .execute(conn)
        .await?
        .rows_affected()
        > 0)
}

/// How many admins there are besides `name`.
#[per_backend]
pub async fn other_admins(conn: &mut Conn, name: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin' AND name <> $1")
            .bind(name)
            .fetch_one(conn)
            .await?,
    )
}

/// The feed token of `name`, if it has one.
#[per_backend]
pub async fn feed_token(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT feed_token FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?;
    Ok(found.flatten())
}

/// Replaces the feed token of `name` (`None` revokes it).
#[per_backend]
pub async fn set_feed_token(conn: &mut Conn, name: &str, token: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET feed_token = $1 WHERE name = $2")
        .bind(token)
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}

/// The account whose feed token this is, with its role.
#[per_backend]
pub async fn by_feed_token(conn: &mut Conn, token: &str) -> Result<Option<(String, Role)>> {
    let found: Option<(String, String)> =
        sqlx::query_as("SELECT name, role FROM users WHERE feed_token = $1")
            .bind(token)
            .fetch_optional(conn)
            .await?;
    Ok(found.map(|(name, role)| (name, parse_role(&role))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_old_admin_is_the_first_user_and_removal_takes_its_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::store::Db::open(&dir.path().join("a.db"))
            .await
            .unwrap();
        let mut conn = db.write.acquire().await.unwrap();
        let admin = find(&mut conn, "admin").await.unwrap().unwrap();
        assert_eq!(admin.role(), Role::Admin);
        assert_eq!(password_hash(&mut conn, "admin").await.unwrap(), None);

        assert!(add(&mut conn, "salma", "h1", Role::Editor).await.unwrap());
        assert!(!add(&mut conn, "salma", "h2", Role::Reader).await.unwrap());
        assert_eq!(
            password_hash(&mut conn, "salma").await.unwrap().as_deref(),
            Some("h1")
        );
        crate::store::auth::create_session(&mut conn, b"t", "c", "2999-01-01T00:00:00Z", "salma")
            .await
            .unwrap();
        assert_eq!(other_admins(&mut conn, "salma").await.unwrap(), 1);
        assert_eq!(other_admins(&mut conn, "admin").await.unwrap(), 0);

        assert!(remove(&mut conn, "salma").await.unwrap());
        assert!(!remove(&mut conn, "salma").await.unwrap());
        assert!(
            crate::store::auth::session(&mut conn, b"t")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn feed_tokens_name_their_account_until_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::store::Db::open(&dir.path().join("a.db"))
            .await
            .unwrap();
        let mut conn = db.write.acquire().await.unwrap();
        add(&mut conn, "omar", "h", Role::Reader).await.unwrap();
        set_feed_token(&mut conn, "omar", Some("f1")).await.unwrap();
        assert_eq!(
            feed_token(&mut conn, "omar").await.unwrap().as_deref(),
            Some("f1")
        );
        let found = by_feed_token(&mut conn, "f1").await.unwrap();
        assert_eq!(found, Some(("omar".to_owned(), Role::Reader)));
        set_feed_token(&mut conn, "omar", None).await.unwrap();
        assert_eq!(by_feed_token(&mut conn, "f1").await.unwrap(), None);
    }
}
