//! The WARC walker on streams built here: pages found, other records
//! stepped over, revisits resolved in a second pass, gzip per record.

use super::*;
use crate::dump::container::Event;
use std::io::{Cursor, Write};

fn response(uri: &str, id: &str, http: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <{id}>\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2025-07-13T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(http);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn revisit(uri: &str, refers_to: &str) -> Vec<u8> {
    let http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: revisit\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-08-01T09:00:00Z\r\n\
         WARC-Refers-To: <{refers_to}>\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(http);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const PAGE: &str = "<html><head><title>خبر</title></head><body><p>نص</p></body></html>";

fn walk_bytes(bytes: Vec<u8>, limits: &Limits) -> Vec<Event> {
    let mut events = Vec::new();
    let again = bytes.clone();
    let reopen = move || Ok(Box::new(Cursor::new(again.clone())) as Box<dyn Read>);
    walk(
        Box::new(Cursor::new(bytes)),
        Some(&reopen),
        "c.warc",
        limits,
        &mut |e| events.push(e),
    );
    events
}

fn summary(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::FileRead => "read".to_owned(),
            Event::Document(d) => format!("doc {}", d.name),
            Event::Rejected { name, reason } => format!("reject {name} {}", reason.code()),
        })
        .collect()
}

fn stream() -> Vec<u8> {
    [
        b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\ninfo\r\n\r\n".to_vec(),
        response(
            "http://x.example/a.html",
            "urn:uuid:1",
            &http("text/html; charset=utf-8", PAGE),
        ),
        response(
            "http://x.example/logo.png",
            "urn:uuid:2",
            &http("image/png", "PNG"),
        ),
        response(
            "http://x.example/gone",
            "urn:uuid:3",
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\nx",
        ),
        revisit("http://x.example/a.html", "urn:uuid:1"),
        revisit("http://x.example/b.html", "urn:uuid:9"),
    ]
    .concat()
}

#[test]
fn finds_html_pages_and_resolves_revisits() {
    let events = walk_bytes(stream(), &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "doc c.warc!/http://x.example/a.html",
            "read",
            "reject c.warc!/http://x.example/b.html revisit_unresolved",
            "read",
            "doc c.warc!/http://x.example/a.html",
        ]
    );
    let Event::Document(revisited) = &events[5] else {
        unreachable!()
    };
    let captured = read_capture(&revisited.bytes, 1 << 20).unwrap();
    assert_eq!(
        captured.captured_at.as_deref(),
        Some("2025-08-01T09:00:00Z")
    );
    assert_eq!(captured.html, PAGE.as_bytes());
}

#[test]
fn reads_a_record_at_a_time_gzip_file() {
    let members: Vec<u8> = [
        response(
            "http://x.example/a.html",
            "urn:uuid:1",
            &http("text/html", PAGE),
        ),
        response(
            "http://x.example/b.html",
            "urn:uuid:2",
            &http("text/html", PAGE),
        ),
    ]
    .iter()
    .flat_map(|record| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(record).unwrap();
        gz.finish().unwrap()
    })
    .collect();
    let events = walk_bytes(members, &Limits::default());
    let docs: Vec<String> = summary(&events)
        .into_iter()
        .filter(|s| s.starts_with("doc"))
        .collect();
    assert_eq!(
        docs,
        [
            "doc c.warc!/http://x.example/a.html",
            "doc c.warc!/http://x.example/b.html"
        ]
    );
}

#[test]
fn keeps_the_record_whole_and_reads_its_capture() {
    let events = walk_bytes(stream(), &Limits::default());
    let Event::Document(doc) = &events[1] else {
        unreachable!()
    };
    assert!(doc.bytes.starts_with(b"WARC/1.0\r\nWARC-Type: response"));
    let captured = read_capture(&doc.bytes, 1 << 20).unwrap();
    assert_eq!(captured.url.as_deref(), Some("http://x.example/a.html"));
    assert_eq!(
        captured.captured_at.as_deref(),
        Some("2025-07-13T10:00:00Z")
    );
    assert_eq!(captured.charset.as_deref(), Some("utf-8"));
    assert_eq!(captured.html, PAGE.as_bytes());
}

#[test]
fn a_page_record_past_the_limit_is_refused_and_the_walk_goes_on() {
    let big = "x".repeat(10_000);
    let bytes = [
        response(
            "http://x.example/big.html",
            "urn:uuid:1",
            &http("text/html", &big),
        ),
        response(
            "http://x.example/a.html",
            "urn:uuid:2",
            &http("text/html", PAGE),
        ),
    ]
    .concat();
    let limits = Limits {
        max_file_bytes: 5_000,
        ..Limits::default()
    };
    assert_eq!(
        summary(&walk_bytes(bytes, &limits)),
        [
            "read",
            "reject c.warc!/http://x.example/big.html too_large",
            "read",
            "doc c.warc!/http://x.example/a.html"
        ]
    );
}

#[test]
fn a_broken_stream_keeps_what_came_before_and_names_the_file() {
    let mut bytes = response(
        "http://x.example/a.html",
        "urn:uuid:1",
        &http("text/html", PAGE),
    );
    bytes.extend_from_slice(b"garbage that is not a record");
    assert_eq!(
        summary(&walk_bytes(bytes, &Limits::default())),
        [
            "read",
            "doc c.warc!/http://x.example/a.html",
            "reject c.warc bad_archive"
        ]
    );
}

#[test]
fn a_revisit_inside_an_archive_member_is_reported_not_lost() {
    let bytes = stream();
    let mut events = Vec::new();
    walk(
        Box::new(Cursor::new(bytes)),
        None,
        "z.zip!/c.warc",
        &Limits::default(),
        &mut |e| events.push(e),
    );
    let rejected: Vec<String> = summary(&events)
        .into_iter()
        .filter(|s| s.starts_with("reject"))
        .collect();
    assert_eq!(rejected.len(), 2, "{rejected:?}");
}

proptest::proptest! {
    #[test]
    fn never_panics_on_any_bytes(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000)) {
        let bytes = [b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http\r\nContent-Length: 40\r\n\r\n".as_slice(), &tail].concat();
        let _ = walk_bytes(bytes.clone(), &Limits::default());
        let _ = read_capture(&bytes, 1 << 20);
    }
}
