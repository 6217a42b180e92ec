//! Changing accounts: adding, removing and re-roling a user, each in one
//! transaction with its audit-log entry, and never leaving the archive
//! without an admin. The command line (`arshif user …`) and the `/users`
//! page both come here, so both keep the same rules.

use crate::auth::{Role, password, roles};
use crate::store::audit::{self, Change};
use crate::store::{Db, StoreError, users};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0:?} is not a user name: use 1 to 64 letters, digits, '.', '_' or '-'")]
    BadName(String),
    #[error("the password must have at least {} characters", password::MIN_LEN)]
    ShortPassword,
    #[error("there is already a user named {0:?}")]
    NameTaken(String),
    #[error("there is no user named {0:?}")]
    NoSuchUser(String),
    #[error("{0:?} is the last admin: make another user an admin first")]
    LastAdmin(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

impl From<sqlx::Error> for AccountError {
    fn from(err: sqlx::Error) -> Self {
        AccountError::Store(err.into())
    }
}

impl AccountError {
    /// The reason in Arabic, for the `/users` page.
    pub fn arabic(&self) -> String {
        match self {
            AccountError::Store(_) | AccountError::Hash(_) => {
                "تعذّر حفظ التغيير. حاول مرة أخرى.".to_owned()
            }
            AccountError::BadName(_) => {
                "اسم المستخدم من ١ إلى ٦٤ حرفًا أو رقمًا، ويجوز فيه . و_ و- دون مسافات.".to_owned()
            }
            AccountError::ShortPassword => format!(
                "كلمة المرور قصيرة: تحتاج {} أحرف على الأقل.",
                password::MIN_LEN
            ),
            AccountError::NameTaken(name) => format!("يوجد مستخدم باسم «{name}» من قبل."),
            AccountError::NoSuchUser(name) => format!("لا يوجد مستخدم باسم «{name}»."),
            AccountError::LastAdmin(name) => {
                format!("«{name}» هو المشرف الوحيد: اجعل مستخدمًا آخر مشرفًا أولًا.")
            }
        }
    }
}

/// Adds the user `name` with `password` and `role`; `actor` is who did it
/// (a user name, or `"cli"`).
pub async fn add(
    db: &Db,
    actor: &str,
    name: &str,
    new_password: &str,
    role: Role,
) -> Result<(), AccountError> {
    if !roles::valid_name(name) {
        return Err(AccountError::BadName(name.to_owned()));
    }
    if new_password.chars().count() < password::MIN_LEN {
        return Err(AccountError::ShortPassword);
    }
    let hash = hash(new_password).await?;
    let mut tx = db.write.begin().await?;
    if !users::add(&mut tx, name, &hash, role).await? {
        return Err(AccountError::NameTaken(name.to_owned()));
    }
    let change = Change {
        actor,
        action: "user.add",
        subject: name,
        detail: role.as_str(),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the user `name`, with its sessions and API tokens.
pub async fn remove(db: &Db, actor: &str, name: &str) -> Result<(), AccountError> {
    let mut tx = db.write.begin().await?;
    let user = users::find(&mut tx, name)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(name.to_owned()))?;
    if user.role() == Role::Admin && users::other_admins(&mut tx, name).await? == 0 {
        return Err(AccountError::LastAdmin(name.to_owned()));
    }
    users::remove(&mut tx, name).await?;
    let change = Change {
        actor,
        action: "user.remove",
        subject: name,
        detail: user.role().as_str(),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives the user `name` the role `role` (at once: sessions and tokens
/// act with the role the account has now).
pub async fn set_role(db: &Db, actor: &str, name: &str, role: Role) -> Result<(), AccountError> {
    let mut tx = db.write.begin().await?;
    let user = users::find(&mut tx, name)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(name.to_owned()))?;
    let was = user.role();
    if was == role {
        return Ok(());
    }
    if was == Role::Admin && users::other_admins(&mut tx, name).await? == 0 {
        return Err(AccountError::LastAdmin(name.to_owned()));
    }
    users::set_role(&mut tx, name, role).await?;
    let detail = format!("{was} → {role}");
    let change = Change {
        actor,
        action: "user.role",
        subject: name,
        detail: &detail,
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives `name` a new feed token (the old one stops working) and returns it.
pub async fn renew_feed_token(db: &Db, actor: &str, name: &str) -> Result<String, AccountError> {
    let token = crate::auth::tokens::generate();
    change_feed_token(db, actor, name, Some(&token)).await?;
    Ok(token)
}

/// Takes `name`'s feed token away: its feed URLs stop working.
pub async fn revoke_feed_token(db: &Db, actor: &str, name: &str) -> Result<(), AccountError> {
    change_feed_token(db, actor, name, None).await
}

async fn change_feed_token(
    db: &Db,
    actor: &str,
    name: &str,
    token: Option<&str>,
) -> Result<(), AccountError> {
    let mut tx = db.write.begin().await?;
    if users::find(&mut tx, name).await?.is_none() {
        return Err(AccountError::NoSuchUser(name.to_owned()));
    }
    users::set_feed_token(&mut tx, name, token).await?;
    let change = Change {
        actor,
        action: "user.feed_token",
        subject: name,
        detail: if token.is_some() {
            "renewed"
        } else {
            "revoked"
        },
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Hashes off the async workers (argon2id takes tens of milliseconds).
async fn hash(new_password: &str) -> Result<String, AccountError> {
    let new_password = new_password.to_owned();
    tokio::task::spawn_blocking(move || password::hash(&new_password))
        .await
        .map_err(|e| AccountError::Hash(e.to_string()))?
        .map_err(AccountError::Hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_last_admin_stays_and_every_change_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("a.db")).await.unwrap();
        let last = remove(&db, "cli", "admin").await;
        assert!(matches!(last, Err(AccountError::LastAdmin(_))), "{last:?}");
        let demote = set_role(&db, "cli", "admin", Role::Reader).await;
        assert!(matches!(demote, Err(AccountError::LastAdmin(_))));

        add(&db, "cli", "salma", "a-long-password", Role::Editor)
            .await
            .unwrap();
        let again = add(&db, "cli", "salma", "a-long-password", Role::Reader).await;
        assert!(matches!(again, Err(AccountError::NameTaken(_))));
        let short = add(&db, "cli", "omar", "short", Role::Reader).await;
        assert!(matches!(short, Err(AccountError::ShortPassword)));
        set_role(&db, "admin", "salma", Role::Admin).await.unwrap();
        set_role(&db, "salma", "admin", Role::Reader).await.unwrap();
        remove(&db, "salma", "admin").await.unwrap();

        let mut conn = db.read.acquire().await.unwrap();
        let log = audit::page(&mut conn, None, 10).await.unwrap();
        let seen: Vec<_> = log
            .iter()
            .rev()
            .map(|e| {
                (
                    e.actor.as_str(),
                    e.action.as_str(),
                    e.subject.as_str(),
                    e.detail.as_str(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("cli", "user.add", "salma", "editor"),
                ("admin", "user.role", "salma", "editor → admin"),
                ("salma", "user.role", "admin", "admin → reader"),
                ("salma", "user.remove", "admin", "reader"),
            ]
        );
    }
}
