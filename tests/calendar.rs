//! Time as readers see it: the date histogram of tag and source pages
//! (counts equal the articles, bars narrow the list, paging within the
//! narrowed list), Hijri dates beside Gregorian ones and the Hijri
//! archive, the `ARSHIF_DIGITS` setting and Arabic plural agreement.

use std::path::PathBuf;

use crate::support::{Scratch, TestApp};

pub const DAM: &str = "سد النهضة";
pub const SOURCE: &str = "الأهرام";

/// One article line of a JSONL dump.
fn line(title: &str, date: &str, source: &str, tags: &[&str], n: usize) -> String {
    serde_json::json!({
        "title": title, "published": date, "source": source, "tags": tags,
        // Words of its own, so that no two articles are told as one story.
        "body": format!("نص{n}أ نص{n}ب نص{n}ج نص{n}د نص{n}ه نص{n}و."),
    })
    .to_string()
}

/// An archive about the dam, all from one source: 3 articles in 2023
/// (January, May, May), none in 2024, 2 on 25–26 June 2025 (the last day
/// of 1446 and the first of 1447), 55 in July 2025, one on 1 March 2025
/// (1 Ramadan 1446) and one the day before; and 4 July 2025 articles of
/// another tag and source.
pub fn dam_archive(scratch: &Scratch) -> PathBuf {
    let mut lines = Vec::new();
    let mut add = |title: String, date: &str, source: &str, tags: &[&str]| {
        let n = lines.len();
        lines.push(line(&title, date, source, tags, n));
    };
    for (i, date) in ["2023-01-10", "2023-05-02", "2023-05-20"]
        .iter()
        .enumerate()
    {
        add(format!("خبر قديم {i}"), date, SOURCE, &[DAM]);
    }
    add("خبر ذي الحجة".into(), "2025-06-25", SOURCE, &[DAM]);
    add("خبر محرم".into(), "2025-06-26", SOURCE, &[DAM]);
    for i in 0..55 {
        let date = format!("2025-07-{:02}T{:02}:00:00Z", 1 + i % 28, i % 24);
        add(format!("خبر يوليو {i}"), &date, SOURCE, &[DAM]);
    }
    add("خبر رمضان".into(), "2025-03-01", SOURCE, &[DAM]);
    add("خبر شعبان".into(), "2025-02-28", SOURCE, &[DAM]);
    for i in 0..4 {
        add(format!("خبر آخر {i}"), "2025-07-13", "الشروق", &["الطقس"]);
    }
    scratch.file("dam.jsonl", lines.join("\n"))
}

pub async fn dam_app() -> TestApp {
    let app = TestApp::empty().await;
    let dump = dam_archive(&app.scratch);
    let report = app.import(&[&dump]).await;
    assert_eq!(report.articles_new, 66, "{report:?}");
    app
}

