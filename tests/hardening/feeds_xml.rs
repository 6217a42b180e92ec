//! Characters XML 1.0 forbids never reach a feed or the sitemap: the
//! parser drops them from what it stores, and feeds drop them from what
//! was stored before it did. Checked with a real XML parser.

use crate::support::{Scratch, TestApp};
use arshif::dispatch;

const TITLE: &str = "عنوان\u{1} فيه\u{b} محارف\u{1f} ممنوعة\u{fffe}";
const CLEAN_TITLE: &str = "عنوان فيه محارف ممنوعة";

fn page_with_controls(s: &Scratch) -> std::path::PathBuf {
    s.file(
        "001_controls.txt",
        format!(
            "{TITLE}\nتاريخ النشر: 2025-07-13\nنص الخبر\u{c} الأول\u{7} هنا.\n{}\nالمصدر: مصدر\u{1b} الاختبار\nكلمات دلالية: وسم\u{ffff}",
            // Enough text that the few controls are not taken for binary.
            "فقرة طويلة تكفي لأن تكون المحارف القليلة أقل من واحد في المئة. ".repeat(20)
        ),
    )
}

fn assert_well_formed(xml: &str, what: &str) {
    if let Err(err) = roxmltree::Document::parse(xml) {
        panic!("{what} is not well-formed XML ({err}):\n{xml}");
    }
}

#[tokio::test]
async fn the_parser_drops_them_from_everything_it_stores() {
    let s = Scratch::new();
    s.import(&[&page_with_controls(&s)]);
    let exported = s.export();
    let text = serde_json::to_string(&exported).unwrap();
    for c in [
        '\u{1}', '\u{7}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{fffe}', '\u{ffff}',
    ] {
        assert!(!text.contains(c), "{c:?} was stored: {text}");
    }
    assert_eq!(exported[0]["title"], CLEAN_TITLE);
    assert_eq!(exported[0]["paragraphs"][0], "نص الخبر الأول هنا.");
    assert_eq!(exported[0]["source"], "مصدر الاختبار");
    assert_eq!(exported[0]["tags"][0], "وسم");
}

#[tokio::test]
async fn feeds_and_sitemap_stay_well_formed_with_old_stored_titles() {
    let app = TestApp::empty().await;
    app.import(&[&page_with_controls(&app.scratch)]).await;
    // Articles stored before the parser dropped them still hold some.
    dispatch!(app.db.write, |c| sqlx::query(
        "UPDATE articles SET title = title || $1, slug = slug || $2",
    )
    .bind("\u{1}\u{b}\u{1f}\u{fffe}")
    .bind("\u{2}\u{ffff}")
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    dispatch!(app.db.write, |c| sqlx::query(
        "UPDATE sources SET name = name || $1"
    )
    .bind("\u{8}")
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    let feed = app.get("/feed.xml").await;
    assert_eq!(feed.status, 200);
    assert_well_formed(&feed.body, "/feed.xml");
    let doc = roxmltree::Document::parse(&feed.body).unwrap();
    let entry_title = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .nth(1)
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(entry_title, CLEAN_TITLE);
    let by_source = app
        .get(&format!(
            "{}/feed.xml",
            arshif::urls::source("مصدر الاختبار\u{8}")
        ))
        .await;
    assert_eq!(by_source.status, 200);
    assert_well_formed(&by_source.body, "the source feed");
    for uri in ["/sitemap.xml", "/sitemap/1.xml"] {
        let r = app.get(uri).await;
        assert_eq!(r.status, 200, "{uri}");
        assert_well_formed(&r.body, uri);
    }
}
