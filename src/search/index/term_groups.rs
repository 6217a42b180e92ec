//! Counting's words: the documents holding, for each of a few groups of
//! terms (a word's forms, of any fields), at least one term of the group;
//! unscored. Each segment's answer is one bit set, filled straight from
//! the first group's posting blocks, then narrowed group by group, where
//! tantivy's intersection of unions of term queries buffered every
//! document of every term and sought through each union a document at a
//! time (README, "Counting words as bit sets": with `scored_words.rs`, a
//! third less processor per search of several common words).

use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, Term};

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

/// The documents of `reader` holding any of `terms`, among `within` when
/// given.
fn any_of(
    reader: &SegmentReader,
    terms: &[Term],
    within: Option<&BitSet>,
) -> tantivy::Result<BitSet> {
    let mut docs = BitSet::with_max_value(reader.max_doc());
    for term in terms {
        let index = reader.inverted_index(term.field())?;
        let Some(info) = index.get_term_info(term)? else {
            continue;
        };
        let mut postings =
            index.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
        while !postings.docs().is_empty() {
            for &doc in postings.docs() {
                if within.is_none_or(|w| w.contains(doc)) {
                    docs.insert(doc);
                }
            }
            postings.advance();
        }
    }
    Ok(docs)
}

impl Weight for TermGroups {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut docs: Option<BitSet> = None;
        for terms in &self.groups {
            docs = Some(any_of(reader, terms, docs.as_ref())?);
        }
        let docs = docs.unwrap_or_else(|| BitSet::with_max_value(reader.max_doc()));
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
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

#[cfg(test)]
mod tests {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, TantivyDocument, Term};

    use super::TermGroups;

    /// Catches a set that differs from tantivy's own union of the same
    /// term queries: a term of another field, a missing term, a deleted
    /// document, documents past the first posting block (128).
    #[test]
    fn matches_what_a_union_of_its_term_queries_matches() {
        let mut schema = Schema::builder();
        let a = schema.add_text_field("a", STRING);
        let b = schema.add_text_field("b", STRING);
        let odd = schema.add_text_field("odd", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..1000u32 {
            let mut doc = TantivyDocument::new();
            doc.add_text(a, if i % 3 == 0 { "x" } else { "y" });
            doc.add_text(b, if i % 7 == 0 { "x" } else { "z" });
            doc.add_text(odd, if i % 2 == 1 { "yes" } else { "no" });
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        writer.delete_term(Term::from_field_text(odd, "yes"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let terms = vec![
            Term::from_field_text(a, "x"),
            Term::from_field_text(b, "x"),
            Term::from_field_text(b, "absent"),
        ];
        let union = BooleanQuery::new(
            terms
                .iter()
                .map(|t| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect(),
        );
        let expected = searcher.search(&union, &DocSetCollector).unwrap();
        let found = searcher
            .search(&TermGroups::any(terms), &DocSetCollector)
            .unwrap();
        assert_eq!(found, expected);
        // Even documents with a:x (every 6th) or b:x (every 14th), both every 42nd.
        assert_eq!(found.len(), 167 + 72 - 24);
    }
}
