//! Keeping the index in step with the database. The database is the source
//! of truth; every article write appends the article's id to `search_log`
//! in its own transaction. Applying the log replaces those articles in the
//! index (or removes them, when gone) and commits with the last sequence
//! number applied in the commit's payload, so after any crash the next
//! catch-up starts where the last commit ended; applying an entry twice is
//! harmless. An index made by another schema or analyzer, from another
//! database, or never committed, is rebuilt by walking every article, with
//! the archive's frequent words derived anew (`common.rs`); every commit
//! records them, and a catch-up indexes with those of the last commit.

use std::collections::HashSet;
use std::sync::Arc;

use crate::store::{self, Db};

use super::writer::Writer;
use super::{CommonWords, IndexError, Result, SearchIndex, Stamp};

/// Log entries read per round.
const CHANGES_PER_ROUND: u32 = 2_000;
/// Articles read per round of a rebuild.
const ARTICLES_PER_ROUND: u32 = 1_000;
/// Articles applied between two commits of a rebuild, so that a crash in
/// the middle does not lose all of it.
const COMMIT_EVERY: u64 = 100_000;
/// Articles applied between two commits of a catch-up. Until a commit the
/// writer holds what it indexed (its memory arena) and a removal for each
/// replaced article; an import logs articles faster than they are indexed,
/// so a catch-up that never reaches the end of the log commits only here.
const CATCH_UP_COMMIT_EVERY: u64 = 20_000;

