//! The ingest stages' error: what stopped an import or a reparse as a
//! whole (a single bad document is a rejection in the report instead).

use crate::related::RelatedError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Related(#[from] RelatedError),
    #[error("{what}: {source}")]
    Io {
        what: &'static str,
        source: std::io::Error,
    },
    /// A thread of the run (walker, worker) stopped before its work was
    /// done: a bug, reported rather than leaving the import waiting.
    #[error("the import's {thread} thread stopped: {source}")]
    Worker {
        thread: &'static str,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Acquiring a connection or committing fails as the store does.
impl From<sqlx::Error> for IngestError {
    fn from(err: sqlx::Error) -> Self {
        IngestError::Store(err.into())
    }
}

/// A thread that panicked, with what it said.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Panicked(pub String);

impl Panicked {
    /// The message of a panic's payload (`panic!` gives a `&str` or a `String`).
    pub fn from_payload(payload: &(dyn std::any::Any + Send)) -> Panicked {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panicked".to_owned());
        Panicked(message)
    }
}

pub type Result<T, E = IngestError> = std::result::Result<T, E>;
