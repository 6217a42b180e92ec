//! Following a search: its Atom feed (parsed with a real feed parser,
//! answered conditionally), the date histogram of its matches (counts
//! equal the matches, bars narrow the results, sampled past the cap), the
//! search language's `title:`, repeated and excluded sources and tags,
//! the sort switch, and the help page.

use arshif::urls::query_value as enc;
use serde_json::Value;

use crate::calendar::{DAM, SOURCE, dam_app};
use crate::support::TestApp;

async fn api(app: &TestApp, query: &str) -> Value {
    let r = app.get(&format!("/api/search?{query}")).await;
    assert_eq!(r.status, 200, "{query}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn total(app: &TestApp, q: &str) -> u64 {
    api(app, &format!("q={}", enc(q))).await["total"]
        .as_u64()
        .unwrap()
}

fn feed(body: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn pairs(v: &Value, key: &str) -> Vec<(u64, u64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[key].as_u64().unwrap(), p["count"].as_u64().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_search_feed_lists_the_newest_fifty_matches_whatever_the_sort() {
    let app = dam_app().await;
    let path = format!("/search.xml?q={}", enc("خبر"));
    let r = app.get(&path).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("application/atom+xml"));
    let parsed = feed(&r.body);
    assert_eq!(parsed.title.unwrap().content, "أرشيف: البحث عن «خبر»");
    assert!(parsed.links.iter().any(|l| {
        l.rel.as_deref() == Some("self") && l.href == format!("http://archive.test{path}")
    }));
    assert_eq!(parsed.entries.len(), 50, "the newest 50 of 66");
    let dates: Vec<_> = parsed
        .entries
        .iter()
        .map(|e| e.published.unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert_eq!(dates[0].to_rfc3339(), "2025-07-28T03:00:00+00:00");
    // The page's sort does not change the feed; its filters do.
    let relevance = app.get(&format!("{path}&sort=new")).await.body;
    assert_eq!(feed(&relevance).entries.len(), 50);
    let other = feed(&app.get(&format!("{path}&tag={}", enc("الطقس"))).await.body);
    assert_eq!(
        other.title.unwrap().content,
        "أرشيف: البحث عن «خبر» · الوسم: الطقس"
    );
    let titles: Vec<String> = other
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(titles.len(), 4);
    assert!(
        titles.iter().all(|t| t.starts_with("خبر آخر")),
        "{titles:?}"
    );
    // Entries carry the highlighted snippet as HTML.
    let one = feed(
        &app.get(&format!("/search.xml?q={}", enc("نص3أ")))
            .await
            .body,
    );
    let summary = one.entries[0].summary.as_ref().unwrap();
    assert!(summary.content.contains("<mark>نص3أ</mark>"), "{summary:?}");
    assert!(
        one.entries[0].links[0]
            .href
            .starts_with("http://archive.test/a/")
    );
    assert_eq!(one.entries[0].authors[0].name.as_deref(), Some(SOURCE));
}

#[tokio::test]
async fn a_search_feed_answers_304_on_a_repeat_and_the_page_links_it() {
    use axum::http::{Request, header};
    let app = dam_app().await;
    let path = format!("/search.xml?q={}&tag={}", enc("خبر"), enc(DAM));
    let first = app.get(&path).await;
    let (etag, modified) = (first.header("etag"), first.header("last-modified"));
    assert!(etag.starts_with("W/\"") && !modified.is_empty());
    for (name, value) in [
        (header::IF_NONE_MATCH, etag),
        (header::IF_MODIFIED_SINCE, modified),
    ] {
        let request = Request::get(&path).header(name, value);
        let again = app
            .send(request.body(axum::body::Body::empty()).unwrap())
            .await;
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
    }
    let page = app
        .get(&format!(
            "/search?q={}&tag={}&sort=new&page=2",
            enc("خبر"),
            enc(DAM)
        ))
        .await
        .body;
    let href = path.replace('&', "&#38;");
    assert!(
        page.contains(&format!(
            r#"<link rel="alternate" type="application/atom+xml" title="أرشيف: البحث عن خبر" href="{href}">"#
        )),
        "{page}"
    );
    assert!(page.contains(&format!(r#"<a href="{href}">تابع هذا البحث"#)));
    let bad = app.get("/search.xml?q=x&from=2025-99-01").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn histogram_counts_equal_the_matches_of_each_year_and_month() {
    let app = dam_app().await;
    let q = format!("q={}", enc("خبر"));
    let all = api(&app, &q).await;
    assert_eq!(pairs(&all["years"], "year"), [(2023, 3), (2025, 63)]);
    assert!(all.get("months").is_none(), "months only with a year");
    for (year, count) in pairs(&all["years"], "year") {
        let narrowed = api(&app, &format!("{q}&year={year}")).await;
        assert_eq!(narrowed["total"], count, "{year}");
        assert_eq!(narrowed["years"], all["years"], "years count all matches");
        for (month, n) in pairs(&narrowed["months"], "month") {
            let m = api(&app, &format!("{q}&year={year}&month={month}")).await;
            assert_eq!(m["total"], n, "{year}-{month}");
            let prefix = format!("{year}-{month:02}");
            for hit in m["hits"].as_array().unwrap() {
                assert!(hit["published"].as_str().unwrap().starts_with(&prefix));
            }
        }
    }
    let year = api(&app, &format!("{q}&year=2025")).await;
    assert_eq!(
        pairs(&year["months"], "month"),
        [(2, 1), (3, 1), (6, 2), (7, 59)]
    );
    // The period narrows whatever dates the words give.
    let since = format!("q={}", enc("خبر from:2025-07-10"));
    let dated = api(&app, &since).await;
    let narrowed = api(&app, &format!("{since}&year=2025")).await;
    assert_eq!(narrowed["total"], dated["total"]);
    assert_eq!(
        pairs(&narrowed["months"], "month"),
        [(7, dated["total"].as_u64().unwrap())]
    );
    assert_eq!(api(&app, &format!("{since}&year=2023")).await["total"], 0);
    for bad in ["year=twenty", "month=7", "year=2025&month=13"] {
        let r = app.get(&format!("/api/search?{q}&{bad}")).await;
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn histogram_bars_on_the_search_page_narrow_the_results() {
    let app = dam_app().await;
    let base = format!("/search?q={}", enc("خبر"));
    let page = app.get(&base).await.body;
    assert!(page.contains("المقالات عبر الزمن"));
    let y2025 = format!(r#"href="{base}&#38;year=2025""#);
    assert!(page.contains(&y2025), "{page}");
    assert!(page.contains("2025: 63 مقالًا"));
    assert!(!page.contains("year=2024"), "an empty year is no link");
    let year = app.get(&format!("{base}&year=2025")).await.body;
    assert!(year.contains("النتائج في 2025"));
    assert!(year.contains("63 نتيجة"), "the count is the year's");
    let july = format!(r#"href="{base}&#38;year=2025&#38;month=7""#);
    assert!(year.contains(&july), "{year}");
    let month = app.get(&format!("{base}&year=2025&month=7")).await.body;
    assert!(month.contains("النتائج في يوليو 2025"));
    assert!(month.contains(&format!(r#"<a href="{base}">كل السنوات</a>"#)));
}

#[tokio::test]
async fn past_the_cap_the_histogram_samples_the_whole_index() {
    use arshif::search::{filters::Scope, index, plan, query::Query};
    let app = dam_app().await;
    assert_eq!(total(&app, "خبر").await, 66, "the index is up to date");
    let index = index::of(&app.archive.search).await.unwrap();
    let common = index.common();
    let on = (index.fields(), &*common);
    let query = plan::build(&Query::parse("خبر"), &Scope::default(), on).unwrap();
    let walk = index::Walk {
        query: &*query,
        period: Some((20250701, 20250731)),
    };
    let searcher = index.searcher();
    let exact = index.tally(&searcher, &walk, 10).unwrap();
    assert!(!exact.estimated);
    assert_eq!(exact.years, [(2023, 3), (2025, 63)]);
    // The import stored 2023 first: a count scaled from the first ten
    // documents would make 2023 twenty strong.
    let sampling = index::Sampling {
        cap: 10,
        windows: 4,
        window_reads: 3,
    };
    let sampled = index.tally_sampled(&searcher, &walk, 10, sampling).unwrap();
    assert!(sampled.estimated && sampled.facets_estimated);
    assert_eq!(sampled.years, exact.years);
    assert_eq!(exact.total, 59, "July alone");
    let off = sampled.total.abs_diff(exact.total);
    assert!(off <= 6, "an estimate near 59: {}", sampled.total);
    assert_eq!(sampled.months.iter().map(|m| m.1).sum::<u64>(), 63);
}

#[tokio::test]
async fn title_sources_and_tags_in_the_search_language() {
    let app = dam_app().await;
    assert_eq!(total(&app, "title:يوليو").await, 55);
    assert_eq!(total(&app, "title:\"خبر آخر\"").await, 4);
    assert_eq!(total(&app, "نص3أ").await, 1, "a body word");
    assert_eq!(total(&app, "title:نص3أ").await, 0, "is in no title");
    assert_eq!(total(&app, "خبر -title:يوليو").await, 11);
    assert_eq!(total(&app, "خبر source:الأهرام source:الشروق").await, 66);
    assert_eq!(total(&app, "خبر source:الشروق source:nobody").await, 4);
    assert_eq!(total(&app, "خبر source:nobody").await, 0);
    assert_eq!(total(&app, "خبر -source:الشروق").await, 62);
    assert_eq!(total(&app, "خبر -source:nobody").await, 66);
    assert_eq!(total(&app, "خبر -tag:الطقس").await, 62);
    assert_eq!(total(&app, &format!("خبر tag:\"{DAM}\"")).await, 62);
    assert_eq!(total(&app, &format!("tag:\"{DAM}\" tag:الطقس")).await, 0);
    assert_eq!(
        total(&app, &format!("-tag:\"{DAM}\" title:خبر -source:nobody")).await,
        4
    );
}

#[tokio::test]
async fn the_results_page_switches_between_relevance_and_newest() {
    let app = dam_app().await;
    let base = format!("/search?q={}", enc("خبر"));
    let page = app.get(&base).await.body;
    let newest = format!(r#"<a href="{base}&#38;sort=new">الأحدث أولًا</a>"#);
    assert!(page.contains(&newest), "{page}");
    let sorted = app.get(&format!("{base}&sort=new")).await.body;
    assert!(sorted.contains(&format!(r#"<a href="{base}">الأقرب صلة</a>"#)));
    assert!(sorted.contains(r#"<strong aria-current="true">الأحدث أولًا</strong>"#));
    let hits = sorted.split(r#"class="card-title""#).skip(1);
    let titles: Vec<&str> = hits.filter_map(|h| h.split("</a>").next()).collect();
    assert!(
        titles[0].ends_with("يوليو 27"),
        "the newest first: {titles:?}"
    );
    assert!(!page.contains(r#"<strong aria-current="true">الأحدث"#));
}

#[tokio::test]
async fn the_help_page_explains_the_language_and_the_form_links_it() {
    let app = TestApp::empty().await;
    let help = app.get("/search/help").await;
    assert_eq!(help.status, 200);
    for form in ["title:", "source:", "-tag:", "tag:", "from:", "OR"] {
        assert!(help.body.contains(form), "{form}");
    }
    assert!(help.body.contains(r#"<html lang="ar" dir="rtl">"#));
    let search = app.get("/search").await.body;
    assert!(search.contains(r#"<a href="/search/help">"#));
}
