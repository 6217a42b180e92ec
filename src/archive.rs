//! One archive as a process works on it: its database and what is kept
//! beside it while the process runs (the relating engine's resident set,
//! the search index derived from the database). Commands and the server open an `Archive`; the stages
//! below it take the parts they need, so `store` knows nothing of the
//! engines that use it.

use std::path::Path;

use crate::related::Relating;
use crate::search::index::Slot;
use crate::store::{DEFAULT_CONNECTIONS, Db, FileReads, StoreError};

/// An open archive (cheap to clone: pools and shared state).
#[derive(Debug, Clone)]
pub struct Archive {
    pub db: Db,
    /// The relating engine's resident set, shared by every import,
    /// reparse and `relate` of this process.
    pub relating: Relating,
    /// The search index, opened on first use and shared by every clone.
    pub search: Slot,
}

impl Archive {
    /// Opens (creating it if needed) the archive database at `path`.
    pub async fn open(path: &Path) -> Result<Archive, StoreError> {
        Ok(Archive::new(Db::open(path).await?))
    }

    /// [`open`](Self::open) with `connections` database connections per
    /// pool (`serve --db-connections`).
    pub async fn open_with(path: &Path, connections: u32) -> Result<Archive, StoreError> {
        Ok(Archive::new(Db::open_with(path, connections).await?))
    }

    /// [`open`](Self::open) for a command that works through the archive
    /// and exits (`import`, `reindex`, `relate`, `reparse`, `remove`,
    /// `imports undo`): it reads the database and the search index by
    /// copying, not mapping them (`FileReads::Copied`), so its memory does
    /// not grow with the archive.
    pub async fn open_for_batch(path: &Path) -> Result<Archive, StoreError> {
        let db = Db::open_reading(path, DEFAULT_CONNECTIONS, FileReads::Copied).await?;
        Ok(Archive::new(db))
    }

    /// The archive of an open database, with nothing held in memory yet.
    pub fn new(db: Db) -> Archive {
        Archive {
            search: Slot::new(db.clone()),
            db,
            relating: Relating::default(),
        }
    }

    /// This archive through database connections opened by the calling
    /// thread (`Db::opened_here`), sharing the resident set and the search
    /// index: for background work on a lowered thread. Should they not
    /// open, the shared ones (the work runs, at the pages' priority).
    pub async fn with_connections_opened_here(&self) -> Archive {
        match self.db.opened_here().await {
            Ok(db) => Archive { db, ..self.clone() },
            Err(err) => {
                tracing::warn!(%err, "background work uses the shared connections");
                self.clone()
            }
        }
    }

    /// Lets go of the search index's writer (after its merges end), flushes
    /// the WAL into the database file and closes it.
    pub async fn close(self) {
        self.search.close().await;
        self.db.close().await;
    }
}
