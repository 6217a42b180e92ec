//! A phrase found on a pair field and ranked as the word field ranks it:
//! BM25 with the idf of the phrase's words, the word field's length and
//! the number of times the phrase occurs. Where every two adjacent words
//! are paired (`common.rs`), the phrase occurs exactly where its pairs
//! follow each other, as often: a two-word phrase as often as its pair
//! term's frequency, a longer one as often as the phrase of its pairs. So
//! it scores what a phrase checked by positions on the word field scores,
//! whichever words a build paired, without reading the words' postings
//! and positions, which for frequent words are most of the index (at 1M
//! articles, ranking a phrase of two of them that way was two thirds of
//! its search).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// A phrase as the pair terms of its adjacent words (in order), ranked as
/// its `words` on their field.
#[derive(Debug, Clone)]
pub struct PairPhrase {
    pairs: Vec<Term>,
    words: Vec<Term>,
}

impl PairPhrase {
    /// `pairs`: the pair term of each two adjacent `words`, in order, all
    /// on one pair field; `words`: the phrase on the word field it ranks
    /// as (one more than `pairs`).
    pub fn new(pairs: Vec<Term>, words: Vec<Term>) -> PairPhrase {
        assert!(
            !pairs.is_empty() && words.len() == pairs.len() + 1,
            "a pair between each two words"
        );
        PairPhrase { pairs, words }
    }
}

impl Query for PairPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.words)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairPhraseWeight {
            pairs: self.pairs.clone(),
            word_field: self.words[0].field(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for pair in &self.pairs {
            visitor(pair, self.pairs.len() > 1);
        }
    }
}

struct PairPhraseWeight {
    pairs: Vec<Term>,
    word_field: Field,
    /// None when scoring is disabled.
    bm25: Option<Bm25Weight>,
}

impl Weight for PairPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let bm25 = self.bm25.as_ref().map(|w| w.boost_by(boost));
        // The word field's lengths, as a phrase on it reads them.
        let lengths = match (
            &bm25,
            reader.fieldnorms_readers().get_field(self.word_field)?,
        ) {
            (Some(_), Some(lengths)) => lengths,
            _ => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let inverted = reader.inverted_index(self.pairs[0].field())?;
        let record = if self.pairs.len() == 1 {
            IndexRecordOption::WithFreqs
        } else {
            IndexRecordOption::WithFreqsAndPositions
        };
        let last = self.pairs.len() - 1;
        let mut postings = Vec::with_capacity(self.pairs.len());
        for (offset, pair) in self.pairs.iter().enumerate() {
            match inverted.read_postings(pair, record)? {
                // Shifted so that a phrase's pairs share one position.
                Some(p) => postings.push(((last - offset) as u32, p)),
                None => return Ok(Box::new(EmptyScorer)),
            }
        }
        postings.sort_by_key(|(_, p)| p.doc_freq());
        let mut scorer = PairsScorer {
            postings,
            lengths,
            bm25,
            doc: 0,
            occurrences: 0,
            at: Vec::new(),
            next: Vec::new(),
        };
        let first = scorer.postings[0].1.doc();
        scorer.find_from(first);
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("PairPhrase", scorer.score()))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not hold the phrase"
            )))
        }
    }
}

/// The documents where a phrase's pairs follow each other, scored by how
/// often they do.
struct PairsScorer {
    /// Each pair's postings with the shift that aligns it to the last
    /// pair's position, the rarest first (it leads).
    postings: Vec<(u32, SegmentPostings)>,
    lengths: FieldNormReader,
    bm25: Option<Bm25Weight>,
    doc: DocId,
    /// How often the phrase occurs in `doc`.
    occurrences: u32,
    /// Positions where the pairs so far line up, and the next pair's.
    at: Vec<u32>,
    next: Vec<u32>,
}

