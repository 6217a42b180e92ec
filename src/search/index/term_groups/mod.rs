//! Counting's words: the documents holding, for each of a few groups of
//! terms (a word's forms, of any fields), at least one term of the group;
//! unscored. Matches are worked out a window of [`WINDOW`] documents at a
//! time: each group's terms' posting blocks are read straight into one
//! bit set of the window, narrowed group by group, where tantivy's
//! intersection of unions of term queries buffered every document of
//! every term and sought through each union a document at a time (README,
//! "Counting words as bit sets"). Only the windows a walk reaches are
//! read: the tally stops at its cap and samples the rest by seeking, so a
//! word in every article costs its first matches and its samples, not its
//! whole postings; and the rarest group leads, so windows where it has no
//! document are skipped through the others' skip lists.

use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term,
};

use super::cursor::Cursor;

/// Documents whose matches are worked out at once: small enough that a
/// sampled window of a word in every article reads little past the
/// matches it wants, large enough that a window's fixed work (a look at
/// every term) stays below its documents'.
const WINDOW: u32 = 1024;
const WORDS: usize = (WINDOW / 64) as usize;

/// Matches the documents holding one term at least of every group.
#[derive(Debug, Clone)]
pub struct TermGroups {
    groups: Vec<Vec<Term>>,
}

impl TermGroups {
    /// Every group must hold (no group at all matches nothing).
    pub fn all(groups: Vec<Vec<Term>>) -> TermGroups {
        TermGroups { groups }
    }

    /// One group: any of `terms`.
    pub fn any(terms: Vec<Term>) -> TermGroups {
        TermGroups::all(vec![terms])
    }
}

impl Query for TermGroups {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in self.groups.iter().flatten() {
            visitor(term, false);
        }
    }
}

impl Weight for TermGroups {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let matches = GroupMatches::open(reader, &self.groups)?;
        Ok(Box::new(ConstScorer::new(matches, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.scorer(reader, 1.0)?.seek(doc) == doc {
            Ok(Explanation::new("TermGroups", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} holds none of the terms"
            )))
        }
    }
}

/// A segment's documents holding a term of every group, a window at a
/// time.
struct GroupMatches {
    /// Each group's terms present in the segment, the rarest group first.
    groups: Vec<Vec<Cursor>>,
    max_doc: DocId,
    /// The window worked out: its first document and its matches.
    start: DocId,
    bits: [u64; WORDS],
    doc: DocId,
    size_hint: u32,
}

impl GroupMatches {
    fn open(reader: &SegmentReader, groups: &[Vec<Term>]) -> tantivy::Result<GroupMatches> {
        let mut cursors = Vec::with_capacity(groups.len());
        for terms in groups {
            let mut group = Vec::with_capacity(terms.len());
            for term in terms {
                group.extend(Cursor::open(reader, term, IndexRecordOption::Basic)?);
            }
            cursors.push(group);
        }
        let size = |group: &Vec<Cursor>| -> u32 { group.iter().map(Cursor::doc_freq).sum() };
        cursors.sort_by_key(size);
        let size_hint = cursors.first().map_or(0, size);
        let mut matches = GroupMatches {
            groups: cursors,
            max_doc: reader.max_doc(),
            start: 0,
            bits: [0; WORDS],
            doc: TERMINATED,
            size_hint,
        };
        matches.doc = matches.first_from(0);
        Ok(matches)
    }

    /// Works out windows from `from` on until one holds a match (each
    /// starting at the rarest group's next document) and returns it.
    fn first_from(&mut self, from: DocId) -> DocId {
        let Some((lead, rest)) = self.groups.split_first_mut() else {
            return TERMINATED;
        };
        let mut start = from;
        loop {
            let next = lead.iter_mut().map(|c| {
                c.skip_to(start);
                c.peek()
            });
            start = next.min().unwrap_or(TERMINATED);
            if start >= self.max_doc {
                return TERMINATED;
            }
            let mut bits = [0; WORDS];
            lead.iter_mut().for_each(|c| mark(c, start, &mut bits));
            for group in rest.iter_mut() {
                let mut any = [0; WORDS];
                group.iter_mut().for_each(|c| mark(c, start, &mut any));
                bits.iter_mut().zip(any).for_each(|(b, a)| *b &= a);
                if bits.iter().all(|&b| b == 0) {
                    break;
                }
            }
            if let Some(doc) = first_set((start, &bits), start) {
                (self.start, self.bits) = (start, bits);
                return doc;
            }
            start = start.saturating_add(WINDOW);
        }
    }
}

/// Sets the bits of `cursor`'s documents in `[start, start + WINDOW)` in
/// `bits` (bit `d - start`), reading on to the first one past them.
fn mark(cursor: &mut Cursor, start: DocId, bits: &mut [u64; WORDS]) {
    cursor.skip_to(start);
    let end = start.saturating_add(WINDOW);
    cursor.read_until(end, |doc, _| {
        let bit = (doc - start) as usize;
        bits[bit / 64] |= 1 << (bit % 64);
    });
}

/// The first document at or after `from` whose bit is set in a window
/// starting at `start`.
fn first_set((start, bits): (DocId, &[u64; WORDS]), from: DocId) -> Option<DocId> {
    let offset = from.checked_sub(start)? as usize;
    let mut word = offset / 64;
    let mut set = *bits.get(word)? & (u64::MAX << (offset % 64));
    loop {
        if set != 0 {
            return Some(start + (word * 64) as u32 + set.trailing_zeros());
        }
        word += 1;
        set = *bits.get(word)?;
    }
}

impl DocSet for GroupMatches {
    fn advance(&mut self) -> DocId {
        self.seek(self.doc.saturating_add(1))
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let window_end = self.start.saturating_add(WINDOW);
        self.doc = match first_set((self.start, &self.bits), target) {
            Some(doc) => doc,
            None => self.first_from(target.max(window_end)),
        };
        self.doc
    }

    /// The matches a window at a time, bit by bit (the tally's walk calls
    /// this, not [`DocSet::advance`]).
    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        let mut n = 0;
        while self.doc != TERMINATED {
            let offset = (self.doc - self.start) as usize;
            let mut word = offset / 64;
            let mut set = self.bits[word] & (u64::MAX << (offset % 64));
            loop {
                while set != 0 {
                    let doc = self.start + (word * 64) as u32 + set.trailing_zeros();
                    if n == buffer.len() {
                        self.doc = doc;
                        return n;
                    }
                    buffer[n] = doc;
                    n += 1;
                    set &= set - 1;
                }
                word += 1;
                if word == WORDS {
                    break;
                }
                set = self.bits[word];
            }
            self.doc = self.first_from(self.start.saturating_add(WINDOW));
        }
        n
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.size_hint
    }
}

#[cfg(test)]
mod tests;
