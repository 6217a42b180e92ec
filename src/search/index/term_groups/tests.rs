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

/// 9,000 documents: x in most, y in a band, z rare and clustered.
fn windows_corpus() -> (Index, [tantivy::schema::Field; 3], u32) {
    let mut schema = Schema::builder();
    let [a, b, c] = ["a", "b", "c"].map(|f| schema.add_text_field(f, STRING));
    let index = Index::create_in_ram(schema.build());
    let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let n = 9_000u32;
    for i in 0..n {
        let mut doc = TantivyDocument::new();
        // x in most documents, y in a band, z rare and clustered.
        doc.add_text(a, if i % 5 != 0 { "x" } else { "w" });
        doc.add_text(
            b,
            if (2_000..6_500).contains(&i) {
                "y"
            } else {
                "v"
            },
        );
        doc.add_text(
            c,
            if i % 1_013 < 3 || i == n - 1 {
                "z"
            } else {
                "u"
            },
        );
        writer.add_document(doc).unwrap();
    }
    writer.commit().unwrap();
    (index, [a, b, c], n)
}

/// Catches windows worked out wrongly: an intersection that differs
/// from tantivy's (groups over many windows, a rare group that leads
/// and skips, a group ending early), and a seek that lands anywhere
/// but on the first match at or after its target (within the window,
/// past it, on a window's edges).
/// past it, on a window's edges), and buffers that skip or repeat one.
#[test]
fn intersects_and_seeks_as_tantivy_does_across_windows() {
    use tantivy::{DocId, DocSet, TERMINATED};

    let (index, [a, b, c], n) = windows_corpus();
    let searcher = index.reader().unwrap().searcher();
    let t = |f, s: &str| Term::from_field_text(f, s);
    let groups = [
        vec![t(a, "x"), t(c, "z")],
        vec![t(b, "y"), t(a, "w")],
        vec![t(c, "z"), t(b, "absent")],
    ];
    let should = |terms: &Vec<Term>| -> Box<dyn Query> {
        let parts = terms.iter().map(|t| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic));
            (Occur::Should, q)
        });
        Box::new(BooleanQuery::new(parts.collect()))
    };
    for take in 1..=groups.len() {
        let groups = groups[..take].to_vec();
        let tantivys = BooleanQuery::new(groups.iter().map(|g| (Occur::Must, should(g))).collect());
        let expected = searcher.search(&tantivys, &DocSetCollector).unwrap();
        let found = searcher
            .search(&TermGroups::all(groups.clone()), &DocSetCollector)
            .unwrap();
        assert_eq!(found, expected, "{take} groups");
        assert!(!found.is_empty());

        let mut docs: Vec<DocId> = expected.iter().map(|a| a.doc_id).collect();
        docs.sort_unstable();
        let weight = TermGroups::all(groups)
            .weight(tantivy::query::EnableScoring::disabled_from_searcher(
                &searcher,
            ))
            .unwrap();
        let reader = searcher.segment_reader(0);
        let mut scorer = weight.scorer(reader, 1.0).unwrap();
        for target in [
            0,
            5,
            1_023,
            1_024,
            1_025,
            2_047,
            2_048,
            3_000,
            3_001,
            6_400,
            8_998,
            n - 1,
            n,
        ] {
            let want = docs
                .iter()
                .copied()
                .find(|&d| d >= target)
                .unwrap_or(TERMINATED);
            let got = if scorer.doc() >= target {
                scorer.doc()
            } else {
                scorer.seek(target)
            };
            assert_eq!(got, want, "seek {target}, {take} groups");
        }
        // Read in buffers (as the tally walks), after a seek into the middle.
        let mut scorer = weight.scorer(reader, 1.0).unwrap();
        let mut read = vec![scorer.seek(3_000)];
        scorer.advance();
        let mut buffer = [0; tantivy::COLLECT_BLOCK_BUFFER_LEN];
        loop {
            let n = scorer.fill_buffer(&mut buffer);
            if n == 0 {
                break;
            }
            read.extend_from_slice(&buffer[..n]);
        }
        let after: Vec<DocId> = docs.iter().copied().filter(|&d| d >= 3_000).collect();
        assert_eq!(read, after, "buffers, {take} groups");
    }
}
