//! Search end to end: the acceptance corpus (varied spellings) imported through
//! the real pipeline, indexed, and queried through `arshif::search::search`:
//! recall of every expected hit (against plain `unicode61`), highlighting that
//! keeps harakat, filters, facets, pagination, suggestions, errors, rebuilds.
//! The index's own guarantees at scale are in `search_index.rs`.

mod pairs;
mod recall;

use std::collections::HashSet;

use arshif::search::{self, SearchError, SearchRequest, SearchResults};

use recall::Corpus;

fn request(q: &str, page: u32) -> SearchRequest {
    SearchRequest {
        q: q.to_owned(),
        page,
        ..SearchRequest::default()
    }
}

async fn run(corpus: &Corpus, q: &str) -> SearchResults {
    search::search(&corpus.search, &request(q, 1))
        .await
        .expect(q)
}

#[tokio::test]
async fn every_expected_hit_is_found_and_plain_unicode61_misses_many() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let c = recall::compare(&corpus).await;
    let (ours, plain) = (
        recall::Comparison::recall(c.ours, c.expected),
        recall::Comparison::recall(c.plain, c.expected),
    );
    println!(
        "recall over {} expected hits: arshif {ours:.3}, plain unicode61 {plain:.3}",
        c.expected
    );
    assert!(c.problems.is_empty(), "{:#?}", c.problems);
    assert_eq!(ours, 1.0);
    assert!(
        plain < 0.8,
        "the corpus should defeat plain unicode61: {plain}"
    );
}

#[tokio::test]
async fn marks_keep_the_words_own_harakat() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let r = run(&corpus, "يفتتح الرئيس").await;
    let hit = &r.hits[0];
    assert!(
        hit.title_html
            .contains("<mark>الرَّئِيسُ</mark> <mark>يَفْتَتِحُ</mark>"),
        "{}",
        hit.title_html
    );
    assert!(
        hit.snippet_html.contains("<mark>الرَّئِيسُ</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.url.starts_with(&format!("/a/{}/", hit.id)));
    assert_eq!(hit.source.as_deref(), Some("الأهرام"));
    assert_eq!(hit.published.as_deref(), Some("2024-01-15"));
}

#[tokio::test]
async fn filters_combine_with_words_and_stand_alone() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let keys = |r: &SearchResults| -> Vec<String> {
        r.hits
            .iter()
            .map(|h| corpus.keys[h.title.trim()].clone())
            .collect()
    };
    let mut req = request("الذهب", 1);
    req.source = Some("الجزيرة نت".into());
    req.from = Some("2024-01-01".into());
    let r = search::search(&corpus.search, &req).await.unwrap();
    assert_eq!(keys(&r), vec!["gold-2025"]);
    assert_eq!(r.total, 1);

    // filters alone list the filtered articles, newest first
    let r = run(&corpus, "source:هسبريس").await;
    let listed = keys(&r);
    assert_eq!(listed.first().map(String::as_str), Some("madrasa"));
    assert_eq!(listed.last().map(String::as_str), Some("undated"));
    assert_eq!(r.total, listed.len() as u64);

    // an unknown source matches nothing; a query of nothing returns nothing
    assert_eq!(run(&corpus, "الذهب source:مجهول").await.total, 0);
    assert_eq!(run(&corpus, "، -الذهب").await.total, 0);
}

#[tokio::test]
async fn facets_count_sources_and_tags_of_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let r = run(&corpus, "الذهب").await;
    assert!(!r.facets.partial);
    let count = |list: &[search::FacetCount], name: &str| {
        list.iter().find(|f| f.name == name).map_or(0, |f| f.count)
    };
    assert_eq!(count(&r.facets.sources, "الجزيرة نت"), 2);
    assert_eq!(count(&r.facets.sources, "العربية"), 1);
    assert_eq!(count(&r.facets.tags, "اقتصاد"), 2);
}

/// Pages of a query matching all 40 articles: no overlap, no gap, and the
/// page after the last is a user error.
#[tokio::test]
async fn pagination_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let mut seen = Vec::new();
    for page in 1..=2 {
        let r = search::search(&corpus.search, &request("مراسلنا", page))
            .await
            .unwrap();
        assert_eq!((r.total, r.total_capped), (40, false));
        assert_eq!(r.has_more, page == 1, "page {page}");
        assert_eq!(r.hits.len(), 20);
        seen.extend(r.hits.into_iter().map(|h| h.id));
    }
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 40);
    let err = search::search(&corpus.search, &request("مراسلنا", 3))
        .await
        .unwrap_err();
    assert!(
        matches!(err, SearchError::PageOutOfRange { max: 2, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn a_zero_hit_word_suggests_the_nearest_indexed_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let r = run(&corpus, "مؤتمر الخرطون").await;
    assert_eq!(r.total, 0);
    assert_eq!(r.suggestion.as_deref(), Some("مؤتمر الخرطوم"));
    let r = run(&corpus, "المستشفيلت").await;
    assert_eq!(r.suggestion.as_deref(), Some("المستشفيات"));
    assert_eq!(run(&corpus, "الذهب").await.suggestion, None);
}

#[tokio::test]
async fn bad_requests_are_user_errors() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let mut req = request("الذهب", 1);
    req.to = Some("2024-02-30".into());
    let err = search::search(&corpus.search, &req).await.unwrap_err();
    assert!(matches!(err, SearchError::InvalidDate { field: "to", .. }) && err.is_user_error());
    let err = search::search(&corpus.search, &request("الذهب", 51))
        .await
        .unwrap_err();
    assert!(matches!(err, SearchError::PageOutOfRange { .. }) && err.is_user_error());
    let r = search::search(&corpus.search, &request("", 1))
        .await
        .unwrap();
    assert_eq!((r.total, r.hits.len()), (0, 0));
}

#[tokio::test]
async fn a_rebuild_indexes_every_article_once() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let calls = std::sync::Mutex::new(Vec::new());
    let done = search::index::rebuild(&corpus.search, None, &|d, t| {
        calls.lock().unwrap().push((d, t))
    })
    .await
    .unwrap();
    assert_eq!(done, 40);
    assert_eq!(calls.lock().unwrap().last(), Some(&(40, 40)));
    assert_eq!(
        run(&corpus, "مراسلنا").await.total,
        40,
        "a rebuild leaves no duplicates"
    );
}
