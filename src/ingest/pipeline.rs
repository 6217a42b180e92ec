//! One import run from start to report: a walker thread reads the inputs,
//! worker threads prepare documents (decode, parse, hash, compress), and
//! the async writer stores them in batches, in input order.
//!
//! Memory stays bounded: at most `IN_FLIGHT` documents exist between the
//! walker and the writer (a token channel enforces it), and a batch holds
//! at most `BATCH_DOCS` documents or `BATCH_BYTES` of text.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::dump::Limits;
use crate::dump::container::{self, Event};
use crate::related;
use crate::store::{self, Db, imports};

use super::prepare::{PreparedDoc, prepare};
use super::report::{LISTED_NEW_ARTICLES, Problem, Report};
use super::writer::{self, BatchOutcome};

/// Documents between the walker and the writer at any time: two batches,
/// so workers fill the next batch while the writer stores one.
const IN_FLIGHT: usize = 4096;
/// Documents per write transaction. Each commit rewrites every index page
/// it touched, and the hash-keyed indexes (identity, permalink, file hash)
/// are touched all over: measured here, 2,048 documents per commit imported
/// 100k pages about 25% faster than 256, for ~60 MiB more memory.
const BATCH_DOCS: usize = 2048;
const BATCH_BYTES: u64 = 32 << 20;
/// Documents waiting for a worker; enough that the walker rarely sleeps.
const JOB_QUEUE: usize = 64;
/// How often the WAL is copied into the database during an import.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);
/// `total` before the counting thread is done.
const UNKNOWN: u64 = u64::MAX;

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
}

/// What the walker and workers hand to the writer, in input order.
enum Step {
    Prepared(Box<PreparedDoc>),
    Rejected(Problem),
    FileRead,
}

/// Runs an import into the already created import row `import_id`, and
/// finishes that row with the report.
pub async fn run(
    db: &Db,
    import_id: i64,
    inputs: Vec<Input>,
    options: ImportOptions,
    progress: &dyn Progress,
) -> store::Result<Report> {
    let relate = !options.defer_relations;
    let result = run_inner(db, import_id, inputs, options, progress).await;
    if relate {
        db.related.lock().await.release();
    }
    if let Err(err) = &result {
        let failure = Report {
            import_id,
            error: Some(err.to_string()),
            ..Report::default()
        };
        let json = serde_json::to_string(&failure).expect("report serializes");
        if let Ok(mut conn) = db.write.acquire().await {
            let _ = imports::finish(&mut conn, import_id, "failed", &json).await;
        }
    }
    result
}

async fn run_inner(
    db: &Db,
    import_id: i64,
    inputs: Vec<Input>,
    options: ImportOptions,
    progress: &dyn Progress,
) -> store::Result<Report> {
    imports::set_status(&mut *db.write.acquire().await?, import_id, "running").await?;
    let _checkpointer = db.spawn_checkpointer(CHECKPOINT_EVERY).await?;
    let total = Arc::new(AtomicU64::new(UNKNOWN));
    spawn_counter(inputs.clone(), total.clone());
    let relate = !options.defer_relations;
    if !relate {
        // First, so that even an interrupted import leaves them marked.
        related::mark_outdated(&mut *db.write.acquire().await?).await?;
    }
    let (tokens_tx, tokens_rx) = sync_channel::<()>(IN_FLIGHT);
    for _ in 0..IN_FLIGHT {
        tokens_tx.send(()).expect("capacity IN_FLIGHT");
    }
    let (steps_tx, mut steps_rx) = mpsc::channel::<(u64, Step)>(IN_FLIGHT);
    spawn_walker(inputs, options, tokens_rx, steps_tx);

    let mut run = Run::new(import_id, relate);
    let mut pending: BTreeMap<u64, Step> = BTreeMap::new();
    let mut next = 0u64;
    while let Some((seq, step)) = steps_rx.recv().await {
        pending.insert(seq, step);
        while let Some(step) = pending.remove(&next) {
            next += 1;
            let _ = tokens_tx.try_send(());
            if run.take(step) {
                run.flush(db, &total, progress).await?;
            }
        }
    }
    run.flush(db, &total, progress).await?;
    if let Err(err) = crate::search::index::refresh(db).await {
        // Everything is stored and logged: the next catch-up indexes it.
        tracing::warn!(%err, "the search index could not take the import yet");
    }
    let report = run.report;
    let json = serde_json::to_string(&report).expect("report serializes");
    imports::finish(&mut *db.write.acquire().await?, import_id, "done", &json).await?;
    Ok(report)
}

