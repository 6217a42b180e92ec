//! Taking things out of the archive by hand: `takedown` removes articles
//! (leaving a tombstone; `restore` brings one back from its kept
//! original), `undo` removes what one import brought and rolls back what it
//! added to older articles. Each writes its audit entry in the transaction
//! that makes the change; `remove` is the shared step that deletes
//! articles and relates again the ones that named them.

mod remove;
pub mod restore;
pub mod takedown;
pub mod undo;

use crate::ingest::error::IngestError;
use crate::related::RelatedError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CurateError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Related(#[from] RelatedError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("no article {0} in the archive")]
    UnknownArticle(String),
    #[error("article {0} was not taken down")]
    NotRemoved(String),
    #[error(
        "article {0} cannot be restored: its original was deleted with it (no --keep-original)"
    )]
    OriginalGone(String),
    #[error("article {0} is in the archive again already")]
    AlreadyBack(String),
    #[error("no import {0}")]
    UnknownImport(i64),
    #[error("import {0} is still running; undo it once it has finished")]
    ImportRunning(i64),
    #[error("import {0} was undone already")]
    AlreadyUndone(i64),
}

impl From<sqlx::Error> for CurateError {
    fn from(err: sqlx::Error) -> Self {
        CurateError::Store(err.into())
    }
}

/// Who made a change, as the audit log names them: the web account, or
/// `cli` for the command line.
pub const CLI_ACTOR: &str = "cli";

/// Brings this process's search index up to the change log at once (other
/// processes follow within a second); a failure is logged and the next
/// catch-up applies it.
async fn refresh_search(archive: &crate::archive::Archive) {
    if let Err(err) = crate::search::index::refresh(&archive.search).await {
        tracing::warn!(%err, "the search index could not take the removal yet");
    }
}

/// Counts kept by the importer, recomputed after files were read again
/// (a restore or an undone import rewrites articles without counting).
async fn recount(conn: &mut crate::store::Conn) -> Result<(), CurateError> {
    use crate::store::names::{self, NameTable};
    names::recount_all(conn, NameTable::Sources).await?;
    names::recount_all(conn, NameTable::Tags).await?;
    crate::store::day_counts::recount_all(conn).await?;
    Ok(())
}
