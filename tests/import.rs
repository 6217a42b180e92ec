//! Importing from the command line: the seed's exact parse (golden),
//! idempotent re-import, order-independent ids, reparse, containers.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::{SEED, SEED_EXPECTED, Scratch, by_title, ids, json_file};

#[test]
fn seed_import_exports_exactly_the_expected_parse() {
    let s = Scratch::new();
    let report = s.import(&[Path::new(SEED)]);
    assert_eq!(report["files"], 1);
    assert_eq!(report["articles_new"], 2, "the page and its read-also item");
    assert_eq!(report["related_links"], 1);
    assert_eq!(report["rejected"], json!([]));

    let expected = json_file(SEED_EXPECTED);
    let articles = s.export();
    let main = by_title(&articles, expected["title"].as_str().unwrap());
    for field in [
        "title",
        "published",
        "published_raw",
        "source",
        "tags",
        "paragraphs",
    ] {
        assert_eq!(main[field], expected[field], "field {field}");
    }
    assert_eq!(main["files"], json!([expected["file"]]));

    let item_expected = &expected["related"][0];
    assert_eq!(main["related"].as_array().unwrap().len(), 1);
    assert_eq!(main["related"][0]["relation"], item_expected["relation"]);
    let item = articles
        .iter()
        .find(|a| a["id"] == main["related"][0]["id"])
        .expect("the related article is exported");
    for field in ["title", "published", "source", "tags", "paragraphs"] {
        assert_eq!(
            item[field], item_expected[field],
            "read-also item field {field}"
        );
    }
    assert_eq!(
        item["published"],
        Value::Null,
        "an embedded item never gets the page's date"
    );
}

#[test]
fn export_urls_are_permalinks_with_arabic_slugs() {
    let s = Scratch::new();
    s.import(&[Path::new(SEED)]);
    for article in s.export() {
        let id = article["id"].as_str().unwrap();
        let url = article["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("/a/{id}/")), "{url}");
        assert!(
            url.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c)),
            "slug keeps Arabic: {url}"
        );
    }
}

#[test]
fn importing_the_same_file_again_changes_nothing() {
    let s = Scratch::new();
    s.import(&[Path::new(SEED)]);
    let before = s.export();
    let again = s.import(&[Path::new(SEED)]);
    assert_eq!(again["articles_new"], 0);
    assert_eq!(again["articles_enriched"], 0);
    assert_eq!(again["articles_duplicate"], 2);
    assert_eq!(again["related_links"], 0);
    assert_eq!(s.export(), before);
}

/// Writes `n` synthetic pages (with read-also items and republished
/// stories) into `dir`; returns their paths in name order.
fn synthetic_pages(s: &Scratch, n: usize) -> Vec<std::path::PathBuf> {
    let vocabulary = arshif_testkit::synth::Vocabulary::builtin();
    let mut spec = arshif_testkit::synth::CorpusSpec::new(n);
    spec.republish_share = 0.3;
    let corpus = arshif_testkit::synth::Corpus::new(spec, &vocabulary);
    let dir = s.path("pages");
    corpus.write_dir(&dir).unwrap();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}

#[test]
fn reverse_order_import_gives_the_same_ids() {
    let s = Scratch::new();
    let paths = synthetic_pages(&s, 60);
    let forward = Scratch::new();
    let refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    forward.import(&refs);
    let backward = Scratch::new();
    let reversed: Vec<&Path> = refs.iter().rev().copied().collect();
    backward.import(&reversed);
    let (a, b) = (forward.export(), backward.export());
    assert!(
        a.iter()
            .any(|x| !x["related"].as_array().unwrap().is_empty()),
        "the pages carry read-also links"
    );
    assert_eq!(ids(&a), ids(&b));
    let titles = |v: &[Value]| -> Vec<(String, String)> {
        let mut t: Vec<_> = v
            .iter()
            .map(|a| (a["id"].to_string(), a["title"].to_string()))
            .collect();
        t.sort();
        t
    };
    assert_eq!(titles(&a), titles(&b));
}

