//! From one document (a page file, an archive member or a JSONL line) to
//! everything the writer stores: the compressed original with its hash,
//! and the articles it brings. Pure and CPU-bound, so it runs on worker
//! threads while the writer talks to SQLite.

use sha2::{Digest, Sha256};

use crate::dump::container::{DocKind, Document};
use crate::dump::jsonl::{self, Record};
use crate::dump::{Limits, Page, Reject, decode, page};

use super::article::NewArticle;
use super::web::{self, WebCapture};

/// zstd level for stored originals: the fastest regular level; Arabic
/// text still shrinks well (README: dependencies), and import time matters
/// more.
const ZSTD_LEVEL: i32 = 1;

/// A document ready for the writer.
#[derive(Debug, Clone)]
pub struct PreparedDoc {
    pub name: String,
    /// `page` or `jsonl`, the `files.kind` column.
    pub kind: &'static str,
    pub size: u64,
    pub sha256: Vec<u8>,
    /// zstd-compressed original bytes.
    pub compressed: Vec<u8>,
    /// The page's own article first, then its read-also items.
    pub articles: Vec<NewArticle>,
    /// Problems that did not stop the import (an unreadable date, ...).
    pub warnings: Vec<String>,
    /// Where a saved web page came from, and the pages its article's
    /// "read also" links point to; `None` for dumps.
    pub capture: Option<WebCapture>,
}

pub fn prepare(doc: Document, limits: &Limits) -> Result<PreparedDoc, Reject> {
    let (page, capture) = match doc.kind {
        DocKind::Page => (parse_text_page(&doc.bytes, limits)?, None),
        DocKind::JsonLine { .. } => (parse_json_line(&doc.bytes)?, None),
        DocKind::Html | DocKind::WarcRecord => {
            let (page, capture) = web::read(doc.kind, &doc.bytes, limits)?;
            (page, Some(capture))
        }
    };
    let compressed = compress(&doc.bytes).map_err(|e| Reject::Io(e.to_string()))?;
    Ok(PreparedDoc {
        capture,
        kind: match doc.kind {
            DocKind::Page | DocKind::Html | DocKind::WarcRecord => "page",
            DocKind::JsonLine { .. } => "jsonl",
        },
        size: doc.bytes.len() as u64,
        sha256: Sha256::digest(&doc.bytes).to_vec(),
        compressed,
        articles: NewArticle::all_from(&page),
        warnings: page.warnings,
        name: doc.name,
    })
}

fn parse_text_page(bytes: &[u8], limits: &Limits) -> Result<Page, Reject> {
    let text = decode::decode(bytes)?;
    decode::check_line_lengths(&text, limits.max_line_bytes)?;
    page::parse_page(&text)
}

fn parse_json_line(bytes: &[u8]) -> Result<Page, Reject> {
    let line = std::str::from_utf8(bytes)
        .map_err(|_| Reject::MalformedJson("not UTF-8 text".to_owned()))?;
    match jsonl::parse_record(line)? {
        Record::Text(text) => page::parse_page(&text.replace("\r\n", "\n").replace('\r', "\n")),
        Record::Fields(page) => Ok(page),
    }
}

thread_local! {
    /// One zstd context per worker thread: creating one per document showed
    /// up in profiles.
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

fn compress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(zstd::bulk::Compressor::new(ZSTD_LEVEL)?);
        }
        slot.as_mut().expect("set above").compress(bytes)
    })
}

/// Restores the original bytes of a stored file.
pub fn decompress(compressed: &[u8]) -> std::io::Result<Vec<u8>> {
    zstd::stream::decode_all(compressed)
}
