//! The HTTP response inside a WARC `response` record: status, content
//! type and charset from its head, and the payload as the server meant it
//! (chunked transfer decoded, then gzip, deflate or brotli content
//! encoding), capped so a small record cannot expand without bound.

use std::io::{self, Read};

use flate2::read::{MultiGzDecoder, ZlibDecoder};

/// Most header lines read from a response head.
const MAX_HEADERS: usize = 128;

/// The head of an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    /// The media type, lowercased, without parameters.
    pub media_type: Option<String>,
    pub charset: Option<String>,
    pub chunked: bool,
    /// `Content-Encoding` values, lowercased, in the order applied.
    pub encodings: Vec<String>,
    /// Where the body starts in the block.
    pub body_at: usize,
}

impl Head {
    /// A successful response carrying an HTML page (or one that names no type).
    pub fn is_html_page(&self) -> bool {
        (200..300).contains(&self.status)
            && self
                .media_type
                .as_deref()
                .is_none_or(|t| t == "text/html" || t == "application/xhtml+xml")
    }
}

/// Parses the response head at the start of `block`; `None` when the head
/// is not complete or not HTTP.
pub fn parse_head(block: &[u8]) -> Option<Head> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(body_at) = response.parse(block).ok()? else {
        return None;
    };
    let value = |name: &str| {
        response
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    let content_type = value("content-type").into_iter().next();
    let (media_type, charset) = match content_type.as_deref() {
        Some(ct) => split_content_type(ct),
        None => (None, None),
    };
    let list = |name| -> Vec<String> {
        value(name)
            .iter()
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty() && s != "identity")
            .collect()
    };
    Some(Head {
        status: response.code?,
        media_type,
        charset,
        chunked: list("transfer-encoding").iter().any(|t| t == "chunked"),
        encodings: list("content-encoding"),
        body_at,
    })
}

fn split_content_type(ct: &str) -> (Option<String>, Option<String>) {
    let mut parts = ct.split(';');
    let media = parts
        .next()
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == "charset").then(|| v.trim().trim_matches(['"', '\'']).to_owned())
    });
    (media, charset)
}

/// The payload of a response, decoded; `Ok(None)` when it expands past
/// `cap` bytes.
pub fn payload(block: &[u8], head: &Head, cap: u64) -> io::Result<Option<Vec<u8>>> {
    let raw = &block[head.body_at.min(block.len())..];
    let body = if head.chunked {
        dechunk(raw)?
    } else {
        raw.to_vec()
    };
    let mut reader: Box<dyn Read + '_> = Box::new(&body[..]);
    for encoding in &head.encodings {
        reader = match encoding.as_str() {
            "gzip" | "x-gzip" => Box::new(MultiGzDecoder::new(reader)),
            "deflate" => Box::new(ZlibDecoder::new(reader)),
            "br" => Box::new(brotli_decompressor::Decompressor::new(reader, 64 << 10)),
            other => {
                return Err(io::Error::other(format!(
                    "unknown content encoding '{other}'"
                )));
            }
        };
    }
    let mut out = Vec::new();
    reader.take(cap + 1).read_to_end(&mut out)?;
    Ok((out.len() as u64 <= cap).then_some(out))
}

/// Joins the chunks of a chunked body; a body cut short (a truncated
/// capture) keeps what arrived.
fn dechunk(mut raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    loop {
        let (at, size) = match httparse::parse_chunk_size(raw) {
            Ok(httparse::Status::Complete(found)) => found,
            Ok(httparse::Status::Partial) => return Ok(out),
            Err(_) => return Err(io::Error::other("malformed chunked body")),
        };
        if size == 0 {
            return Ok(out);
        }
        let rest = &raw[at..];
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if rest.len() < size {
            out.extend_from_slice(rest);
            return Ok(out);
        }
        out.extend_from_slice(&rest[..size]);
        raw = &rest[size..];
        raw = raw.strip_prefix(b"\r\n").unwrap_or(raw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const PAGE: &[u8] = "<html><body><p>خبر</p></body></html>".as_bytes();

    fn response(headers: &str, body: &[u8]) -> Vec<u8> {
        [format!("HTTP/1.1 200 OK\r\n{headers}\r\n").as_bytes(), body].concat()
    }

    fn decoded(block: &[u8]) -> Vec<u8> {
        let head = parse_head(block).unwrap();
        payload(block, &head, 1 << 20).unwrap().unwrap()
    }

    #[test]
    fn reads_type_and_charset_from_the_head() {
        let block = response(
            "Content-Type: text/html; charset=\"Windows-1256\"\r\n",
            PAGE,
        );
        let head = parse_head(&block).unwrap();
        assert_eq!(head.media_type.as_deref(), Some("text/html"));
        assert_eq!(head.charset.as_deref(), Some("windows-1256"));
        assert!(head.is_html_page());
        let image = parse_head(&response("Content-Type: image/png\r\n", b"x")).unwrap();
        assert!(!image.is_html_page());
        let moved = parse_head(b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n").unwrap();
        assert!(!moved.is_html_page());
    }

    #[test]
    fn decodes_a_chunked_body() {
        let body = [
            b"5\r\n".as_slice(),
            &PAGE[..5],
            b"\r\n",
            format!("{:x}\r\n", PAGE.len() - 5).as_bytes(),
            &PAGE[5..],
            b"\r\n0\r\n\r\n",
        ]
        .concat();
        let block = response("Transfer-Encoding: chunked\r\n", &body);
        assert_eq!(decoded(&block), PAGE);
    }

    #[test]
    fn decodes_gzip_inside_chunks_and_brotli() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(PAGE).unwrap();
        let gz = gz.finish().unwrap();
        let chunked = [
            format!("{:x}\r\n", gz.len()).as_bytes(),
            &gz,
            b"\r\n0\r\n\r\n",
        ]
        .concat();
        let block = response(
            "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            &chunked,
        );
        assert_eq!(decoded(&block), PAGE);

        let br = {
            let mut out = Vec::new();
            let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            w.write_all(PAGE).unwrap();
            drop(w);
            out
        };
        assert_eq!(decoded(&response("Content-Encoding: br\r\n", &br)), PAGE);
    }

    #[test]
    fn a_payload_past_the_cap_is_refused() {
        let block = response("", &[b'a'; 100]);
        let head = parse_head(&block).unwrap();
        assert_eq!(payload(&block, &head, 99).unwrap(), None);
        assert_eq!(
            payload(&block, &head, 100).unwrap().map(|b| b.len()),
            Some(100)
        );
    }
}
