//! The extractor against the hand-written pages in `tests/data/html`: each
//! `NAME.html` has a `NAME.expected.json` with what a reader sees in it.
//! Paragraphs are scored one by one (precision and recall over all pages);
//! title, date and source must be exact on every article, and no
//! non-article page may pass.

use super::*;
use serde_json::Value;
use std::path::PathBuf;

fn fixtures() -> Vec<(String, Vec<u8>, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/html");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let expected = std::fs::read_to_string(path.with_extension("expected.json")).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                std::fs::read(&path).unwrap(),
                serde_json::from_str(&expected).unwrap(),
            )
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_fixtures_are_a_dozen_pages_of_both_kinds() {
    let all = fixtures();
    assert!(all.len() >= 12, "{} fixtures", all.len());
    assert!(all.iter().filter(|(_, _, e)| e["article"] == false).count() >= 3);
}

#[test]
fn finds_the_articles_in_the_fixtures() {
    let (mut right, mut extra, mut missed) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    for (name, bytes, expected) in fixtures() {
        let got = parse_html(&bytes, Capture::default());
        if expected["article"] == false {
            match got {
                Err(Reject::NotArticle(_)) => {}
                other => wrong.push(format!(
                    "{name}: should be refused as no article, got {other:?}"
                )),
            }
            continue;
        }
        let page = match got {
            Ok(web) => web.page,
            Err(e) => {
                wrong.push(format!("{name}: refused: {e}"));
                continue;
            }
        };
        let want = strings(&expected["paragraphs"]);
        let hits = page.paragraphs.iter().filter(|p| want.contains(p)).count();
        right += hits;
        extra += page.paragraphs.len() - hits;
        missed += want.iter().filter(|w| !page.paragraphs.contains(w)).count();
        for p in page.paragraphs.iter().filter(|p| !want.contains(p)) {
            eprintln!("{name}: extra paragraph: {p}");
        }
        for w in want.iter().filter(|w| !page.paragraphs.contains(w)) {
            eprintln!("{name}: missed paragraph: {w}");
        }
        let published = page.published.map(|p| p.rfc3339());
        let checks = [
            (
                "title",
                Some(page.title.clone()),
                expected["title"].as_str().map(str::to_owned),
            ),
            (
                "published",
                published,
                expected["published"].as_str().map(str::to_owned),
            ),
            (
                "source",
                page.source.clone(),
                expected["source"].as_str().map(str::to_owned),
            ),
        ];
        for (field, got, want) in checks {
            if got != want {
                wrong.push(format!("{name}: {field} {got:?}, expected {want:?}"));
            }
        }
        if page.tags != strings(&expected["tags"]) {
            wrong.push(format!("{name}: tags {:?}", page.tags));
        }
    }
    let precision = right as f64 / (right + extra) as f64;
    let recall = right as f64 / (right + missed) as f64;
    eprintln!(
        "paragraphs: precision {precision:.3}, recall {recall:.3} ({right} right, {extra} extra, {missed} missed)"
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(
        precision >= 0.95 && recall >= 0.95,
        "precision {precision:.3}, recall {recall:.3}"
    );
}

#[test]
fn read_also_links_resolve_against_the_page_address() {
    for (name, bytes, expected) in fixtures().into_iter().filter(|f| f.2["article"] == true) {
        let base = Url::parse("http://127.0.0.1:8000/").unwrap();
        let at = base.join(&name).unwrap();
        let web = parse_html(
            &bytes,
            Capture {
                url: Some(at.as_str()),
                charset: None,
            },
        )
        .unwrap();
        let want: Vec<String> = strings(&expected["read_also"])
            .iter()
            .map(|p| base.join(p).unwrap().to_string())
            .collect();
        let got: Vec<String> = web
            .read_also
            .iter()
            .map(|u| {
                // Absolute links to the site's own host stand for the crawled copy.
                let u = Url::parse(u).unwrap();
                base.join(u.path()).unwrap().to_string()
            })
            .collect();
        assert_eq!(got, want, "{name}");
        assert_eq!(web.page.url.as_deref(), Some(at.as_str()), "{name}");
    }
}

#[test]
fn a_page_without_a_capture_address_keeps_its_canonical_one() {
    let (_, bytes, _) = fixtures()
        .into_iter()
        .find(|f| f.0 == "wp-sidebar-comments.html")
        .unwrap();
    let web = parse_html(&bytes, Capture::default()).unwrap();
    let canonical = "https://alkhabar-alyawm.example/wp-sidebar-comments.html";
    assert_eq!(web.page.url.as_deref(), Some(canonical));
    assert_eq!(web.canonical.as_deref(), Some(canonical));
}

#[test]
fn an_unreadable_date_is_a_warning_not_a_guess() {
    let html = "<html><head><title>خبر</title><meta property='article:published_time' content='قريباً'></head>\
        <body><article><h1>خبر عن شيء ما</h1><p>نص طويل بما يكفي ليكون فقرة حقيقية من خبر، فيه فواصل، وجمل كثيرة، وكلمات أخرى تكمل المعنى المقصود هنا.</p></article></body></html>";
    let web = parse_html(html.as_bytes(), Capture::default()).unwrap();
    assert_eq!(web.page.published, None);
    assert_eq!(web.page.published_raw.as_deref(), Some("قريباً"));
    assert_eq!(web.page.warnings, ["unreadable date: 'قريباً'"]);
}

#[test]
fn a_page_without_a_title_is_refused() {
    assert_eq!(
        parse_html(b"<html><body><p>x</p></body></html>", Capture::default()),
        Err(Reject::NoTitle)
    );
}

proptest::proptest! {
    #[test]
    fn never_panics_on_any_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3000)) {
        let _ = parse_html(&bytes, Capture::default());
    }

    #[test]
    fn never_panics_on_tag_soup(parts in proptest::collection::vec(
        proptest::sample::select(vec!["<p>", "</p>", "<div class='read-also'>", "</div>", "اقرأ أيضاً:",
            "<a href='/x'>", "</a>", "<br>", "<h1>", "</h1>", "نص عربي طويل، فيه فواصل، ", "<script>", "<table><td>"]),
        0..200,
    )) {
        let html = format!("<title>عنوان</title>{}", parts.concat());
        let _ = parse_html(html.as_bytes(), Capture { url: Some("http://x.example/a"), charset: None });
    }
}
