//! Every kind of page of an archive, each checked for the articles it must
//! show (the export says which), as a reader and as the administrator.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::live::{Answer, Live, form_value};

/// A root-relative URL with its non-ASCII bytes percent-encoded, as a
/// browser sends it.
pub fn path(url: &str) -> String {
    const UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"');
    percent_encoding::utf8_percent_encode(url, UNSAFE).to_string()
}

/// Text as askama escapes it into HTML.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

fn page(server: &Live, url: &str, headers: &[(&str, &str)]) -> Answer {
    let answer = server.get_with(&path(url), headers);
    assert_eq!(answer.status, 200, "{url}: {}", answer.body);
    answer
}

fn title(article: &Value) -> String {
    escaped(article["title"].as_str().unwrap())
}

/// Queries that find the articles: two words of each title, one phrase,
/// and a source filter.
pub fn queries(articles: &[Value]) -> Vec<String> {
    let mut queries = BTreeSet::new();
    for article in articles {
        let words: Vec<&str> = article["title"].as_str().unwrap().split(' ').collect();
        let mut longest = words.clone();
        longest.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        queries.extend(longest.iter().take(2).map(|w| w.to_string()));
        if words.len() > 2 {
            queries.insert(format!("\"{} {}\"", words[0], words[1]));
        }
        if let Some(source) = article["source"].as_str() {
            queries.insert(format!("source:\"{source}\" {}", longest[0]));
        }
    }
    queries.into_iter().collect()
}

