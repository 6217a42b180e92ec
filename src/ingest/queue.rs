//! The import queue of the running servers: uploads become jobs (rows, see
//! `store::jobs`, their files in the database) that run one at a time in
//! the background — across every `serve` node of the archive, whichever
//! takes the job — while the site keeps serving. Each job runs in the
//! import row created when it was queued, so `/imports/{id}` follows it
//! from any node.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};

use crate::archive::Archive;
use crate::store::{self, Db, imports, jobs, uploads};

use super::pipeline::{self, ImportOptions, Input, Quiet};
use super::upload_files::{self, Received};

/// How often a node looks for jobs queued by another node (its own
/// uploads wake it at once).
const POLL: Duration = Duration::from_secs(1);
/// How often a waiting caller looks at the import's row.
const WAIT_POLL: Duration = Duration::from_millis(200);
/// How old a file without a job is before it counts as left behind by a
/// node that died while receiving it.
const ORPHAN_AGE: time::Duration = time::Duration::days(1);

/// Queues jobs, wakes this node's worker, and lets callers wait for them.
#[derive(Clone)]
pub struct ImportQueue {
    db: Db,
    wake: Arc<Notify>,
    finished: watch::Receiver<u64>,
}

/// Called after every job this node ran, e.g. to refresh cached totals.
pub type OnFinished = Arc<dyn Fn() + Send + Sync>;

/// What the worker needs besides the archive.
struct Worker {
    archive: Archive,
    options: ImportOptions,
    /// Where a job's files are copied for its import.
    upload_dir: PathBuf,
    /// Who this node is, in the job row and the logs.
    node: String,
    on_finished: OnFinished,
    done: watch::Sender<u64>,
}

impl ImportQueue {
    /// Starts this node's worker on the current tokio runtime.
    pub fn start(
        archive: Archive,
        mut options: ImportOptions,
        upload_dir: PathBuf,
        on_finished: OnFinished,
    ) -> ImportQueue {
        options.background = true;
        let wake = Arc::new(Notify::new());
        let (done, finished) = watch::channel(0u64);
        let db = archive.db.clone();
        let worker = Worker {
            archive,
            options,
            upload_dir,
            node: node_name(),
            on_finished,
            done,
        };
        tokio::spawn(worker.run(wake.clone()));
        ImportQueue { db, wake, finished }
    }

    /// Queues the received `files` as a job in a new import row (`origin`,
    /// started by the account `started_by`); returns the import's id.
    pub async fn enqueue(
        &self,
        origin: &str,
        started_by: &str,
        mut files: Received,
    ) -> store::Result<i64> {
        files.end_file().await?;
        let ids = files.into_ids();
        let import_id = jobs::queue(&self.db, origin, started_by, &ids).await?;
        self.wake.notify_one();
        Ok(import_id)
    }

    /// Waits until import `import_id` is over (or `limit` passes), on
    /// whichever node it runs; returns its row.
    pub async fn wait(
        &self,
        db: &Db,
        import_id: i64,
        limit: Duration,
    ) -> store::Result<Option<imports::ImportRow>> {
        let mut finished = self.finished.clone();
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let row = imports::get(&mut *db.read.acquire().await?, import_id).await?;
            if row
                .as_ref()
                .is_none_or(|r| !matches!(r.status.as_str(), "queued" | "running"))
                || tokio::time::Instant::now() >= deadline
            {
                return Ok(row);
            }
            let next = deadline.min(tokio::time::Instant::now() + WAIT_POLL);
            tokio::select! {
                _ = finished.changed() => {}
                _ = tokio::time::sleep_until(next) => {}
            }
        }
    }
}

/// Ends what a stopped node left: its running job (the import is marked
/// interrupted), and files of uploads it was still receiving. Does
/// nothing while another node runs a job (that node holds the lock).
/// Called when a server starts and whenever a worker takes the lock.
pub async fn recover(db: &Db) -> store::Result<u64> {
    let mut lock = jobs::JobLock::new(db);
    let marked = if lock.try_take().await? {
        recover_holding(db).await
    } else {
        Ok(0)
    };
    lock.close().await;
    marked
}

async fn recover_holding(db: &Db) -> store::Result<u64> {
    let marked = jobs::recover(db).await?;
    let cutoff = (time::OffsetDateTime::now_utc() - ORPHAN_AGE)
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    uploads::delete_orphans(&mut *db.write.acquire().await?, &cutoff).await?;
    if marked > 0 {
        tracing::warn!("{marked} upload import(s) stopped with their node; marked interrupted");
    }
    Ok(marked)
}

impl Worker {
    async fn run(self, wake: Arc<Notify>) {
        let mut lock = jobs::JobLock::new(&self.archive.db);
        loop {
            if let Err(err) = self.run_queued(&mut lock).await {
                tracing::error!(%err, "the import worker could not take a job");
            }
            if let Err(err) = lock.release().await {
                tracing::warn!(%err, "the import worker could not release its lock");
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Runs every queued job, if this node gets the lock.
    async fn run_queued(&self, lock: &mut jobs::JobLock) -> store::Result<()> {
        let db = &self.archive.db;
        if !jobs::any(&mut *db.read.acquire().await?).await? || !lock.try_take().await? {
            return Ok(());
        }
        recover_holding(db).await?;
        loop {
            // Not in the loop's head: the write connection would be held
            // through the import, which needs it.
            let claimed = jobs::claim(&mut *db.write.acquire().await?, &self.node).await?;
            let Some(import_id) = claimed else {
                return Ok(());
            };
            self.run_job(import_id).await;
            jobs::finish(&mut *db.write.acquire().await?, import_id).await?;
            release_memory();
            (self.on_finished)();
            self.done.send_modify(|n| *n += 1);
        }
    }

    async fn run_job(&self, import_id: i64) {
        let db = &self.archive.db;
        let files = match upload_files::fetch(db, import_id, &self.upload_dir).await {
            Ok(files) => files,
            Err(err) => {
                tracing::error!(import = import_id, %err, "upload import failed");
                pipeline::record_failure(db, import_id, &err.to_string()).await;
                return;
            }
        };
        let inputs = files
            .iter()
            .map(|f| Input::Upload {
                path: f.path.to_path_buf(),
                name: f.name.clone(),
            })
            .collect();
        let options = self.options.clone();
        match pipeline::run(&self.archive, import_id, inputs, options, &Quiet).await {
            Ok(report) => tracing::info!(
                "import {import_id} ran on {}: {}",
                self.node,
                report.summary(5).trim_end()
            ),
            Err(err) => tracing::error!(import = import_id, %err, "upload import failed"),
        }
    }
}

/// This node as the job rows and logs name it: host and process id.
fn node_name() -> String {
    format!("{}:{}", host_name(), std::process::id())
}

#[cfg(unix)]
fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into `buf`.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
        return "localhost".to_owned();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

#[cfg(not(unix))]
fn host_name() -> String {
    std::env::var("COMPUTERNAME").unwrap_or_else(|_| "localhost".to_owned())
}

/// Gives memory freed by a large import back to the system, so a server's
/// resident size returns near its reading baseline after an upload. Rust's
/// allocations are mimalloc's, which returns freed pages by itself; SQLite's
/// are glibc's, which keeps freed heap otherwise.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; no pointer is involved.
    unsafe {
        libc::malloc_trim(0);
    }
}
