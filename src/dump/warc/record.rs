//! Reading WARC records (ISO 28500, versions 1.0 and 1.1) one at a time
//! from a stream: the header is parsed and kept as its exact bytes, the
//! block is left in the stream for the caller to read or skip. A record
//! is never held whole unless the caller reads it, so a 10 GB file streams.
//!
//! Written here rather than taken from the `warc` crate (0.4): that one
//! reads header lines without a length limit, does not keep a record's
//! original bytes, and brings a second deflate implementation and an old
//! `uuid`; a WARC record header is a few lines of `Name: value`.

use std::io::{self, BufRead, Read};

/// Longest header accepted; real ones are under 2 KB.
const MAX_HEADER_BYTES: usize = 64 << 10;

/// One record's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The header as written, from `WARC/1.x` to the blank line included.
    pub raw: Vec<u8>,
    fields: Vec<(String, String)>,
    /// Length of the block that follows.
    pub content_length: u64,
}

impl Header {
    /// A field's value (names compare case-insensitively).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lowercased.
    pub fn kind(&self) -> String {
        self.get("WARC-Type")
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// `WARC-Target-URI` without the angle brackets WARC 1.0 writers added.
    pub fn target(&self) -> Option<&str> {
        let uri = self.get("WARC-Target-URI")?;
        Some(uri.trim_start_matches('<').trim_end_matches('>'))
    }
}

/// Why a WARC stream cannot be read on.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("not a WARC record (no 'WARC/' version line)")]
    NotWarc,
    #[error("WARC record header longer than {MAX_HEADER_BYTES} bytes")]
    HeaderTooLong,
    #[error("WARC record without a valid Content-Length")]
    NoLength,
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Reads the next record's header, or `None` at the end of the stream.
/// Blank lines before a record (the end of the previous one) are skipped.
pub fn read_header(reader: &mut (impl BufRead + ?Sized)) -> Result<Option<Header>, WarcError> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read_line(reader, &mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim_ascii().is_empty() {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        return Err(WarcError::NotWarc);
    }
    raw.extend_from_slice(&line);
    let mut fields: Vec<(String, String)> = Vec::new();
    loop {
        line.clear();
        if read_line(reader, &mut line)? == 0 {
            return Err(WarcError::Io(io::ErrorKind::UnexpectedEof.into()));
        }
        raw.extend_from_slice(&line);
        if raw.len() > MAX_HEADER_BYTES {
            return Err(WarcError::HeaderTooLong);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if text.starts_with([' ', '\t']) {
            // A folded continuation of the previous field.
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
            }
        } else if let Some((name, value)) = text.split_once(':') {
            fields.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let content_length = fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .ok_or(WarcError::NoLength)?;
    Ok(Some(Header {
        raw,
        fields,
        content_length,
    }))
}

/// One line with its end, at most `MAX_HEADER_BYTES + 1` bytes of it.
fn read_line(reader: &mut (impl BufRead + ?Sized), line: &mut Vec<u8>) -> io::Result<usize> {
    reader
        .take(MAX_HEADER_BYTES as u64 + 1)
        .read_until(b'\n', line)
}

/// Reads past the rest of a block (the blank lines closing the record are
/// skipped by the next [`read_header`]).
pub fn skip(reader: &mut (impl BufRead + ?Sized), remaining: u64) -> io::Result<()> {
    let skipped = io::copy(&mut reader.take(remaining), &mut io::sink())?;
    if skipped < remaining {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-07-13T10:00:00Z\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    #[test]
    fn reads_headers_and_steps_over_blocks() {
        let stream = [
            record("response", "http://a/", b"12345"),
            record("request", "<http://b/>", b""),
        ]
        .concat();
        let mut reader = io::BufReader::new(&stream[..]);
        let first = read_header(&mut reader).unwrap().unwrap();
        assert_eq!(first.kind(), "response");
        assert_eq!(first.get("warc-target-uri"), Some("http://a/"));
        assert_eq!(first.content_length, 5);
        assert!(first.raw.starts_with(b"WARC/1.1\r\n") && first.raw.ends_with(b"\r\n\r\n"));
        skip(&mut reader, first.content_length).unwrap();
        let second = read_header(&mut reader).unwrap().unwrap();
        assert_eq!(second.target(), Some("http://b/"));
        skip(&mut reader, 0).unwrap();
        assert!(read_header(&mut reader).unwrap().is_none());
    }

    #[test]
    fn refuses_what_is_not_warc_and_endless_headers() {
        let mut reader = io::BufReader::new(&b"<html></html>"[..]);
        assert!(matches!(read_header(&mut reader), Err(WarcError::NotWarc)));
        let endless = [b"WARC/1.0\r\nX: ".as_slice(), &vec![b'a'; 200 << 10]].concat();
        let mut reader = io::BufReader::new(&endless[..]);
        assert!(matches!(
            read_header(&mut reader),
            Err(WarcError::HeaderTooLong)
        ));
    }

    #[test]
    fn a_truncated_block_is_an_error() {
        let mut reader = io::BufReader::new(&b"abc"[..]);
        assert!(skip(&mut reader, 10).is_err());
    }
}
