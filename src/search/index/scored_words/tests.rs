use std::collections::BTreeMap;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STRING, Schema, TEXT};
use tantivy::{DocAddress, Index, Score, TantivyDocument, Term};

use super::ScoredWords;

/// Tantivy's own query for `groups`: an intersection of per-word unions
/// of boosted term queries.
fn tantivys(groups: &[Vec<(Term, f32)>]) -> BooleanQuery {
    let union = |group: &Vec<(Term, f32)>| -> Box<dyn Query> {
        let parts = group.iter().map(|(t, boost)| {
            let q = Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs));
            (
                Occur::Should,
                Box::new(BoostQuery::new(q, *boost)) as Box<dyn Query>,
            )
        });
        Box::new(BooleanQuery::new(parts.collect()))
    };
    BooleanQuery::new(groups.iter().map(|g| (Occur::Must, union(g))).collect())
}

/// 700 documents of random titles and bodies over five words, every
/// eleventh deleted.
fn corpus() -> (Index, Field, Field) {
    let mut schema = Schema::builder();
    let title = schema.add_text_field("title", TEXT);
    let body = schema.add_text_field("body", TEXT);
    let gone = schema.add_text_field("gone", STRING);
    let index = Index::create_in_ram(schema.build());
    let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let words = ["alif", "ba", "ta", "tha", "jim"];
    let mut seed = 7u32;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) as usize
    };
    for i in 0..700 {
        let mut doc = TantivyDocument::new();
        let text = |n: usize, next: &mut dyn FnMut() -> usize| {
            (0..n)
                .map(|_| words[next() % 5])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (t, b) = (1 + next() % 4, 3 + next() % 40);
        doc.add_text(title, text(t, &mut next));
        doc.add_text(body, text(b, &mut next));
        doc.add_text(gone, if i % 11 == 0 { "yes" } else { "no" });
        writer.add_document(doc).unwrap();
    }
    writer.commit().unwrap();
    writer.delete_term(Term::from_field_text(gone, "yes"));
    writer.commit().unwrap();
    (index, title, body)
}

/// Catches matches or scores that differ from tantivy's intersection of
/// per-word unions of boosted term queries (a word missing, a term's
/// boost or frequency lost, a deleted document ranked, a page cut
/// wrongly by the pruning threshold).
#[test]
fn ranks_as_an_intersection_of_boosted_unions() {
    let (index, title, body) = corpus();
    let searcher = index.reader().unwrap().searcher();
    let term = |field, text: &str| Term::from_field_text(field, text);
    let groups = vec![
        vec![(term(title, "alif"), 10.0), (term(body, "alif"), 1.0)],
        vec![
            (term(title, "ba"), 10.0),
            (term(body, "ba"), 1.0),
            (term(body, "ta"), 0.5),
        ],
    ];
    let tantivys = tantivys(&groups);
    let ours = ScoredWords::new(groups.clone());

    let matched = searcher.search(&ours, &DocSetCollector).unwrap();
    assert_eq!(
        matched,
        searcher.search(&tantivys, &DocSetCollector).unwrap()
    );
    assert!(matched.len() > 300, "{}", matched.len());

    let all = |q: &dyn Query| -> BTreeMap<DocAddress, Score> {
        let top = TopDocs::with_limit(1000).order_by_score();
        let hits = searcher.search(q, &top).unwrap();
        hits.into_iter().map(|(s, a)| (a, s)).collect()
    };
    let (expected, found) = (all(&tantivys), all(&ours));
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (doc, score) in &found {
        assert!(
            (score - expected[doc]).abs() <= 1e-5 * score.abs(),
            "{doc:?}"
        );
    }
    // A page from the middle: the same scores in the same places.
    let page = |q: &dyn Query| -> Vec<Score> {
        let top = TopDocs::with_limit(10).and_offset(20).order_by_score();
        searcher
            .search(q, &top)
            .unwrap()
            .into_iter()
            .map(|(s, _)| s)
            .collect()
    };
    let (expected, found) = (page(&tantivys), page(&ours));
    assert_eq!(found.len(), 10);
    for (a, b) in found.iter().zip(&expected) {
        assert!((a - b).abs() <= 1e-5 * a.abs(), "{found:?} {expected:?}");
    }
}

