//! The top hits of several required words by relevance, pruned by block
//! maxima. Each word is a disjunction of weighted terms (`plan.rs`), and
//! tantivy prunes only flat disjunctions or flat conjunctions of terms: a
//! conjunction of disjunctions it scores at every match, so two common
//! words cost as many scores as they have matches. Here each term's posting
//! block carries the best score any of its documents can reach; while the
//! sum of those maxima over a stretch of documents cannot beat the last of
//! the hits kept so far, the stretch is skipped. Scores are tantivy's own
//! (the same BM25 weights and boosts, summed), so the hits are those its
//! collector keeps, in the same order (up to float rounding in the sums);
//! ties go to the lower document.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TERMINATED, Term};

use super::{Result, SearchIndex};

/// One required word: its terms and their weights.
pub type Group = Vec<(Term, f32)>;

impl SearchIndex {
    /// The best `take` documents matching every group, best first.
    pub fn top_of_all(
        &self,
        searcher: &Searcher,
        groups: &[Group],
        take: usize,
    ) -> Result<Vec<DocAddress>> {
        let mut weights = Vec::with_capacity(groups.len());
        for group in groups {
            let mut terms = Vec::with_capacity(group.len());
            for (term, boost) in group {
                let bm25 = Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?;
                terms.push((term, bm25.boost_by(*boost)));
            }
            weights.push(terms);
        }
        let mut kept = Kept::new(take);
        if take == 0 {
            return Ok(Vec::new());
        }
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let mut cursors = Vec::with_capacity(weights.len());
            for terms in &weights {
                let mut group = Vec::new();
                for (term, bm25) in terms {
                    group.extend(Cursor::open(segment, term, bm25)?);
                }
                cursors.push(group);
            }
            if cursors.iter().all(|g| !g.is_empty()) {
                let floor = kept.floor();
                walk(segment, cursors, floor, |doc, score| {
                    kept.offer(score, ord as u32, doc)
                });
            }
        }
        Ok(kept.best_first())
    }
}

/// One term's postings in one segment, read block by block: the current
/// document, its score, and its block's best score (from the skip list).
struct Cursor {
    postings: BlockSegmentPostings,
    /// Index of the current document in the loaded block.
    at: usize,
    fieldnorms: FieldNormReader,
    bm25: Bm25Weight,
}

impl Cursor {
    /// The term's cursor on its first document; `None` when the segment
    /// does not hold the term.
    fn open(segment: &SegmentReader, term: &Term, bm25: &Bm25Weight) -> Result<Option<Cursor>> {
        let field = term.field();
        let postings = segment
            .inverted_index(field)?
            .read_block_postings(term, IndexRecordOption::WithFreqs)?;
        let Some(postings) = postings.filter(|p| p.doc_freq() > 0) else {
            return Ok(None);
        };
        Ok(Some(Cursor {
            postings,
            at: 0,
            fieldnorms: segment.get_fieldnorms_reader(field)?,
            bm25: bm25.clone(),
        }))
    }

    /// The current document (`TERMINATED` past the last).
    fn doc(&self) -> DocId {
        self.postings
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// Moves to the first document at or after `target`; returns it.
    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            self.at = self.postings.seek(target);
        }
        self.doc()
    }

    fn score(&self) -> Score {
        let doc = self.doc();
        let freq = self.postings.freq(self.at);
        self.bm25.score(self.fieldnorms.fieldnorm_id(doc), freq)
    }

    /// The last document of the loaded block (the stretch its maximum covers).
    fn block_end(&self) -> DocId {
        self.postings.docs().last().copied().unwrap_or(TERMINATED)
    }

    fn block_max(&mut self) -> Score {
        self.postings.block_max_score(&self.fieldnorms, &self.bm25)
    }
}

