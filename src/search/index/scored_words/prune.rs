//! A page of several required words without scoring every match. The
//! terms that can score high (titles, by their weights, and rare words)
//! are scored first, over their postings alone; the best of those
//! documents are scored whole and handed to the page, which raises its
//! bar. The other terms (common words in bodies) add at most the sum of
//! their best scores (BM25's bound), so once the bar is above that sum a
//! document with no high term cannot reach the page, and one with high
//! terms is scored whole only if its high part plus that sum passes the
//! bar. MaxScore (Turtle and Flood, 1995) in two tiers; where the bar
//! stays below the sum (no word in any title, a page past the
//! [`LEADERS`]), the caller scores every match as before. A query with a
//! rare word skips all that: only its documents can match, and they are
//! scored whole through the other terms' skip lists.

use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, TERMINATED, Term};

use super::norms;
use crate::search::index::cursor::Cursor;

/// Documents of the high terms scored whole first, best first, in
/// batches that double from this many (a first page fills from the
/// first) up to [`LEADERS`].
const FIRST_LEADERS: usize = 32;
/// Leaders at most: past them (pages past 50 of 20) every match is scored.
const LEADERS: usize = 1024;
/// A term is low when its best score is at most this share of the
/// highest term's: a common word in bodies against a word in titles
/// (their weights are 1 and 10, and a common word's BM25 weight is small).
const LOW_SHARE: Score = 0.125;
/// A word is rare when its terms' postings in a segment add up to at
/// most this fraction of its documents (1 in 32): its documents are then
/// the only candidates, scored whole.
const RARE_WORD: u64 = 32;
/// Headroom on the low terms' bound for the order floats are summed in.
const ROUNDING: Score = 1.0001;

/// One term of the query: its group (word), postings and weight.
pub(super) struct Scored<'a> {
    pub group: usize,
    pub term: &'a Term,
    pub bm25: &'a Bm25Weight,
}

/// What the pruned pass did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The page holds every document it should.
    Done,
    /// The bar stayed below what the low terms can add: every match must
    /// be scored, except these, which the page has already seen.
    ScoreAll { seen: Vec<DocId> },
}

/// Hands the page (`callback`, which answers its bar) every match of
/// `terms` that can reach it, scored whole, when the high terms allow;
/// returns [`Outcome::ScoreAll`] when they do not.
pub(super) fn top(
    terms: &[Scored],
    groups: usize,
    reader: &SegmentReader,
    mut threshold: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) -> tantivy::Result<Outcome> {
    let all_groups = (1u32 << groups) - 1;
    let mut feed =
        |scored: Vec<(DocId, Score, u32)>, threshold: &mut Score, seen: &mut Vec<DocId>| {
            for (doc, score, mask) in scored {
                if mask == all_groups && score > *threshold {
                    *threshold = callback(doc, score);
                    seen.push(doc);
                }
            }
        };
    if let Some(candidates) = rarest_word(terms, groups, reader)? {
        let every: Vec<&Scored> = terms.iter().collect();
        feed(
            whole(&candidates, None, &every, reader)?,
            &mut threshold,
            &mut Vec::new(),
        );
        return Ok(Outcome::Done);
    }
    let best = terms
        .iter()
        .map(|t| t.bm25.max_score())
        .fold(0.0, Score::max);
    let (low, high): (Vec<&Scored>, Vec<&Scored>) = terms
        .iter()
        .partition(|t| t.bm25.max_score() <= best * LOW_SHARE);
    let reach: Score = low.iter().map(|t| t.bm25.max_score()).sum::<Score>() * ROUNDING;
    let high = HighPart::score(&high, reader)?;
    if high.touched.is_empty() {
        return Ok(Outcome::ScoreAll { seen: Vec::new() });
    }
    // The best documents by their high part, in growing batches until the
    // page's bar is above what the low terms can add.
    let mut order = high.touched.clone();
    let by_part =
        |a: &DocId, b: &DocId| high.partial[*b as usize].total_cmp(&high.partial[*a as usize]);
    let (mut led, mut batch, mut seen) = (0, FIRST_LEADERS, Vec::new());
    while led < order.len() && led < LEADERS && threshold < reach {
        let end = (led + batch).min(order.len());
        if end < order.len() {
            order[led..].select_nth_unstable_by(end - led, by_part);
        }
        let mut leaders = order[led..end].to_vec();
        leaders.sort_unstable();
        feed(
            whole(&leaders, Some(&high), &low, reader)?,
            &mut threshold,
            &mut seen,
        );
        (led, batch) = (end, batch * 2);
    }
    seen.sort_unstable();
    if threshold < reach {
        return Ok(Outcome::ScoreAll { seen });
    }
    let mut rest: Vec<DocId> = order[led..]
        .iter()
        .copied()
        .filter(|&d| high.partial[d as usize] + reach > threshold)
        .collect();
    rest.sort_unstable();
    feed(
        whole(&rest, Some(&high), &low, reader)?,
        &mut threshold,
        &mut seen,
    );
    Ok(Outcome::Done)
}

