//! Turns a parsed [`Query`] and its resolved filters into an index query.
//! Only analyzer output becomes terms (no query parser of tantivy's runs on
//! user text). One word with norm `n` and Q-variants `v…` (arabic-text.md
//! §b) is the disjunction
//!
//! `title:n^10 | body:n | title_stem:v…^5 | body_stem:v…^0.5`
//!
//! scored by BM25 per field, so a title match outranks a body-only one and
//! the exact form outranks a stem-only one. A phrase is the same four
//! fields as phrase queries (the stems' sequence on the stem fields).
//! Groups (`a OR b`) are disjunctions, groups are required, exclusions are
//! forbidden, filters are required and add nothing to the score.
//!
//! Shape and speed: a query that is one word (or one `OR` group of words)
//! stays a plain disjunction of term queries, which tantivy's top-k walks
//! with block-max WAND (skipping blocks that cannot reach the top); every
//! other shape (several required words, a phrase, filters) is scored over
//! all its matches.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as IndexQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::arabic;

use super::filters::Scope;
use super::index::Fields;
use super::query::{Alt, Query};

/// Field weights (the FTS5 index's `bm25(10, 1, 5, 0.5)` before).
const TITLE: f32 = 10.0;
const BODY: f32 = 1.0;
const TITLE_STEM: f32 = 5.0;
const BODY_STEM: f32 = 0.5;

/// The query for `query`'s words within `scope`; `None` when there is
/// nothing to look for (no word and no filter).
pub fn build(query: &Query, scope: &Scope, f: &Fields) -> Option<Box<dyn IndexQuery>> {
    let words = words(query, f);
    let filters = filters(scope, f);
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

/// The words of `query` alone (groups and exclusions), no filters.
pub fn words(query: &Query, f: &Fields) -> Option<Box<dyn IndexQuery>> {
    if query.is_empty() {
        return None;
    }
    let mut groups: Vec<Box<dyn IndexQuery>> = query
        .groups
        .iter()
        .map(|group| any(group.iter().map(|a| alt(a, f)).collect()))
        .collect();
    if groups.len() == 1 && query.excluded.is_empty() {
        return groups.pop(); // kept bare: block-max WAND applies to it
    }
    let mut clauses: Vec<(Occur, Box<dyn IndexQuery>)> =
        groups.into_iter().map(|q| (Occur::Must, q)).collect();
    clauses.extend(query.excluded.iter().map(|a| (Occur::MustNot, alt(a, f))));
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// One normalized word alone, as a query matches it (for suggestions).
pub fn word(norm: &str, f: &Fields) -> Box<dyn IndexQuery> {
    let mut parts = vec![term(f.title, norm, TITLE), term(f.body, norm, BODY)];
    for v in arabic::query_variants(norm) {
        parts.push(term(f.title_stem, &v, TITLE_STEM));
        parts.push(term(f.body_stem, &v, BODY_STEM));
    }
    any(parts)
}

/// The exact normalized word in titles or bodies (no stems).
pub fn exact_word(norm: &str, f: &Fields) -> Box<dyn IndexQuery> {
    any(vec![term(f.title, norm, TITLE), term(f.body, norm, BODY)])
}

fn alt(alt: &Alt, f: &Fields) -> Box<dyn IndexQuery> {
    match alt {
        Alt::Word(w) => word(&w.norm, f),
        Alt::Phrase(words) => phrase(words, f),
        Alt::Title(words) => title(words, f),
    }
}

/// Words in the title only: one word as [`word`] matches it there (exact
/// form or stem variants), several as a phrase of the title's exact words
/// or, ranked lower, of their stems.
fn title(words: &[String], f: &Fields) -> Box<dyn IndexQuery> {
    if let [norm] = words {
        let mut parts = vec![term(f.title, norm, TITLE)];
        parts.extend(
            arabic::query_variants(norm)
                .iter()
                .map(|v| term(f.title_stem, v, TITLE_STEM)),
        );
        return any(parts);
    }
    let stems: Vec<String> = words.iter().map(|w| arabic::stem(w)).collect();
    any(vec![
        sequence(f.title, words, TITLE),
        sequence(f.title_stem, &stems, TITLE_STEM),
    ])
}

fn sequence(field: Field, words: &[String], weight: f32) -> Box<dyn IndexQuery> {
    let terms = words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    boosted(Box::new(PhraseQuery::new(terms)), weight)
}

/// A phrase: its exact words in sequence, or (ranked lower) their stems.
/// A quoted single word is that exact word, or its own stem.
fn phrase(words: &[String], f: &Fields) -> Box<dyn IndexQuery> {
    let stems: Vec<String> = words.iter().map(|w| arabic::stem(w)).collect();
    if let ([word], [stem]) = (words, stems.as_slice()) {
        return any(vec![
            term(f.title, word, TITLE),
            term(f.body, word, BODY),
            term(f.title_stem, stem, TITLE_STEM),
            term(f.body_stem, stem, BODY_STEM),
        ]);
    }
    any(vec![
        sequence(f.title, words, TITLE),
        sequence(f.body, words, BODY),
        sequence(f.title_stem, &stems, TITLE_STEM),
        sequence(f.body_stem, &stems, BODY_STEM),
    ])
}

fn term(field: Field, text: &str, weight: f32) -> Box<dyn IndexQuery> {
    let term = Term::from_field_text(field, text);
    boosted(
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        weight,
    )
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
