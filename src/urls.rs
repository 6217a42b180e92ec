//! The shapes of the archive's URLs, in one place: pages, feeds, the
//! sitemap, the export and the API all link the same way.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters escaped in a path segment: everything but unreserved ASCII.
/// Arabic letters are percent-encoded UTF-8, as Wikipedia does.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Root-relative permalink of an article, its slug as raw UTF-8 (the export
/// form; browsers and the router accept it as well as the encoded form).
pub fn article(permalink: &str, slug: &str) -> String {
    format!("/a/{permalink}/{slug}")
}

/// The same permalink with the slug percent-encoded, for HTTP headers
/// (`Location`) and XML where only ASCII is safe.
pub fn article_encoded(permalink: &str, slug: &str) -> String {
    format!("/a/{permalink}/{}", segment(slug))
}

/// The story page of the cluster `permalink`'s article belongs to (any
/// member's permalink names the same story, so links never go stale when
/// clusters merge).
pub fn story(permalink: &str) -> String {
    format!("/stories/{permalink}")
}

pub fn source(name: &str) -> String {
    format!("/sources/{}", segment(name))
}

pub fn tag(name: &str) -> String {
    format!("/tags/{}", segment(name))
}

/// Percent-encodes a query-string value.
pub fn query_value(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Percent-encodes one path segment.
pub fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_arabic_names_as_utf8_percent_escapes() {
        assert_eq!(tag("موسكو"), "/tags/%D9%85%D9%88%D8%B3%D9%83%D9%88");
        assert_eq!(source("a b/c"), "/sources/a%20b%2Fc");
    }

    #[test]
    fn keeps_raw_slug_in_export_form() {
        assert_eq!(article("abc", "مرحبا-بكم"), "/a/abc/مرحبا-بكم");
        assert_eq!(article_encoded("abc", "ab-c"), "/a/abc/ab-c");
    }
}