/// Brings `index` up to date (see [`sync`]) with a progress display.
pub(super) async fn ensure(
    index: &SearchIndex,
    db: &Db,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<u64> {
    sync(index, db, progress, false).await
}

/// Applies what the log holds past the last commit.
pub(super) async fn catch_up(index: &SearchIndex, db: &Db) -> Result<u64> {
    sync(index, db, &|_, _| {}, false).await
}

/// Rebuilds the whole index, then applies what arrived meanwhile.
pub(super) async fn rebuild(
    index: &SearchIndex,
    db: &Db,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<u64> {
    sync(index, db, progress, true).await
}

/// Takes the writer (or the folder's lock, if it came free), rebuilds when
/// asked or when the index does not fit this code and database, and
/// applies the log. A process that cannot write only reloads. Returns the
/// articles written.
async fn sync(
    index: &SearchIndex,
    db: &Db,
    progress: &(dyn Fn(u64, u64) + Sync),
    force: bool,
) -> Result<u64> {
    let mut slot = index.writer.lock().await;
    if slot.is_none() {
        *slot = index.take_writer();
    }
    let Some(writer) = slot.take() else {
        if force {
            return Err(IndexError::Busy(index.dir.display().to_string()));
        }
        index.reload()?;
        return Ok(0);
    };
    let epoch = store::search::epoch(&mut *db.read.acquire().await?).await?;
    let stamp = index.last_commit()?.0.filter(|s| s.fits(&epoch));
    if let Some(stamp) = &stamp {
        // Another process may have rebuilt it since this one opened it.
        let common = Arc::new(stamp.common.clone());
        index.indexing.set(common.clone());
        index.searching.set(common);
    }
    let mut run = Run {
        index,
        db,
        writer: Some(writer),
        epoch,
        committed: stamp.as_ref().map_or(0, |s| s.seq),
        common: index.indexing.get(),
    };
    let result = async {
        let mut written = 0;
        if force || stamp.is_none() {
            written += run.rebuild(progress).await?;
        }
        written += run.apply_log(progress).await?;
        Ok::<_, IndexError>(written)
    }
    .await;
    *slot = run.writer.take();
    result
}

/// One catch-up or rebuild holding the writer.
struct Run<'a> {
    index: &'a SearchIndex,
    db: &'a Db,
    /// Out while a blocking task uses it; lost only if that task panicked
    /// (the lock is released with it, and the next run takes it again).
    writer: Option<Writer>,
    epoch: String,
    /// The log sequence number of the last commit.
    committed: i64,
    /// The frequent words documents are paired by.
    common: Arc<CommonWords>,
}

impl Run<'_> {
    /// Every article, in id order, into an emptied index; committed with
    /// the log position read before the walk (what changes during the walk
    /// is applied from the log afterwards).
    async fn rebuild(&mut self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<u64> {
        let (seq, total) = {
            let mut conn = self.db.read.acquire().await?;
            let seq = store::search::last_seq(&mut conn).await?;
            (seq, store::search::article_count(&mut conn).await?)
        };
        tracing::info!(articles = total, dir = %self.index.dir.display(), "building the search index");
        let common = Arc::new(CommonWords::of_archive(self.db).await?);
        let (norms, stems) = common.len();
        tracing::info!(norms, stems, "frequent words of the search index's pairs");
        // Until the first commit, searches see the old documents: they look
        // up only pairs both sets made.
        let searching = self.index.searching.get();
        self.index.searching.set(Arc::new(common.both(&searching)));
        self.index.indexing.set(common.clone());
        self.common = common;
        self.writer()?.delete_all_documents()?;
        let (mut done, mut after, mut since_commit) = (0u64, 0i64, 0u64);
        progress(0, total);
        loop {
            let articles = {
                let mut conn = self.db.read.acquire().await?;
                store::search::indexed_after(&mut conn, after, ARTICLES_PER_ROUND).await?
            };
            let Some(last) = articles.last().map(|a| a.id) else {
                break;
            };
            let count = articles.len() as u64;
            self.write(Vec::new(), articles).await?;
            (done, after, since_commit) = (done + count, last, since_commit + count);
            progress(done, total.max(done));
            if since_commit >= COMMIT_EVERY && done < total {
                // Not yet complete: committed under no log position, so an
                // interrupted rebuild starts over.
                self.commit(None).await?;
                since_commit = 0;
            }
        }
        self.commit(Some(seq)).await?;
        Ok(done)
    }

    /// Applies the log past the last commit, round by round.
    async fn apply_log(&mut self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<u64> {
        let (mut applied, mut written, mut since_commit) = (self.committed, 0u64, 0u64);
        let mut target = None;
        loop {
            let (last, ids, articles) = {
                let mut conn = self.db.read.acquire().await?;
                let changes =
                    store::search::changes_after(&mut conn, applied, CHANGES_PER_ROUND).await?;
                let mut seen = HashSet::new();
                let ids: Vec<i64> = changes
                    .iter()
                    .map(|c| c.1)
                    .filter(|id| seen.insert(*id))
                    .collect();
                let articles = store::search::indexed_articles(&mut conn, &ids).await?;
                if target.is_none() && !changes.is_empty() {
                    target = Some(store::search::last_seq(&mut conn).await?);
                }
                (changes.last().map(|c| c.0), ids, articles)
            };
            let Some(last) = last else {
                break;
            };
            let count = articles.len() as u64;
            self.write(ids, articles).await?;
            (applied, written, since_commit) = (last, written + count, since_commit + count);
            if let Some(target) = target {
                progress(
                    (applied - self.committed).max(0) as u64,
                    (target - self.committed).max(1) as u64,
                );
            }
            if since_commit >= CATCH_UP_COMMIT_EVERY {
                self.commit(Some(applied)).await?;
                since_commit = 0;
            }
        }
        if applied > self.committed {
            self.commit(Some(applied)).await?;
        }
        Ok(written)
    }

    fn writer(&self) -> Result<&Writer> {
        self.writer
            .as_ref()
            .ok_or_else(|| IndexError::Worker("the index writer was lost".into()))
    }

    /// Deletes `removed` (ids) and replaces `articles`, off the async
    /// workers (analysis is CPU work).
    async fn write(
        &mut self,
        removed: Vec<i64>,
        articles: Vec<store::search::IndexedArticle>,
    ) -> Result<()> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| IndexError::Worker("the index writer was lost".into()))?;
        let fields = self.index.fields;
        let (writer, added) = tokio::task::spawn_blocking(move || {
            for id in &removed {
                writer.delete_article(*id as u64);
            }
            let added: tantivy::Result<()> = articles
                .iter()
                .try_for_each(|a| writer.add_document(fields.document(a)).map(drop));
            (writer, added)
        })
        .await
        .map_err(|e| IndexError::Worker(e.to_string()))?;
        self.writer = Some(writer);
        Ok(added?)
    }

    /// Commits what was written, stamped with log position `seq` (`None`: a
    /// rebuild still under way), and shows it to this process's searches.
    async fn commit(&mut self, seq: Option<i64>) -> Result<()> {
        let mut writer = self
            .writer
            .take()
            .ok_or_else(|| IndexError::Worker("the index writer was lost".into()))?;
        let common = (*self.common).clone();
        let payload = match seq {
            Some(seq) => serde_json::to_string(&Stamp::current(seq, &self.epoch, common)),
            None => serde_json::to_string(&serde_json::json!({ "common": common })),
        }
        .expect("a stamp serializes");
        let (writer, done) = tokio::task::spawn_blocking(move || {
            let done = writer.prepare_commit().and_then(|mut prepared| {
                prepared.set_payload(&payload);
                prepared.commit()
            });
            (writer, done)
        })
        .await
        .map_err(|e| IndexError::Worker(e.to_string()))?;
        self.writer = Some(writer);
        done?;
        self.index.reader.reload()?;
        self.index.searching.set(self.common.clone());
        if let Some(seq) = seq {
            self.committed = seq;
            self.index
                .applied
                .store(seq, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }
}
