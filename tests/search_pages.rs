//! `/search` and `/api/search` in-process: the query stays in the box and
//! is escaped, hits are highlighted, filters and facets narrow, zero hits
//! help, bad dates explain, and the API answers the documented shape.

use std::path::Path;

use crate::support::{SEED, SEED_ITEM_TITLE, SEED_TITLE, TestApp};

fn q(text: &str) -> String {
    arshif::urls::query_value(text)
}

#[tokio::test]
async fn search_page_without_words_explains_the_syntax() {
    let app = TestApp::empty().await;
    let r = app.get("/search").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("كيف تبحث"));
    assert!(r.body.contains(r#"<meta name="robots" content="noindex">"#));
}

#[tokio::test]
async fn hits_are_highlighted_and_the_query_stays_in_the_box() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let r = app.get(&format!("/search?q={}", q("لافروف"))).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(SEED_TITLE.split(':').next().unwrap()));
    assert!(
        r.body.contains("<mark>لافروف</mark>"),
        "the word is marked in the snippet"
    );
    assert!(
        r.body
            .contains(r#"id="site-search" name="q" type="search" value="لافروف""#),
        "header box keeps the query"
    );
    assert!(
        r.body
            .contains(r#"id="search-q" name="q" type="search" value="لافروف""#)
    );
    assert!(r.body.contains("نتيجة واحدة"));
}

#[tokio::test]
async fn spelling_variants_find_the_article() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    // Seed spells أوكرانيا with hamza; readers type it without, with harakat, with tatweel.
    for query in ["اوكرانيا", "أُوكْرَانيَا", "اوكـــرانيا"] {
        let r = app.get(&format!("/search?q={}", q(query))).await;
        assert!(r.body.contains("<mark>"), "{query} finds the seed");
    }
}

#[tokio::test]
async fn markup_in_the_query_is_escaped() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let r = app
        .get(&format!(
            "/search?q={}",
            q(r#"<script>alert(1)</script>" موسكو"#)
        ))
        .await;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<script>alert(1)"));
    assert!(r.body.contains("&#60;script&#62;") || r.body.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn filters_and_facets_narrow_the_results() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let both = app.get(&format!("/search?q={}", q("روسيا"))).await.body;
    assert!(both.contains("نتيجتان"), "the page and its read-also item");
    assert!(
        both.contains("تضييق النتائج") && both.contains("صدى البلد"),
        "facets by source"
    );
    let one = app
        .get(&format!(
            "/search?q={}&source={}",
            q("روسيا"),
            q("الثورة نت")
        ))
        .await
        .body;
    assert!(one.contains("نتيجة واحدة"));
    assert!(one.contains(SEED_ITEM_TITLE.split(' ').next().unwrap()));
    let dated = app
        .get(&format!(
            "/search?q={}&from=2025-07-01&to=2025-07-31",
            q("روسيا")
        ))
        .await
        .body;
    assert!(
        dated.contains("نتيجة واحدة"),
        "the undated item falls out of a date range"
    );
}

#[tokio::test]
async fn zero_hits_suggest_a_spelling_and_ways_to_browse() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let r = app.get(&format!("/search?q={}", q("لافرووف"))).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("لم نجد مقالات"));
    assert!(
        r.body.contains("هل تقصد"),
        "a near indexed word is suggested"
    );
    assert!(r.body.contains(r#"href="/archive""#));
}

#[tokio::test]
async fn a_bad_date_is_explained_not_an_error_page() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let r = app
        .get(&format!("/search?q={}&from=13-2025", q("روسيا")))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("غير مفهوم"));
    assert!(
        r.body.contains(r#"name="from""#),
        "the form is there to fix it"
    );
}

#[tokio::test]
async fn api_search_answers_the_documented_shape() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let r = app.get(&format!("/api/search?q={}", q("لافروف"))).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["total"], 1);
    let hit = &json["hits"][0];
    for field in ["id", "url", "title", "source", "published", "snippet"] {
        assert!(!hit[field].is_null(), "hit has {field}");
    }
    assert_eq!(hit["title"], SEED_TITLE);
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"));
    let bad = app.get(&format!("/api/search?q=x&from={}", q("أمس"))).await;
    assert_eq!(bad.status, 400);
    assert!(serde_json::from_str::<serde_json::Value>(&bad.body).unwrap()["error"].is_string());
}

#[tokio::test]
async fn a_snippet_shows_its_hit_in_its_first_line() {
    let app = TestApp::empty().await;
    // The word sits deep in a long paragraph, with a long one before it.
    let before = "تتواصل الأعمال في المشروع الكبير وسط متابعة واسعة ".repeat(12);
    let after = " وتستمر المفاوضات بين الأطراف المعنية".repeat(12);
    let dump = app.scratch.file(
        "deep.jsonl",
        serde_json::json!({"title": "تقرير طويل", "published": "2025-07-13",
            "source": "الأهرام", "body": format!("{before}وقال الوزير الإثيوبي{after}")})
        .to_string(),
    );
    app.import(&[&dump]).await;
    let r = app.get(&format!("/search?q={}", q("الإثيوبي"))).await;
    let snippet = r
        .body
        .split(r#"<p class="lead snippet" dir="auto">"#)
        .nth(1)
        .expect("a snippet")
        .split("</p>")
        .next()
        .unwrap();
    let lead = &snippet[..snippet.find("<mark>").expect("a highlight")];
    assert!(lead.chars().count() < 60, "{snippet}");
    assert!(
        lead.starts_with('…') && lead.contains("وقال الوزير"),
        "{lead}"
    );
}
