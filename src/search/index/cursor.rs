//! One term's postings in a segment, read forward a block at a time:
//! what counting (`term_groups.rs`) and ranking (`scored_words/`) walk
//! instead of tantivy's per-document scorers, so that a loop over a
//! block's documents is a plain loop over a slice, and a skip to a far
//! document goes through the skip list without decoding the blocks
//! between.

use tantivy::postings::BlockSegmentPostings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, SegmentReader, TERMINATED, Term};

/// Between calls, `next` indexes an unread document of the loaded block,
/// or the postings are exhausted (an empty block).
pub(super) struct Cursor {
    postings: BlockSegmentPostings,
    next: usize,
    with_freqs: bool,
}

impl Cursor {
    /// The postings of `term` in `reader` (`None` when no document holds
    /// it), with term frequencies when `option` records them.
    pub(super) fn open(
        reader: &SegmentReader,
        term: &Term,
        option: IndexRecordOption,
    ) -> tantivy::Result<Option<Cursor>> {
        let index = reader.inverted_index(term.field())?;
        let Some(info) = index.get_term_info(term)? else {
            return Ok(None);
        };
        let postings = index.read_block_postings_from_terminfo(&info, option)?;
        let mut cursor = Cursor {
            postings,
            next: 0,
            with_freqs: option.has_freq(),
        };
        cursor.settle();
        Ok(Some(cursor))
    }

    /// Documents holding the term (deleted ones too).
    pub(super) fn doc_freq(&self) -> u32 {
        self.postings.doc_freq()
    }

    /// Moves past an exhausted block to the next non-empty one.
    fn settle(&mut self) {
        while self.next >= self.postings.docs().len() && !self.postings.docs().is_empty() {
            self.postings.advance();
            self.next = 0;
        }
    }

    /// The next unread document, [`TERMINATED`] when none is left.
    pub(super) fn peek(&self) -> DocId {
        let docs = self.postings.docs();
        docs.get(self.next).copied().unwrap_or(TERMINATED)
    }

    /// The term's frequency in the document [`Cursor::peek`] returns (1
    /// when frequencies are not read).
    pub(super) fn freq(&self) -> u32 {
        match self.with_freqs {
            true => self.postings.freqs().get(self.next).copied().unwrap_or(1),
            false => 1,
        }
    }

    /// Skips to the first document at or after `target`: within the
    /// loaded block, or through the skip list (blocks between are not read).
    pub(super) fn skip_to(&mut self, target: DocId) {
        if self.peek() >= target {
            return;
        }
        let docs = self.postings.docs();
        if docs.last().is_some_and(|&last| last >= target) {
            self.next += docs[self.next..].partition_point(|&d| d < target);
        } else {
            self.next = self.postings.seek(target);
            self.settle();
        }
    }

    /// Calls `each(doc, freq)` for every unread document before `end`,
    /// reading on to the first one at or past it.
    pub(super) fn read_until(&mut self, end: DocId, mut each: impl FnMut(DocId, u32)) {
        loop {
            let docs = self.postings.docs();
            let mut i = self.next;
            if self.with_freqs {
                let freqs = self.postings.freqs();
                while let Some(&doc) = docs.get(i).filter(|&&d| d < end) {
                    each(doc, freqs[i]);
                    i += 1;
                }
            } else {
                while let Some(&doc) = docs.get(i).filter(|&&d| d < end) {
                    each(doc, 1);
                    i += 1;
                }
            }
            self.next = i;
            if i < docs.len() || docs.is_empty() {
                return;
            }
            self.settle();
        }
    }
}
