//! A page of a period ranked without the period's filter, the day checked
//! at each candidate (`search::index::top_within`, what a search whose
//! only filter is its period uses once the period holds enough of the
//! matches), is the page tantivy ranks from the filtered query: the same
//! documents in the same order, ties included, on every page.

use arshif::search::filters::Scope;
use arshif::search::index::{self, top_within};
use arshif::search::plan;
use arshif::search::query::Query;
use tantivy::DocAddress;
use tantivy::collector::TopDocs;

use crate::search_index::generated;
use crate::support::TestApp;

/// Catches a pruned page that differs from the filtered one: documents
/// outside the period, a tie broken the other way (the generated bodies
/// score alike), a page of the wrong offset, a segment skipped that
/// holds days of the period, or a bar carried too high between segments.
#[tokio::test]
async fn a_period_ranked_pruned_is_the_page_of_the_filtered_query() {
    let app = TestApp::empty().await;
    // Imported in two halves: two index segments, the bar carried across.
    let corpus = std::fs::read_to_string(generated(&app.scratch)).unwrap();
    let lines: Vec<&str> = corpus.lines().collect();
    for (i, half) in lines.chunks(lines.len().div_ceil(2)).enumerate() {
        let part = app.scratch.file(&format!("half{i}.jsonl"), half.join("\n"));
        app.import(&[part.as_path()]).await;
        index::of(&app.archive.search).await.unwrap(); // indexes what is there
    }
    let index = index::of(&app.archive.search).await.unwrap();
    let searcher = index.searcher();
    assert_eq!(searcher.segment_readers().len(), 2);
    let common = index.common();
    let on = (index.fields(), &*common);
    // One article a day from 2000-01-01: whole years, a month, a day, and
    // a period with no article.
    let mut periods: Vec<(i64, i64)> = (2000..=2006)
        .map(|y| (y * 10_000 + 101, y * 10_000 + 1231))
        .collect();
    periods.extend([
        (20030501, 20030531),
        (20010203, 20010203),
        (19900101, 19901231),
    ]);
    let mut compared = 0;
    for q in [
        "الحكومة",
        "المتحدث OR العاصمة",
        "\"الشركاء الأسبوع\"",
        "قال الخطة",
    ] {
        let query = Query::parse(q);
        let words = plan::build(&query, &Scope::default(), on).unwrap();
        for &period in &periods {
            let scope = Scope {
                period: Some(period),
                ..Scope::default()
            };
            let filtered = plan::build(&query, &scope, on).unwrap();
            for (offset, limit) in [(0, 20), (20, 21), (0, 400), (380, 20), (5000, 20)] {
                let window = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score();
                let expected: Vec<DocAddress> = searcher
                    .search(&*filtered, &window)
                    .unwrap()
                    .into_iter()
                    .map(|(_, a)| a)
                    .collect();
                let found = top_within(&searcher, &*words, period, (offset, limit)).unwrap();
                assert_eq!(found, expected, "{q} {period:?} {offset}+{limit}");
                compared += usize::from(!expected.is_empty());
            }
        }
    }
    assert!(compared > 80, "{compared} nonempty pages compared");
}
