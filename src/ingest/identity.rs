//! Article identity and the permalink id derived from it.
//!
//! Identity is the normalized title plus the first 300 characters of the
//! normalized body (`dump-format.md`, "Identity and permalinks"). The
//! source is left out on purpose: a read-also item often has none and must
//! meet its later full page. The permalink id is a hash of the identity
//! alone, so the same dumps imported in any order give the same URLs.

use sha2::{Digest, Sha256};

use crate::arabic;

/// Characters of normalized body text that take part in the identity.
const BODY_PREFIX_CHARS: usize = 300;

/// Length of a permalink id: 12 base32 characters carry 60 bits, so even
/// a million articles collide with odds of about one in two million.
const PERMALINK_LEN: usize = 12;

/// The identity text of an article.
pub fn identity_text(title: &str, paragraphs: &[String]) -> String {
    let mut text = arabic::normalize(title);
    text.push('\n');
    // Paragraphs are normalized one at a time, only until the prefix is
    // complete: no token spans two paragraphs, so this equals normalizing
    // the whole body and cutting it, at a fraction of the cost.
    let mut body = String::new();
    for paragraph in paragraphs {
        let normalized = arabic::normalize(paragraph);
        if normalized.is_empty() {
            continue;
        }
        if !body.is_empty() {
            body.push(' ');
        }
        body.push_str(&normalized);
        if body.chars().count() >= BODY_PREFIX_CHARS {
            break;
        }
    }
    text.extend(body.chars().take(BODY_PREFIX_CHARS));
    text
}

/// sha256 of the identity text: what the database keys articles by.
pub fn identity_hash(title: &str, paragraphs: &[String]) -> Vec<u8> {
    Sha256::digest(identity_text(title, paragraphs).as_bytes()).to_vec()
}

/// The public permalink id of an identity hash: lowercase RFC 4648
/// base32 (letters and 2–7), readable and safe in any URL.
pub fn permalink(identity: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut bits: u64 = 0;
    for byte in identity.iter().take(8) {
        bits = (bits << 8) | u64::from(*byte);
    }
    (0..PERMALINK_LEN)
        .map(|i| ALPHABET[((bits >> (59 - 5 * i)) & 31) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn identity_ignores_spelling_variants_and_harakat() {
        let a = identity_hash("أحمد يزور القاهرة", &paras(&["قال مُحَمَّد إنّ الزيارة ناجحة."]));
        let b = identity_hash("احمد يزور القاهره", &paras(&["قال محمد ان الزياره ناجحه"]));
        assert_eq!(a, b);
    }

    #[test]
    fn identity_uses_only_the_start_of_the_body() {
        let start = "كلمة ".repeat(80);
        let a = identity_hash("عنوان", &paras(&[&start, "نهاية أولى"]));
        let b = identity_hash("عنوان", &paras(&[&start, "نهاية مختلفة تماما"]));
        assert_eq!(a, b);
        let c = identity_hash("عنوان آخر", &paras(&[&start]));
        assert_ne!(a, c);
    }

    #[test]
    fn identity_prefix_equals_normalizing_the_whole_body() {
        let paragraphs = paras(&[
            "أَوّل فقرة، قصيرة.",
            "",
            &"ثانية طويلة جدا ".repeat(40),
            "ثالثة",
        ]);
        let whole = arabic::normalize(&paragraphs.join("\n"));
        let expected: String = whole.chars().take(BODY_PREFIX_CHARS).collect();
        assert_eq!(
            identity_text("عنوان", &paragraphs),
            format!("{}\n{expected}", arabic::normalize("عنوان"))
        );
    }

    #[test]
    fn permalink_is_twelve_url_safe_characters() {
        let id = permalink(&identity_hash("عنوان", &paras(&["نص"])));
        assert_eq!(id.len(), PERMALINK_LEN);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
        );
        assert_eq!(id, permalink(&identity_hash("عنوان", &paras(&["نص"]))));
    }
}
