//! Turns a parsed [`Query`] and its resolved filters into an index query.
//! Only analyzer output becomes terms (no query parser of tantivy's runs on
//! user text). One word with norm `n` and Q-variants `v…` (arabic-text.md
//! §b) is the disjunction
//!
//! `title:n^10 | body:n | title_stem:v…^5 | body_stem:v…^0.5`
//!
//! scored by BM25 per field, so a title match outranks a body-only one and
//! the exact form outranks a stem-only one. A phrase is looked up on the
//! pair fields (two adjacent words one term, exact and as stems) when the
//! index paired each two of its words (one of them is frequent:
//! `index::common`): two words are one pair term, more a phrase of their
//! pairs, so a phrase of common words reads the postings of a rare pair,
//! not of its words. Any other phrase holds two adjacent rarer words and
//! is checked by positions on the word fields, walking their short
//! postings.
//! Groups (`a OR b`) are disjunctions, groups are required, exclusions are
//! forbidden, filters are required and add nothing to the score.
//!
//! Shape and speed: a query that is one word (or one `OR` group of words)
//! stays a plain disjunction of term queries, which tantivy's top-k walks
//! with block-max WAND (skipping blocks that cannot reach the top). A
//! phrase scores as its words in sequence score whichever way it is found
//! (`index::pair_phrase` ranks a paired one from its pairs' postings), so
//! its order does not depend on which words a build paired. Several required groups of
//! words alone are scored term by term over all their matches
//! (`index::scored_words`: each term's postings read once, in order);
//! every other shape (phrases with words, filters) by tantivy's boolean
//! query over all its matches. Counting uses [`matching`]: the same
//! matches in fewer terms, words as bit sets of their stems' postings
//! (`index::term_groups`), intersected.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as IndexQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption::WithFreqs;
use tantivy::schema::{Field, IndexRecordOption};

use crate::arabic;

use super::filters::Scope;
use super::index::pair_phrase::PairPhrase;
use super::index::scored_words::ScoredWords;
use super::index::term_groups::TermGroups;
use super::index::{CommonWords, Fields, schema};
use super::query::{Alt, Query};

/// Field weights (the FTS5 index's `bm25(10, 1, 5, 0.5)` before).
const TITLE: f32 = 10.0;
const BODY: f32 = 1.0;
const TITLE_STEM: f32 = 5.0;
const BODY_STEM: f32 = 0.5;

/// What a query is built for: ranking its matches, or only finding them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Every scored part (exact and stem forms, titles and bodies).
    Rank,
    /// The fewest terms with the same matches: a word's exact form lies
    /// on the stem fields as its own stem (always one of its Q-variants),
    /// and a phrase's exact words as their stems, so the stem parts alone
    /// match every document the whole query matches. Counting walks this.
    Match,
}

/// The index a query is built for: its fields, and the frequent words its
/// pairs were made with (`SearchIndex::common`).
pub type Target<'a> = (&'a Fields, &'a CommonWords);

/// The query for `query`'s words within `scope`; `None` when there is
/// nothing to look for (no word and no filter).
pub fn build(query: &Query, scope: &Scope, on: Target) -> Option<Box<dyn IndexQuery>> {
    build_for(query, scope, Plan::new(on, Purpose::Rank))
}

/// [`build`]'s matches, unscored, in fewer terms (what counting walks).
pub fn matching(query: &Query, scope: &Scope, on: Target) -> Option<Box<dyn IndexQuery>> {
    build_for(query, scope, Plan::new(on, Purpose::Match))
}

fn build_for(query: &Query, scope: &Scope, plan: Plan) -> Option<Box<dyn IndexQuery>> {
    let words = plan.words(query);
    let filters = filters(scope, plan.f);
    match (words, filters.is_empty()) {
        (None, true) => None,
        (Some(words), true) => Some(words),
        (words, false) => {
            let mut clauses: Vec<(Occur, Box<dyn IndexQuery>)> = Vec::new();
            clauses.push((Occur::Must, words.unwrap_or_else(|| Box::new(AllQuery))));
            clauses.extend(filters);
            Some(Box::new(BooleanQuery::new(clauses)))
        }
    }
}

