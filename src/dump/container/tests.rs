//! Behaviours of the walker on plain files, JSONL and folders; archives and
//! limits have their own files. Test inputs are built in temp folders.

mod archives;
mod bombs;
mod capped;

use super::*;
use crate::dump::jsonl::{Record, parse_record};
use std::io::{Cursor, Write};
use std::path::PathBuf;

/// Events as short strings: `read`, `doc NAME`, `reject NAME CODE`.
pub(super) fn summary(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::FileRead => "read".to_owned(),
            Event::Document(d) => format!("doc {}", d.name),
            Event::Rejected { name, reason } => format!("reject {name} {}", reason.code()),
        })
        .collect()
}

pub(super) fn walk_upload(path: &Path, name: &str, limits: &Limits) -> Vec<Event> {
    let mut events = Vec::new();
    walk_file(path, name, limits, &mut |e| events.push(e));
    events
}

/// Writes `bytes` as `name` in a fresh temp folder and walks it as an upload.
pub(super) fn walk_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Vec<Event> {
    let dir = tempfile::tempdir().unwrap();
    let path = put(dir.path(), name, bytes);
    walk_upload(&path, name, limits)
}

pub(super) fn put(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

pub(super) fn docs(events: &[Event]) -> Vec<&Document> {
    events
        .iter()
        .filter_map(|e| {
            if let Event::Document(d) = e {
                Some(d)
            } else {
                None
            }
        })
        .collect()
}

pub(super) fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

pub(super) fn tar_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, name, *bytes).unwrap();
    }
    builder.into_inner().unwrap()
}

pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn reads_txt_file_as_one_page_document() {
    let events = walk_bytes("a.txt", "عنوان\r\nنص".as_bytes(), &Limits::default());
    let page = Document {
        name: "a.txt".into(),
        kind: DocKind::Page,
        bytes: "عنوان\r\nنص".into(),
    };
    assert_eq!(events, [Event::FileRead, Event::Document(page)]);
}

#[test]
fn reads_upload_types_case_insensitively() {
    let limits = Limits::default();
    assert_eq!(
        summary(&walk_bytes("A.TXT", b"t", &limits)),
        ["read", "doc A.TXT"]
    );
    assert_eq!(
        summary(&walk_bytes("B.NDJSON", b"{}", &limits)),
        ["read", "doc B.NDJSON:1"]
    );
    let zip = zip_bytes(&[("p.Txt", b"t")]);
    assert_eq!(
        summary(&walk_bytes("X.ZIP", &zip, &limits)),
        ["read", "doc X.ZIP!/p.Txt"]
    );
}

#[test]
fn rejects_unsupported_upload_type() {
    let events = walk_bytes("report.pdf", b"%PDF-1.7", &Limits::default());
    assert_eq!(
        events,
        [Event::Rejected {
            name: "report.pdf".into(),
            reason: Reject::Unsupported
        }]
    );
}

#[test]
fn rejects_oversize_txt_file_and_takes_one_at_the_limit() {
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let events = walk_bytes("big.txt", &[b'a'; 11], &limits);
    let reason = Reject::TooLarge {
        size: 11,
        limit: 10,
    };
    assert_eq!(
        events,
        [
            Event::FileRead,
            Event::Rejected {
                name: "big.txt".into(),
                reason
            }
        ]
    );
    assert_eq!(
        summary(&walk_bytes("ok.txt", &[b'a'; 10], &limits)),
        ["read", "doc ok.txt"]
    );
}

#[test]
fn rejects_upload_that_cannot_be_opened() {
    let events = walk_upload(
        Path::new("/nonexistent/arshif/a.txt"),
        "a.txt",
        &Limits::default(),
    );
    assert_eq!(summary(&events), ["read", "reject a.txt io"]);
}

#[test]
fn splits_jsonl_file_into_numbered_line_documents() {
    let events = walk_bytes(
        "x.jsonl",
        b"{\"a\":1}\r\n\n  \n{\"b\":2}",
        &Limits::default(),
    );
    assert_eq!(summary(&events), ["read", "doc x.jsonl:1", "doc x.jsonl:4"]);
    assert_eq!(docs(&events)[0].bytes, b"{\"a\":1}");
    assert_eq!(docs(&events)[1].kind, DocKind::JsonLine { line: 4 });
}

#[test]
fn reports_malformed_jsonl_line_by_name_while_the_others_import() {
    let input = "{\"title\": \"أول\"}\n{\"title\": \"ثان\"\n{\"text\": \"ثالث\\nنص\"}\n";
    let events = walk_bytes("x.jsonl", input.as_bytes(), &Limits::default());
    let results: Vec<(String, Result<Record, Reject>)> = docs(&events)
        .into_iter()
        .map(|d| {
            (
                d.name.clone(),
                parse_record(std::str::from_utf8(&d.bytes).unwrap()),
            )
        })
        .collect();
    assert_eq!(results.len(), 3);
    assert!(
        matches!(&results[0], (n, Ok(Record::Fields(p))) if n == "x.jsonl:1" && p.title == "أول")
    );
    assert!(matches!(&results[1], (n, Err(Reject::MalformedJson(_))) if n == "x.jsonl:2"));
    assert!(matches!(&results[2], (n, Ok(Record::Text(_))) if n == "x.jsonl:3"));
}

