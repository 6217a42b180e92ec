//! Bytes of an HTML page → text: the encoding named by a byte-order mark,
//! by the HTTP header, by `<meta charset>` in the first bytes, or guessed
//! from the content (chardetng), as browsers do.
//!
//! A declaration is believed unless the bytes contradict it: a page that
//! says UTF-8 but is not valid UTF-8, or says Latin-1 (old Arabic sites
//! often did, and meant Windows-1256), is read as its content suggests.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::dump::Reject;

/// How far into the page `<meta charset>` is looked for. The HTML standard
/// says 1024 bytes; real pages put long `<title>`s and scripts first.
const PRESCAN_BYTES: usize = 8 << 10;

/// Decodes `bytes`, given the charset the HTTP response named (if any).
pub fn decode_html(bytes: &[u8], http_charset: Option<&str>) -> Result<String, Reject> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok(text.into_owned());
    }
    if bytes.iter().take(PRESCAN_BYTES).any(|&b| b == 0) {
        return Err(Reject::Binary);
    }
    let declared = http_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]));
    let encoding = match declared {
        Some(enc) if enc == UTF_8 && std::str::from_utf8(bytes).is_err() => guess(bytes),
        Some(enc) if enc == WINDOWS_1252 => guess(bytes),
        Some(enc) => enc,
        None => guess(bytes),
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(text.into_owned())
}

/// The encoding the content looks like; UTF-8 when it is valid UTF-8.
fn guess(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, Utf8Detection::Allow)
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv content="…;
/// charset=…">` in `head` names, if any.
pub fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(start) = find(&lower[at..], b"<meta").map(|i| i + at) {
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |i| start + i);
        if let Some(encoding) = charset_in(&lower[start..end]) {
            // `for_label` maps UTF-16 labels to UTF-16, which a page read
            // as ASCII-compatible bytes cannot be: the standard says UTF-8.
            let is_utf16 = encoding.name().starts_with("UTF-16");
            return Some(if is_utf16 { UTF_8 } else { encoding });
        }
        at = end;
    }
    None
}

/// `charset=NAME` inside one (lowercased) meta tag.
fn charset_in(tag: &[u8]) -> Option<&'static Encoding> {
    let at = find(tag, b"charset")? + b"charset".len();
    let rest = &tag[at..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..len])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_6, WINDOWS_1256};

    const ARABIC: &str = "أعلنت وزارة الصحة إطلاق حملة وطنية للتطعيم ضد مرض الحصبة تبدأ الأحد المقبل";

    fn page(meta: &str) -> String {
        format!("<html><head>{meta}<title>خبر</title></head><body><p>{ARABIC}</p></body></html>")
    }

    #[test]
    fn reads_the_meta_charset_of_a_windows_1256_page() {
        let html =
            page(r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">"#);
        let (bytes, _, _) = WINDOWS_1256.encode(&html);
        assert_eq!(decode_html(&bytes, None).unwrap(), html);
    }

    #[test]
    fn reads_the_meta_charset_of_an_iso_8859_6_page() {
        let html = page(r#"<meta charset="ISO-8859-6">"#);
        let (bytes, _, _) = ISO_8859_6.encode(&html);
        assert_eq!(decode_html(&bytes, None).unwrap(), html);
    }

    #[test]
    fn guesses_windows_1256_from_the_content_when_nothing_is_declared() {
        let html = page("");
        let (bytes, _, _) = WINDOWS_1256.encode(&html);
        assert_eq!(decode_html(&bytes, None).unwrap(), html);
    }

    #[test]
    fn a_latin_1_declaration_over_arabic_bytes_is_not_believed() {
        let html = page(r#"<meta charset="iso-8859-1">"#);
        let (bytes, _, _) = WINDOWS_1256.encode(&html);
        assert_eq!(decode_html(&bytes, None).unwrap(), html);
    }

    #[test]
    fn the_http_charset_wins_over_the_meta_tag() {
        let html = page(r#"<meta charset="utf-8">"#);
        let (bytes, _, _) = WINDOWS_1256.encode(&html);
        assert_eq!(decode_html(&bytes, Some("windows-1256")).unwrap(), html);
    }

    #[test]
    fn a_utf8_bom_wins_over_everything() {
        let html = page(r#"<meta charset="windows-1256">"#);
        let bytes = [b"\xef\xbb\xbf".as_slice(), html.as_bytes()].concat();
        assert_eq!(decode_html(&bytes, Some("iso-8859-6")).unwrap(), html);
    }

    #[test]
    fn refuses_binary_content() {
        assert_eq!(
            decode_html(b"\x89PNG\r\n\x1a\n\0\0\0", None),
            Err(Reject::Binary)
        );
    }
}
