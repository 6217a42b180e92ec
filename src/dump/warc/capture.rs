//! One stored WARC document back to its page: the address and capture
//! date of its (first) record, and the HTML payload of the record that
//! holds the page (the same record, or for a revisit the original after it).

use std::io::{BufReader, Read};

use super::http;
use super::record::{self, Header};
use crate::dump::Reject;

/// A captured page, as the WARC record gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedPage {
    pub url: Option<String>,
    /// `WARC-Date` as written (RFC 3339, UTC).
    pub captured_at: Option<String>,
    pub html: Vec<u8>,
    /// The charset the HTTP response named.
    pub charset: Option<String>,
}

/// Reads a document the WARC walker made; `cap` bounds the decoded payload.
pub fn read_capture(bytes: &[u8], cap: u64) -> Result<CapturedPage, Reject> {
    let mut reader = BufReader::new(bytes);
    let (first, first_block) = next_record(&mut reader)?;
    let (holder, block) = if first.kind() == "revisit" {
        next_record(&mut reader)?
    } else {
        (first.clone(), first_block)
    };
    let (html, charset) = if holder.kind() == "resource" {
        let ct = holder
            .get("Content-Type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let charset = ct
            .split_once("charset=")
            .map(|(_, c)| c.trim_matches(['"', ' ']).to_owned());
        (block, charset)
    } else {
        let head = http::parse_head(&block).ok_or_else(|| bad("no HTTP response in the record"))?;
        let payload = http::payload(&block, &head, cap).map_err(|e| bad(&e.to_string()))?;
        let html = payload.ok_or(Reject::ExpandedTooLarge { limit: cap })?;
        (html, head.charset)
    };
    Ok(CapturedPage {
        url: first.target().map(str::to_owned),
        captured_at: first.get("WARC-Date").map(str::to_owned),
        html,
        charset,
    })
}

fn next_record(reader: &mut BufReader<&[u8]>) -> Result<(Header, Vec<u8>), Reject> {
    let header = record::read_header(reader)
        .map_err(|e| bad(&e.to_string()))?
        .ok_or_else(|| bad("no WARC record"))?;
    let mut block = Vec::new();
    reader
        .take(header.content_length)
        .read_to_end(&mut block)
        .map_err(|e| bad(&e.to_string()))?;
    Ok((header, block))
}

fn bad(why: &str) -> Reject {
    Reject::BadArchive(format!("WARC record: {why}"))
}
