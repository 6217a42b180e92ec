//! Reading the index: a query's count, facets and date spread (tally.rs),
//! the top hits by relevance or date (tantivy's top-k collectors:
//! block-max WAND where the query's shape allows it; a period's page with
//! the period checked per candidate, so that WAND still prunes), and words of the
//! vocabulary for "did you mean". All of it is CPU work on memory-mapped
//! files: callers run it off the async workers.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, Score, Searcher};

use super::tally::{Tally, Walk};
use super::{Result, SearchIndex};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// BM25 (with the query's boosts), best first.
    #[default]
    Relevance,
    /// Newest publication first, undated last, then the newer id.
    Newest,
}

/// The query a page is ranked by.
#[derive(Clone, Copy)]
pub struct Ranked<'a> {
    /// The query, filters and period included.
    pub query: &'a dyn Query,
    /// The same words when the period is its only filter: ranked by
    /// relevance with the period checked at each candidate instead
    /// ([`top_within`]).
    pub without_period: Option<&'a dyn Query>,
}

/// One page of a query.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub tally: Tally,
    /// Article ids of the asked window, in order.
    pub ids: Vec<i64>,
}

impl SearchIndex {
    /// The current searcher (the last commit this process loaded).
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Counts, facets and date spread of `walk`, then ids from `offset`
    /// (`limit` of them) of `ranked` in `order`; `top` sources and tags
    /// are kept.
    pub fn find(
        &self,
        (ranked, walk): (Ranked, &Walk),
        order: Order,
        (offset, limit): (usize, usize),
        top: usize,
    ) -> Result<Found> {
        let searcher = self.searcher();
        let tally = self.tally(&searcher, walk, top)?;
        if offset as u64 >= tally.total || limit == 0 {
            return Ok(Found {
                tally,
                ids: Vec::new(),
            });
        }
        let window = TopDocs::with_limit(limit).and_offset(offset);
        let query = ranked.query;
        let addresses: Vec<DocAddress> = match (order, ranked.without_period, walk.period) {
            (Order::Relevance, Some(words), Some(days)) if prunes_within(&tally) => {
                top_within(&searcher, words, days, (offset, limit))?
            }
            (Order::Relevance, ..) => searcher
                .search(query, &window.order_by_score())?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
            (Order::Newest, ..) => searcher
                .search(
                    query,
                    &window.order_by_fast_field::<u64>("recency", tantivy::Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
        };
        let ids = self.ids(&searcher, &addresses)?;
        Ok(Found { tally, ids })
    }

    /// Article ids of documents. Each segment's column is opened once:
    /// opening one reads its header, which cost more than the id.
    fn ids(&self, searcher: &Searcher, addresses: &[DocAddress]) -> Result<Vec<i64>> {
        let mut columns: Vec<Option<Column<u64>>> = vec![None; searcher.segment_readers().len()];
        let mut ids = Vec::with_capacity(addresses.len());
        for a in addresses {
            let column = match &mut columns[a.segment_ord as usize] {
                Some(column) => column,
                slot => slot.insert(
                    searcher
                        .segment_reader(a.segment_ord)
                        .fast_fields()
                        .u64("id")?,
                ),
            };
            if let Some(id) = column.first(a.doc_id) {
                ids.push(id as i64);
            }
        }
        Ok(ids)
    }

    /// The number of live documents matching `query` (exact).
    pub fn count(&self, query: &dyn Query) -> Result<u64> {
        Ok(self.searcher().search(query, &Count)? as u64)
    }

    /// The best-scoring article matching `query`, if any.
    pub fn first(&self, query: &dyn Query) -> Result<Option<i64>> {
        let searcher = self.searcher();
        let top = searcher.search(query, &TopDocs::with_limit(1).order_by_score())?;
        let addresses: Vec<DocAddress> = top.into_iter().map(|(_, a)| a).collect();
        Ok(self.ids(&searcher, &addresses)?.into_iter().next())
    }

    /// Words of the exact title and body fields that start with `prefix`,
    /// with the number of documents holding each (deleted versions
    /// included: an approximation, for ranking suggestions), at most `limit`
    /// words in term order.
    pub fn words_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<(String, u64)>> {
        let searcher = self.searcher();
        let end = format!("{prefix}\u{10FFFF}");
        let mut words: BTreeMap<String, u64> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            for field in [self.fields.title, self.fields.body] {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted
                    .terms()
                    .range()
                    .ge(prefix.as_bytes())
                    .lt(end.as_bytes())
                    .into_stream()?;
                let mut read = 0;
                while read < limit && stream.advance() {
                    read += 1;
                    if let Ok(word) = std::str::from_utf8(stream.key()) {
                        *words.entry(word.to_owned()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        Ok(words.into_iter().take(limit).collect())
    }
}

/// True when a period's page is better ranked without the period's
/// filter, checking each candidate's day instead: ranking a filtered
/// query scores every match within the period (tantivy prunes only a
/// disjunction of terms), 78,000 for a common word's year at 1M (two
/// thirds of its search). Unfiltered, block-max WAND prunes once the
/// page is full, which takes about `k × all / within` candidates: so
/// only for a period that holds enough of the matches (a narrow one is
/// cheap to rank filtered).
fn prunes_within(tally: &Tally) -> bool {
    let dated: u64 = tally.years.iter().map(|(_, n)| n).sum();
    tally.total >= PRUNE_WITHIN_FROM && tally.total * PRUNE_WITHIN_SHARE >= dated
}

/// Matches within the period from which its page is ranked pruned.
const PRUNE_WITHIN_FROM: u64 = 2_000;
/// The period must hold at least one dated match in this many.
const PRUNE_WITHIN_SHARE: u64 = 32;

/// The documents from `offset` (`limit` of them) by relevance of `query`
/// among those published within `days` (inclusive `YYYYMMDD`), in the
/// order of tantivy's own top-k (score, then address); the day is
/// checked at each candidate block-max WAND lets through, and the page's
/// bar carries over from one segment to the next. Segments with no day
/// within are skipped.
pub fn top_within(
    searcher: &Searcher,
    query: &dyn Query,
    (from, to): (i64, i64),
    (offset, limit): (usize, usize),
) -> Result<Vec<DocAddress>> {
    let k = offset + limit;
    if limit == 0 {
        return Ok(Vec::new());
    }
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut page: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
    let mut bar = Score::MIN;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let day = segment.fast_fields().i64("day")?;
        if day.max_value() < from || day.min_value() > to {
            continue;
        }
        let alive = segment.alive_bitset();
        weight.for_each_pruning(bar, segment, &mut |doc, score| {
            let within = day.first(doc).is_some_and(|d| (from..=to).contains(&d));
            if within && alive.is_none_or(|a| a.is_alive(doc)) {
                page.push(Candidate(score, DocAddress::new(ord as u32, doc)));
                if page.len() > k {
                    page.pop();
                }
                if page.len() == k {
                    bar = page.peek().map_or(bar, |c| c.0);
                }
            }
            bar
        })?;
    }
    // Ascending is best first: greater is worse.
    let best = page.into_sorted_vec();
    Ok(best.into_iter().skip(offset).map(|c| c.1).collect())
}

/// A ranked document; greater is worse (lower score, then the later
/// address), so that the heap's top is the one to drop.
struct Candidate(Score, DocAddress);

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(self.1.cmp(&other.1))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}
