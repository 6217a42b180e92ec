//! The search index: a tantivy index in a folder beside the database
//! (`data/arshif.db` → `data/arshif.search/`, or `--index-dir`), derived
//! from the database and rebuildable from it at any time.
//!
//! - What is indexed and how: `schema.rs` (the one place; ingest only logs
//!   which articles changed, `crate::store::search::log_changes`), with the
//!   frequent words of the build (`common.rs`) stored in its commits.
//! - Keeping it in step: `apply.rs` applies the change log (`search_log`)
//!   past the last index commit's sequence number, and rebuilds a missing
//!   or incompatible index; `follow.rs` does it every second; `writer.rs`
//!   holds the writer's memory and bounds the documents waiting for it.
//! - Reading it: `tally.rs` (counts, facets, dates; `counts.rs` by id;
//!   `term_groups/`, `scored_words/`: words counted, ranked, both over
//!   `cursor.rs`; `pair_phrase.rs`: a phrase ranked from its pairs),
//!   `read.rs`.
//!
//! One process writes a given folder at a time (tantivy's writer lock): the
//! first to open it. Others only read and reload; each second they try to
//! take the lock over, so when the writer exits another carries on. An
//! `arshif import` beside a running `serve` only appends to the log, which
//! the server indexes within a second or two.

mod apply;
mod counts;
mod cursor;
mod files;
pub mod common;
pub mod follow;
pub mod pair_phrase;
mod read;
pub mod schema;
pub mod scored_words;
mod tally;
pub mod term_groups;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

use crate::arabic;
use crate::store::{Db, FileReads, StoreError};

pub use common::CommonWords;
pub use follow::{Follower, follow};
pub use read::{Found, Order, Ranked, top_within};
pub use schema::Fields;
pub use tally::{COUNT_CAP, Sampling, Tally, Walk};

/// Why the index could not be opened, read or brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] TantivyError),
    #[error("search index folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("search index worker stopped: {0}")]
    Worker(String),
    #[error(
        "the search index in {0} is written by another process (a running server?): \
         stop it to rebuild, or delete the folder and let it rebuild on start"
    )]
    Busy(String),
}

impl From<sqlx::Error> for IndexError {
    fn from(err: sqlx::Error) -> Self {
        IndexError::Store(StoreError::Sql(err))
    }
}

pub type Result<T, E = IndexError> = std::result::Result<T, E>;

/// The default folder of the index of the database at `db`.
pub fn default_dir(db: &Path) -> PathBuf {
    db.with_extension("search")
}

/// What an index commit records: how far the log is applied, what the
/// index was built by and from (any difference forces a rebuild), and the
/// frequent words its pairs were made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    seq: i64,
    epoch: String,
    analyzer: String,
    schema: u32,
    common: CommonWords,
}

/// What every commit (a rebuild's unfinished, stampless ones too) records.
#[derive(Deserialize)]
struct Built {
    common: CommonWords,
}

impl Stamp {
    fn current(seq: i64, epoch: &str, common: CommonWords) -> Stamp {
        Stamp {
            seq,
            epoch: epoch.to_owned(),
            analyzer: arabic::ANALYZER_VERSION.to_owned(),
            schema: schema::SCHEMA_VERSION,
            common,
        }
    }

    /// True when the index was built by this code from this database.
    fn fits(&self, epoch: &str) -> bool {
        self.epoch == epoch
            && self.analyzer == arabic::ANALYZER_VERSION
            && self.schema == schema::SCHEMA_VERSION
    }
}