/// The writer's side of a run: the batch being filled and the report.
struct Run {
    report: Report,
    batch: Vec<PreparedDoc>,
    batch_bytes: u64,
    /// Relate each batch as it is stored (not when relations are deferred).
    relate: bool,
}

impl Run {
    fn new(import_id: i64, relate: bool) -> Run {
        Run {
            report: Report {
                import_id,
                ..Report::default()
            },
            batch: Vec::new(),
            batch_bytes: 0,
            relate,
        }
    }

    /// Takes one step; true when the batch is full.
    fn take(&mut self, step: Step) -> bool {
        match step {
            Step::FileRead => self.report.files += 1,
            Step::Rejected(problem) => self.report.rejected.push(problem),
            Step::Prepared(doc) => {
                self.batch_bytes += doc.size;
                self.report.warnings.extend(
                    doc.warnings
                        .iter()
                        .map(|w| Problem::warning(doc.name.clone(), w.clone())),
                );
                self.batch.push(*doc);
            }
        }
        self.batch.len() >= BATCH_DOCS || self.batch_bytes >= BATCH_BYTES
    }

    /// Stores the batch: one transaction for all of it, or, if that fails,
    /// one per document so a bad document cannot take the others with it.
    async fn flush(
        &mut self,
        db: &Db,
        total: &AtomicU64,
        progress: &dyn Progress,
    ) -> store::Result<()> {
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        if !batch.is_empty() {
            match self.commit(db, &batch, known(total)).await {
                Ok(outcome) => self.absorb(outcome),
                Err(err) => {
                    tracing::warn!(%err, "batch failed, storing its documents one by one");
                    for doc in &batch {
                        match self
                            .commit(db, std::slice::from_ref(doc), known(total))
                            .await
                        {
                            Ok(outcome) => self.absorb(outcome),
                            Err(err) => self.report.rejected.push(Problem {
                                file: doc.name.clone(),
                                reason: format!("could not be stored: {err}"),
                                code: "storage".to_owned(),
                            }),
                        }
                    }
                }
            }
        }
        if let Some(files) = known(total) {
            progress.total(files);
        }
        progress.advanced(self.report.files, self.report.articles_seen());
        Ok(())
    }

