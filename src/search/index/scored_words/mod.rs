//! Ranking several required words: each word a group of weighted terms
//! (its exact and stem forms in titles and bodies), a document matching
//! when it holds a term of every group, scored by the sum of its terms'
//! BM25 scores. The same matches and scores as tantivy's intersection of
//! per-word unions of boosted term queries, computed term by term: each
//! term's posting blocks are read once, in order, adding its score to the
//! document's, where the intersection buffered every union and sought
//! through it a document at a time (README, "Ranking words term by
//! term"). Scores are summed in the query's term order, so they may differ
//! from tantivy's in the last bit. The price is a score per document of
//! the segment while the search runs (4 bytes: 4 MB for a segment of 1M).
//! A page is found without scoring every match where the words' title
//! parts allow it (`prune.rs`).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{BitSetDocSet, Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, Term};

/// Documents holding a term of every group, scored by the sum of their
/// terms' boosted BM25 scores.
#[derive(Debug, Clone)]
pub struct ScoredWords {
    groups: Vec<Vec<(Term, f32)>>,
}

impl ScoredWords {
    /// `groups` of (term, boost); at least one.
    pub fn new(groups: Vec<Vec<(Term, f32)>>) -> ScoredWords {
        ScoredWords { groups }
    }
}

impl Query for ScoredWords {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let stats = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(statistics_provider),
            EnableScoring::Disabled { .. } => None,
        };
        let mut groups = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            let mut weighted = Vec::with_capacity(group.len());
            for (term, boost) in group {
                let bm25 = match stats {
                    Some(stats) => Some(
                        Bm25Weight::for_terms(stats, std::slice::from_ref(term))?.boost_by(*boost),
                    ),
                    None => None,
                };
                weighted.push((term.clone(), bm25));
            }
            groups.push(weighted);
        }
        Ok(Box::new(ScoredWordsWeight { groups }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in self.groups.iter().flatten() {
            visitor(term, false);
        }
    }
}

struct ScoredWordsWeight {
    /// Terms by group, with their BM25 weights when scoring.
    groups: Vec<Vec<(Term, Option<Bm25Weight>)>>,
}

/// A segment's matches and every document's score (0 where unscored).
struct Scored {
    docs: BitSet,
    scores: Vec<Score>,
}

impl ScoredWordsWeight {
    fn scored(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Scored> {
        let max_doc = reader.max_doc();
        let scoring = self.groups.iter().flatten().any(|(_, w)| w.is_some());
        let mut scores = vec![0.0; if scoring { max_doc as usize } else { 0 }];
        let mut matched: Option<BitSet> = None;
        for group in &self.groups {
            let mut docs = BitSet::with_max_value(max_doc);
            for (term, bm25) in group {
                let index = reader.inverted_index(term.field())?;
                let Some(info) = index.get_term_info(term)? else {
                    continue;
                };
                let option = match bm25 {
                    Some(_) => IndexRecordOption::WithFreqs,
                    None => IndexRecordOption::Basic,
                };
                let mut postings = index.read_block_postings_from_terminfo(&info, option)?;
                let bm25 = bm25.as_ref().map(|w| w.boost_by(boost));
                let norms = norms(reader, term)?;
                while !postings.docs().is_empty() {
                    let within = matched.as_ref();
                    for (i, &doc) in postings.docs().iter().enumerate() {
                        if within.is_none_or(|m| m.contains(doc)) {
                            docs.insert(doc);
                            if let Some(bm25) = &bm25 {
                                let tf = postings.freqs()[i];
                                scores[doc as usize] += bm25.score(norms.fieldnorm_id(doc), tf);
                            }
                        }
                    }
                    postings.advance();
                }
            }
            matched = Some(docs);
        }
        Ok(Scored {
            docs: matched.unwrap_or_else(|| BitSet::with_max_value(max_doc)),
            scores,
        })
    }
}

impl Weight for ScoredWordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Scored { docs, scores } = self.scored(reader, boost)?;
        Ok(Box::new(ScoredDocs {
            docs: BitSetDocSet::from(docs),
            scores,
        }))
    }

    /// The top-k walk: pruned by the high terms (`prune.rs`) when they
    /// allow, else over every match without a call per document through
    /// `dyn Scorer`.
    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let terms: Option<Vec<prune::Scored>> = self
            .groups
            .iter()
            .enumerate()
            .flat_map(|(group, terms)| terms.iter().map(move |t| (group, t)))
            .map(|(group, (term, bm25))| {
                Some(prune::Scored {
                    group,
                    term,
                    bm25: bm25.as_ref()?,
                })
            })
            .collect();
        let seen = match terms {
            Some(terms) => {
                match prune::top(&terms, self.groups.len(), reader, threshold, callback)? {
                    prune::Outcome::Done => return Ok(()),
                    prune::Outcome::ScoreAll { seen } => seen,
                }
            }
            None => Vec::new(),
        };
        let Scored { docs, scores } = self.scored(reader, 1.0)?;
        let mut docs = BitSetDocSet::from(docs);
        let mut doc = docs.doc();
        while doc != tantivy::TERMINATED {
            let score = scores.get(doc as usize).copied().unwrap_or(0.0);
            if score > threshold && seen.binary_search(&doc).is_err() {
                threshold = callback(doc, score);
            }
            doc = docs.advance();
        }
        Ok(())
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not hold every word"
            )));
        }
        Ok(Explanation::new("ScoredWords", scorer.score()))
    }
}

/// The matches of a segment with their precomputed scores.
struct ScoredDocs {
    docs: BitSetDocSet,
    scores: Vec<Score>,
}

impl DocSet for ScoredDocs {
    fn advance(&mut self) -> DocId {
        self.docs.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.docs.seek(target)
    }

    fn doc(&self) -> DocId {
        self.docs.doc()
    }

    fn size_hint(&self) -> u32 {
        self.docs.size_hint()
    }
}

impl Scorer for ScoredDocs {
    fn score(&mut self) -> Score {
        let doc = self.docs.doc() as usize;
        self.scores.get(doc).copied().unwrap_or(0.0)
    }
}

/// The field norms of `term`'s field (all 1 when the field keeps none).
fn norms(reader: &SegmentReader, term: &Term) -> tantivy::Result<FieldNormReader> {
    Ok(match reader.fieldnorms_readers().get_field(term.field())? {
        Some(norms) => norms,
        None => FieldNormReader::constant(reader.max_doc(), 1),
    })
}

mod prune;
#[cfg(test)]
mod tests;
