//! `revisit` records: a crawler that saw a page again unchanged writes
//! only a pointer to the record that holds it (`WARC-Refers-To`, or its
//! address and date, or the payload digest). The first pass notes which
//! HTML records exist and which revisits wait; the second pass, over the
//! same file, emits each revisit together with the record it refers to.
//! Only small keys are kept between the passes, never pages.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, BufRead, Read};

use super::record::{self, Header};
use super::{PEEK_BYTES, html_peek, http, member_name, reject};
use crate::dump::Reject;
use crate::dump::container::{DocKind, Document, Event};

/// A revisit waiting for its original.
#[derive(Debug)]
pub struct Pending {
    header: Header,
    block: Vec<u8>,
    key: u64,
}

impl Pending {
    /// A revisit worth resolving: it names its original, and its own HTTP
    /// head (when it has one) does not say it is something else than a page.
    pub fn new(header: Header, block: Vec<u8>) -> Option<Pending> {
        if block.len() as u64 >= PEEK_BYTES {
            return None;
        }
        if let Some(head) = http::parse_head(&block) {
            // A 304 answers "unchanged since": the original holds the page.
            let answered = (200..300).contains(&head.status) || head.status == 304;
            if !answered
                || head
                    .media_type
                    .as_deref()
                    .is_some_and(|t| !t.contains("html"))
            {
                return None;
            }
        }
        let key = if let Some(id) = header.get("WARC-Refers-To") {
            key(&["id", unbracket(id)])
        } else if let (Some(uri), Some(date)) = (
            header.get("WARC-Refers-To-Target-URI"),
            header.get("WARC-Refers-To-Date"),
        ) {
            key(&["at", unbracket(uri), date])
        } else {
            key(&["digest", header.get("WARC-Payload-Digest")?])
        };
        Some(Pending { header, block, key })
    }

    /// The revisit record followed by its original: the stored document.
    fn with_original(&self, original: &[u8]) -> Vec<u8> {
        [&self.header.raw, &self.block[..], b"\r\n\r\n", original].concat()
    }
}

/// Keys of the HTML records of a file, by each way a revisit can name them.
#[derive(Debug, Default)]
pub struct Originals(HashSet<u64>);

impl Originals {
    pub fn add(&mut self, header: &Header) {
        self.0.extend(keys_of(header));
    }
}

fn keys_of(header: &Header) -> Vec<u64> {
    let mut keys = Vec::new();
    if let Some(id) = header.get("WARC-Record-ID") {
        keys.push(key(&["id", unbracket(id)]));
    }
    if let (Some(uri), Some(date)) = (header.target(), header.get("WARC-Date")) {
        keys.push(key(&["at", uri, date]));
    }
    if let Some(digest) = header.get("WARC-Payload-Digest") {
        keys.push(key(&["digest", digest]));
    }
    keys
}

/// WARC 1.0 writers put `<>` around record ids and addresses, some not.
fn unbracket(value: &str) -> &str {
    value.trim_start_matches('<').trim_end_matches('>')
}

fn key(parts: &[&str]) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

/// Rejects the revisits whose original is not in the file (or cannot be
/// read a second time) and returns the others.
pub fn settle(
    pending: Vec<Pending>,
    originals: &Originals,
    can_reopen: bool,
    name: &str,
    sink: &mut dyn FnMut(Event),
) -> Vec<Pending> {
    let (found, missing): (Vec<Pending>, Vec<Pending>) = pending
        .into_iter()
        .partition(|p| originals.0.contains(&p.key));
    unresolved(missing, name, sink);
    if can_reopen {
        return found;
    }
    for p in found {
        sink(Event::FileRead);
        let why = "its original is in this WARC, but a WARC inside an archive is read only once";
        reject(
            sink,
            &member_name(name, &p.header),
            Reject::Revisit(why.to_owned()),
        );
    }
    Vec::new()
}

/// Rejects revisits left without their original.
pub fn unresolved(pending: Vec<Pending>, name: &str, sink: &mut dyn FnMut(Event)) {
    for p in pending {
        sink(Event::FileRead);
        let why = "the record it repeats is not in this WARC file";
        reject(
            sink,
            &member_name(name, &p.header),
            Reject::Revisit(why.to_owned()),
        );
    }
}

/// One record of the second pass: an original some revisits wait for is
/// read whole and emitted with each of them.
pub fn second_pass(
    reader: &mut dyn BufRead,
    header: Header,
    name: &str,
    waiting: &mut Vec<Pending>,
    sink: &mut dyn FnMut(Event),
) -> io::Result<()> {
    let kind = header.kind();
    if waiting.is_empty() || kind == "revisit" {
        return record::skip(reader, header.content_length);
    }
    let Some(peek) = html_peek(reader, &header, &kind)? else {
        return Ok(());
    };
    let keys = keys_of(&header);
    if !waiting.iter().any(|p| keys.contains(&p.key)) {
        return record::skip(reader, header.content_length - peek.len() as u64);
    }
    let mut original = header.raw.clone();
    original.extend_from_slice(&peek);
    reader
        .take(header.content_length - peek.len() as u64)
        .read_to_end(&mut original)?;
    original.extend_from_slice(b"\r\n\r\n");
    let (ready, rest): (Vec<Pending>, Vec<Pending>) = std::mem::take(waiting)
        .into_iter()
        .partition(|p| keys.contains(&p.key));
    *waiting = rest;
    for p in ready {
        sink(Event::FileRead);
        sink(Event::Document(Document {
            name: member_name(name, &p.header),
            kind: DocKind::WarcRecord,
            bytes: p.with_original(&original),
        }));
    }
    Ok(())
}