/// Offers `offer` every match of `groups` in `segment` that may beat
/// `threshold`, which `offer` then returns anew (`None`: anything may).
fn walk(
    segment: &SegmentReader,
    mut groups: Vec<Vec<Cursor>>,
    mut threshold: Option<Score>,
    mut offer: impl FnMut(DocId, Score) -> Option<Score>,
) {
    let alive = segment.alive_bitset();
    let mut doc: DocId = 0;
    while let Some(target) = align(&mut groups, doc) {
        if let Some(floor) = threshold {
            let (end, bound) = bound(&mut groups);
            if bound <= floor {
                doc = end.saturating_add(1);
                continue;
            }
        }
        if alive.is_none_or(|a| a.is_alive(target)) {
            let score: Score = groups
                .iter_mut()
                .flatten()
                .filter(|t| t.doc() == target)
                .map(|t| t.score())
                .sum();
            if threshold.is_none_or(|floor| score > floor) {
                threshold = offer(target, score);
            }
        }
        doc = target + 1;
    }
}

/// Moves every term to `from` or past it, then on to the first document
/// every group holds; `None` when one group has no document left.
fn align(groups: &mut [Vec<Cursor>], from: DocId) -> Option<DocId> {
    let mut target = from;
    loop {
        let mut furthest = target;
        for group in groups.iter_mut() {
            let mut first = TERMINATED;
            for term in group.iter_mut() {
                first = first.min(term.seek(target));
            }
            if first == TERMINATED {
                return None;
            }
            furthest = furthest.max(first);
        }
        if furthest == target {
            return Some(target);
        }
        target = furthest;
    }
}

/// The stretch from the current document to the end of the shortest
/// current block, and the most any document in it can score: the sum of
/// the block maxima of the terms that have a document in it.
fn bound(groups: &mut [Vec<Cursor>]) -> (DocId, Score) {
    let end = groups
        .iter()
        .flatten()
        .filter(|t| t.doc() != TERMINATED)
        .map(Cursor::block_end)
        .min()
        .unwrap_or(TERMINATED);
    let bound = groups
        .iter_mut()
        .flatten()
        .filter(|t| t.doc() != TERMINATED && t.doc() <= end)
        .map(Cursor::block_max)
        .sum();
    (end, bound)
}

/// A hit kept: best score first, then the lower document.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Hit {
    score: Score,
    address: (u32, DocId),
}

impl Eq for Hit {}

impl Ord for Hit {
    /// "Greater" is better: a higher score, or the same and a lower address.
    fn cmp(&self, other: &Hit) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Hit) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The best `take` hits offered, the worst on top of a min-heap.
struct Kept {
    take: usize,
    heap: BinaryHeap<std::cmp::Reverse<Hit>>,
}

impl Kept {
    fn new(take: usize) -> Kept {
        Kept {
            take,
            heap: BinaryHeap::with_capacity(take + 1),
        }
    }

    /// The score a later hit must beat, once `take` are kept.
    fn floor(&self) -> Option<Score> {
        (self.heap.len() == self.take)
            .then(|| self.heap.peek().map_or(Score::INFINITY, |w| w.0.score))
    }

    /// Keeps the hit if it is among the best; returns [`Kept::floor`].
    fn offer(&mut self, score: Score, segment: u32, doc: DocId) -> Option<Score> {
        let hit = Hit {
            score,
            address: (segment, doc),
        };
        if self.heap.len() < self.take {
            self.heap.push(std::cmp::Reverse(hit));
        } else if self.heap.peek().is_some_and(|worst| hit > worst.0) {
            self.heap.pop();
            self.heap.push(std::cmp::Reverse(hit));
        }
        self.floor()
    }

    fn best_first(self) -> Vec<DocAddress> {
        let mut hits: Vec<Hit> = self.heap.into_iter().map(|r| r.0).collect();
        hits.sort_by(|a, b| b.cmp(a));
        hits.into_iter()
            .map(|h| DocAddress::new(h.address.0, h.address.1))
            .collect()
    }
}
