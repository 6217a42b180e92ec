//! One archive as a process works on it: its database and what is kept
//! beside it in memory while the process runs (the relating engine's
//! resident set). Commands and the server open an `Archive`; the stages
//! below it take the parts they need, so `store` knows nothing of the
//! engines that use it.

use std::path::Path;

use crate::related::Relating;
use crate::store::{Db, StoreError};

/// An open archive (cheap to clone: pools and shared state).
#[derive(Debug, Clone)]
pub struct Archive {
    pub db: Db,
    /// The relating engine's resident set, shared by every import,
    /// reparse and `relate` of this process.
    pub relating: Relating,
}

impl Archive {
    /// Opens (creating it if needed) the archive database at `path`.
    pub async fn open(path: &Path) -> Result<Archive, StoreError> {
        Ok(Archive::new(Db::open(path).await?))
    }

    /// The archive of an open database, with nothing held in memory yet.
    pub fn new(db: Db) -> Archive {
        Archive {
            db,
            relating: Relating::default(),
        }
    }

    /// Flushes the WAL into the database file and closes it.
    pub async fn close(self) {
        self.db.close().await;
    }
}
