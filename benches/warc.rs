//! WARC import benchmark: writes a deterministic crawl of about
//! `ARSHIF_BENCH_WARC_MIB` MiB (1024 by default), one gzip member per
//! record as crawlers write them, and imports it with the release binary
//! in a child process, printing pages/s and peak RSS. A quarter-size crawl
//! is imported first, so the two peaks show whether memory stays flat.
//!
//! The pages are the layouts of `tests/data/html` (WordPress with sidebar
//! and comments, an article split over divs, microdata, share buttons and
//! "most read" lists) with generated Arabic text (`arshif_testkit::synth`), a
//! 16 KB inline script each as real pages carry, and beside them the
//! request records and image responses a crawl also holds. Imports store
//! without relating (`--defer-relations`): relating keeps a working set
//! that grows with the archive by design (see the import benchmark), and
//! this measures reading the WARC and finding the articles.
//!
//! Run: `cargo bench --bench warc`.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use arshif_testkit::bench as support;
use arshif_testkit::synth::{Corpus, CorpusSpec, Rng, Vocabulary};
use flate2::{Compression, write::GzEncoder};
use serde_json::Value;

const LAYOUTS: &[&str] = &[
    "wp-sidebar-comments",
    "split-divs",
    "microdata",
    "share-mostread",
];

fn main() {
    let full_mib = support::env_usize("ARSHIF_BENCH_WARC_MIB", 1024) as u64;
    let vocabulary = support::vocabulary();
    let layouts: Vec<Layout> = LAYOUTS.iter().map(|n| Layout::load(n)).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    for mib in [full_mib / 4, full_mib] {
        let warc = dir.path().join(format!("crawl-{mib}.warc.gz"));
        let started = Instant::now();
        let (pages, bytes) = write_crawl(&warc, mib << 20, &layouts, &vocabulary);
        println!(
            "crawl: {pages} HTML pages, {} MiB uncompressed, {} MiB as .warc.gz, written in {:.1}s",
            bytes >> 20,
            std::fs::metadata(&warc).unwrap().len() >> 20,
            started.elapsed().as_secs_f64()
        );
        let db = dir.path().join(format!("warc-{mib}.db"));
        let args = [
            "import",
            "--json",
            "--defer-relations",
            "--db",
            db.to_str().unwrap(),
            warc.to_str().unwrap(),
        ];
        let run = support::run_measured(&args);
        let report: Value = serde_json::from_slice(&run.stdout).expect("import report");
        println!("import of the {mib} MiB crawl: {:.1}s wall", run.seconds);
        println!("  pages/s:      {:.0}", pages as f64 / run.seconds);
        println!("  MiB/s:        {:.1}", (bytes >> 20) as f64 / run.seconds);
        println!(
            "  articles:     {} new, {} duplicate",
            report["articles_new"], report["articles_duplicate"]
        );
        println!(
            "  rejected:     {}",
            report["rejected"].as_array().map_or(0, Vec::len)
        );
        println!("  peak RSS:     {} MiB", run.peak_rss_kib >> 10);
        std::fs::remove_file(&warc).ok();
    }
}

/// One fixture page with its article cut out, to be filled again.
struct Layout {
    before: String,
    after: String,
    title: String,
}

impl Layout {
    fn load(name: &str) -> Layout {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/html");
        let html = std::fs::read_to_string(format!("{dir}/{name}.html")).unwrap();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{dir}/{name}.expected.json")).unwrap(),
        )
        .unwrap();
        let paragraphs: Vec<&str> = expected["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        let first = html
            .find(paragraphs[0])
            .expect("first paragraph in the page");
        let start = html[..first].rfind("<p>").unwrap();
        let mut html = html.clone();
        for p in &paragraphs[1..] {
            html = html.replacen(&format!("<p>{p}</p>"), "", 1);
        }
        let end = html[start..].find("</p>").unwrap() + start + 4;
        Layout {
            before: html[..start].to_owned(),
            after: html[end..].to_owned(),
            title: expected["title"].as_str().unwrap().to_owned(),
        }
    }

    fn page(&self, title: &str, paragraphs: &[String], script: &str) -> String {
        let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
        let before = self
            .before
            .replace(&self.title, title)
            .replacen("</head>", script, 1);
        format!("{before}{body}{}", self.after.replace(&self.title, title))
    }
}

/// Writes WARC records until `target` uncompressed bytes; returns the HTML
/// pages written and the uncompressed size.
fn write_crawl(
    path: &Path,
    target: u64,
    layouts: &[Layout],
    vocabulary: &Vocabulary,
) -> (u64, u64) {
    let corpus = Corpus::new(CorpusSpec::new(1_000_000), vocabulary);
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    let (mut pages, mut bytes) = (0u64, 0u64);
    let mut rng = Rng::new(7);
    let script = format!("<script>{}</script></head>", inline_script(&mut rng));
    while bytes < target {
        let story = corpus.story(pages);
        let uri = format!("http://bench.example/news/{pages}.html");
        let html =
            layouts[pages as usize % layouts.len()].page(&story.title, &story.paragraphs, &script);
        let request = format!(
            "GET /news/{pages}.html HTTP/1.1\r\nHost: bench.example\r\nUser-Agent: Wget/1.21.3\r\n\r\n"
        );
        bytes += record(
            &mut out,
            "request",
            &uri,
            "application/http;msgtype=request",
            request.as_bytes(),
        );
        let response = [format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: {}\r\n\r\n", html.len()).as_bytes(), html.as_bytes()].concat();
        bytes += record(
            &mut out,
            "response",
            &uri,
            "application/http;msgtype=response",
            &response,
        );
        if pages % 4 == 0 {
            let image: Vec<u8> = (0..10_000).map(|_| rng.next_u64() as u8).collect();
            let response = [
                b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n".as_slice(),
                &image,
            ]
            .concat();
            let uri = format!("http://bench.example/img/{pages}.jpg");
            bytes += record(
                &mut out,
                "response",
                &uri,
                "application/http;msgtype=response",
                &response,
            );
        }
        pages += 1;
    }
    out.flush().unwrap();
    (pages, bytes)
}

/// Appends one record as its own gzip member; returns its uncompressed size.
fn record(out: &mut impl Write, kind: &str, uri: &str, content_type: &str, block: &[u8]) -> u64 {
    let head = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-07-13T10:00:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    );
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(head.as_bytes()).unwrap();
    gz.write_all(block).unwrap();
    gz.write_all(b"\r\n\r\n").unwrap();
    out.write_all(&gz.finish().unwrap()).unwrap();
    (head.len() + block.len() + 4) as u64
}

/// 16 KB of the minified JavaScript pages inline (analytics, ad loaders).
fn inline_script(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(16 << 10);
    while s.len() < 16 << 10 {
        let n = rng.next_u64();
        s.push_str(&format!(
            "var a{:x}=function(e,t){{return e&&t[{}]||window.dataLayer.push({{ev:'{:x}'}})}};",
            n % 4096,
            n % 97,
            n
        ));
    }
    s
}
