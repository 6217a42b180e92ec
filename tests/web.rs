//! Every reading route, driven in-process: status, key content, escaping of
//! markup that comes from dumps, 301 to canonical URLs, 404 pages.

use std::path::Path;

use crate::support::{SEED, SEED_ITEM_TITLE, SEED_TITLE, Scratch, TestApp};

fn page(title: &str, date: &str, source: &str, body: &str) -> String {
    format!("{title}\nتاريخ النشر: {date}\n{body}\nالمصدر: {source}\nكلمات دلالية: اختبار")
}

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::empty().await;
    let r = app.get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn empty_archive_home_explains_how_to_import() {
    let app = TestApp::empty().await;
    let r = app.get("/").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(r.body.contains("الأرشيف فارغ بعد"));
    assert!(r.body.contains("arshif import"));
}

#[tokio::test]
async fn home_lists_latest_articles_as_cards() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let r = app.get("/").await;
    assert_eq!(r.status, 200);
    let url = percent_decode(&app.url_of(SEED_TITLE).await);
    assert!(
        r.body
            .contains(&format!(r#"<a href="{url}" dir="auto">{SEED_TITLE}</a>"#)),
        "the title is the link"
    );
    assert!(
        r.body
            .contains(r#"<time datetime="2025-07-13">13 يوليو 2025</time>"#)
    );
    assert!(r.body.contains("صدى البلد"));
    // The dated page comes before its undated read-also item.
    let dated = r.body.find(SEED_TITLE).unwrap();
    let undated = r.body.find(SEED_ITEM_TITLE).unwrap();
    assert!(dated < undated, "undated articles are listed last");
    assert!(r.body.contains("تاريخ النشر غير معروف"));
}

#[tokio::test]
async fn article_page_shows_everything_a_reader_needs() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let url = app.url_of(SEED_TITLE).await;
    let r = app.get(&url).await;
    assert_eq!(r.status, 200);
    let b = &r.body;
    assert!(b.contains(&format!(r#"<h1 dir="auto">{SEED_TITLE}</h1>"#)));
    assert!(b.contains(r#"<time datetime="2025-07-13">الأحد 13 يوليو 2025</time>"#));
    assert!(b.contains(
        r#"href="/sources/%D8%B5%D8%AF%D9%89%20%D8%A7%D9%84%D8%A8%D9%84%D8%AF">صدى البلد</a>"#
    ));
    assert!(b.contains(">كيم جونج أون</a>"), "tags as links");
    assert!(
        b.contains("اقرأ أيضاً") && b.contains(SEED_ITEM_TITLE),
        "read-also block"
    );
    assert!(b.contains("000_32f10a57e3468d13.txt"), "provenance");
    assert!(b.contains(&format!(
        r#"<link rel="canonical" href="http://archive.test{url}">"#
    )));
    assert!(
        b.contains("dir=\"ltr\"") && b.contains("http://archive.test/a/"),
        "permalink to copy"
    );
}

#[tokio::test]
async fn article_page_unfurls_when_shared() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let b = app.get(&app.url_of(SEED_TITLE).await).await.body;
    for tag in [
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:locale" content="ar_AR">"#,
        r#"<meta property="og:site_name" content="أرشيف">"#,
        r#"<meta property="article:published_time" content="2025-07-13">"#,
        r#"<meta name="twitter:card" content="summary">"#,
        &format!(r#"<meta property="og:title" content="{SEED_TITLE}">"#),
    ] {
        assert!(b.contains(tag), "missing {tag}");
    }
    assert!(
        b.contains(r#"<meta property="og:description" content="أبلغ الزعيم الكوري"#),
        "first paragraph"
    );
    let ld = b
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["inLanguage"], "ar");
    assert_eq!(ld["publisher"]["name"], "صدى البلد");
    assert_eq!(ld["datePublished"], "2025-07-13");
}

#[tokio::test]
async fn read_also_item_links_back_to_the_page_that_mentions_it() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let item = app.get(&app.url_of(SEED_ITEM_TITLE).await).await;
    assert_eq!(item.status, 200);
    assert!(item.body.contains("ذُكر في"));
    assert!(item.body.contains(SEED_TITLE));
    assert!(
        item.body.contains("تاريخ النشر غير معروف"),
        "never the page's date"
    );
}

#[tokio::test]
async fn missing_or_wrong_slug_redirects_301_to_the_canonical_url() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let url = app.url_of(SEED_TITLE).await;
    let id = &url[..url[3..].find('/').unwrap() + 3];
    for wrong in [id.to_owned(), format!("{id}/not-the-slug")] {
        let r = app.get(&wrong).await;
        assert_eq!(r.status, 301, "{wrong}");
        assert_eq!(r.header("location"), url);
    }
    assert_eq!(
        app.get(&url).await.status,
        200,
        "the canonical URL itself answers"
    );
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[tokio::test]
async fn unknown_article_is_an_arabic_404_with_a_way_back() {
    let app = TestApp::empty().await;
    for uri in ["/a/zzzzzzzzzzzz", "/a/zzzzzzzzzzzz/x", "/no/such/page"] {
        let r = app.get(uri).await;
        assert_eq!(r.status, 404, "{uri}");
        assert!(r.body.contains("الصفحة غير موجودة"));
        assert!(
            r.body
                .contains(r#"<a href="/">العودة إلى الصفحة الرئيسية</a>"#)
        );
        assert!(r.body.contains(r#"dir="rtl""#));
    }
    let twin = app.get("/404").await;
    assert_eq!(twin.status, 200, "the checkable twin of the 404 page");
    assert!(twin.body.contains("الصفحة غير موجودة"));
}

#[tokio::test]
async fn markup_from_dumps_is_escaped_everywhere() {
    let s = Scratch::new();
    let evil = s.file(
        "evil.txt",
        page(
            "عنوان <script>alert(1)</script> خطير",
            "2024-01-02",
            "مصدر <b>غامق</b>",
            "فقرة فيها <img src=x onerror=alert(2)> و\"اقتباس\" و</script><script>alert(3)</script>.",
        ),
    );
    let app = TestApp::with(&[&evil]).await;
    let url = app.url_of("عنوان <script>alert(1)</script> خطير").await;
    for uri in [url.as_str(), "/", "/feed.xml", "/sources"] {
        let b = app.get(uri).await.body;
        assert!(!b.contains("<script>alert"), "{uri} leaks a script tag");
        assert!(!b.contains("<img src=x"), "{uri} leaks an img tag");
        assert!(
            !b.contains("<b>غامق"),
            "{uri} leaks markup from the source name"
        );
    }
    let article = app.get(&url).await.body;
    assert!(
        article.contains("عنوان &#60;script&#62;alert(1)&#60;/script&#62; خطير")
            || article.contains("&lt;script&gt;")
    );
    let ld = article
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    assert!(
        ld.contains("\\u003cscript\\u003e"),
        "JSON-LD cannot close its script element"
    );
}

#[tokio::test]
async fn mixed_arabic_latin_titles_keep_their_order() {
    let s = Scratch::new();
    let file = s.file(
        "mixed.txt",
        page(
            "قمة G20 في 2024 بمشاركة Apple",
            "2024-05-01",
            "الأهرام",
            "نص.",
        ),
    );
    let app = TestApp::with(&[&file]).await;
    let home = app.get("/").await.body;
    assert!(home.contains(r#"dir="auto">قمة G20 في 2024 بمشاركة Apple</a>"#));
}

#[tokio::test]
async fn sources_and_tags_list_their_articles_with_counts() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let sources = app.get("/sources").await;
    assert_eq!(sources.status, 200);
    assert!(
        sources
            .body
            .contains("صدى البلد</a> <span class=\"count\">1</span>")
    );
    assert!(
        sources.body.contains("الثورة نت"),
        "the read-also item's source"
    );
    let source = app.get(&arshif::urls::source("صدى البلد")).await;
    assert_eq!(source.status, 200);
    assert!(source.body.contains(SEED_TITLE));
    assert!(source.body.contains("مقال واحد"));
    let tags = app.get("/tags").await;
    assert!(tags.body.contains("كيم جونج أون"));
    let tag = app.get(&arshif::urls::tag("كيم جونج أون")).await;
    assert_eq!(tag.status, 200);
    assert!(tag.body.contains(SEED_TITLE));
    assert_eq!(app.get(&arshif::urls::tag("لا يوجد")).await.status, 404);
    assert_eq!(app.get(&arshif::urls::source("لا يوجد")).await.status, 404);
}

#[tokio::test]
async fn another_spelling_of_a_name_redirects_to_its_page() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    // أوكرانيا is stored with its hamza; the bare-alef spelling is the same tag.
    let r = app.get(&arshif::urls::tag("اوكرانيا")).await;
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), arshif::urls::tag("أوكرانيا"));
}

#[tokio::test]
async fn date_archive_walks_years_months_and_days() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let years = app.get("/archive").await;
    assert!(
        years
            .body
            .contains(r#"href="/archive/2025">2025</a> <span class="count">1</span>"#)
    );
    let year = app.get("/archive/2025").await;
    assert!(year.body.contains(r#"href="/archive/2025/07">يوليو</a>"#));
    let month = app.get("/archive/2025/07").await;
    assert_eq!(month.status, 200);
    assert!(month.body.contains(r#"href="/archive/2025/07/13">13</a>"#));
    assert!(month.body.contains(SEED_TITLE));
    let day = app.get("/archive/2025/07/13").await;
    assert!(day.body.contains("<h1>الأحد 13 يوليو 2025</h1>"));
    assert!(day.body.contains(SEED_TITLE));
    for missing in [
        "/archive/1999",
        "/archive/2025/13",
        "/archive/2025/07/32",
        "/archive/2025/08/01",
        "/archive/abcd",
    ] {
        assert_eq!(app.get(missing).await.status, 404, "{missing}");
    }
}

#[tokio::test]
async fn lists_paginate_by_keyset_newer_and_older() {
    let s = Scratch::new();
    let dir = s.path("many");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..45 {
        let date = format!("2024-{:02}-{:02}", 1 + i / 28, 1 + i % 28);
        std::fs::write(
            dir.join(format!("{i:02}.txt")),
            page(
                &format!("خبر رقم {i}"),
                &date,
                "الأهرام",
                &format!("نص الخبر {i}."),
            ),
        )
        .unwrap();
    }
    let app = TestApp::with(&[&dir]).await;
    let first = app.get("/").await.body;
    assert!(
        first.contains("خبر رقم 44") && !first.contains("خبر رقم 24<"),
        "newest 20 first"
    );
    let older = first
        .split(r#"class="older" href=""#)
        .nth(1)
        .expect("an older link")
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    let second = app.get(&older).await.body;
    assert!(second.contains("خبر رقم 24") && !second.contains("خبر رقم 44"));
    let newer = second
        .split(r#"class="newer" href=""#)
        .nth(1)
        .expect("a newer link")
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    let back = app.get(&newer).await.body;
    assert!(back.contains("خبر رقم 44") && back.contains("خبر رقم 25"));
    let source = app.get(&arshif::urls::source("الأهرام")).await.body;
    assert!(
        source.contains(r#"class="older""#),
        "source pages paginate too"
    );
}

#[tokio::test]
async fn feeds_sitemap_and_robots_are_served() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let feed = app.get("/feed.xml").await;
    assert_eq!(feed.status, 200);
    assert!(
        feed.header("content-type")
            .starts_with("application/atom+xml")
    );
    assert!(
        feed.body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\">")
    );
    assert!(feed.body.contains(SEED_TITLE));
    assert!(
        feed.body
            .contains("<published>2025-07-13T00:00:00Z</published>")
    );
    let by_source = app
        .get(&format!("{}/feed.xml", arshif::urls::source("الثورة نت")))
        .await;
    assert!(by_source.body.contains(SEED_ITEM_TITLE) && !by_source.body.contains(SEED_TITLE));
    let by_tag = app
        .get(&format!("{}/feed.xml", arshif::urls::tag("موسكو")))
        .await;
    assert!(by_tag.body.contains(SEED_TITLE));
    assert_eq!(app.get("/tags/nothing/feed.xml").await.status, 404);
    // The feeds' old addresses lead to the new ones.
    let old = app
        .get(&format!(
            "/feed.xml?tag={}",
            arshif::urls::query_value("موسكو")
        ))
        .await;
    assert_eq!(old.status, 301);
    assert_eq!(
        old.header("location"),
        format!("{}/feed.xml", arshif::urls::tag("موسكو"))
    );
    assert_eq!(app.get("/feed.xml?tag=nothing").await.status, 404);
    let index = app.get("/sitemap.xml").await;
    assert!(index.body.contains("http://archive.test/sitemap/1.xml"));
    let sitemap = app.get("/sitemap/1.xml").await;
    assert!(sitemap.body.contains("<loc>http://archive.test/a/"));
    assert_eq!(app.get("/sitemap/2.xml").await.status, 404);
    let robots = app.get("/robots.txt").await;
    assert!(
        robots
            .body
            .contains("Sitemap: http://archive.test/sitemap.xml")
    );
}

#[tokio::test]
async fn static_files_are_versioned_and_cached_for_a_year() {
    let app = TestApp::empty().await;
    let home = app.get("/").await.body;
    let css = home
        .split(r#"<link rel="stylesheet" href=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(css.starts_with("/static/app.css?v=") && css.len() > "/static/app.css?v=".len());
    let r = app.get(css).await;
    assert_eq!(r.status, 200);
    assert!(r.header("cache-control").contains("immutable"));
    assert!(r.body.contains("font-family"));
    assert_eq!(
        app.get("/static/fonts/OFL-NotoNaskhArabic.txt")
            .await
            .status,
        200
    );
}