#[test]
fn rejects_overlong_jsonl_line_and_keeps_the_next() {
    let limits = Limits {
        max_line_bytes: 8,
        ..Limits::default()
    };
    let events = walk_bytes("x.jsonl", b"{\"a\":12345}\n{\"b\":1}\n", &limits);
    let reason = Reject::LineTooLong {
        line: 1,
        len: 11,
        limit: 8,
    };
    assert_eq!(
        events[1],
        Event::Rejected {
            name: "x.jsonl:1".into(),
            reason
        }
    );
    assert_eq!(summary(&events)[2], "doc x.jsonl:2");
}

#[test]
fn walks_directory_recursively_in_name_order() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("dump");
    put(&dir, "b.txt", b"b");
    put(&dir, "a.txt", b"a");
    put(&dir, "sub/c.jsonl", b"{}\n");
    put(&dir, "sub/inner/d.TXT", b"d");
    put(&dir, "z.zip", &zip_bytes(&[("m.txt", b"m")]));
    put(&dir, ".hidden.txt", b"h");
    put(&dir, ".git/x.txt", b"x");
    put(&dir, "__MACOSX/._a.txt", b"x");
    put(&dir, "notes.md", b"not a dump");
    let mut events = Vec::new();
    walk_path(&dir, &Limits::default(), &mut |e| events.push(e)).unwrap();
    let names: Vec<_> = docs(&events).iter().map(|d| d.name.clone()).collect();
    assert_eq!(
        names,
        [
            "dump/a.txt",
            "dump/b.txt",
            "dump/sub/c.jsonl:1",
            "dump/sub/inner/d.TXT",
            "dump/z.zip!/m.txt"
        ]
    );
    assert!(
        events.iter().all(|e| !matches!(e, Event::Rejected { .. })),
        "{events:?}"
    );
}

#[test]
fn walks_a_single_file_named_by_its_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = put(dir.path(), "page.txt", b"t");
    let mut events = Vec::new();
    walk_path(&path, &Limits::default(), &mut |e| events.push(e)).unwrap();
    assert_eq!(summary(&events), ["read", "doc page.txt"]);
}

#[test]
fn fails_to_walk_a_missing_path() {
    let mut sink = |_| panic!("no events expected");
    assert!(
        walk_path(
            Path::new("/nonexistent/arshif"),
            &Limits::default(),
            &mut sink
        )
        .is_err()
    );
}

#[test]
fn counts_one_file_read_per_text_file_or_member() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("d");
    put(&dir, "a.txt", b"a");
    put(&dir, "b.jsonl", b"{}\n{}\n{}\n");
    let archive = zip_bytes(&[
        ("c.txt", b"c"),
        ("d.jsonl", b"{}\n{}"),
        ("e.png", b"x"),
        (".f.txt", b"f"),
    ]);
    put(&dir, "g.zip", &archive);
    put(
        &dir,
        "h.tgz",
        &gzip(&tar_bytes(&[("i.txt", b"i"), ("j.bin", b"j")])),
    );
    let mut events = Vec::new();
    walk_path(&dir, &Limits::default(), &mut |e| events.push(e)).unwrap();
    let reads = events.iter().filter(|e| **e == Event::FileRead).count();
    assert_eq!(reads, 5, "{:?}", summary(&events)); // a, b, c, d, i
    assert_eq!(docs(&events).len(), 1 + 3 + 1 + 2 + 1);
}

#[test]
fn html_pages_are_read_alone_and_inside_archives() {
    let page: &[u8] = b"<html><body><p>x</p></body></html>";
    let events = walk_bytes("a.HTM", page, &Limits::default());
    assert_eq!(summary(&events), ["read", "doc a.HTM"]);
    assert_eq!(docs(&events)[0].kind, DocKind::Html);
    let zip = zip_bytes(&[
        ("site/a.html", page),
        ("site/b.txt", b"t"),
        ("site/c.css", b"x"),
    ]);
    let events = walk_bytes("s.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "doc s.zip!/site/a.html",
            "read",
            "doc s.zip!/site/b.txt"
        ]
    );
    let tar = tar_bytes(&[("a.htm", page)]);
    assert_eq!(
        docs(&walk_bytes("s.tar", &tar, &Limits::default()))[0].kind,
        DocKind::Html
    );
}

#[test]
fn warc_files_yield_their_pages_alone_and_inside_archives() {
    let body = "<html><body><p>x</p></body></html>";
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
    let record = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/a\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    );
    let events = walk_bytes(
        "crawl.warc.gz",
        &gzip(record.as_bytes()),
        &Limits::default(),
    );
    assert_eq!(summary(&events), ["read", "doc crawl.warc.gz!/http://x/a"]);
    assert_eq!(docs(&events)[0].kind, DocKind::WarcRecord);
    let tar = tar_bytes(&[("c/crawl.warc", record.as_bytes())]);
    assert_eq!(
        summary(&walk_bytes("s.tar", &tar, &Limits::default())),
        ["read", "doc s.tar!/c/crawl.warc!/http://x/a"]
    );
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "crawl.warc", record.as_bytes());
    assert_eq!(count_path(&dir.path().join("crawl.warc")), 1);
}