/// The high terms' part of every document holding one.
struct HighPart {
    /// Score by document (0 where no high term).
    partial: Vec<Score>,
    /// Groups by document, a bit each, of its high terms.
    groups: Vec<u32>,
    /// Documents holding a high term, in first-seen order.
    touched: Vec<DocId>,
}

impl HighPart {
    fn score(terms: &[&Scored], reader: &SegmentReader) -> tantivy::Result<HighPart> {
        let max_doc = reader.max_doc() as usize;
        let mut part = HighPart {
            partial: vec![0.0; max_doc],
            groups: vec![0; max_doc],
            touched: Vec::new(),
        };
        for t in terms {
            let Some(mut cursor) = Cursor::open(reader, t.term, IndexRecordOption::WithFreqs)?
            else {
                continue;
            };
            let norms = norms(reader, t.term)?;
            let bit = 1u32 << t.group;
            cursor.read_until(TERMINATED, |doc, freq| {
                let d = doc as usize;
                if part.groups[d] == 0 {
                    part.touched.push(doc);
                }
                part.groups[d] |= bit;
                part.partial[d] += t.bm25.score(norms.fieldnorm_id(doc), freq);
            });
        }
        Ok(part)
    }
}

/// The documents of the rarest word (ascending) when it is rare enough
/// that scoring them whole, term by term through the skip lists, costs
/// less than reading the other words' postings: every match is one of
/// them.
fn rarest_word(
    terms: &[Scored],
    groups: usize,
    reader: &SegmentReader,
) -> tantivy::Result<Option<Vec<DocId>>> {
    let mut sizes = vec![0u64; groups];
    for t in terms {
        let index = reader.inverted_index(t.term.field())?;
        let freq = index.get_term_info(t.term)?.map_or(0, |i| i.doc_freq);
        sizes[t.group] += u64::from(freq);
    }
    let Some((rarest, &size)) = sizes.iter().enumerate().min_by_key(|g| *g.1) else {
        return Ok(None);
    };
    if size > u64::from(reader.max_doc()) / RARE_WORD {
        return Ok(None);
    }
    let mut docs = Vec::with_capacity(size as usize);
    for t in terms.iter().filter(|t| t.group == rarest) {
        if let Some(mut cursor) = Cursor::open(reader, t.term, IndexRecordOption::Basic)? {
            cursor.read_until(TERMINATED, |doc, _| docs.push(doc));
        }
    }
    docs.sort_unstable();
    docs.dedup();
    Ok(Some(docs))
}

/// `docs` (ascending) scored whole: their high part (if any) plus every
/// `low` term they hold, with the groups they hold a term of.
fn whole(
    docs: &[DocId],
    high: Option<&HighPart>,
    low: &[&Scored],
    reader: &SegmentReader,
) -> tantivy::Result<Vec<(DocId, Score, u32)>> {
    let mut out: Vec<(DocId, Score, u32)> = docs
        .iter()
        .map(|&d| match high {
            Some(h) => (d, h.partial[d as usize], h.groups[d as usize]),
            None => (d, 0.0, 0),
        })
        .collect();
    for t in low {
        let Some(mut cursor) = Cursor::open(reader, t.term, IndexRecordOption::WithFreqs)? else {
            continue;
        };
        let norms = norms(reader, t.term)?;
        for (doc, score, groups) in &mut out {
            cursor.skip_to(*doc);
            match cursor.peek() {
                TERMINATED => break,
                d if d == *doc => {
                    *score += t.bm25.score(norms.fieldnorm_id(d), cursor.freq());
                    *groups |= 1 << t.group;
                }
                _ => {}
            }
        }
    }
    Ok(out)
}
