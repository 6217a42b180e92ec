//! The import queue of a running server: uploads become jobs that run one
//! at a time in the background while the site keeps serving, each in an
//! import row created when the job was queued (`/imports/{id}` follows it).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use crate::archive::Archive;
use crate::store::{self, Db, imports};

use super::pipeline::{self, ImportOptions, Input, Quiet};

/// An uploaded file waiting in a temporary file; deleted with the job.
pub struct UploadedFile {
    pub path: tempfile::TempPath,
    /// The name the uploader gave it (a label only, never a path).
    pub name: String,
}

pub struct Job {
    pub import_id: i64,
    pub files: Vec<UploadedFile>,
}

/// Sends jobs to the one import worker, and lets callers wait for them.
#[derive(Clone)]
pub struct ImportQueue {
    jobs: mpsc::UnboundedSender<Job>,
    finished: watch::Receiver<u64>,
}

/// The import worker is gone (its runtime is shutting down): nothing more
/// can be queued.
#[derive(Debug, thiserror::Error)]
#[error("the import worker has stopped")]
pub struct WorkerStopped;

/// Called after every job, e.g. to refresh cached archive totals.
pub type OnFinished = Arc<dyn Fn() + Send + Sync>;

impl ImportQueue {
    /// Starts the worker on the current tokio runtime.
    pub fn start(
        archive: Archive,
        mut options: ImportOptions,
        on_finished: OnFinished,
    ) -> ImportQueue {
        options.background = true;
        let (jobs, mut rx) = mpsc::unbounded_channel::<Job>();
        let (done, finished) = watch::channel(0u64);
        tokio::spawn(async move {
            while let Some(job) = rx.recv().await {
                let inputs = job
                    .files
                    .iter()
                    .map(|f| Input::Upload {
                        path: f.path.to_path_buf(),
                        name: f.name.clone(),
                    })
                    .collect();
                match pipeline::run(&archive, job.import_id, inputs, options.clone(), &Quiet).await
                {
                    Ok(report) => tracing::info!("{}", report.summary(5).trim_end()),
                    Err(err) => {
                        tracing::error!(import = job.import_id, %err, "upload import failed")
                    }
                }
                drop(job.files);
                release_memory();
                on_finished();
                done.send_modify(|n| *n += 1);
            }
        });
        ImportQueue { jobs, finished }
    }

    /// Queues `files` under the already created import row `import_id`.
    pub fn enqueue(&self, import_id: i64, files: Vec<UploadedFile>) -> Result<(), WorkerStopped> {
        self.jobs
            .send(Job { import_id, files })
            .map_err(|_| WorkerStopped)
    }

    /// Waits until import `import_id` is over (or `limit` passes); returns
    /// its row.
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
            {
                return Ok(row);
            }
            match tokio::time::timeout_at(deadline, finished.changed()).await {
                Ok(Ok(())) => continue,
                // Time is up, or the worker is gone: report what there is.
                Ok(Err(_)) | Err(_) => return Ok(row),
            }
        }
    }
}

/// Gives memory freed by a large import back to the system, so a server's
/// resident size returns near its reading baseline after an upload (glibc
/// keeps freed heap otherwise).
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; no pointer is involved.
    unsafe {
        libc::malloc_trim(0);
    }
}
