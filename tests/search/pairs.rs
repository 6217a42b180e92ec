//! The pair fields and the counting query against what they replace, on the
//! acceptance corpus: a phrase looked up as pair terms (where the index
//! paired its words: one of each two is frequent) finds exactly the
//! documents a position-checked phrase over the word fields finds, and the
//! lean query counting walks (`plan::matching`) matches exactly what the
//! ranked one (`plan::build`) matches.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use arshif::arabic;
use arshif::search::filters::Scope;
use arshif::search::index::{CommonWords, Fields, SearchIndex};
use arshif::search::plan;
use arshif::search::query::Query;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query as IndexQuery, TermQuery};
use tantivy::schema::IndexRecordOption::WithFreqs;
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

/// The acceptance corpus imported into a temporary folder (kept while
/// the first value lives), and its search index.
async fn indexed() -> (tempfile::TempDir, Corpus, Arc<SearchIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let index = arshif::search::index::of(&corpus.search).await.unwrap();
    (dir, corpus, index)
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
    let (_dir, corpus, index) = indexed().await;
    let f = index.fields();
    let phrases = sequences(&corpus).await;
    assert!(phrases.len() > 500, "{}", phrases.len());
    let scope = Scope::default();
    // The index's frequent words, and the function words alone (fewer: a
    // build on a grown archive knows words this one did not pair).
    let sets = [index.common(), Arc::new(CommonWords::derive(&[]))];
    let mut paired = [0, 0];
    for common in &sets {
        let on = (f, &**common);
        for words in &phrases {
            let query = Query::parse(&format!("\"{}\"", words.join(" ")));
            let expected = matches(&index, &*by_positions(words, f));
            assert!(!expected.is_empty(), "{words:?} is in the corpus");
            let ranked = plan::build(&query, &scope, on).unwrap();
            assert_eq!(matches(&index, &*ranked), expected, "{words:?}");
            let counted = plan::matching(&query, &scope, on).unwrap();
            assert_eq!(matches(&index, &*counted), expected, "{words:?} counted");
            paired[usize::from(common.all_paired(words, false))] += 1;
        }
    }
    assert!(
        paired[0] > 100 && paired[1] > 100,
        "both ways are checked (by positions, by pairs): {paired:?}"
    );
    // Pairs do not join a title's last word to its body's first.
    let across = Query::parse("\"الكتاب افتتح\"");
    let query = plan::build(&across, &scope, (f, &*sets[0])).unwrap();
    assert!(matches(&index, &*query).is_empty());
}

/// Each match's score by `query`.
fn scores(index: &SearchIndex, query: &dyn IndexQuery) -> HashMap<DocAddress, f32> {
    let top = TopDocs::with_limit(100_000).order_by_score();
    let found = index.searcher().search(query, &top).expect("search");
    found.into_iter().map(|(score, doc)| (doc, score)).collect()
}

/// Catches a phrase ranked otherwise when it is found on the pair fields
/// than when its words' positions are checked (its order must not depend
/// on which words a build paired): every match's score, for every 2- and
/// 3-word sequence of the corpus, against an index build that paired
/// nothing.
#[tokio::test]
async fn a_phrase_scores_the_same_found_by_pairs_or_by_positions() {
    let (_dir, corpus, index) = indexed().await;
    let f = index.fields();
    let (common, unpaired) = (index.common(), CommonWords::default());
    let scope = Scope::default();
    let mut paired = [0, 0];
    for words in &sequences(&corpus).await {
        let query = Query::parse(&format!("\"{}\"", words.join(" ")));
        let ranked = |common| plan::build(&query, &scope, (f, common)).unwrap();
        let by_pairs = scores(&index, &*ranked(&common));
        assert!(!by_pairs.is_empty(), "{words:?} is in the corpus");
        assert_eq!(by_pairs, scores(&index, &*ranked(&unpaired)), "{words:?}");
        if common.all_paired(words, false) && common.all_paired(words, true) {
            paired[words.len() - 2] += 1;
        }
    }
    assert!(
        paired[0] > 100 && paired[1] > 100,
        "2- and 3-word phrases found by pairs: {paired:?}"
    );
}

/// Phrases as pair terms with every pair looked up, as if every word were
/// frequent: what the index did not pair is not found. So the phrases
/// above that were found as pairs were found on what the index paired.
#[tokio::test]
async fn only_pairs_with_a_frequent_word_are_indexed() {
    let (_dir, corpus, index) = indexed().await;
    let f = index.fields();
    let common = index.common();
    let (norms, stems) = common.len();
    assert!(norms > 100 && stems > 100, "{norms} {stems}");
    let phrases = sequences(&corpus).await;
    let (mut rare, mut found) = (0, 0);
    for words in phrases.iter().filter(|w| w.len() == 2) {
        let pair = plan::pair_term(f.body_pairs, (&words[0], &words[1]), false);
        let title = plan::pair_term(f.title_pairs, (&words[0], &words[1]), false);
        let query = BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(TermQuery::new(pair, WithFreqs)) as _,
            ),
            (
                Occur::Should,
                Box::new(TermQuery::new(title, WithFreqs)) as _,
            ),
        ]);
        let hits = matches(&index, &query).len();
        if common.paired(&words[0], &words[1], false) {
            assert!(hits > 0, "{words:?} paired and in the corpus");
            found += 1;
        } else {
            assert_eq!(hits, 0, "{words:?} not paired");
            rare += 1;
        }
    }
    // The acceptance corpus is small: nearly every word is frequent in it.
    assert!(rare > 0 && found > 100, "{rare} {found}");
}

#[tokio::test]
async fn counting_matches_exactly_what_ranking_matches() {
    let (_dir, _corpus, index) = indexed().await;
    let common = index.common();
    let on = (index.fields(), &*common);
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
            // Several groups, one of them a choice: counted as bit sets.
            "الرئيس OR القاهرة معرض",
            "مراسلنا الكتاب OR الرئيس -القاهرة",
        ]
        .map(str::to_owned),
    );
    let mut nonempty = 0;
    for q in &queries {
        let query = Query::parse(q);
        let (Some(ranked), Some(counted)) = (
            plan::build(&query, &scope, on),
            plan::matching(&query, &scope, on),
        ) else {
            continue;
        };
        let expected = matches(&index, &*ranked);
        nonempty += usize::from(!expected.is_empty());
        assert_eq!(matches(&index, &*counted), expected, "{q}");
    }
    assert!(nonempty > 50, "{nonempty} queries with matches");
}