impl PairsScorer {
    /// Moves to the first document from the leader's `doc` on that holds
    /// the phrase.
    fn find_from(&mut self, mut doc: DocId) -> DocId {
        'candidates: while doc != TERMINATED {
            for (_, other) in &mut self.postings[1..] {
                let found = if other.doc() < doc {
                    other.seek(doc)
                } else {
                    other.doc()
                };
                if found > doc {
                    doc = self.postings[0].1.seek(found);
                    continue 'candidates;
                }
            }
            let occurrences = self.occurrences();
            if occurrences > 0 {
                self.occurrences = occurrences;
                break;
            }
            doc = self.postings[0].1.advance();
        }
        self.doc = doc;
        doc
    }

    /// How often the pairs line up in the document all postings are on.
    fn occurrences(&mut self) -> u32 {
        if let [(_, only)] = self.postings.as_slice() {
            return only.term_freq();
        }
        let (shift, first) = &mut self.postings[0];
        first.positions_with_offset(*shift, &mut self.at);
        for (shift, other) in &mut self.postings[1..] {
            other.positions_with_offset(*shift, &mut self.next);
            let next = &self.next;
            let mut j = 0;
            self.at.retain(|&p| {
                while j < next.len() && next[j] < p {
                    j += 1;
                }
                j < next.len() && next[j] == p
            });
            if self.at.is_empty() {
                return 0;
            }
        }
        self.at.len() as u32
    }
}

impl DocSet for PairsScorer {
    fn advance(&mut self) -> DocId {
        let next = self.postings[0].1.advance();
        self.find_from(next)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let next = self.postings[0].1.seek(target);
        self.find_from(next)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings[0].1.size_hint()
    }
}

impl Scorer for PairsScorer {
    fn score(&mut self) -> Score {
        let Some(bm25) = &self.bm25 else {
            return 1.0;
        };
        bm25.score(self.lengths.fieldnorm_id(self.doc), self.occurrences)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tantivy::collector::TopDocs;
    use tantivy::query::PhraseQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use tantivy::tokenizer::{PreTokenizedString, Token};
    use tantivy::{DocAddress, Index, TantivyDocument, Term};

    use super::PairPhrase;

    /// Tokens at their positions.
    fn tokens(words: &[String]) -> PreTokenizedString {
        let tokens = words
            .iter()
            .enumerate()
            .map(|(position, text)| Token {
                position,
                text: text.clone(),
                ..Token::default()
            })
            .collect();
        PreTokenizedString {
            text: words.join(" "),
            tokens,
        }
    }

    /// Catches a phrase whose pairs score other than its words do: one
    /// occurring once, twice or three times, overlapping itself, in texts
    /// of other lengths, and pairs present but not in sequence (which are
    /// no phrase). Every pair is indexed here, as if every word were
    /// frequent.
    #[test]
    fn pairs_score_what_the_phrase_of_their_words_scores() {
        let mut schema = Schema::builder();
        let indexed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let words = schema.add_text_field("words", indexed.clone());
        let pairs = schema.add_text_field("pairs", indexed);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let texts = [
            "a b c",
            "a b c a b c a b",
            "a b a b a",
            "b a x a b",
            "c c c a b x x x x x x x x x x",
            "a x b c",
            "x y",
        ];
        for text in texts {
            let w: Vec<String> = text.split(' ').map(str::to_owned).collect();
            let p: Vec<String> = w.windows(2).map(|w| w.join(" ")).collect();
            let mut doc = TantivyDocument::new();
            doc.add_pre_tokenized_text(words, tokens(&w));
            doc.add_pre_tokenized_text(pairs, tokens(&p));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let scores = |query: &dyn tantivy::query::Query| -> HashMap<DocAddress, f32> {
            let top = TopDocs::with_limit(10).order_by_score();
            let found = searcher.search(query, &top).unwrap();
            found.into_iter().map(|(s, d)| (d, s)).collect()
        };
        for phrase in ["a b", "b c", "a b c", "a b a", "b a b", "a b a b", "c c"] {
            let w: Vec<&str> = phrase.split(' ').collect();
            let word_terms: Vec<Term> = w.iter().map(|w| Term::from_field_text(words, w)).collect();
            let pair_terms = w
                .windows(2)
                .map(|w| Term::from_field_text(pairs, &w.join(" ")))
                .collect();
            let expected = scores(&PhraseQuery::new(word_terms.clone()));
            assert!(!expected.is_empty(), "{phrase}");
            let found = scores(&PairPhrase::new(pair_terms, word_terms));
            assert_eq!(found, expected, "{phrase}");
        }
    }
}
