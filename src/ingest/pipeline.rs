//! One import run from start to report: a walker thread reads the inputs,
//! worker threads prepare documents (decode, parse, hash, compress), and
//! the async writer stores them in batches, in input order.
//!
//! Memory stays bounded: at most `IN_FLIGHT` documents exist between the
//! walker and the writer (a token channel enforces it), and a batch holds
//! at most `BATCH_DOCS` documents or `BATCH_BYTES` of text.

mod run;
mod walker;
mod workers;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::sync_channel;

use tokio::sync::mpsc;

use crate::archive::Archive;
use crate::dump::Limits;
use crate::related;
use crate::store::{CHECKPOINT_EVERY, imports};

use super::error::{IngestError, Result};
use super::report::Report;
use run::Run;
use walker::{UNKNOWN, spawn_counter, spawn_walker};
use workers::{Handed, Step};

/// Documents between the walker and the writer at any time: a batch's
/// worth (a document's token comes back as it joins the batch), so workers
/// fill the next batch while the writer stores one.
const IN_FLIGHT: usize = 4096;

/// Something to import.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file or folder given on the command line; reports name members
    /// relative to it.
    Path(PathBuf),
    /// An uploaded file saved at `path`, reported under its original `name`.
    Upload { path: PathBuf, name: String },
}

/// Receives progress as batches commit (terminal bar, web page).
pub trait Progress: Send + Sync {
    /// Total files and members to read, once known.
    fn total(&self, _files: u64) {}
    /// Files read and articles stored so far.
    fn advanced(&self, _files_done: u64, _articles_done: u64) {}
}

/// No progress display.
pub struct Quiet;
impl Progress for Quiet {}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub limits: Limits,
    /// Threads preparing documents; 0 picks one per core but one.
    pub workers: usize,
    /// Run the reading and parsing threads at a lower OS priority, so a
    /// server keeps answering readers quickly during an upload's import.
    pub background: bool,
    /// Store without relating: a first bulk load is faster as one
    /// `relate --all` afterwards (which the next `serve` or `relate` runs).
    pub defer_relations: bool,
    /// Documents per write transaction; 0 is the default (crash tests use few).
    pub batch_docs: usize,
}

/// Runs an import into the already created import row `import_id`, and
/// finishes that row with the report.
pub async fn run(
    archive: &Archive,
    import_id: i64,
    inputs: Vec<Input>,
    options: ImportOptions,
    progress: &dyn Progress,
) -> Result<Report> {
    let relate = !options.defer_relations;
    let result = run_inner(archive, import_id, inputs, options, progress).await;
    if relate {
        archive.relating.release().await;
    }
    if let Err(err) = &result {
        record_failure(&archive.db, import_id, &err.to_string()).await;
    }
    result
}

async fn run_inner(
    archive: &Archive,
    import_id: i64,
    inputs: Vec<Input>,
    options: ImportOptions,
    progress: &dyn Progress,
) -> Result<Report> {
    let db = &archive.db;
    imports::set_status(&mut *db.write.acquire().await?, import_id, "running").await?;
    let checkpointer = db.spawn_checkpointer(CHECKPOINT_EVERY).await?;
    let total = Arc::new(AtomicU64::new(UNKNOWN));
    let threads = |source| IngestError::Io {
        what: "cannot start the import's threads",
        source,
    };
    spawn_counter(inputs.clone(), total.clone()).map_err(threads)?;
    let relate = !options.defer_relations;
    if !relate {
        // First, so that even an interrupted import leaves them marked.
        related::mark_outdated(&mut *db.write.acquire().await?).await?;
    }
    let (tokens_tx, tokens_rx) = sync_channel::<()>(IN_FLIGHT);
    for _ in 0..IN_FLIGHT {
        tokens_tx.send(()).expect("capacity IN_FLIGHT");
    }
    let (steps_tx, mut steps_rx) = mpsc::channel::<Handed>(IN_FLIGHT);
    let mut run = Run::new(
        import_id,
        relate.then(|| archive.relating.clone()),
        options.batch_docs,
    );
    spawn_walker(inputs, options, tokens_rx, steps_tx).map_err(threads)?;
    let mut pending: BTreeMap<u64, std::result::Result<Step, _>> = BTreeMap::new();
    let mut next = 0u64;
    while let Some((seq, step)) = steps_rx.recv().await {
        pending.insert(seq, step);
        while let Some(step) = pending.remove(&next) {
            next += 1;
            let _ = tokens_tx.try_send(());
            let step = step.map_err(|stopped| IngestError::Worker {
                thread: stopped.thread,
                source: Box::new(stopped.cause),
            })?;
            if run.take(step) {
                run.flush(db, &total, progress).await?;
            }
        }
    }
    run.flush(db, &total, progress).await?;
    if let Err(err) = crate::search::index::refresh(&archive.search).await {
        // Everything is stored and logged: the next catch-up indexes it.
        tracing::warn!(%err, "the search index could not take the import yet");
    }
    checkpointer.stop().await;
    let report = run.report;
    let json = serde_json::to_string(&report).expect("report serializes");
    imports::finish(&mut *db.write.acquire().await?, import_id, "done", &json).await?;
    Ok(report)
}

/// Ends import `import_id` as failed, its report naming `error`; best
/// effort (the failure is already logged by the caller).
pub(crate) async fn record_failure(db: &crate::store::Db, import_id: i64, error: &str) {
    let failure = Report {
        import_id,
        error: Some(error.to_owned()),
        ..Report::default()
    };
    let json = serde_json::to_string(&failure).expect("report serializes");
    if let Ok(mut conn) = db.write.acquire().await {
        let _ = imports::finish(&mut conn, import_id, "failed", &json).await;
    }
}