/// Titles of the cards on a page.
fn titles(body: &str) -> Vec<String> {
    body.split(r#"class="card-title"><a href=""#)
        .skip(1)
        .filter_map(|s| s.split("dir=\"auto\">").nth(1)?.split("</a>").next())
        .map(str::to_owned)
        .collect()
}

/// The `href` of the first link with `class`.
fn link(body: &str, class: &str) -> Option<String> {
    let after = body.split(&format!(r#"class="{class}" href=""#)).nth(1)?;
    Some(after.split('"').next()?.replace("&#38;", "&"))
}

/// The bar of `label` (its whole `<li>`).
fn bar<'a>(body: &'a str, label: &str) -> &'a str {
    let end = body
        .find(&format!(
            r#"<span class="bar-label" aria-hidden="true">{label}</span>"#
        ))
        .unwrap_or_else(|| panic!("no bar {label}"));
    let start = body[..end].rfind("<li>").unwrap();
    &body[start..body[end..].find("</li>").unwrap() + end]
}

#[tokio::test]
async fn tag_page_shows_years_as_bars_that_narrow_the_list() {
    let app = dam_app().await;
    let tag = arshif::urls::tag(DAM);
    let page = app.get(&tag).await.body;
    assert!(page.contains("المقالات عبر الزمن"));
    let y2023 = bar(&page, "2023");
    assert!(
        y2023.contains(&format!(r#"href="{tag}?year=2023""#)),
        "{y2023}"
    );
    assert!(y2023.contains(r#"<span class="bar-count" aria-hidden="true">3</span>"#));
    assert!(y2023.contains("2023: 3 مقالات"), "spoken: {y2023}");
    let y2024 = bar(&page, "2024");
    assert!(
        !y2024.contains("href="),
        "an empty year is no link: {y2024}"
    );
    assert!(y2024.contains("l0"));
    let y2025 = bar(&page, "2025");
    assert!(
        y2025.contains(">59</span>") && y2025.contains("l20"),
        "{y2025}"
    );
    assert!(!page.contains("المقالات في "), "nothing narrowed yet");

    let year = app.get(&format!("{tag}?year=2023")).await;
    assert_eq!(year.status, 200);
    assert!(year.body.contains("المقالات في 2023 (3 مقالات)"));
    let mut listed = titles(&year.body);
    listed.sort();
    assert_eq!(listed, ["خبر قديم 0", "خبر قديم 1", "خبر قديم 2"]);
    let may = bar(&year.body, "مايو");
    assert!(
        may.contains(&format!(r#"href="{tag}?year=2023&#38;month=5""#)),
        "{may}"
    );
    assert!(may.contains(">2</span>"));
    assert!(!bar(&year.body, "يونيو").contains("href="));
    assert!(bar(&year.body, "2023").contains(r#"aria-current="true""#));
    assert!(
        year.body
            .contains(&format!(r#"<a href="{tag}">كل السنوات</a>"#))
    );
    assert!(year.body.contains(&format!(
        r#"<link rel="canonical" href="http://archive.test{tag}?year=2023">"#
    )));
}

#[tokio::test]
async fn a_month_bar_narrows_the_list_and_paging_stays_inside_it() {
    let app = dam_app().await;
    let tag = arshif::urls::tag(DAM);
    let july = app.get(&format!("{tag}?year=2025&month=7")).await.body;
    assert!(july.contains("المقالات في يوليو 2025 (55 مقالًا)"), "{july}");
    assert!(bar(&july, "يوليو").contains(r#"aria-current="true""#));
    let mut seen = titles(&july);
    let mut next = link(&july, "older");
    while let Some(url) = next {
        assert!(url.contains("year=2025&month=7&before="), "{url}");
        let page = app.get(&url).await.body;
        seen.extend(titles(&page));
        next = link(&page, "older");
    }
    assert_eq!(seen.len(), 55, "every July article once: {seen:?}");
    assert!(seen.iter().all(|t| t.starts_with("خبر يوليو")), "{seen:?}");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 55);

    // The source's page has the same bars, from its own index.
    let source = arshif::urls::source(SOURCE);
    let june = app.get(&format!("{source}?year=2025&month=6")).await.body;
    let mut listed = titles(&june);
    listed.sort();
    assert_eq!(listed, ["خبر ذي الحجة", "خبر محرم"]);
    assert!(
        bar(&june, "2025").contains(">59</span>"),
        "the other source's July is not counted"
    );

    for bad in ["?year=20x5", "?year=2025&month=13", "?month=7"] {
        let r = app.get(&format!("{tag}{bad}")).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.body.contains("تعذّر فهم الطلب"), "{bad}");
    }
}

#[tokio::test]
async fn dates_show_the_hijri_date_beside_the_gregorian() {
    let app = dam_app().await;
    let article = app.url_of("خبر محرم").await;
    let page = app.get(&article).await.body;
    assert!(
        page.contains(r#"<time datetime="2025-06-26">الخميس 26 يونيو 2025</time><span class="sep" aria-hidden="true"> · </span><span class="hijri">1 محرم 1447 هـ</span>"#),
        "{page}"
    );
    let ramadan = app.get(&app.url_of("خبر رمضان").await).await.body;
    assert!(ramadan.contains("1 رمضان 1446 هـ"));
    let list = app.get(&arshif::urls::tag(DAM)).await.body;
    assert!(list.contains(r#"<span class="hijri">"#), "cards carry it");
    let day = app.get("/archive/2025/06/26").await.body;
    assert!(day.contains("<h1>الخميس 26 يونيو 2025</h1>"));
    assert!(day.contains("1 محرم 1447 هـ"));
    assert!(day.contains(r#"<a href="/archive/hijri/1447/01">محرم 1447 هـ</a>"#));
}

#[tokio::test]
async fn the_hijri_archive_counts_and_lists_its_month() {
    let app = dam_app().await;
    let month = app.get("/archive/2025/06").await.body;
    assert!(month.contains(r#"<a href="/archive/hijri/1446/12">ذو الحجة 1446 هـ</a>"#));
    assert!(month.contains(r#"<a href="/archive/hijri/1447/01">محرم 1447 هـ</a>"#));

    let muharram = app.get("/archive/hijri/1447/01").await;
    assert_eq!(muharram.status, 200);
    let b = &muharram.body;
    assert!(b.contains("<h1>محرم 1447 هـ</h1>"));
    assert!(b.contains("من 26 يونيو 2025 إلى 25 يوليو 2025"), "{b}");
    // 26 June is its first day: one article; 13 July (18 Muharram) holds 2 + 4.
    assert!(b.contains(r#"<a href="/archive/2025/06/26">1</a> <span class="count">1</span>"#));
    assert!(b.contains(r#"<a href="/archive/2025/07/13">18</a> <span class="count">6</span>"#));
    let mut listed = titles(b);
    let mut next = link(b, "older");
    while let Some(url) = next {
        assert!(url.starts_with("/archive/hijri/1447/01?before="), "{url}");
        let page = app.get(&url).await.body;
        listed.extend(titles(&page));
        next = link(&page, "older");
    }
    // 50 of the dam's July articles fall on 1–25 July, and 4 of another tag.
    assert_eq!(listed.len(), 55, "{listed:?}");
    assert!(listed.iter().any(|t| t == "خبر محرم"));
    assert!(!listed.iter().any(|t| t == "خبر ذي الحجة"));
    assert!(b.contains(r#"<a href="/archive/2025/07">يوليو 2025</a>"#));
    assert!(
        b.contains(r#"href="/archive/hijri/1446/12" rel="prev""#),
        "previous month"
    );
    assert!(
        b.contains(r#"href="/archive/hijri/1447/02" rel="next""#),
        "next month"
    );

    let ramadan = app.get("/archive/hijri/1446/09").await.body;
    assert!(ramadan.contains("من 1 مارس 2025"));
    assert!(ramadan.contains("خبر رمضان") && !ramadan.contains("خبر شعبان"));

    let year = app.get("/archive/hijri/1447").await.body;
    assert!(year.contains(r#"<a href="/archive/hijri/1447/01">محرم</a> <span class="count">"#));
    let years = app.get("/archive").await.body;
    assert!(
        years.contains(r#"<a href="/archive/hijri/1444">1444 هـ</a>"#),
        "2023 is 1444"
    );
    for missing in [
        "/archive/hijri/1447/13",
        "/archive/hijri/1300/01",
        "/archive/hijri/1300",
        "/archive/hijri/abcd/01",
    ] {
        assert_eq!(app.get(missing).await.status, 404, "{missing}");
    }
}

#[tokio::test]
async fn arabic_indic_digits_when_the_archive_asks_for_them() {
    let app = TestApp::configured(|c| c.digits = arshif::arabic::numbers::Digits::Arab).await;
    let dump = dam_archive(&app.scratch);
    app.import(&[&dump]).await;
    let page = app.get(&app.url_of("خبر محرم").await).await.body;
    assert!(page.contains("الخميس ٢٦ يونيو ٢٠٢٥"), "{page}");
    assert!(page.contains("١ محرم ١٤٤٧ هـ"));
    assert!(page.contains("يضم ٦٦ مقالًا من مصدرين."));
    let tag = app
        .get(&format!("{}?year=2025", arshif::urls::tag(DAM)))
        .await
        .body;
    assert!(tag.contains(r#"<span class="bar-label" aria-hidden="true">٢٠٢٥</span>"#));
    assert!(tag.contains(">٥٥</span>"), "July's count");
    assert!(tag.contains("٦٢ مقالًا"), "the tag's total");
}

#[tokio::test]
async fn the_footer_counts_in_arabic_grammar() {
    let app = TestApp::empty().await;
    let two = app.scratch.file(
        "two.jsonl",
        [
            line("خبر أول", "2025-07-13", "الأهرام", &[], 1),
            line("خبر ثان", "2025-07-14", "الشروق", &[], 2),
        ]
        .join("\n"),
    );
    assert!(app.get("/").await.body.contains("لا يضم الأرشيف مقالات بعد."));
    app.import(&[&two]).await;
    // The footer's totals are cached for a few seconds: a restart reads them.
    let router = app.restarted();
    let home = TestApp { router, ..app };
    assert!(home.get("/").await.body.contains("يضم مقالين من مصدرين."));
}

#[tokio::test]
async fn histogram_counts_are_kept_until_an_import_through_the_server() {
    let app = dam_app().await;
    let tag = arshif::urls::tag(DAM);
    let count_2023 = |body: &str| {
        bar(body, "2023")
            .split(r#"<span class="bar-count" aria-hidden="true">"#)
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap()
            .to_owned()
    };
    assert_eq!(count_2023(&app.get(&tag).await.body), "3");
    let article = |title: &str| {
        serde_json::json!({"title": title, "published": "2023-09-09", "source": SOURCE,
            "tags": [DAM], "body": format!("{title} نص مختلف.")})
        .to_string()
    };
    // Another process imports: the page may show the counts it read for a minute.
    let elsewhere = app
        .scratch
        .file("elsewhere.jsonl", article("خبر من عملية أخرى"));
    app.import(&[&elsewhere]).await;
    assert_eq!(count_2023(&app.get(&tag).await.body), "3", "remembered");
    // An upload through this server forgets them at once.
    let token = arshif::auth::tokens::generate();
    let mut conn = app.db.write.acquire().await.unwrap();
    arshif::store::auth::create_token(&mut conn, "t", &arshif::auth::tokens::hash(&token))
        .await
        .unwrap();
    drop(conn);
    let boundary = "calendar-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"up.jsonl\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{}\r\n--{boundary}--\r\n",
        article("خبر مرفوع")
    );
    let request = axum::http::Request::post("/api/imports")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(count_2023(&app.get(&tag).await.body), "5");
}
