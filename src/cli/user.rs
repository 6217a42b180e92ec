//! `arshif user add|list|remove|role`: accounts from the command line,
//! recorded in the audit log with the actor `cli`.

use crate::accounts::{self, AccountError};
use crate::config::UserCommand;
use crate::store::{Db, users};

use super::CliError;
use super::admin::read_password;

/// The audit log's actor for changes made on the command line.
const ACTOR: &str = "cli";

pub async fn run(command: UserCommand) -> Result<(), CliError> {
    match command {
        UserCommand::Add { db, name, role } => {
            let password = read_password(&format!("password for {name}: "))?;
            let db = Db::open(&db.db).await?;
            let added = accounts::add(&db, ACTOR, &name, &password, role).await;
            db.close().await;
            added?;
            eprintln!("user {name} added as {role}");
        }
        UserCommand::List(args) => {
            let db = Db::open(&args.db).await?;
            let listed = users::list(&mut *db.read.acquire().await?).await;
            db.close().await;
            for user in listed? {
                println!("{}\t{}\tadded {}", user.name, user.role(), user.created_at);
            }
        }
        UserCommand::Remove { db, name } => {
            let db = Db::open(&db.db).await?;
            let removed = accounts::remove(&db, ACTOR, &name).await;
            db.close().await;
            removed?;
            eprintln!("user {name} removed; its sessions and API tokens no longer work");
        }
        UserCommand::Role { db, name, role } => {
            let db = Db::open(&db.db).await?;
            let changed = accounts::set_role(&db, ACTOR, &name, role).await;
            db.close().await;
            changed?;
            eprintln!("user {name} is now {role}");
        }
    }
    Ok(())
}

impl From<AccountError> for CliError {
    fn from(err: AccountError) -> Self {
        match err {
            AccountError::Store(err) => CliError::Store(err),
            other => CliError::Message(other.to_string()),
        }
    }
}
