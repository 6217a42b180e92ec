//! Characters no text of the archive keeps: C0 control characters other
//! than tab and line feed, and the noncharacters U+FFFE and U+FFFF. None
//! is text a reader sees, and XML 1.0 forbids them, so one of them in a
//! title would make every feed and sitemap ill-formed. They are dropped;
//! carriage returns are line ends, so CRLF and CR become LF (`decode` has
//! already done that for page files; JSON strings may still hold them).

use std::borrow::Cow;

/// `text` without the characters the archive does not keep.
pub fn cleaned(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unwanted) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace("\r\n", "\n")
            .chars()
            .filter_map(|c| match c {
                '\r' => Some('\n'),
                c if unwanted(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Every string inside a JSON value, cleaned in place.
pub fn clean_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let Cow::Owned(clean) = cleaned(s) {
                *s = clean;
            }
        }
        serde_json::Value::Array(list) => list.iter_mut().for_each(clean_json),
        serde_json::Value::Object(map) => map.values_mut().for_each(clean_json),
        _ => {}
    }
}

fn unwanted(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_controls_xml_forbids_and_keeps_tabs_and_lines() {
        assert_eq!(cleaned("عنوان\u{1}\u{1f} خبر\u{FFFE}\u{FFFF}"), "عنوان خبر");
        assert_eq!(cleaned("a\tb\nc"), "a\tb\nc");
        assert_eq!(cleaned("a\u{0B}b\u{0C}c\u{7f}"), "abc\u{7f}");
        assert_eq!(cleaned("a\r\nb\rc"), "a\nb\nc");
        assert!(matches!(cleaned("نص عادي"), Cow::Borrowed(_)));
    }

    #[test]
    fn cleans_every_string_of_a_json_record() {
        let mut value = serde_json::json!({"title": "x\u{1}y", "body": ["a\u{FFFF}"], "n": 1});
        clean_json(&mut value);
        assert_eq!(
            value,
            serde_json::json!({"title": "xy", "body": ["a"], "n": 1})
        );
    }
}
