//! The pruned top-k of several required words (`index::conjunction`)
//! against tantivy's own collector scoring every match: on a generated
//! archive of common words in two segments, the pruned hits have exactly
//! the best scores, at the first page's depth and the twentieth's.

use std::collections::HashMap;

use arshif::search::filters::Scope;
use arshif::search::index::{self, SearchIndex};
use arshif::search::plan;
use arshif::search::query::Query;
use tantivy::DocAddress;
use tantivy::collector::TopDocs;

use super::WORDS;
use crate::support::TestApp;

/// `count` articles from `first` on, of 10 to 200 words drawn unevenly
/// from [`WORDS`] (so scores spread), titles of three words.
fn articles(first: usize, count: usize) -> String {
    let mut state = first as u64 + 11;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut lines = String::new();
    for i in first..first + count {
        let len = 10 + next() % 190;
        let mut pick = || WORDS[(next() % WORDS.len()).min(next() % WORDS.len())];
        let body: Vec<&str> = (0..len).map(|_| pick()).collect();
        let title: Vec<&str> = (0..3).map(|_| pick()).collect();
        let line = serde_json::json!({
            "title": format!("{} {i}", title.join(" ")),
            "published": "2024-05-01",
            "body": body.join(" "),
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    lines
}

/// Every match's score by tantivy's collector, best first.
fn all_scores(index: &SearchIndex, q: &str) -> (Vec<f32>, HashMap<DocAddress, f32>) {
    let query = plan::build(&Query::parse(q), &Scope::default(), index.fields()).unwrap();
    let searcher = index.searcher();
    let all = searcher
        .search(&*query, &TopDocs::with_limit(100_000).order_by_score())
        .unwrap();
    let scores = all.iter().map(|(s, _)| *s).collect();
    (scores, all.into_iter().map(|(s, a)| (a, s)).collect())
}

#[tokio::test]
async fn pruned_top_hits_of_several_words_have_the_best_scores() {
    let app = TestApp::empty().await;
    // Opened first, the index commits each import as its own segment.
    let index = index::of(&app.archive.search).await.unwrap();
    for (name, first) in [("a.jsonl", 0), ("b.jsonl", 1500)] {
        let file = app.scratch.file(name, articles(first, 1500));
        app.import(&[file.as_path()]).await;
    }
    let searcher = index.searcher();
    assert!(searcher.segment_readers().len() >= 2, "two segments");
    let mut checked = 0;
    for q in [
        "قال العاصمة",
        "الخطة مع الأسبوع",
        "الحكومة OR الشركاء تدرس",
        "إن في",
    ] {
        let groups = plan::all_of(&Query::parse(q), &Scope::default(), index.fields())
            .expect("several words");
        let (best, score_of) = all_scores(&index, q);
        assert!(best.len() > 500, "{q}: {} matches", best.len());
        for take in [1, 21, 401] {
            let kept = index.top_of_all(&searcher, &groups, take).unwrap();
            assert_eq!(kept.len(), take, "{q}");
            for (i, address) in kept.iter().enumerate() {
                let score = score_of[address];
                let close = (score - best[i]).abs() <= 1e-4 * best[i].abs().max(1.0);
                assert!(
                    close,
                    "{q} @{take}: hit {i} scores {score}, best {}",
                    best[i]
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 12);
    let one_word = Query::parse("قال");
    assert!(plan::all_of(&one_word, &Scope::default(), index.fields()).is_none());
    let phrase = Query::parse("قال \"الخطة مع\"");
    assert!(plan::all_of(&phrase, &Scope::default(), index.fields()).is_none());
}