/// One open index: the reader every search uses, and the writer if this
/// process holds the folder's lock.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: tokio::sync::Mutex<Option<writer::Writer>>,
    /// The last log sequence number applied (as committed).
    applied: AtomicI64,
    /// The frequent words documents are indexed with (the pair tokenizer's).
    indexing: common::Shared,
    /// The frequent words phrases are looked up with: those of the last
    /// commit, or during a rebuild those both the old and the new documents
    /// were paired by (a pair looked up must be indexed; any other phrase
    /// is checked by positions).
    searching: common::Shared,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("applied", &self.applied)
            .finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (empty) when missing or
    /// unreadable, or when it was made by another schema; takes the writer
    /// lock if it is free. `reads` says whether its files are mapped or
    /// copied (`files.rs`).
    fn open(dir: &Path, reads: FileReads) -> Result<SearchIndex> {
        let (schema, fields) = Fields::schema();
        std::fs::create_dir_all(dir).map_err(folder_error(dir))?;
        let index = match Index::open_or_create(files::directory(dir, reads)?, schema.clone()) {
            Ok(index) => index,
            Err(err) => {
                tracing::warn!(%err, dir = %dir.display(), "search index unreadable, starting anew");
                std::fs::remove_dir_all(dir).map_err(folder_error(dir))?;
                std::fs::create_dir_all(dir).map_err(folder_error(dir))?;
                Index::open_or_create(files::directory(dir, reads)?, schema)?
            }
        };
        let indexing = common::Shared::default();
        schema::register(&index, &indexing);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let search = SearchIndex {
            dir: dir.to_owned(),
            writer: tokio::sync::Mutex::new(None),
            applied: AtomicI64::new(0),
            searching: common::Shared::default(),
            indexing,
            index,
            fields,
            reader,
        };
        let (stamp, common) = search.last_commit()?;
        search
            .applied
            .store(stamp.map_or(0, |s| s.seq), Ordering::Relaxed);
        if let Some(common) = common {
            search.indexing.set(common.clone());
            search.searching.set(common);
        }
        *search.writer.try_lock().expect("new") = search.take_writer();
        Ok(search)
    }

    /// The writer, if no other process holds the folder's lock.
    fn take_writer(&self) -> Option<writer::Writer> {
        match writer::Writer::open(&self.index, self.fields.id) {
            Ok(writer) => Some(writer),
            Err(TantivyError::LockFailure(..)) => None,
            Err(err) => {
                tracing::warn!(%err, "cannot write the search index; reading only");
                None
            }
        }
    }

    /// What the last commit recorded, from one read of the index's metadata
    /// (`reload` asks every second): its stamp (`None` for a rebuild's
    /// unfinished commit, or an index never committed by this code), and the
    /// frequent words of its documents' pairs, which every commit records.
    fn last_commit(&self) -> Result<(Option<Stamp>, Option<Arc<CommonWords>>)> {
        let metas = self.index.load_metas()?;
        let Some(payload) = metas.payload.as_deref() else {
            return Ok((None, None));
        };
        let stamp: Option<Stamp> = serde_json::from_str(payload).ok();
        let common = match &stamp {
            Some(stamp) => Some(stamp.common.clone()),
            None => serde_json::from_str::<Built>(payload)
                .ok()
                .map(|b| b.common),
        };
        Ok((stamp, common.map(Arc::new)))
    }

    /// The frequent words phrases are looked up with (`plan::build`).
    pub fn common(&self) -> Arc<CommonWords> {
        self.searching.get()
    }

    /// The folder the index lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The last change-log sequence number this process saw applied.
    pub fn applied(&self) -> i64 {
        self.applied.load(Ordering::Relaxed)
    }

    /// True when this process holds the writer.
    pub async fn is_writer(&self) -> bool {
        self.writer.lock().await.is_some()
    }

    /// Reads the latest commit (another process's, or a merge's).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        let (stamp, common) = self.last_commit()?;
        if let Some(stamp) = stamp {
            self.applied.store(stamp.seq, Ordering::Relaxed);
        }
        if let Some(common) = common {
            self.searching.set(common);
        }
        Ok(())
    }
}