/// The weighted terms of one word: `title:n^10 | body:n | title_stem:v…^5 |
/// body_stem:v…^0.5`.
fn word_terms(norm: &str, f: &Fields) -> Vec<(Term, f32)> {
    let text = |field, t: &str| Term::from_field_text(field, t);
    let mut terms = vec![(text(f.title, norm), TITLE), (text(f.body, norm), BODY)];
    for v in arabic::query_variants(norm) {
        terms.push((text(f.title_stem, &v), TITLE_STEM));
        terms.push((text(f.body_stem, &v), BODY_STEM));
    }
    terms
}

/// The normalized words of a group, when it is words alone.
fn plain_words(alts: &[Alt]) -> Option<Vec<&str>> {
    alts.iter()
        .map(|a| match a {
            Alt::Word(w) => Some(w.norm.as_str()),
            _ => None,
        })
        .collect()
}

/// The terms that find every document a word matches: its Q-variants on
/// the stem fields (its exact form lies there as its own stem).
fn stem_terms(norm: &str, f: &Fields) -> Vec<Term> {
    let stems = word_terms(norm, f).into_iter();
    let stems = stems.filter(|t| [TITLE_STEM, BODY_STEM].contains(&t.1));
    stems.map(|(t, _)| t).collect()
}

/// The words of `query` alone (groups and exclusions), no filters.
pub fn words(query: &Query, on: Target) -> Option<Box<dyn IndexQuery>> {
    Plan::new(on, Purpose::Rank).words(query)
}

/// One normalized word alone, as a query matches it (for suggestions).
pub fn word(norm: &str, f: &Fields) -> Box<dyn IndexQuery> {
    Plan::new((f, &CommonWords::default()), Purpose::Rank).word(norm)
}

/// The exact normalized word in titles or bodies (no stems).
pub fn exact_word(norm: &str, f: &Fields) -> Box<dyn IndexQuery> {
    any(vec![term(f.title, norm, TITLE), term(f.body, norm, BODY)])
}

/// The term of two adjacent words on a pair field (`schema.rs`): their
/// exact forms, or with `stems` their stems.
pub fn pair_term(field: Field, (a, b): (&str, &str), stems: bool) -> Term {
    Term::from_field_text(field, &schema::pair_text(a, b, stems))
}

/// Builds the parts of a query for one [`Purpose`].
#[derive(Clone, Copy)]
struct Plan<'f> {
    f: &'f Fields,
    common: &'f CommonWords,
    rank: bool,
}