/// Every kind of page answers 200 and shows what it must; `session` is the
/// `Cookie` header of a signed-in administrator, `token` a live API token.
pub fn check_every_kind(server: &Live, articles: &[Value], session: &str, token: &str) {
    for article in articles {
        let answer = page(server, article["url"].as_str().unwrap(), &[]);
        assert!(answer.body.contains(&title(article)), "{}", article["url"]);
        let first = article["paragraphs"][0].as_str().unwrap();
        assert!(answer.body.contains(&escaped(first)), "{}", article["url"]);
    }
    check_lists(server, articles);
    check_story_and_dates(server, articles);
    check_feeds(server, articles);
    check_admin(server, session, token);
    let search = page(
        server,
        &format!("/search?q={}", form_value(&queries(articles)[0])),
        &[],
    );
    assert!(search.body.contains("<mark>"), "search highlights its hits");
    assert!(page(server, "/login", &[]).body.contains(r#"name="csrf""#));
    assert!(page(server, "/404", &[]).body.contains("الصفحة غير موجودة"));
    assert_eq!(server.get("/a/nosucharticle").status, 404);
    assert_eq!(server.get("/healthz").body, "ok");
    let home = page(server, "/", &[]);
    let css = home
        .body
        .split("href=\"/static/")
        .nth(1)
        .expect("a stylesheet");
    let css = format!("/static/{}", &css[..css.find('"').unwrap()]);
    assert_eq!(server.get(&css).status, 200, "{css}");
}

/// Home, sources, tags: every source and tag listed, each list showing one
/// of its articles.
fn check_lists(server: &Live, articles: &[Value]) {
    let home = page(server, "/", &[]);
    assert!(home.body.contains(r#"lang="ar" dir="rtl""#));
    let newest = articles
        .iter()
        .max_by_key(|a| a["published"].as_str().unwrap_or(""))
        .unwrap();
    assert!(
        home.body.contains(&title(newest)),
        "the newest on the home page"
    );
    let sources = page(server, "/sources", &[]).body;
    let tags = page(server, "/tags", &[]).body;
    for article in articles {
        if let Some(source) = article["source"].as_str() {
            assert!(sources.contains(&escaped(source)), "{source}");
            let listed = page(server, &format!("/sources/{source}"), &[]).body;
            assert!(
                articles
                    .iter()
                    .filter(|a| a["source"] == source)
                    .any(|a| listed.contains(&title(a))),
                "/sources/{source} shows none of its articles"
            );
        }
        for tag in article["tags"].as_array().unwrap() {
            let tag = tag.as_str().unwrap();
            assert!(tags.contains(&escaped(tag)), "{tag}");
            let listed = page(server, &format!("/tags/{tag}"), &[]).body;
            assert!(listed.contains("/a/"), "/tags/{tag} lists no article");
        }
    }
}

/// A story page lists every version; the date archive leads from the year
/// to the day, which shows its articles.
fn check_story_and_dates(server: &Live, articles: &[Value]) {
    let told = articles
        .iter()
        .find(|a| {
            a["related"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["relation"] == "same_story")
        })
        .expect("a story told twice");
    let story = page(
        server,
        &format!("/stories/{}", told["id"].as_str().unwrap()),
        &[],
    )
    .body;
    for version in told["related"].as_array().unwrap() {
        if version["relation"] == "same_story" {
            let id = version["id"].as_str().unwrap();
            assert!(story.contains(&format!("/a/{id}/")), "version {id}");
        }
    }
    let dated = articles
        .iter()
        .find(|a| a["published"].as_str().is_some_and(|p| p.len() >= 10))
        .expect("a dated article");
    let date = &dated["published"].as_str().unwrap()[..10];
    let (year, month, day) = (&date[..4], &date[5..7], &date[8..10]);
    assert!(
        page(server, "/archive", &[])
            .body
            .contains(&format!("/archive/{year}"))
    );
    let months = page(server, &format!("/archive/{year}"), &[]).body;
    assert!(months.contains(&format!("/archive/{year}/{month}")));
    let days = page(server, &format!("/archive/{year}/{month}"), &[]).body;
    assert!(days.contains(&format!("/archive/{year}/{month}/{day}")));
    let listed = page(server, &format!("/archive/{year}/{month}/{day}"), &[]).body;
    let that_day = articles
        .iter()
        .filter(|a| a["published"].as_str().is_some_and(|p| p.starts_with(date)));
    assert!(
        that_day.clone().any(|a| listed.contains(&title(a))),
        "{date}"
    );
}

/// The feed shows the newest article; the sitemaps list every article.
fn check_feeds(server: &Live, articles: &[Value]) {
    let feed = page(server, "/feed.xml", &[]);
    assert!(feed.body.contains("<feed"), "{}", feed.body);
    let index = page(server, "/sitemap.xml", &[]).body;
    let mut listed = String::new();
    for rest in index.split("<loc>").skip(1) {
        let url = &rest[..rest.find("</loc>").unwrap()];
        let path = &url[url.find("/sitemap/").expect("a sitemap URL")..];
        listed.push_str(&page(server, path, &[]).body);
    }
    for article in articles {
        let id = article["id"].as_str().unwrap();
        assert!(
            listed.contains(&format!("/a/{id}/")),
            "{id} not in a sitemap"
        );
    }
    assert!(page(server, "/robots.txt", &[]).body.contains("Sitemap"));
}

/// The administrator's pages with the old session, the import status with
/// the old token.
fn check_admin(server: &Live, session: &str, token: &str) {
    let cookie = [("Cookie", session)];
    assert!(
        page(server, "/upload", &cookie)
            .body
            .contains(r#"type="file""#)
    );
    let imports = page(server, "/imports", &cookie).body;
    let ids: Vec<&str> = imports
        .split("<a href=\"/imports/")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert!(!ids.is_empty(), "{imports}");
    for origin in ["سطر الأوامر", "واجهة برمجية", "إعادة تحليل"] {
        assert!(imports.contains(origin), "{origin} in {imports}");
    }
    for id in ids {
        assert!(
            page(server, &format!("/imports/{id}"), &cookie)
                .body
                .contains("اكتمل")
        );
        let bearer = format!("Bearer {token}");
        let status = page(
            server,
            &format!("/api/imports/{id}"),
            &[("Authorization", &bearer)],
        );
        assert_eq!(status.json()["status"], "done", "import {id}");
    }
}
