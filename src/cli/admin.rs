//! `arshif admin set-password` and `arshif token create|list|revoke`
//! (a token acts for a user, `admin` unless `--user` names another).

use std::io::{BufRead, IsTerminal, Write};

use crate::auth::{password, tokens};
use crate::config::{AdminCommand, DbArgs, TokenCommand};
use crate::store::{Db, StoreError, auth, users};

use super::CliError;

pub async fn admin(command: AdminCommand) -> Result<(), CliError> {
    match command {
        AdminCommand::SetPassword(args) => set_password(args).await,
    }
}

async fn set_password(args: DbArgs) -> Result<(), CliError> {
    let new = read_password("new admin password: ")?;
    if new.chars().count() < password::MIN_LEN {
        return Err(CliError::Message(format!(
            "the password must have at least {} characters",
            password::MIN_LEN
        )));
    }
    let hash = password::hash(&new).map_err(CliError::Message)?;
    let db = Db::open(&args.db).await?;
    auth::set_admin_password(
        &mut *db.write.acquire().await.map_err(StoreError::from)?,
        &hash,
    )
    .await?;
    db.close().await;
    eprintln!("admin password changed; every session was signed out");
    Ok(())
}

/// One line from stdin (asked for with `prompt` on a terminal), without
/// its line ending.
pub fn read_password(prompt: &str) -> Result<String, CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

pub async fn token(command: TokenCommand) -> Result<(), CliError> {
    match command {
        TokenCommand::Create { db, name, user } => {
            let db = Db::open(&db.db).await?;
            let mut conn = db.write.acquire().await.map_err(StoreError::from)?;
            if users::find(&mut conn, &user).await?.is_none() {
                return Err(CliError::Message(format!(
                    "there is no user named {user:?}"
                )));
            }
            let token = tokens::generate();
            auth::create_token_for(&mut conn, &name, &tokens::hash(&token), &user).await?;
            drop(conn);
            db.close().await;
            println!("{token}");
        }
        TokenCommand::List(args) => {
            let db = Db::open(&args.db).await?;
            for t in
                auth::list_tokens(&mut *db.read.acquire().await.map_err(StoreError::from)?).await?
            {
                let state = t
                    .revoked_at
                    .map_or("live".to_owned(), |at| format!("revoked {at}"));
                let used = t.last_used.unwrap_or_else(|| "never".to_owned());
                let user = t.user.unwrap_or_else(|| "-".to_owned());
                println!(
                    "{}\t{}\tuser {user}\tcreated {}\tlast used {used}\t{state}",
                    t.id, t.name, t.created_at
                );
            }
            db.close().await;
        }
        TokenCommand::Revoke { db, id } => {
            let db = Db::open(&db.db).await?;
            let revoked = auth::revoke_token(
                &mut *db.write.acquire().await.map_err(StoreError::from)?,
                id,
            )
            .await?;
            db.close().await;
            if !revoked {
                return Err(CliError::Message(format!("no live token with id {id}")));
            }
            eprintln!("token {id} revoked");
        }
    }
    Ok(())
}