impl<'f> Plan<'f> {
    fn new((f, common): Target<'f>, purpose: Purpose) -> Plan<'f> {
        Plan {
            f,
            common,
            rank: purpose == Purpose::Rank,
        }
    }

    fn words(self, query: &Query) -> Option<Box<dyn IndexQuery>> {
        if query.is_empty() {
            return None;
        }
        let mut groups: Vec<Box<dyn IndexQuery>> = match self.word_groups(query) {
            Some(words) => vec![words],
            None => query
                .groups
                .iter()
                .map(|group| any(group.iter().map(|a| self.alt(a)).collect()))
                .collect(),
        };
        if groups.len() == 1 && query.excluded.is_empty() {
            return groups.pop(); // kept bare: block-max WAND applies to it
        }
        let mut clauses: Vec<(Occur, Box<dyn IndexQuery>)> =
            groups.into_iter().map(|q| (Occur::Must, q)).collect();
        clauses.extend(query.excluded.iter().map(|a| (Occur::MustNot, self.alt(a))));
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn alt(self, alt: &Alt) -> Box<dyn IndexQuery> {
        match alt {
            Alt::Word(w) => self.word(&w.norm),
            Alt::Phrase(words) => self.phrase(words),
            Alt::Title(words) => self.title(words),
        }
    }

    /// Several groups of words alone (no phrase, no `title:`) as one query:
    /// to match, each group's stem terms ([`TermGroups`]); to rank, each
    /// group's weighted terms scored term by term ([`ScoredWords`]). One
    /// group stays a disjunction, which tantivy prunes by block maxima.
    fn word_groups(self, query: &Query) -> Option<Box<dyn IndexQuery>> {
        if query.groups.is_empty() || (self.rank && query.groups.len() == 1) {
            return None;
        }
        let groups: Vec<Vec<&str>> = query
            .groups
            .iter()
            .map(|alts| plain_words(alts))
            .collect::<Option<_>>()?;
        let f = self.f;
        if self.rank {
            let terms = |g: &Vec<&str>| g.iter().flat_map(|w| word_terms(w, f)).collect();
            return Some(Box::new(ScoredWords::new(
                groups.iter().map(terms).collect(),
            )));
        }
        let stems = |g: &Vec<&str>| g.iter().flat_map(|w| stem_terms(w, f)).collect();
        Some(Box::new(TermGroups::all(
            groups.iter().map(stems).collect(),
        )))
    }

    /// [`word_terms`], as term queries; to match, its stem terms as one
    /// [`TermGroups`] (a bit set: counting intersects words as bit sets).
    fn word(self, norm: &str) -> Box<dyn IndexQuery> {
        if !self.rank {
            return Box::new(TermGroups::any(stem_terms(norm, self.f)));
        }
        let parts = word_terms(norm, self.f)
            .into_iter()
            .map(|(t, weight)| boosted(Box::new(TermQuery::new(t, WithFreqs)), weight))
            .collect();
        any(parts)
    }

    /// Words in the title only: one word as [`Plan::word`] matches it
    /// there, several as a phrase of the title's exact words or, ranked
    /// lower, of their stems.
    fn title(self, words: &[String]) -> Box<dyn IndexQuery> {
        let f = self.f;
        if let [norm] = words {
            let variants = arabic::query_variants(norm);
            if !self.rank {
                let text = |v: &String| Term::from_field_text(f.title_stem, v);
                return Box::new(TermGroups::any(variants.iter().map(text).collect()));
            }
            let mut parts = vec![term(f.title, norm, TITLE)];
            parts.extend(variants.iter().map(|v| term(f.title_stem, v, TITLE_STEM)));
            return any(parts);
        }
        let stems: Vec<String> = words.iter().map(|w| arabic::stem(w)).collect();
        let mut parts = vec![self.sequence(f.title_stem, &stems, TITLE_STEM)];
        if self.rank {
            parts.push(self.sequence(f.title, words, TITLE));
        }
        any(parts)
    }

    /// A phrase: its exact words in sequence, or (ranked lower) their
    /// stems. A quoted single word is that exact word, or its own stem.
    fn phrase(self, words: &[String]) -> Box<dyn IndexQuery> {
        let f = self.f;
        let stems: Vec<String> = words.iter().map(|w| arabic::stem(w)).collect();
        if let ([word], [stem]) = (words, stems.as_slice()) {
            if !self.rank {
                let text = |field| Term::from_field_text(field, stem);
                return Box::new(TermGroups::any(vec![text(f.title_stem), text(f.body_stem)]));
            }
            return any(vec![
                term(f.title_stem, stem, TITLE_STEM),
                term(f.body_stem, stem, BODY_STEM),
                term(f.title, word, TITLE),
                term(f.body, word, BODY),
            ]);
        }
        let mut parts = vec![
            self.sequence(f.title_stem, &stems, TITLE_STEM),
            self.sequence(f.body_stem, &stems, BODY_STEM),
        ];
        if self.rank {
            parts.push(self.sequence(f.title, words, TITLE));
            parts.push(self.sequence(f.body, words, BODY));
        }
        any(parts)
    }

    /// Two or more words in sequence on a word field (exact or stem, title
    /// or body). When the index paired every two of them, on its pair
    /// field: two are one pair term (no positions read), more a phrase of
    /// their pairs, each one position after the last. Otherwise a phrase
    /// of the words themselves, checked by positions.
    fn sequence(self, field: Field, words: &[String], weight: f32) -> Box<dyn IndexQuery> {
        let f = self.f;
        let (pairs_field, stems) = match field {
            _ if field == f.title => (f.title_pairs, false),
            _ if field == f.title_stem => (f.title_pairs, true),
            _ if field == f.body_stem => (f.body_pairs, true),
            _ => (f.body_pairs, false),
        };
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect();
        if !self.common.all_paired(words, stems) {
            return boosted(Box::new(PhraseQuery::new(terms)), weight);
        }
        let mut pairs: Vec<Term> = words
            .windows(2)
            .map(|w| pair_term(pairs_field, (&w[0], &w[1]), stems))
            .collect();
        if self.rank {
            // Ranked as a phrase of the words ranks (the same score
            // whichever words a build paired), from the pairs' postings.
            return boosted(Box::new(PairPhrase::new(pairs, terms)), weight);
        }
        if pairs.len() == 1 {
            let pair = pairs.pop().expect("one pair");
            Box::new(TermQuery::new(pair, WithFreqs))
        } else {
            Box::new(PhraseQuery::new(pairs))
        }
    }
}

fn term(field: Field, text: &str, weight: f32) -> Box<dyn IndexQuery> {
    let term = Term::from_field_text(field, text);
    boosted(Box::new(TermQuery::new(term, WithFreqs)), weight)
}

fn boosted(query: Box<dyn IndexQuery>, weight: f32) -> Box<dyn IndexQuery> {
    if weight == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

/// The disjunction of `parts` (the part itself when alone).
fn any(mut parts: Vec<Box<dyn IndexQuery>>) -> Box<dyn IndexQuery> {
    if parts.len() == 1 {
        return parts.pop().expect("one part");
    }
    Box::new(BooleanQuery::new(
        parts.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Clauses for the filters, scoring nothing: required (a source of the
/// list, every tag, the dates) or forbidden (excluded sources and tags).
fn filters(scope: &Scope, f: &Fields) -> Vec<(Occur, Box<dyn IndexQuery>)> {
    let mut out: Vec<(Occur, Box<dyn IndexQuery>)> = Vec::new();
    let mut require =
        |q: Box<dyn IndexQuery>| out.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
    if !scope.source_ids.is_empty() {
        require(any(scope
            .source_ids
            .iter()
            .map(|&s| id_term(f.source, s))
            .collect()));
    }
    for &tag in &scope.tag_ids {
        require(id_term(f.tags, tag));
    }
    if scope.from_day.is_some() || scope.to_day.is_some() {
        require(days(f, scope.from_day, scope.to_day));
    }
    if let Some((from, to)) = scope.period {
        require(days(f, Some(from), Some(to)));
    }
    let excluded = (scope.not_source_ids.iter().map(|&s| id_term(f.source, s)))
        .chain(scope.not_tag_ids.iter().map(|&t| id_term(f.tags, t)));
    out.extend(excluded.map(|q| (Occur::MustNot, q)));
    out
}

/// Publication days within inclusive bounds (`YYYYMMDD`).
fn days(f: &Fields, from: Option<i64>, to: Option<i64>) -> Box<dyn IndexQuery> {
    let bound = |day: Option<i64>| {
        day.map_or(Bound::Unbounded, |d| {
            Bound::Included(Term::from_field_i64(f.day, d))
        })
    };
    Box::new(RangeQuery::new(bound(from), bound(to)))
}

fn id_term(field: Field, id: i64) -> Box<dyn IndexQuery> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, id as u64),
        IndexRecordOption::Basic,
    ))
}
