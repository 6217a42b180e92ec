//! One file per command. Each takes its parsed arguments and returns a
//! `CliError` whose one-line message `main` prints.

pub mod admin;
pub mod backup;
pub mod copy;
pub mod curate;
pub mod export;
pub mod import;
mod progress;
pub mod reindex;
pub mod relate;
pub mod reparse;
pub mod serve;
pub mod user;

use crate::config::Command;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Related(#[from] crate::related::RelatedError),
    #[error(transparent)]
    Ingest(#[from] crate::ingest::error::IngestError),
    #[error(transparent)]
    Curate(#[from] crate::curate::CurateError),
    #[error(transparent)]
    Copy(#[from] crate::store::copy::CopyError),
    #[error(transparent)]
    Index(#[from] crate::search::IndexError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Message(String),
}

/// Acquiring a connection fails as a store error does.
impl From<sqlx::Error> for CliError {
    fn from(err: sqlx::Error) -> Self {
        CliError::Store(err.into())
    }
}

pub async fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve(args) => serve::run(args).await,
        Command::Import(args) => import::run(args).await,
        Command::Export(args) => export::run(args).await,
        Command::Reparse(args) => reparse::run(args).await,
        Command::Reindex(args) => reindex::run(args).await,
        Command::Relate(args) => relate::run(args).await,
        Command::Backup(args) => backup::backup(args).await,
        Command::Copy(args) => copy::run(args).await,
        Command::Restore(args) => backup::restore(args).await,
        Command::Remove(args) => curate::remove(args).await,
        Command::RestoreArticle(args) => curate::restore(args).await,
        Command::Imports(command) => curate::imports(command).await,
        Command::Admin(command) => admin::admin(command).await,
        Command::Token(command) => admin::token(command).await,
        Command::User(command) => user::run(command).await,
    }
}
