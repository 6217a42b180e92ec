//! Reading WARC files (ISO 28500), as crawlers write them: every `response`
//! (or `resource`) record holding an HTML page becomes one document, the
//! record kept whole so its address, capture date and HTTP headers stay
//! with the page. `revisit` records (a page seen again unchanged) are
//! resolved to the record they refer to. Streams: one record at a time,
//! gzip members (one per record, or one for the file) expanded as read.

mod capture;
mod http;
mod record;
mod revisit;

pub use capture::{CapturedPage, read_capture};

use std::io::{self, BufRead, BufReader, Read};

use flate2::read::MultiGzDecoder;

use super::container::{DocKind, Document, Event};
use super::{Limits, Reject};
use record::Header;
use revisit::{Originals, Pending};

/// Bytes of a block read before deciding whether it is an HTML page: the
/// HTTP head of a response.
const PEEK_BYTES: u64 = 64 << 10;

/// Opens a WARC stream again from its start, for the pass that resolves
/// revisits; `None` where that is not possible (inside a tar stream).
pub type Reopen<'a> = Option<&'a dyn Fn() -> io::Result<Box<dyn Read>>>;

/// Walks the WARC in `reader` (gzip-compressed or not), reported as `name`.
pub fn walk(
    reader: Box<dyn Read + '_>,
    reopen: Reopen,
    name: &str,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) {
    let mut originals = Originals::default();
    let mut pending = Vec::new();
    let mut first = |reader: &mut dyn BufRead, header: Header, sink: &mut dyn FnMut(Event)| {
        first_pass(
            reader,
            header,
            name,
            limits,
            &mut originals,
            &mut pending,
            sink,
        )
    };
    run_pass(reader, name, &mut first, sink);
    let resolvable = revisit::settle(pending, &originals, reopen.is_some(), name, sink);
    if resolvable.is_empty() {
        return;
    }
    let Some(open) = reopen else { return };
    match open() {
        Ok(again) => {
            let mut waiting = resolvable;
            let mut second =
                |reader: &mut dyn BufRead, header: Header, sink: &mut dyn FnMut(Event)| {
                    revisit::second_pass(reader, header, name, &mut waiting, sink)
                };
            run_pass(again, name, &mut second, sink);
            revisit::unresolved(waiting, name, sink);
        }
        Err(e) => reject(sink, name, Reject::Io(e.to_string())),
    }
}

type OnRecord<'s> =
    dyn FnMut(&mut dyn BufRead, Header, &mut dyn FnMut(Event)) -> io::Result<()> + 's;

/// Reads every record of one pass; a broken stream ends the pass with a
/// rejection naming the file (what was read before it stays).
fn run_pass(
    reader: Box<dyn Read + '_>,
    name: &str,
    on_record: &mut OnRecord,
    sink: &mut dyn FnMut(Event),
) {
    let mut reader = uncompressed(reader);
    loop {
        let outcome = match record::read_header(&mut reader) {
            Ok(Some(header)) => on_record(&mut reader, header, sink),
            Ok(None) => return,
            Err(e) => return reject(sink, name, Reject::BadArchive(e.to_string())),
        };
        if let Err(e) = outcome {
            return reject(sink, name, Reject::BadArchive(e.to_string()));
        }
    }
}

pub(super) fn reject(sink: &mut dyn FnMut(Event), name: &str, reason: Reject) {
    sink(Event::Rejected {
        name: name.to_owned(),
        reason,
    });
}

/// `reader`, gunzipped when it starts with the gzip magic number.
fn uncompressed<'a>(reader: Box<dyn Read + 'a>) -> Box<dyn BufRead + 'a> {
    let mut buffered = BufReader::with_capacity(256 << 10, reader);
    let gzip = buffered
        .fill_buf()
        .is_ok_and(|b| b.starts_with(b"\x1f\x8b"));
    if gzip {
        Box::new(BufReader::with_capacity(
            256 << 10,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    }
}

/// One record of the first pass: an HTML page becomes a document, a
/// revisit waits for the second pass, anything else is stepped over.
fn first_pass(
    reader: &mut dyn BufRead,
    header: Header,
    name: &str,
    limits: &Limits,
    originals: &mut Originals,
    pending: &mut Vec<Pending>,
    sink: &mut dyn FnMut(Event),
) -> io::Result<()> {
    let kind = header.kind();
    if kind == "revisit" {
        let block = read_block(reader, header.content_length, PEEK_BYTES)?;
        record::skip(reader, header.content_length - block.len() as u64)?;
        if let Some(p) = Pending::new(header, block) {
            pending.push(p);
        }
        return Ok(());
    }
    let Some(peek) = html_peek(reader, &header, &kind)? else {
        return Ok(());
    };
    originals.add(&header);
    sink(Event::FileRead);
    let member = member_name(name, &header);
    if header.content_length > limits.max_file_bytes {
        record::skip(reader, header.content_length - peek.len() as u64)?;
        let (size, limit) = (header.content_length, limits.max_file_bytes);
        reject(sink, &member, Reject::TooLarge { size, limit });
        return Ok(());
    }
    let mut bytes = header.raw;
    bytes.extend_from_slice(&peek);
    reader
        .take(header.content_length - peek.len() as u64)
        .read_to_end(&mut bytes)?;
    sink(Event::Document(Document {
        name: member,
        kind: DocKind::WarcRecord,
        bytes,
    }));
    Ok(())
}

/// The first bytes of the block of a record that holds an HTML page, or
/// `None` (the rest of the record stepped over) for any other record.
pub(super) fn html_peek(
    reader: &mut dyn BufRead,
    header: &Header,
    kind: &str,
) -> io::Result<Option<Vec<u8>>> {
    let length = header.content_length;
    let content_type = header
        .get("Content-Type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let wanted = match kind {
        "response" => content_type.starts_with("application/http"),
        "resource" => content_type.starts_with("text/html"),
        _ => false,
    };
    if !wanted {
        record::skip(reader, length)?;
        return Ok(None);
    }
    let peek = read_block(reader, length, PEEK_BYTES)?;
    let is_page = kind == "resource" || http::parse_head(&peek).is_some_and(|h| h.is_html_page());
    if !is_page {
        record::skip(reader, length - peek.len() as u64)?;
        return Ok(None);
    }
    Ok(Some(peek))
}

/// Up to `most` bytes of a block of `length` bytes.
fn read_block(reader: &mut dyn BufRead, length: u64, most: u64) -> io::Result<Vec<u8>> {
    let want = length.min(most);
    let mut block = Vec::with_capacity(want as usize);
    reader.take(want).read_to_end(&mut block)?;
    if (block.len() as u64) < want {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(block)
}

/// `crawl.warc.gz!/https://example.com/a.html`.
pub(super) fn member_name(name: &str, header: &Header) -> String {
    format!("{name}!/{}", header.target().unwrap_or("(no address)"))
}

#[cfg(test)]
mod tests;