    async fn commit(
        &self,
        db: &Db,
        docs: &[PreparedDoc],
        total: Option<u64>,
    ) -> store::Result<BatchOutcome> {
        // Taken before the write connection, in the order `relate --all`
        // takes them (the other order could deadlock against it).
        let mut resident = if self.relate {
            Some(db.related.lock().await)
        } else {
            None
        };
        let mut tx = db.write.begin_with("BEGIN IMMEDIATE").await?;
        if let Some(files) = total {
            imports::set_total(&mut tx, self.report.import_id, files as i64).await?;
        }
        let mut outcome = writer::write_batch(&mut tx, self.report.import_id, docs).await?;
        let texts = std::mem::take(&mut outcome.texts);
        if let Some(resident) = resident.as_deref_mut() {
            let related =
                related::relate_texts(&mut tx, resident, texts, &outcome.touched_ids).await?;
            outcome.related_links += related.links_added;
        }
        let articles = self.report.articles_seen()
            + outcome.articles_new
            + outcome.articles_enriched
            + outcome.articles_duplicate;
        imports::set_progress(
            &mut tx,
            self.report.import_id,
            self.report.files as i64,
            articles as i64,
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    fn absorb(&mut self, outcome: BatchOutcome) {
        let r = &mut self.report;
        r.articles_new += outcome.articles_new;
        r.articles_enriched += outcome.articles_enriched;
        r.articles_duplicate += outcome.articles_duplicate;
        r.related_links += outcome.related_links;
        let room = LISTED_NEW_ARTICLES.saturating_sub(r.new_articles.len());
        r.new_articles
            .extend(outcome.new_articles.into_iter().take(room));
    }
}

/// Lowers the calling thread's scheduling priority (nice 10) when asked.
fn lower_priority(background: bool) {
    #[cfg(target_os = "linux")]
    if background {
        // SAFETY: `setpriority` on the calling thread's own id; no memory is shared.
        unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, 10);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = background;
}

/// The total from the counting thread, once it is done.
fn known(total: &AtomicU64) -> Option<u64> {
    Some(total.load(Ordering::Relaxed)).filter(|&n| n != UNKNOWN)
}

/// Walks every input on its own thread, handing documents to workers.
fn spawn_walker(
    inputs: Vec<Input>,
    options: ImportOptions,
    tokens: Receiver<()>,
    steps: mpsc::Sender<(u64, Step)>,
) {
    let workers = match options.workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1)),
        n => n,
    };
    let (jobs_tx, jobs_rx) = sync_channel::<(u64, Event)>(JOB_QUEUE);
    let jobs_rx = Arc::new(Mutex::new(jobs_rx));
    let background = options.background;
    for _ in 0..workers {
        let jobs = jobs_rx.clone();
        let steps = steps.clone();
        let limits = options.limits.clone();
        std::thread::spawn(move || {
            lower_priority(background);
            work(&jobs, &steps, &limits)
        });
    }
    std::thread::spawn(move || {
        lower_priority(background);
        walk(&inputs, &options.limits, &tokens, &jobs_tx)
    });
}

fn walk(inputs: &[Input], limits: &Limits, tokens: &Receiver<()>, jobs: &SyncSender<(u64, Event)>) {
    let mut seq = 0u64;
    let mut stopped = false;
    let mut sink = |event: Event| {
        if stopped || tokens.recv().is_err() || jobs.send((seq, event)).is_err() {
            stopped = true;
            return;
        }
        seq += 1;
    };
    for input in inputs {
        match input {
            Input::Path(path) => {
                if let Err(err) = container::walk_path(path, limits, &mut sink) {
                    sink(Event::Rejected {
                        name: path.display().to_string(),
                        reason: crate::dump::Reject::Io(err.to_string()),
                    });
                }
            }
            Input::Upload { path, name } => container::walk_file(path, name, limits, &mut sink),
        }
    }
}

fn work(jobs: &Mutex<Receiver<(u64, Event)>>, steps: &mpsc::Sender<(u64, Step)>, limits: &Limits) {
    loop {
        let job = jobs.lock().map(|rx| rx.recv());
        let Ok(Ok((seq, event))) = job else { return };
        let step = match event {
            Event::FileRead => Step::FileRead,
            Event::Rejected { name, reason } => Step::Rejected(Problem::rejected(name, &reason)),
            Event::Document(doc) => {
                let name = doc.name.clone();
                match prepare(doc, limits) {
                    Ok(prepared) => Step::Prepared(Box::new(prepared)),
                    Err(reason) => Step::Rejected(Problem::rejected(name, &reason)),
                }
            }
        };
        if steps.blocking_send((seq, step)).is_err() {
            return;
        }
    }
}

/// Counts the files to read on a thread of its own, so progress can show a
/// total without delaying the import itself.
fn spawn_counter(inputs: Vec<Input>, total: Arc<AtomicU64>) {
    std::thread::spawn(move || {
        let files = inputs
            .iter()
            .map(|input| match input {
                Input::Path(path) => container::count_path(path),
                Input::Upload { path, name } => container::count_file(path, name),
            })
            .sum();
        total.store(files, Ordering::Relaxed);
    });
}
