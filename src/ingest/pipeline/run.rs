//! The writer's side of an import run: documents gathered into batches in
//! input order, each batch stored (and related) in one transaction, the
//! report kept as batches commit.

use std::sync::atomic::AtomicU64;

use crate::store::Conn;

use crate::related::{self, Relating};
use crate::store::{self, Db, disk, imports};

use super::super::error::{IngestError, Result};
use super::super::fault;
use super::super::prepare::PreparedDoc;
use super::super::report::{LISTED_NEW_ARTICLES, Problem, Report};
use super::super::writer::{self, BatchOutcome};
use super::Progress;
use super::walker::known;
use super::workers::Step;

/// Documents per write transaction. Each commit rewrites every index page
/// it touched, and the hash-keyed indexes (identity, permalink, file hash)
/// and the relations' reverse index are touched all over, so larger batches
/// import faster for a little more memory (README, "Where the late
/// import's time goes": 30,000 pages into a 1M archive spent 73.7 s storing
/// and relating in batches of 2,048, 61.3 s at 4,096 and 54.1 s at 8,192,
/// peak RSS 1,044, 1,086 and 1,283 MiB).
const BATCH_DOCS: usize = 4096;
const BATCH_BYTES: u64 = 32 << 20;

/// The writer's side of a run: the batch being filled and the report.
pub(super) struct Run {
    pub report: Report,
    batch: Vec<PreparedDoc>,
    batch_bytes: u64,
    batch_docs: usize,
    /// Relate each batch as it is stored (not when relations are deferred).
    relating: Option<Relating>,
}

impl Run {
    pub fn new(import_id: i64, relating: Option<Relating>, batch_docs: usize) -> Run {
        Run {
            report: Report {
                import_id,
                ..Report::default()
            },
            batch: Vec::new(),
            batch_bytes: 0,
            batch_docs: Some(batch_docs).filter(|&n| n > 0).unwrap_or(BATCH_DOCS),
            relating,
        }
    }

    /// Takes one step; true when the batch is full.
    pub fn take(&mut self, step: Step) -> bool {
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
        self.batch.len() >= self.batch_docs || self.batch_bytes >= BATCH_BYTES
    }

    /// Stores the batch in one transaction, or if that fails one per document
    /// (a bad one cannot sink the rest; a full disk fails all: the run stops).
    pub async fn flush(
        &mut self,
        db: &Db,
        total: &AtomicU64,
        progress: &dyn Progress,
    ) -> Result<()> {
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        if !batch.is_empty() {
            match self.commit(db, &batch, known(total)).await {
                Ok(outcome) => self.absorb(outcome),
                Err(IngestError::Store(err)) if disk::is_write_failure(&err) => {
                    return Err(db.write_failure(err).into());
                }
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

    /// One transaction: the batch stored, then related (when relations are
    /// not deferred) with the resident set held from before it begins.
    async fn commit(
        &self,
        db: &Db,
        docs: &[PreparedDoc],
        total: Option<u64>,
    ) -> Result<BatchOutcome> {
        let Some(relating) = &self.relating else {
            let mut tx = db.write.begin_writing().await?;
            let outcome = self.store(&mut tx, docs, total).await?;
            tx.commit().await?;
            fault::batch_committed();
            return Ok(outcome);
        };
        let mut stages = crate::stages::Stages::start();
        let mut run = relating.hold().await;
        let mut tx = run.begin(db).await?;
        stages.done("begin");
        let mut outcome = self.store(&mut tx, docs, total).await?;
        stages.done("store");
        let texts = std::mem::take(&mut outcome.texts);
        let related = related::relate_texts(&mut tx, texts, &outcome.touched_ids).await?;
        outcome.related_links += related.links_added;
        stages.done("relate");
        tx.commit().await?;
        stages.done("commit");
        fault::batch_committed();
        tracing::debug!(
            documents = docs.len(),
            "stored a batch: {} ms",
            stages.summary()
        );
        Ok(outcome)
    }

    /// Writes the batch and the run's progress inside the caller's transaction.
    async fn store(
        &self,
        conn: &mut Conn,
        docs: &[PreparedDoc],
        total: Option<u64>,
    ) -> store::Result<BatchOutcome> {
        if let Some(files) = total {
            imports::set_total(conn, self.report.import_id, files as i64).await?;
        }
        let outcome = writer::write_batch(conn, self.report.import_id, docs).await?;
        let articles = self.report.articles_seen()
            + outcome.articles_new
            + outcome.articles_enriched
            + outcome.articles_duplicate;
        imports::set_progress(
            conn,
            self.report.import_id,
            self.report.files as i64,
            articles as i64,
        )
        .await?;
        Ok(outcome)
    }

    fn absorb(&mut self, outcome: BatchOutcome) {
        let r = &mut self.report;
        r.articles_new += outcome.articles_new;
        r.articles_enriched += outcome.articles_enriched;
        r.articles_duplicate += outcome.articles_duplicate;
        r.articles_removed_earlier += outcome.articles_removed_earlier;
        r.related_links += outcome.related_links;
        let room = LISTED_NEW_ARTICLES.saturating_sub(r.new_articles.len());
        r.new_articles
            .extend(outcome.new_articles.into_iter().take(room));
    }
}
