//! Feeds a reader can follow and a browser can search with: each tag's
//! and source's Atom feed (parsed with a real feed parser), conditional
//! answers (`ETag`, `Last-Modified`, `304`), the OpenSearch description
//! (parsed as XML) and the links every page carries to them.

use std::path::Path;

use feed_rs::model::FeedType;

use crate::calendar::{DAM, SOURCE, dam_app};
use crate::support::{SEED, TestApp};

fn parse(body: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn a_tag_feed_holds_its_newest_fifty_articles() {
    let app = dam_app().await;
    let path = format!("{}/feed.xml", arshif::urls::tag(DAM));
    let r = app.get(&path).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("application/atom+xml"));
    let feed = parse(&r.body);
    assert_eq!(feed.feed_type, FeedType::Atom);
    assert_eq!(feed.title.unwrap().content, format!("أرشيف: {DAM}"));
    assert!(feed.links.iter().any(
        |l| l.rel.as_deref() == Some("self") && l.href == format!("http://archive.test{path}")
    ));
    assert_eq!(feed.entries.len(), 50, "the newest 50 of 62");
    let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    for entry in &feed.entries {
        let title = &entry.title.as_ref().unwrap().content;
        assert!(
            title.starts_with("خبر يوليو") || title == "خبر محرم",
            "{title}"
        );
        assert!(entry.links[0].href.starts_with("http://archive.test/a/"));
        assert_eq!(entry.authors[0].name.as_deref(), Some(SOURCE));
    }
    // Another spelling of the name leads to the one feed; unknown names are 404.
    let r = app
        .get(&format!("{}/feed.xml", arshif::urls::tag("سد النهضه")))
        .await;
    assert_eq!((r.status, r.header("location")), (301, path.as_str()));
    assert_eq!(app.get("/sources/nobody/feed.xml").await.status, 404);
}

#[tokio::test]
async fn a_source_feed_holds_only_that_source() {
    let app = dam_app().await;
    let r = app
        .get(&format!("{}/feed.xml", arshif::urls::source("الشروق")))
        .await;
    let feed = parse(&r.body);
    let mut titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    titles.sort();
    assert_eq!(titles, ["خبر آخر 0", "خبر آخر 1", "خبر آخر 2", "خبر آخر 3"]);
}

#[tokio::test]
async fn a_repeat_request_gets_304_until_the_feed_changes() {
    use axum::http::{Request, header};
    let app = dam_app().await;
    for path in [
        "/feed.xml".to_owned(),
        format!("{}/feed.xml", arshif::urls::tag(DAM)),
        format!("{}/feed.xml", arshif::urls::source(SOURCE)),
    ] {
        let first = app.get(&path).await;
        let etag = first.header("etag").to_owned();
        let modified = first.header("last-modified").to_owned();
        assert!(etag.starts_with("W/\"") && !modified.is_empty(), "{path}");
        let again = |name: header::HeaderName, value: &str| {
            Request::get(&path)
                .header(name, value)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let by_tag = app.send(again(header::IF_NONE_MATCH, &etag)).await;
        assert_eq!(by_tag.status, 304, "{path}");
        assert!(by_tag.body.is_empty());
        assert_eq!(by_tag.header("etag"), etag);
        let by_date = app.send(again(header::IF_MODIFIED_SINCE, &modified)).await;
        assert_eq!(by_date.status, 304, "{path}");
        let stale = app.send(again(header::IF_NONE_MATCH, "W/\"old\"")).await;
        assert_eq!(stale.status, 200, "{path}");
    }
    // A new article of the tag changes its feed.
    let tag_feed = format!("{}/feed.xml", arshif::urls::tag(DAM));
    let before = app.get(&tag_feed).await.header("etag").to_owned();
    let newer = app.scratch.file(
        "newer.jsonl",
        serde_json::json!({"title": "خبر جديد عن السد", "published": "2025-08-01",
            "source": SOURCE, "tags": [DAM], "body": "نص جديد تماما."})
        .to_string(),
    );
    app.import(&[&newer]).await;
    let request = axum::http::Request::get(&tag_feed)
        .header(header::IF_NONE_MATCH, &before)
        .body(axum::body::Body::empty())
        .unwrap();
    let changed = app.send(request).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), before);
    assert!(changed.body.contains("خبر جديد عن السد"));
}

#[tokio::test]
async fn tag_and_source_pages_link_their_feeds() {
    let app = dam_app().await;
    for (page, name) in [
        (arshif::urls::tag(DAM), DAM),
        (arshif::urls::source(SOURCE), SOURCE),
    ] {
        let body = app.get(&page).await.body;
        let feed = format!("{page}/feed.xml");
        assert!(
            body.contains(&format!(
                r#"<link rel="alternate" type="application/atom+xml" title="أرشيف: {name}" href="{feed}">"#
            )),
            "{page}"
        );
        assert!(
            body.contains(&format!(r#"<a href="{feed}">خلاصة Atom"#)),
            "{page}"
        );
    }
}

#[tokio::test]
async fn opensearch_describes_the_html_and_atom_searches() {
    let app = TestApp::empty().await;
    let r = app.get("/opensearch.xml").await;
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-type")
            .starts_with("application/opensearchdescription+xml")
    );
    let doc = roxmltree::Document::parse(&r.body).expect("well-formed XML");
    let root = doc.root_element();
    const NS: &str = "http://a9.com/-/spec/opensearch/1.1/";
    assert_eq!(root.tag_name().name(), "OpenSearchDescription");
    assert_eq!(root.tag_name().namespace(), Some(NS));
    let text = |name: &str| {
        root.children()
            .find(|n| n.has_tag_name((NS, name)))
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert!(text("ShortName").chars().count() <= 16);
    assert!(!text("Description").is_empty());
    assert_eq!(text("InputEncoding"), "UTF-8");
    let template = |kind: &str| {
        root.children()
            .find(|n| n.has_tag_name((NS, "Url")) && n.attribute("type") == Some(kind))
            .and_then(|n| n.attribute("template"))
            .unwrap_or_else(|| panic!("no {kind} Url"))
            .to_owned()
    };
    assert_eq!(
        template("text/html"),
        "http://archive.test/search?q={searchTerms}"
    );
    assert_eq!(
        template("application/atom+xml"),
        "http://archive.test/search.xml?q={searchTerms}"
    );
}

#[tokio::test]
async fn every_page_links_the_opensearch_description() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let article = app.url_of(crate::support::SEED_TITLE).await;
    let link = r#"<link rel="search" type="application/opensearchdescription+xml" title="أرشيف" href="/opensearch.xml">"#;
    for page in [
        "/",
        article.as_str(),
        "/tags",
        "/sources",
        "/archive",
        "/archive/2025/07",
        "/search?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81",
        "/login",
        "/404",
        "/no-such-page",
    ] {
        let body = app.get(page).await.body;
        assert!(body.contains(link), "{page}");
    }
}
