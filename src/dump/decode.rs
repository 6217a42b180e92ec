//! Bytes of one page → text: refuse binary content first, then read UTF-8
//! (BOM or not), UTF-16 with a BOM, or Windows-1256 Arabic, and hand back
//! the text with LF line ends, no BOM and no control characters but tabs.

use super::Reject;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1256};

/// Magic numbers of formats people upload by mistake, each at offset 0
/// unless its entry says otherwise. Entries made only of printable ASCII
/// are long or end in a NUL, so a text page cannot start with one by chance.
const SIGNATURES: &[(usize, &[u8])] = &[
    (0, b"%PDF-"),
    (0, b"\x89PNG\r\n\x1a\n"),
    (0, b"\xff\xd8\xff"),
    (0, b"GIF87a"),
    (0, b"GIF89a"),
    (0, b"PK\x03\x04"), // zip, docx, xlsx, epub, odt
    (0, b"PK\x05\x06"), // empty zip
    (0, b"\x1f\x8b"),   // gzip
    (0, b"7z\xbc\xaf\x27\x1c"),
    (0, b"Rar!\x1a\x07"),
    (0, b"\x7fELF"),
    (0, b"SQLite format 3\0"),
    (0, b"OggS\0"),
    (0, b"\xfd7zXZ\0"),                       // xz
    (0, b"\x28\xb5\x2f\xfd"),                 // zstd
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), // old Office (doc, xls)
    (0, b"\x1a\x45\xdf\xa3"),                 // Matroska, WebM
    (0, b"\0asm"),                            // WebAssembly
    (0, b"\xca\xfe\xba\xbe"),                 // Java class, Mach-O fat
    (0, b"\xcf\xfa\xed\xfe"),                 // Mach-O 64
    (0, b"II*\0"),                            // TIFF
    (0, b"MM\0*"),
    (0, b"ID3\x03\0"), // MP3
    (0, b"ID3\x04\0"),
    (4, b"ftyp"), // MP4, MOV, HEIC, AVIF
];

/// Decodes one page's bytes, or says why it cannot be read as text.
///
/// Binary detection comes first (a NUL byte outside UTF-16, a known file
/// signature, over 1% control characters), then the encoding: UTF-8, UTF-16
/// with a BOM, else Windows-1256 when that reading is mostly Arabic letters.
/// CRLF and lone CR become LF; the BOM and the control characters of
/// [`super::controls`] are removed.
pub fn decode(bytes: &[u8]) -> Result<String, Reject> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        utf16(rest, UTF_16LE)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        utf16(rest, UTF_16BE)?
    } else {
        single_byte_family(bytes)?
    };
    let text = super::controls::cleaned(&unify_line_ends(&text)).into_owned();
    if text.trim().is_empty() {
        return Err(Reject::Empty);
    }
    Ok(text)
}

/// UTF-16 with its BOM already stripped. NUL bytes are normal here, so the
/// binary check runs on the decoded characters instead.
fn utf16(rest: &[u8], encoding: &'static Encoding) -> Result<String, Reject> {
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(rest)
        .ok_or(Reject::Undecodable)?;
    if text.contains('\0') || too_many_controls(&text) {
        return Err(Reject::Binary);
    }
    Ok(text.into_owned())
}

/// UTF-8 (BOM or not), else Windows-1256.
fn single_byte_family(bytes: &[u8]) -> Result<String, Reject> {
    if bytes.contains(&0) || has_signature(bytes) {
        return Err(Reject::Binary);
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        if too_many_controls(text) {
            return Err(Reject::Binary);
        }
        return Ok(text.to_owned());
    }
    // Windows-1256 maps every byte to some character, so any input
    // "decodes"; only a reading that looks like Arabic is believed.
    let (text, _) = WINDOWS_1256.decode_without_bom_handling(body);
    if too_many_controls(&text) {
        return Err(Reject::Binary);
    }
    if text.trim().is_empty() {
        return Err(Reject::Empty);
    }
    if !mostly_arabic(&text) {
        return Err(Reject::Undecodable);
    }
    Ok(text.into_owned())
}

fn has_signature(bytes: &[u8]) -> bool {
    let at = |offset: usize, sig: &[u8]| bytes.get(offset..).is_some_and(|b| b.starts_with(sig));
    SIGNATURES.iter().any(|&(offset, sig)| at(offset, sig)) || riff_media(bytes) || bzip2(bytes)
}

/// RIFF containers (WebP, WAV, AVI): `RIFF`, a 4-byte size, then the type.
fn riff_media(bytes: &[u8]) -> bool {
    bytes.starts_with(b"RIFF")
        && bytes
            .get(8..12)
            .is_some_and(|t| [b"WEBP", b"WAVE", b"AVI "].iter().any(|k| t == *k))
}

/// `BZh` alone is ordinary text; a real bzip2 stream follows it with a
/// level digit and a block (or end-of-stream) magic.
fn bzip2(bytes: &[u8]) -> bool {
    bytes.starts_with(b"BZh")
        && bytes.get(3).is_some_and(|d| (b'1'..=b'9').contains(d))
        && bytes
            .get(4..10)
            .is_some_and(|m| m == b"1AY&SY" || m == b"\x17rE8P\x90")
}

/// Over 1% control characters (C0, DEL, C1), not counting tab, LF, CR, FF.
fn too_many_controls(text: &str) -> bool {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            controls += 1;
        }
    }
    controls * 100 > total
}

/// More than half of the letters are Arabic. Arabic news quotes Latin
/// names and URLs, but a Latin-1 or other legacy text read as 1256 keeps
/// mostly Latin letters (1256 keeps the French accented ones).
fn mostly_arabic(text: &str) -> bool {
    let (mut letters, mut arabic) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_arabic(c) {
            arabic += 1;
        }
    }
    arabic > 0 && arabic * 2 > letters
}

fn is_arabic(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// CRLF and lone CR → LF.
fn unify_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Refuses text with a line longer than `max` bytes (LF-separated, after
/// [`decode`]); the error names the first such line, 1-based.
pub fn check_line_lengths(text: &str, max: usize) -> Result<(), Reject> {
    match text.split('\n').enumerate().find(|(_, l)| l.len() > max) {
        Some((i, line)) => Err(Reject::LineTooLong {
            line: i + 1,
            len: line.len(),
            limit: max,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
