//! Behaviours of `decode`: encodings read, binary and undecodable refused.

use super::*;

const ARABIC: &str = "كيم جونج أون يستقبل لافروف في بيونغ يانغ";

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xff, 0xfe]
    } else {
        vec![0xfe, 0xff]
    };
    for unit in text.encode_utf16() {
        let pair = if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        };
        out.extend_from_slice(&pair);
    }
    out
}

#[test]
fn reads_utf8() {
    assert_eq!(decode(ARABIC.as_bytes()).unwrap(), ARABIC);
}

#[test]
fn removes_utf8_bom() {
    let bytes = [b"\xef\xbb\xbf".as_slice(), ARABIC.as_bytes()].concat();
    assert_eq!(decode(&bytes).unwrap(), ARABIC);
}

#[test]
fn reads_utf16_le_with_bom() {
    assert_eq!(decode(&utf16(ARABIC, true)).unwrap(), ARABIC);
}

#[test]
fn reads_utf16_be_with_bom() {
    assert_eq!(decode(&utf16(ARABIC, false)).unwrap(), ARABIC);
}

#[test]
fn utf16_line_ends_become_lf() {
    assert_eq!(decode(&utf16("عنوان\r\nنص", true)).unwrap(), "عنوان\nنص");
}

#[test]
fn reads_windows_1256_arabic() {
    let text = "عنوان الخبر\nتاريخ النشر: 13 يوليو 2025\nالمصدر: صدى البلد";
    let (bytes, _, unmappable) = WINDOWS_1256.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "test needs non-UTF-8 bytes"
    );
    assert_eq!(decode(&bytes).unwrap(), text);
}

#[test]
fn reads_windows_1256_arabic_quoting_latin_names() {
    let text = "قال وزير الخارجية الروسي سيرغي لافروف لوكالة Reuters إن الزيارة مهمة";
    let (bytes, _, _) = WINDOWS_1256.encode(text);
    assert_eq!(decode(&bytes).unwrap(), text);
}

#[test]
fn turns_crlf_into_lf() {
    assert_eq!(decode(b"a\r\nb\r\n").unwrap(), "a\nb\n");
}

#[test]
fn turns_lone_cr_into_lf() {
    assert_eq!(decode(b"a\rb\r\nc").unwrap(), "a\nb\nc");
}

#[test]
fn rejects_latin1_french_as_undecodable() {
    // "Le président a été reçu à l'Élysée" in Latin-1: not UTF-8, and its
    // 1256 reading is Latin letters.
    let bytes = b"Le pr\xe9sident a \xe9t\xe9 re\xe7u \xe0 l'\xc9lys\xe9e, o\xf9 il a d\xeen\xe9.";
    assert_eq!(decode(bytes), Err(Reject::Undecodable));
}

#[test]
fn rejects_utf16_with_unpaired_surrogate_as_undecodable() {
    assert_eq!(
        decode(&[0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]),
        Err(Reject::Undecodable)
    );
}

#[test]
fn rejects_nul_byte_as_binary() {
    assert_eq!(decode(b"title\nbody\0more"), Err(Reject::Binary));
}

#[test]
fn rejects_nul_character_in_utf16_as_binary() {
    assert_eq!(decode(&utf16("abc\0def", true)), Err(Reject::Binary));
}

#[test]
fn rejects_known_file_signatures_as_binary() {
    let samples: &[&[u8]] = &[
        b"%PDF-1.7\n%text-looking header\n",
        b"\x89PNG\r\n\x1a\nrest",
        b"\xff\xd8\xff\xe0 JFIF",
        b"GIF89a rest",
        b"PK\x03\x04 docx or zip",
        b"\x1f\x8b\x08 gzip",
        b"BZh91AY&SY bzip2",
        b"7z\xbc\xaf\x27\x1c 7z",
        b"Rar!\x1a\x07\x01 rar",
        b"\x7fELF binary",
        b"SQLite format 3\0",
        b"RIFF\x24\x10\x01\x01WEBPVP8 ",
        b"\x01\x02\x03\x04ftypisom",
        b"OggS\0\x02",
    ];
    for sample in samples {
        assert_eq!(decode(sample), Err(Reject::Binary), "{sample:?}");
    }
}

#[test]
fn rejects_pe_executable_as_binary() {
    let mut exe = b"MZ\x90\x00\x03".to_vec();
    exe.resize(128, b'x');
    assert_eq!(decode(&exe), Err(Reject::Binary));
}

#[test]
fn keeps_text_that_merely_starts_like_a_signature() {
    assert_eq!(
        decode(b"BZh is a word\nMZ too").unwrap(),
        "BZh is a word\nMZ too"
    );
}

#[test]
fn rejects_over_one_percent_control_characters() {
    let mut text = "a".repeat(98).into_bytes();
    text.extend_from_slice(b"\x01\x02");
    assert_eq!(decode(&text), Err(Reject::Binary));
}

#[test]
fn accepts_one_percent_control_characters_and_tabs_and_form_feeds() {
    let mut text = "a\t\x0c".repeat(33).into_bytes();
    text.push(b'\x1b');
    assert!(decode(&text).is_ok());
}

#[test]
fn rejects_empty_file() {
    assert_eq!(decode(b""), Err(Reject::Empty));
    assert_eq!(decode(b"\xef\xbb\xbf"), Err(Reject::Empty));
}

#[test]
fn rejects_whitespace_only_file() {
    assert_eq!(decode(b" \r\n\t\n  "), Err(Reject::Empty));
    assert_eq!(decode(&utf16(" \n ", false)), Err(Reject::Empty));
}

#[test]
fn accepts_lines_up_to_the_limit() {
    assert_eq!(check_line_lengths("abc\nde", 3), Ok(()));
}

#[test]
fn rejects_line_over_the_limit_naming_it() {
    assert_eq!(
        check_line_lengths("ok\nتاريخ\nok", 5),
        Err(Reject::LineTooLong {
            line: 2,
            len: 10,
            limit: 5
        })
    );
}
