//! Reading the index: a query's count, facets and date spread (tally.rs),
//! the top hits by relevance or date (tantivy's top-k collectors:
//! block-max WAND where the query's shape allows it), and words of the
//! vocabulary for "did you mean". All of it is CPU work on memory-mapped
//! files: callers run it off the async workers.

use std::collections::BTreeMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

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
    /// (`limit` of them) of `query` (`walk` within its period) in `order`;
    /// `top` sources and tags are kept.
    pub fn find(
        &self,
        (query, walk): (&dyn Query, &Walk),
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
