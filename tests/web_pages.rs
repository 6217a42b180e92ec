//! Saved web pages end to end: the fixtures of `tests/data/html` served
//! by a small HTTP server in the test, crawled by Debian's `wget
//! --warc-file`, and the WARC imported: the articles, their read-also
//! links between crawled pages, the kept address and capture date, the
//! revisits of a second crawl, and reparse. Also the same pages as a folder.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{Scratch, TestApp, by_title, json_file};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/html");
/// The server stops after this many requests (a crawl makes about 50).
const MAX_REQUESTS: usize = 400;

/// Serves the fixtures on a free loopback port; `/split-divs.html` is sent
/// chunked, as streaming servers do. Returns the port.
fn serve_fixtures() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(MAX_REQUESTS).flatten() {
            answer(stream);
        }
    });
    port
}

fn answer(mut stream: TcpStream) {
    let mut request = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let name = path.trim_start_matches('/').split('?').next().unwrap_or("");
    let file = Path::new(FIXTURES).join(name);
    let found = name.ends_with(".html") && !name.contains('/') && file.is_file();
    let reply = if !found {
        let body = b"<html><body>not found</body></html>";
        [format!("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes(), body].concat()
    } else if name == "split-divs.html" {
        let body = std::fs::read(&file).unwrap();
        let (a, b) = body.split_at(body.len() / 2);
        let chunk = |c: &[u8]| [format!("{:x}\r\n", c.len()).as_bytes(), c, b"\r\n"].concat();
        [b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".as_slice(), &chunk(a), &chunk(b), b"0\r\n\r\n"].concat()
    } else {
        let body = std::fs::read(&file).unwrap();
        [format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes(), &body].concat()
    };
    let _ = stream.write_all(&reply);
}

/// Crawls the fixtures from the section front with wget; `extra` adds
/// options. Returns the WARC's path.
fn crawl(s: &Scratch, port: u16, warc: &str, extra: &[&str]) -> PathBuf {
    let out = Command::new("wget")
        .args([
            "--recursive",
            "--level=2",
            "-e",
            "robots=off",
            "--delete-after",
            "--no-verbose",
        ])
        .args(["--tries=1", "--timeout=10", "--warc-cdx"])
        .arg(format!("--warc-file={}", s.path(warc).display()))
        .arg(format!(
            "--directory-prefix={}",
            s.path(&format!("{warc}-files")).display()
        ))
        .args(extra)
        .arg(format!("http://127.0.0.1:{port}/section-front.html"))
        .output()
        .expect("wget runs (apt install wget)");
    // 8: some links answered 404, as they do on real sites.
    assert!(
        matches!(out.status.code(), Some(0 | 8)),
        "wget: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gz = s.path(&format!("{warc}.warc.gz"));
    if gz.exists() {
        gz
    } else {
        s.path(&format!("{warc}.warc"))
    }
}

fn expected(name: &str) -> Value {
    json_file(&format!("{FIXTURES}/{name}.expected.json"))
}

const ARTICLES: &[&str] = &[
    "iso-8859-6",
    "microdata",
    "read-also-box",
    "share-mostread",
    "spa-jsonld",
    "split-divs",
    "windows-1256",
    "windows-1256-no-meta",
    "wp-sidebar-comments",
];

fn title(name: &str) -> String {
    expected(name)["title"].as_str().unwrap().to_owned()
}

fn read_also_titles(articles: &[Value], from: &str) -> Vec<String> {
    let mut titles: Vec<String> = by_title(articles, &title(from))["related"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relation"] == "read_also")
        .map(|r| {
            let id = r["id"].as_str().unwrap();
            let other = articles.iter().find(|a| a["id"] == id).unwrap();
            other["title"].as_str().unwrap().to_owned()
        })
        .collect();
    titles.sort();
    titles
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

#[test]
fn a_wget_crawl_imports_as_articles_with_their_read_also_links() {
    let s = Scratch::new();
    let port = serve_fixtures();
    let warc = crawl(&s, port, "crawl", &[]);
    let report = s.import(&[&warc]);
    assert_eq!(report["articles_new"], ARTICLES.len(), "{report:#}");
    let refused: Vec<&str> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "not_article")
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    for page in ["section-front.html", "tag-page.html", "search-page.html"] {
        let name = format!("crawl.warc.gz!/http://127.0.0.1:{port}/{page}");
        assert!(
            refused.contains(&name.as_str()),
            "{page} not refused: {refused:?}"
        );
    }
    let articles = s.export();
    assert_eq!(articles.len(), ARTICLES.len());
    for name in ARTICLES {
        let want = expected(name);
        let got = by_title(&articles, want["title"].as_str().unwrap());
        assert_eq!(got["paragraphs"], want["paragraphs"], "{name}");
        assert_eq!(got["published"], want["published"], "{name}");
        assert_eq!(got["source"], want["source"], "{name}");
        assert_eq!(got["tags"], want["tags"], "{name}");
    }
    assert_eq!(
        read_also_titles(&articles, "read-also-box"),
        sorted(vec![
            title("wp-sidebar-comments"),
            title("share-mostread"),
            title("split-divs")
        ])
    );
    assert_eq!(
        read_also_titles(&articles, "split-divs"),
        [title("wp-sidebar-comments")]
    );

    // Reparse reads the stored records again: nothing moves.
    assert!(s.arshif(&["reparse"]).status.success());
    let again = s.export();
    assert_eq!(again, articles);
}

#[tokio::test]
async fn the_article_page_names_the_address_and_capture_date() {
    let app = TestApp::empty().await;
    let port = serve_fixtures();
    let warc = crawl(&app.scratch, port, "crawl", &[]);
    app.import(&[&warc]).await;
    let url = app.url_of(&title("wp-sidebar-comments")).await;
    let page = app.get(&url).await;
    let address = format!("http://127.0.0.1:{port}/wp-sidebar-comments.html");
    let today = arshif::web::format::date_long(
        time::OffsetDateTime::now_utc().date(),
        arshif::arabic::numbers::Digits::Latn,
    );
    let line = format!(
        "نسخة محفوظة من <a href=\"{address}\" rel=\"nofollow noopener\"><bdi dir=\"ltr\">{address}</bdi></a> في {today}"
    );
    assert!(
        page.body.contains(&line),
        "no provenance line in {}",
        page.body
    );
}

#[test]
fn revisits_of_a_second_crawl_resolve_to_the_first_and_plain_warc_reads_too() {
    let s = Scratch::new();
    let port = serve_fixtures();
    let first = crawl(&s, port, "first", &[]);
    let cdx = format!("--warc-dedup={}", s.path("first.cdx").display());
    let second = crawl(&s, port, "second", &[&cdx]);
    let both = s.path("both.warc.gz");
    std::fs::write(
        &both,
        [
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap(),
        ]
        .concat(),
    )
    .unwrap();
    let report = s.import(&[&both]);
    assert_eq!(report["articles_new"], ARTICLES.len());
    assert_eq!(
        report["articles_duplicate"],
        ARTICLES.len(),
        "every revisit found its page: {report:#}"
    );
    assert!(
        report["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["code"] != "revisit_unresolved"),
        "{report:#}"
    );

    let plain = crawl(&s, port, "plain", &["--no-warc-compression"]);
    assert!(plain.to_string_lossy().ends_with("plain.warc"));
    let fresh = Scratch::new();
    assert_eq!(fresh.import(&[&plain])["articles_new"], ARTICLES.len());
}

#[test]
fn a_folder_of_saved_pages_imports_and_links_by_canonical_address() {
    let s = Scratch::new();
    let report = s.import(&[Path::new(FIXTURES)]);
    assert_eq!(report["articles_new"], ARTICLES.len(), "{report:#}");
    let refused = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "not_article")
        .count();
    assert_eq!(refused, 3);
    let articles = s.export();
    let wp = by_title(&articles, &title("wp-sidebar-comments"));
    assert_eq!(wp["url"].as_str().map(|u| u.starts_with("/a/")), Some(true));
    // The split page's canonical address is on another host: no link to it.
    assert_eq!(
        read_also_titles(&articles, "read-also-box"),
        sorted(vec![title("wp-sidebar-comments"), title("share-mostread")])
    );
}

#[test]
fn a_read_also_link_resolves_when_its_page_arrives_in_a_later_import() {
    let s = Scratch::new();
    let page = |name: &str| PathBuf::from(format!("{FIXTURES}/{name}.html"));
    let first = s.import(&[&page("read-also-box")]);
    assert_eq!(first["related_links"], 0);
    let second = s.import(&[&page("wp-sidebar-comments")]);
    assert!(second["related_links"].as_u64().unwrap() >= 1, "{second:#}");
    let articles = s.export();
    assert_eq!(
        read_also_titles(&articles, "read-also-box"),
        [title("wp-sidebar-comments")]
    );
}
