//! The pair fields and the counting query against what they replace, on the
//! acceptance corpus: a phrase looked up as pair terms finds exactly the
//! documents a position-checked phrase over the word fields finds, and the
//! lean query counting walks (`plan::matching`) matches exactly what the
//! ranked one (`plan::build`) matches.

use std::collections::{BTreeSet, HashSet};

use arshif::arabic;
use arshif::search::filters::Scope;
use arshif::search::index::{Fields, SearchIndex};
use arshif::search::plan;
use arshif::search::query::Query;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query as IndexQuery};
use tantivy::{DocAddress, Term};

use super::recall::{self, Corpus};

/// Every 2- and 3-word sequence of the corpus's titles and its bodies' first
/// 60 words, as normalized words.
async fn sequences(corpus: &Corpus) -> BTreeSet<Vec<String>> {
    let rows: Vec<(String, String)> = arshif::dispatch!(corpus.db.read, |c| sqlx::query_as(
        "SELECT title, body FROM articles"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    let mut out = BTreeSet::new();
    for (title, body) in &rows {
        for text in [title, body] {
            let words: Vec<String> = arabic::normalize_words(text).into_iter().take(60).collect();
            for n in [2, 3] {
                out.extend(words.windows(n).map(<[String]>::to_vec));
            }
        }
    }
    out
}

/// The documents `query` matches.
fn matches(index: &SearchIndex, query: &dyn IndexQuery) -> HashSet<DocAddress> {
    index
        .searcher()
        .search(query, &DocSetCollector)
        .expect("search")
}

/// The phrase as the index found it before pair fields: its exact words in
/// sequence on the title or body field, or its stems on the stem fields.
fn by_positions(words: &[String], f: &Fields) -> Box<dyn IndexQuery> {
    let stems: Vec<String> = words.iter().map(|w| arabic::stem(w)).collect();
    let phrase = |field, words: &[String]| -> (Occur, Box<dyn IndexQuery>) {
        let terms = words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect();
        (Occur::Should, Box::new(PhraseQuery::new(terms)))
    };
    Box::new(BooleanQuery::new(vec![
        phrase(f.title, words),
        phrase(f.body, words),
        phrase(f.title_stem, &stems),
        phrase(f.body_stem, &stems),
    ]))
}

#[tokio::test]
async fn pair_term_phrases_find_what_position_checked_phrases_find() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let index = arshif::search::index::of(&corpus.search).await.unwrap();
    let f = index.fields();
    let phrases = sequences(&corpus).await;
    assert!(phrases.len() > 500, "{}", phrases.len());
    let scope = Scope::default();
    for words in &phrases {
        let query = Query::parse(&format!("\"{}\"", words.join(" ")));
        let expected = matches(&index, &*by_positions(words, f));
        assert!(!expected.is_empty(), "{words:?} is in the corpus");
        let ranked = plan::build(&query, &scope, f).unwrap();
        assert_eq!(matches(&index, &*ranked), expected, "{words:?}");
        let counted = plan::matching(&query, &scope, f).unwrap();
        assert_eq!(matches(&index, &*counted), expected, "{words:?} counted");
    }
    // Pairs do not join a title's last word to its body's first.
    let across = Query::parse("\"الكتاب افتتح\"");
    let query = plan::build(&across, &scope, f).unwrap();
    assert!(matches(&index, &*query).is_empty());
}

#[tokio::test]
async fn counting_matches_exactly_what_ranking_matches() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let index = arshif::search::index::of(&corpus.search).await.unwrap();
    let f = index.fields();
    let scope = Scope::default();
    let mut queries: Vec<String> = std::fs::read_to_string(recall::QUERIES)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect();
    queries.extend(
        [
            "title:الرئيس",
            "title:\"الرئيس يفتتح\"",
            "الرئيس OR القاهرة",
            "مراسلنا -القاهرة",
            "مراسلنا -\"معرض الكتاب\"",
            "\"الرئيس\"",
        ]
        .map(str::to_owned),
    );
    let mut nonempty = 0;
    for q in &queries {
        let query = Query::parse(q);
        let (Some(ranked), Some(counted)) = (
            plan::build(&query, &scope, f),
            plan::matching(&query, &scope, f),
        ) else {
            continue;
        };
        let expected = matches(&index, &*ranked);
        nonempty += usize::from(!expected.is_empty());
        assert_eq!(matches(&index, &*counted), expected, "{q}");
    }
    assert!(nonempty > 50, "{nonempty} queries with matches");
}