#[test]
fn full_page_enriches_its_earlier_read_also_item() {
    let s = Scratch::new();
    // An embedded item carries the story's opening (identity looks at the
    // first 300 normalized characters of the body); the full page adds more.
    let opening = "هطلت أمطار غزيرة على المدينة منذ ساعات الصباح الأولى، وأغلقت السلطات عددا من الطرق الرئيسية أمام حركة السير، ودعت المواطنين إلى البقاء في منازلهم حتى تتحسن الأحوال الجوية.\nوقال المتحدث باسم الدفاع المدني إن فرق الإنقاذ تعاملت مع عشرات البلاغات خلال الليل، وإن أغلبها كان بسبب تجمع المياه في الشوارع المنخفضة والأنفاق.";
    let item_only = format!(
        "صفحة أولى تذكر خبرا\nتاريخ النشر: 2025-01-02\nنص الصفحة الأولى.\nإقرأ أيضاً:\nخبر مهم عن الأمطار\nالمصدر نت /..\n{opening}"
    );
    let full_page = format!(
        "خبر مهم عن الأمطار\nتاريخ النشر: 2025-01-01\n{opening}\nوأضاف أن الطرق ستفتح غدا.\nالمصدر: صحيفة الطقس\nكلمات دلالية: أمطار الطرق"
    );
    let first = s.import(&[&s.file("a.txt", item_only)]);
    assert_eq!(first["articles_new"], 2);
    let second = s.import(&[&s.file("b.txt", full_page)]);
    assert_eq!(second["articles_new"], 0, "{second}");
    assert_eq!(second["articles_enriched"], 1);
    let articles = s.export();
    assert_eq!(articles.len(), 2, "the full page met its read-also item");
    let story = by_title(&articles, "خبر مهم عن الأمطار");
    assert_eq!(story["published"], "2025-01-01");
    assert_eq!(story["source"], "المصدر نت", "the first source stays");
    assert_eq!(story["tags"], json!(["أمطار", "الطرق"]));
    assert_eq!(
        story["paragraphs"].as_array().unwrap().len(),
        3,
        "the full text replaced the excerpt"
    );
    assert_eq!(story["files"], json!(["a.txt", "b.txt"]));
}

#[test]
fn reparse_keeps_every_permalink() {
    let s = Scratch::new();
    let paths = synthetic_pages(&s, 25);
    let refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    s.import(&refs);
    s.import(&[Path::new(SEED)]);
    let before = s.export();
    let out = s.arshif(&["reparse"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(s.export(), before, "same parser, same archive");
}

/// An article a reparse finds by identity (its file's link to it lost, as
/// when a better parser finds an item the old one missed) is compared with
/// its whole stored text: unchanged, it counts as a duplicate.
#[tokio::test]
async fn reparse_compares_an_article_found_by_identity_with_its_stored_text() {
    let s = Scratch::new();
    s.import(&[Path::new(SEED)]);
    let db = crate::live::connect(&s.db()).await;
    arshif::dispatch!(db.write, |c| sqlx::query(
        "DELETE FROM article_files WHERE position = 1"
    )
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    let out = s.arshif(&["reparse"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: String = arshif::dispatch!(db.read, |c| sqlx::query_scalar(
        "SELECT report FROM imports WHERE origin = 'reparse'"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["articles_enriched"], 0, "{report}");
    assert_eq!(report["articles_duplicate"], 2, "{report}");
}

#[test]
fn imports_archives_and_folders_naming_members() {
    let s = Scratch::new();
    let seed = std::fs::read(SEED).unwrap();
    let zip_path = s.path("dump.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        zip.start_file("news/seed.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, &seed).unwrap();
        zip.finish().unwrap();
    }
    let report = s.import(&[&zip_path]);
    assert_eq!(report["articles_new"], 2);
    let main = by_title(
        &s.export(),
        "زعيم كوريا الشمالية: دعم غير مشروط لكل إجراءات روسيا بخصوص أوكرانيا",
    )
    .clone();
    assert_eq!(main["files"], json!(["dump.zip!/news/seed.txt"]));
}

#[test]
fn imports_jsonl_records_naming_lines() {
    let s = Scratch::new();
    let lines = [
        json!({"title": "عنوان الخبر الأول", "published": "2024-03-05", "source": "مصدر", "tags": ["وسم"], "body": "فقرة أولى.\nفقرة ثانية."}),
        json!({"text": "عنوان الخبر الثاني\nتاريخ النشر: 2024-03-06\nنص الخبر الثاني."}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let report = s.import(&[&s.file("feed.jsonl", text)]);
    assert_eq!(report["articles_new"], 2);
    let articles = s.export();
    let first = by_title(&articles, "عنوان الخبر الأول");
    assert_eq!(first["paragraphs"], json!(["فقرة أولى.", "فقرة ثانية."]));
    assert_eq!(first["files"], json!(["feed.jsonl:1"]));
    assert_eq!(
        by_title(&articles, "عنوان الخبر الثاني")["published"],
        "2024-03-06"
    );
}
