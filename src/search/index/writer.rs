//! The index writer: its indexing memory, a bounded queue in front of its
//! indexing thread, and removals only of what the index can hold.
//!
//! tantivy's writer holds up to 10,000 documents for its indexing thread,
//! and an import hands it articles faster than one thread indexes them, so
//! that queue stayed full: 104 MB of a 100k import's peak heap (heaptrack;
//! every article's title and body go in three fields each). Here a document
//! takes a place when handed over and gives it back when the indexing thread
//! has indexed it and drops it; handing one over waits while every place is
//! taken. The thread always has documents waiting, so it indexes no slower.
//!
//! The log names every article written, new or changed, and applying it
//! replaced each: a removal of its id, then its document. tantivy keeps
//! every removal (a query of about 1.2 KB) until the segments then being
//! merged are merged, minutes at a million articles, and a new article's
//! removal finds nothing. An id above every id this writer was handed or
//! the index held when it was opened cannot be in the index, so its
//! removal is skipped.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use tantivy::schema::document::Document;
use tantivy::schema::{Field, Value};
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The writer's indexing memory: one thread, flushed to a segment when full.
/// Every flush writes a segment that merges rewrite, so a small budget
/// multiplies a bulk load's work (a 97k rebuild: 258 s of processor with 48
/// MiB, 139 s with 256 MiB). Held only while documents wait.
const WRITER_MEMORY: usize = 256 << 20;

/// Documents handed to the indexing thread and not yet indexed, at most:
/// about 10 MB of articles, a tenth of tantivy's own queue.
pub const QUEUED_DOCUMENTS: usize = 1_000;

/// An index writer whose documents wait, at most `bound` at a time.
pub struct Writer {
    writer: IndexWriter<Queued>,
    places: Arc<Places>,
    /// The field naming each document's article (a fast `u64`).
    id: Field,
    /// No document in the index has an id above this.
    highest_id: AtomicU64,
}

impl Writer {
    /// The writer of `index`, whose documents name their article in `id`,
    /// if no other holds the folder's lock.
    pub fn open(index: &Index, id: Field) -> tantivy::Result<Writer> {
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        Ok(Writer::new(writer, QUEUED_DOCUMENTS, id))
    }

    /// `writer`, with at most `bound` documents queued before it.
    pub fn new(writer: IndexWriter<Queued>, bound: usize, id: Field) -> Writer {
        // A new writer holds nothing uncommitted: the committed segments
        // are the whole index.
        let highest_id = highest_committed_id(writer.index(), id);
        Writer {
            writer,
            places: Arc::new(Places {
                taken: Mutex::new(0),
                freed: Condvar::new(),
                bound: bound.max(1),
            }),
            id,
            highest_id: AtomicU64::new(highest_id),
        }
    }

    /// Hands `doc` to the indexing thread, first waiting for a place
    /// (blocking: call it off the async workers).
    pub fn add_document(&self, doc: TantivyDocument) -> tantivy::Result<u64> {
        let id = doc.get_first(self.id).and_then(|v| v.as_u64());
        // A document without an id could be anything: remove every id.
        self.highest_id
            .fetch_max(id.unwrap_or(u64::MAX), Ordering::Relaxed);
        let place = Place::take(&self.places);
        self.writer.add_document(Queued { doc, _place: place })
    }

    /// Removes article `id`'s document (as of the next commit), unless the
    /// index cannot hold one; says whether it asked tantivy to.
    pub fn delete_article(&self, id: u64) -> bool {
        if id > self.highest_id.load(Ordering::Relaxed) {
            return false;
        }
        self.writer.delete_term(Term::from_field_u64(self.id, id));
        true
    }

    /// Lets go of the writer once its merges end (`IndexWriter`'s own).
    pub fn wait_merging_threads(self) -> tantivy::Result<()> {
        self.writer.wait_merging_threads()
    }

    /// Documents handed over and not yet indexed.
    #[cfg(test)]
    pub fn queued(&self) -> usize {
        *self.places.lock()
    }
}

impl Deref for Writer {
    type Target = IndexWriter<Queued>;
    fn deref(&self) -> &Self::Target {
        &self.writer
    }
}

impl DerefMut for Writer {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.writer
    }
}

/// The highest article id among `index`'s committed documents (removed
/// ones too); every id (`u64::MAX`) when it cannot be read, so that every
/// removal is made.
fn highest_committed_id(index: &Index, id: Field) -> u64 {
    let name = index.schema().get_field_name(id).to_owned();
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into();
    let highest = reader.and_then(|reader: tantivy::IndexReader| {
        reader
            .searcher()
            .segment_readers()
            .iter()
            .try_fold(0, |highest, segment| {
                let ids = segment.fast_fields().u64(&name)?;
                Ok(highest.max(ids.max_value()))
            })
    });
    highest.unwrap_or_else(|err| {
        tracing::warn!(%err, "cannot read the search index's article ids; every change replaces");
        u64::MAX
    })
}

struct Places {
    taken: Mutex<usize>,
    freed: Condvar,
    bound: usize,
}

impl Places {
    fn lock(&self) -> std::sync::MutexGuard<'_, usize> {
        // A count stays right whoever panicked holding it.
        self.taken.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A document's place in the queue, given back when it is dropped: by
/// the indexing thread once indexed, or with the queue if the writer
/// stops.
struct Place(Arc<Places>);

impl Place {
    fn take(places: &Arc<Places>) -> Place {
        let mut taken = places.lock();
        while *taken >= places.bound {
            taken = places.freed.wait(taken).unwrap_or_else(|e| e.into_inner());
        }
        *taken += 1;
        Place(places.clone())
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        *self.0.lock() -= 1;
        self.0.freed.notify_one();
    }
}

/// A document with its place: indexed as the document it holds.
pub struct Queued {
    doc: TantivyDocument,
    _place: Place,
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(self) -> TantivyDocument {
        self.doc
    }
}

#[cfg(test)]
mod tests;