/// 3,000 documents, half titled "alif ba" (the same title part, more
/// of them than the leaders), half titled "x y"; bodies of random
/// counts of alif, ba and x, so the body terms order the tied titles.
fn tied_titles() -> (Index, Field, Field) {
    let mut schema = Schema::builder();
    let title = schema.add_text_field("title", TEXT);
    let body = schema.add_text_field("body", TEXT);
    let index = Index::create_in_ram(schema.build());
    let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let mut seed = 11u32;
    let mut next = |n: u32| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) % n
    };
    for i in 0..3_000 {
        let mut doc = TantivyDocument::new();
        doc.add_text(title, if i % 2 == 0 { "alif ba" } else { "x y" });
        let mut words = Vec::new();
        for (word, most) in [("alif", 6), ("ba", 6), ("x", 30)] {
            words.extend(std::iter::repeat_n(word, next(most) as usize));
        }
        if i % 97 == 0 {
            words.push("dal"); // a rare word: 31 documents
        }
        doc.add_text(body, words.join(" "));
        writer.add_document(doc).unwrap();
    }
    writer.commit().unwrap();
    (index, title, body)
}

/// Catches a pruned page that differs from the page of every match
/// scored (a document the bar cut wrongly, a low term's score or word
/// lost, a leader handed on twice), and pruning that never happens: a
/// short page of two words in titles ends without scoring every match;
/// a page longer than the matches asks for all of them.
#[test]
fn a_pruned_page_is_the_page_of_every_match() {
    for (index, title, body) in [corpus(), tied_titles()] {
        pruned_pages_hold(&index, (title, body), "ba", false);
    }
    // With a rare word, its documents alone are scored, for any page.
    let (index, title, body) = tied_titles();
    pruned_pages_hold(&index, (title, body), "dal", true);
}

/// Pages of `alif` and `other` (`all_pruned`: even a page longer than
/// the matches) are the pages tantivy's query answers.
fn pruned_pages_hold(index: &Index, (title, body): (Field, Field), other: &str, all_pruned: bool) {
    use tantivy::query::Bm25Weight;

    use super::prune::{Outcome, Scored, top};

    let searcher = index.reader().unwrap().searcher();
    assert_eq!(searcher.segment_readers().len(), 1);
    let reader = searcher.segment_reader(0);
    let term = |field, text: &str| Term::from_field_text(field, text);
    let groups = vec![
        vec![(term(title, "alif"), 10.0), (term(body, "alif"), 1.0)],
        vec![
            (term(title, other), 10.0),
            (term(body, other), 1.0),
            (term(body, "ta"), 0.5),
        ],
    ];
    let weights: Vec<(usize, Term, Bm25Weight)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, terms)| terms.iter().map(move |t| (g, t)))
        .map(|(g, (t, boost))| {
            let bm25 = Bm25Weight::for_terms(&searcher, std::slice::from_ref(t)).unwrap();
            (g, t.clone(), bm25.boost_by(*boost))
        })
        .collect();
    let scored: Vec<Scored> = weights
        .iter()
        .map(|(group, term, bm25)| Scored {
            group: *group,
            term,
            bm25,
        })
        .collect();
    let top_all = TopDocs::with_limit(5_000).order_by_score();
    let mut all: Vec<Score> = searcher
        .search(&tantivys(&groups), &top_all)
        .unwrap()
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    all.sort_by(|a, b| b.total_cmp(a));

    for (k, pruned) in [
        (1, true),
        (10, true),
        (30, true),
        (400, true),
        (5_000, all_pruned),
    ] {
        let mut page: Vec<Score> = Vec::new();
        let outcome = top(&scored, 2, reader, Score::MIN, &mut |doc, score| {
            if reader.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                page.push(score);
            }
            page.sort_by(|a, b| b.total_cmp(a));
            page.truncate(k);
            if page.len() < k {
                Score::MIN
            } else {
                page[k - 1]
            }
        })
        .unwrap();
        assert_eq!(outcome == Outcome::Done, pruned, "page of {k}");
        if pruned {
            let expected = &all[..k.min(all.len())];
            assert_eq!(page.len(), expected.len());
            for (a, b) in page.iter().zip(expected) {
                assert!((a - b).abs() <= 1e-5 * a.abs(), "{page:?} {expected:?}");
            }
        }
    }
}
