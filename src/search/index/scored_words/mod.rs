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
                let norms = match reader.fieldnorms_readers().get_field(term.field())? {
                    Some(norms) => norms,
                    None => FieldNormReader::constant(max_doc, 1),
                };
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

    /// The top-k walk without a call per document through `dyn Scorer`.
    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Scored { docs, scores } = self.scored(reader, 1.0)?;
        let mut docs = BitSetDocSet::from(docs);
        let mut doc = docs.doc();
        while doc != tantivy::TERMINATED {
            let score = scores.get(doc as usize).copied().unwrap_or(0.0);
            if score > threshold {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tantivy::collector::{DocSetCollector, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{DocAddress, Index, Score, TantivyDocument, Term};

    use super::ScoredWords;

    /// Catches matches or scores that differ from tantivy's intersection of
    /// per-word unions of boosted term queries (a word missing, a term's
    /// boost or frequency lost, a deleted document ranked, a page cut
    /// wrongly by the pruning threshold).
    /// 700 documents of random titles and bodies over five words, every
    /// eleventh deleted.
    fn corpus() -> (Index, Field, Field) {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let gone = schema.add_text_field("gone", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["alif", "ba", "ta", "tha", "jim"];
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize
        };
        for i in 0..700 {
            let mut doc = TantivyDocument::new();
            let text = |n: usize, next: &mut dyn FnMut() -> usize| {
                (0..n)
                    .map(|_| words[next() % 5])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let (t, b) = (1 + next() % 4, 3 + next() % 40);
            doc.add_text(title, text(t, &mut next));
            doc.add_text(body, text(b, &mut next));
            doc.add_text(gone, if i % 11 == 0 { "yes" } else { "no" });
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        writer.delete_term(Term::from_field_text(gone, "yes"));
        writer.commit().unwrap();
        (index, title, body)
    }

    /// Catches matches or scores that differ from tantivy's intersection of
    /// per-word unions of boosted term queries (a word missing, a term's
    /// boost or frequency lost, a deleted document ranked, a page cut
    /// wrongly by the pruning threshold).
    #[test]
    fn ranks_as_an_intersection_of_boosted_unions() {
        let (index, title, body) = corpus();
        let searcher = index.reader().unwrap().searcher();
        let term = |field, text: &str| Term::from_field_text(field, text);
        let groups = vec![
            vec![(term(title, "alif"), 10.0), (term(body, "alif"), 1.0)],
            vec![
                (term(title, "ba"), 10.0),
                (term(body, "ba"), 1.0),
                (term(body, "ta"), 0.5),
            ],
        ];
        let union = |group: &Vec<(Term, f32)>| -> Box<dyn Query> {
            let parts = group.iter().map(|(t, boost)| {
                let q = Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, *boost)) as Box<dyn Query>,
                )
            });
            Box::new(BooleanQuery::new(parts.collect()))
        };
        let tantivys = BooleanQuery::new(groups.iter().map(|g| (Occur::Must, union(g))).collect());
        let ours = ScoredWords::new(groups.clone());

        let matched = searcher.search(&ours, &DocSetCollector).unwrap();
        assert_eq!(
            matched,
            searcher.search(&tantivys, &DocSetCollector).unwrap()
        );
        assert!(matched.len() > 300, "{}", matched.len());

        let all = |q: &dyn Query| -> BTreeMap<DocAddress, Score> {
            let top = TopDocs::with_limit(1000).order_by_score();
            let hits = searcher.search(q, &top).unwrap();
            hits.into_iter().map(|(s, a)| (a, s)).collect()
        };
        let (expected, found) = (all(&tantivys), all(&ours));
        assert_eq!(
            found.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>()
        );
        for (doc, score) in &found {
            assert!(
                (score - expected[doc]).abs() <= 1e-5 * score.abs(),
                "{doc:?}"
            );
        }
        // A page from the middle: the same scores in the same places.
        let page = |q: &dyn Query| -> Vec<Score> {
            let top = TopDocs::with_limit(10).and_offset(20).order_by_score();
            searcher
                .search(q, &top)
                .unwrap()
                .into_iter()
                .map(|(s, _)| s)
                .collect()
        };
        let (expected, found) = (page(&tantivys), page(&ours));
        assert_eq!(found.len(), 10);
        for (a, b) in found.iter().zip(&expected) {
            assert!((a - b).abs() <= 1e-5 * a.abs(), "{found:?} {expected:?}");
        }
    }
}
