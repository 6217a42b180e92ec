//! Search end to end: the acceptance corpus (varied spellings) imported through
//! the real pipeline, indexed, and queried through `arshif::search::search`:
//! recall of every expected hit (against plain `unicode61`), highlighting that
//! keeps harakat, filters, pagination on both ranking paths, suggestions, errors.

mod recall;

use std::collections::HashSet;

use arshif::search::{self, Limits, SearchError, SearchRequest, SearchResults};

use recall::Corpus;

fn request(q: &str, page: u32) -> SearchRequest {
    SearchRequest {
        q: q.to_owned(),
        page,
        ..SearchRequest::default()
    }
}

async fn run(corpus: &Corpus, q: &str) -> SearchResults {
    search::search(&corpus.db, &request(q, 1)).await.expect(q)
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
    let r = search::search(&corpus.db, &req).await.unwrap();
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

/// Pages of a query matching all 40 articles: no overlap, no gap, stable.
async fn check_pages(corpus: &Corpus, limits: &Limits) -> Vec<String> {
    let mut seen = Vec::new();
    for page in 1..=3 {
        let r = search::search_with(&corpus.db, &request("مراسلنا", page), limits)
            .await
            .unwrap();
        // past the first pass's window, the total is "more than window"
        let capped = limits.window < 40;
        assert_eq!(r.total, if capped { u64::from(limits.window) } else { 40 });
        assert_eq!(r.total_capped, capped, "{limits:?}");
        assert_eq!(r.has_more, page == 1, "page {page} {limits:?}");
        assert_eq!(r.hits.len(), [20, 20, 0][page as usize - 1], "{limits:?}");
        seen.extend(r.hits.into_iter().map(|h| h.id));
    }
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 40);
    seen
}

#[tokio::test]
async fn pagination_is_complete_on_both_ranking_paths() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let exact = check_pages(&corpus, &Limits::default()).await;
    let tiny = Limits {
        window: 10,
        count_cap: 100,
        ..Limits::default()
    };
    let tiered = check_pages(&corpus, &tiny).await;
    assert_eq!(exact.len(), tiered.len());

    // When every word is very common, title matches come first.
    let r = search::search_with(
        &corpus.db,
        &request("الذهب", 1),
        &Limits { window: 1, ..tiny },
    )
    .await
    .unwrap();
    let titles: Vec<bool> = r.hits.iter().map(|h| h.title.contains("الذهب")).collect();
    assert_eq!(titles, vec![true, true, true], "{:?}", r.hits);
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
    let err = search::search(&corpus.db, &req).await.unwrap_err();
    assert!(matches!(err, SearchError::InvalidDate { field: "to", .. }) && err.is_user_error());
    let err = search::search(&corpus.db, &request("الذهب", 51))
        .await
        .unwrap_err();
    assert!(matches!(err, SearchError::PageOutOfRange { .. }) && err.is_user_error());
    let r = search::search(&corpus.db, &request("", 1)).await.unwrap();
    assert_eq!((r.total, r.hits.len()), (0, 0));
}

#[tokio::test]
async fn the_index_is_rebuilt_only_when_the_analyzer_changes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let calls = std::sync::Mutex::new(Vec::new());
    let rebuilt =
        search::reindex::ensure_index(&corpus.db, &|d, t| calls.lock().unwrap().push((d, t)))
            .await
            .unwrap();
    assert!(!rebuilt && calls.lock().unwrap().is_empty());
    let done = search::reindex::reindex(&corpus.db, &|d, t| calls.lock().unwrap().push((d, t)))
        .await
        .unwrap();
    assert_eq!(done, 40);
    assert_eq!(calls.lock().unwrap().last(), Some(&(40, 40)));
    assert_eq!(
        run(&corpus, "مراسلنا").await.total,
        40,
        "a rebuild leaves no duplicates"
    );
    // An index built by another analyzer version is rebuilt by the check.
    sqlx::query("UPDATE settings SET value = 'older' WHERE key = 'analyzer_version'")
        .execute(&corpus.db.write)
        .await
        .unwrap();
    let rebuilt = search::reindex::ensure_index(&corpus.db, &|_, _| {})
        .await
        .unwrap();
    assert!(rebuilt, "another analyzer's index is rebuilt");
    assert_eq!(run(&corpus, "مراسلنا").await.total, 40);
}

#[tokio::test]
async fn a_grown_archive_gets_its_index_merged_into_one_b_tree_and_finds_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let db = &corpus.db;
    // Every commit that indexes adds a b-tree: re-index a few articles one
    // transaction each, as small uploads would.
    for id in 1..=5 {
        let mut tx = db.write.begin().await.unwrap();
        search::reindex::index_articles(&mut tx, &[id])
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let before = run(&corpus, "مراسلنا").await.total;
    let has_work = |db: &arshif::store::Db| {
        let db = db.clone();
        async move {
            let mut tx = db.write.begin().await.unwrap();
            // A one-page step shows whether more than one b-tree is left.
            let more = arshif::store::search::merge_step(&mut tx, 1).await.unwrap();
            tx.rollback().await.unwrap();
            more
        }
    };
    assert!(has_work(db).await, "several b-trees before");
    // As if the last merge was at 35 articles: 40 is not a quarter more.
    search::tidy::mark_tidy(&mut db.write.acquire().await.unwrap(), 35)
        .await
        .unwrap();
    assert!(!search::tidy::tidy_if_grown(db, 1).await.unwrap());
    search::tidy::mark_tidy(&mut db.write.acquire().await.unwrap(), 30)
        .await
        .unwrap();
    assert!(search::tidy::tidy_if_grown(db, 1).await.unwrap());
    assert!(!has_work(db).await, "one b-tree after");
    assert!(
        !search::tidy::tidy_if_grown(db, 1).await.unwrap(),
        "not again until the archive grows"
    );
    assert_eq!(run(&corpus, "مراسلنا").await.total, before, "nothing lost");
    let mut conn = db.read.acquire().await.unwrap();
    let at = arshif::store::settings::get(&mut conn, search::tidy::TIDIED_KEY)
        .await
        .unwrap();
    assert_eq!(at.as_deref(), Some("40"));
}

#[tokio::test]
async fn a_phrase_of_very_common_words_is_looked_for_in_the_newest_articles_only() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let phrase = request("\"وتابع مراسلنا\"", 1);
    let whole = search::search(&corpus.db, &phrase).await.unwrap();
    assert!(!whole.recent_only);
    assert!(whole.total > 8, "{}", whole.total);
    // Scaled down: a phrase held by 10 articles or more is bounded, and
    // looked for where about 8 hold its words (here: nearly all do).
    let bounded = Limits {
        window: 5,
        phrase_scan: 10,
        phrase_checks: 8,
        ..Limits::default()
    };
    let recent = search::search_with(&corpus.db, &phrase, &bounded)
        .await
        .unwrap();
    assert!(
        recent.recent_only,
        "the page says only recent articles were searched"
    );
    assert!(recent.total > 0 && recent.total <= 8, "{}", recent.total);
}
