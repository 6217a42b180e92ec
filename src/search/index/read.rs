//! Reading the index: how many articles a query matches and which sources
//! and tags they carry (one pass over the matches, exact up to
//! [`COUNT_CAP`], estimated past it), the top hits by relevance or date
//! (tantivy's top-k collectors: block-max WAND where the query's shape
//! allows it), and words of the vocabulary for "did you mean". All of it is
//! CPU work on memory-mapped files: callers run it off the async workers.

use std::collections::BTreeMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocId, Searcher, TERMINATED};

use super::{Result, SearchIndex};

/// Matches counted exactly; past this the total is estimated from how far
/// into the index the count got, and says so.
pub const COUNT_CAP: u64 = 100_000;
/// Matches whose sources and tags are all read; past this, every second,
/// then fourth… match is read (the stride doubles each time as many were
/// read again) and counts for as many as its stride: the facets become
/// estimates spread over the whole walk, at a fraction of the reads.
pub const FACET_EXACT: u64 = 10_000;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// BM25 (with the query's boosts), best first.
    #[default]
    Relevance,
    /// Newest publication first, undated last, then the newer id.
    Newest,
}

/// The count and facets of a query's matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub total: u64,
    /// `total` is an estimate (more than [`COUNT_CAP`] matches).
    pub estimated: bool,
    /// The facet counts are estimates (more than [`FACET_EXACT`] matches).
    pub facets_estimated: bool,
    /// (source id, matches), most first, at most `top`.
    pub sources: Vec<(i64, u64)>,
    /// (tag id, matches), most first, at most `top`.
    pub tags: Vec<(i64, u64)>,
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

    /// Counts and facets of `query`, then ids `[offset, offset + limit)` in
    /// `order`; `top` sources and tags are kept.
    pub fn find(
        &self,
        query: &dyn Query,
        order: Order,
        (offset, limit): (usize, usize),
        top: usize,
    ) -> Result<Found> {
        let searcher = self.searcher();
        let tally = self.tally(&searcher, query, top)?;
        if offset as u64 >= tally.total || limit == 0 {
            return Ok(Found {
                tally,
                ids: Vec::new(),
            });
        }
        let window = TopDocs::with_limit(limit).and_offset(offset);
        let addresses: Vec<DocAddress> = match order {
            Order::Relevance => searcher
                .search(query, &window.order_by_score())?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
            Order::Newest => searcher
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

    /// Article ids of documents.
    fn ids(&self, searcher: &Searcher, addresses: &[DocAddress]) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(addresses.len());
        for a in addresses {
            let column = searcher
                .segment_reader(a.segment_ord)
                .fast_fields()
                .u64("id")?;
            if let Some(id) = column.first(a.doc_id) {
                ids.push(id as i64);
            }
        }
        Ok(ids)
    }

    /// One pass over the matches of `query` (no scoring): the count, exact
    /// until more than [`COUNT_CAP`] matches were seen (then scaled by the
    /// share of the index walked so far), and the sources and tags they
    /// carry (sampled past [`FACET_EXACT`], scaled the same way).
    pub fn tally(&self, searcher: &Searcher, query: &dyn Query, top: usize) -> Result<Tally> {
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let all_docs: u64 = searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.max_doc()))
            .sum();
        let (mut counted, mut walked, mut estimated) = (0u64, 0u64, false);
        let mut sources = Counts::default();
        let mut tags = Counts::default();
        let (mut stride, mut next_doubling) = (1u64, FACET_EXACT);
        'segments: for segment in searcher.segment_readers() {
            let source = segment.fast_fields().u64("source")?;
            let tag = segment.fast_fields().u64("tags")?;
            let alive = segment.alive_bitset();
            let mut scorer = weight.scorer(segment, 1.0)?;
            let mut doc: DocId = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    counted += 1;
                    if counted > COUNT_CAP {
                        walked += u64::from(doc) + 1;
                        estimated = true;
                        break 'segments;
                    }
                    if counted > next_doubling {
                        stride *= 2;
                        next_doubling += FACET_EXACT * stride;
                    }
                    if counted % stride == 0 {
                        let weight = stride as u32;
                        if let Some(s) = source.first(doc) {
                            sources.add(s, weight);
                        }
                        for t in tag.values_for_doc(doc) {
                            tags.add(t, weight);
                        }
                    }
                }
                doc = scorer.advance();
            }
            walked += u64::from(segment.max_doc());
        }
        let scale = if estimated {
            all_docs as f64 / walked.max(1) as f64
        } else {
            1.0
        };
        let total = if estimated {
            ((counted - 1) as f64 * scale).round() as u64
        } else {
            counted
        };
        Ok(Tally {
            total,
            estimated,
            facets_estimated: counted > FACET_EXACT,
            sources: sources.top(top, scale),
            tags: tags.top(top, scale),
        })
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

/// Counts by small integer id (source and tag ids are dense from 1).
#[derive(Default)]
struct Counts(Vec<u32>);

impl Counts {
    fn add(&mut self, id: u64, weight: u32) {
        let i = id as usize;
        if i >= self.0.len() {
            if i > 1 << 26 {
                return; // not an id of ours
            }
            self.0.resize(i + 1, 0);
        }
        self.0[i] += weight;
    }

    /// The `top` ids by count (then the lower id), counts scaled.
    fn top(&self, top: usize, scale: f64) -> Vec<(i64, u64)> {
        let mut all: Vec<(i64, u32)> = self
            .0
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(id, n)| (id as i64, *n))
            .collect();
        let most_first = |a: &(i64, u32), b: &(i64, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if all.len() > top {
            all.select_nth_unstable_by(top, most_first);
            all.truncate(top);
        }
        all.sort_by(most_first);
        all.into_iter()
            .take(top)
            .map(|(id, n)| (id, (f64::from(n) * scale).round() as u64))
            .collect()
    }
}