/// A database's index as one process uses it: opened on first use (see
/// [`of`]) and shared by every clone. The archive (`crate::archive`) holds
/// one per process, beside the database it is derived from.
#[derive(Clone)]
pub struct Slot {
    db: Db,
    index: Arc<tokio::sync::OnceCell<Arc<SearchIndex>>>,
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slot")
            .field("index", &self.index.get())
            .finish()
    }
}

impl Slot {
    /// The (not yet opened) index of `db`.
    pub fn new(db: Db) -> Slot {
        Slot {
            db,
            index: Default::default(),
        }
    }

    /// The database the index is derived from.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The index, if this process opened it.
    pub fn get(&self) -> Option<&Arc<SearchIndex>> {
        self.index.get()
    }

    /// Lets go of the writer (and its lock) after its merges end: the
    /// database is closing.
    pub async fn close(&self) {
        if let Some(index) = self.index.get()
            && let Some(writer) = index.writer.lock().await.take()
        {
            let waited = tokio::task::spawn_blocking(move || writer.wait_merging_threads()).await;
            if let Ok(Err(err)) = waited {
                tracing::warn!(%err, "search index merges did not finish");
            }
        }
    }
}

/// The index of `db`, opened (in `dir`, or beside the database) and brought
/// up to date on first use: rebuilt when missing or made by other code or
/// from another database, then caught up with the log. `progress(done,
/// total)` follows a rebuild.
pub async fn open(
    slot: &Slot,
    dir: Option<&Path>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Arc<SearchIndex>> {
    init(slot, dir, progress, false)
        .await
        .map(|(index, _)| index)
}

/// The index of `slot`, opened beside the database if nothing opened it yet.
pub async fn of(slot: &Slot) -> Result<Arc<SearchIndex>> {
    open(slot, None, &|_, _| {}).await
}

/// Brings this process's index up to date now, if it has one: what a write
/// (an import, a reparse) calls when it is done, so its articles are found
/// as soon as it returns. A reader only reloads.
pub async fn refresh(slot: &Slot) -> Result<()> {
    match slot.get() {
        Some(index) => apply::catch_up(index, &slot.db).await.map(drop),
        None => Ok(()),
    }
}

/// Rebuilds the whole index from the articles (`arshif reindex`); returns
/// the number of articles indexed.
pub async fn rebuild(
    slot: &Slot,
    dir: Option<&Path>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<u64> {
    match init(slot, dir, progress, true).await? {
        (_, Some(count)) => Ok(count),
        (index, None) => apply::rebuild(&index, &slot.db, progress).await, // it was open already
    }
}

/// Opens the slot's index if it is not open yet, then ensures it (or, with
/// `rebuild`, rebuilds it: the count is returned).
async fn init(
    slot: &Slot,
    dir: Option<&Path>,
    progress: &(dyn Fn(u64, u64) + Sync),
    rebuild: bool,
) -> Result<(Arc<SearchIndex>, Option<u64>)> {
    let db = &slot.db;
    let dir = dir.map_or_else(|| default_dir(db.path()), Path::to_owned);
    let rebuilt = std::sync::Mutex::new(None);
    let counted = &rebuilt;
    let index = slot
        .index
        .get_or_try_init(|| async move {
            let reads = db.file_reads();
            let index = tokio::task::spawn_blocking(move || SearchIndex::open(&dir, reads))
                .await
                .map_err(|e| IndexError::Worker(e.to_string()))??;
            if rebuild {
                let count = apply::rebuild(&index, db, progress).await?;
                *counted.lock().expect("local") = Some(count);
            } else {
                apply::ensure(&index, db, progress).await?;
            }
            Ok::<_, IndexError>(Arc::new(index))
        })
        .await?;
    let count = *rebuilt.lock().expect("local");
    Ok((index.clone(), count))
}

/// The error of a failed change to the folder `dir`.
fn folder_error(dir: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    |source| IndexError::Folder {
        path: dir.display().to_string(),
        source,
    }
}
