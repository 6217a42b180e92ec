//! Light10 stemming with a protected-word list (spec §b K and S, Lucene `ArabicStemmer`
//! semantics) and the query-time variants Q that cover Light10's systematic misses.
//!
//! Every stage only removes a prefix or suffix, so stems are borrowed slices of the
//! normalized token: stemming allocates nothing on the indexing path.

/// K: tokens that are never stemmed, as normalized forms. Light10 alone turns الله into
/// له, which collides with the very common له. Grow this from query logs, and bump
/// `ANALYZER_VERSION` when you do.
const PROTECTED: &[&str] = &["الله"];

/// Light10 prefixes in the order tried; at most one is removed. Pairs are
/// (prefix, length in characters).
const PREFIXES: [(&str, usize); 7] = [
    ("ال", 2),
    ("وال", 3),
    ("بال", 3),
    ("كال", 3),
    ("فال", 3),
    ("لل", 2),
    ("و", 1),
];

/// Light10 suffixes, walked once in this order; every one that matches is removed.
const SUFFIXES: [(&str, usize); 10] = [
    ("ها", 2),
    ("ان", 2),
    ("ات", 2),
    ("ون", 2),
    ("ين", 2),
    ("يه", 2),
    ("ية", 2),
    ("ه", 1),
    ("ة", 1),
    ("ي", 1),
];

/// Stem of an already-normalized token: K, then Light10 (spec §b S).
pub fn stem(norm: &str) -> String {
    stem_str(norm).to_owned()
}

/// `stem` without the allocation: the stem is always a slice of `norm`.
pub(crate) fn stem_str(norm: &str) -> &str {
    if is_protected(norm) {
        return norm;
    }
    let unprefixed = prefix_stage(norm);
    if is_protected(unprefixed) {
        return unprefixed;
    }
    suffix_stage(unprefixed)
}

/// Q: the stems to search on the stem columns for one normalized query word,
/// deduplicated, the normal stem first. Empty for an empty word.
pub fn query_variants(norm: &str) -> Vec<String> {
    if norm.is_empty() {
        return Vec::new();
    }
    if is_protected(norm) {
        return vec![norm.to_owned()];
    }
    let p = prefix_stage(norm);
    if is_protected(p) {
        return vec![p.to_owned()];
    }
    // 1. the normal stem; 2. the unsuffixed form (nisba/plural documents keep ان/ين);
    // 3. what a document holding the bare word p was indexed as.
    let mut variants = vec![suffix_stage(p), p, stem_str(p)];
    // 4. the reading where a leading و is a root letter (وزير).
    if norm.strip_prefix('و') == Some(p) {
        variants.push(suffix_stage(norm));
    }
    let mut out: Vec<String> = Vec::with_capacity(variants.len());
    for v in variants {
        if !out.iter().any(|seen| seen == v) {
            out.push(v.to_owned());
        }
    }
    out
}

fn is_protected(word: &str) -> bool {
    PROTECTED.contains(&word)
}

/// Removes the first matching Light10 prefix, if the length guard allows it:
/// single-letter و needs a word of 4+ characters, the others leave 2+ characters.
fn prefix_stage(word: &str) -> &str {
    let len = word.chars().count();
    for (prefix, plen) in PREFIXES {
        let long_enough = if plen == 1 { len >= 4 } else { len >= plen + 2 };
        // (no let-chains: the crate's MSRV is 1.85)
        match word.strip_prefix(prefix) {
            Some(rest) if long_enough => return rest,
            _ => {}
        }
    }
    word
}

/// Removes, in list order, every Light10 suffix that matches and leaves 2+ characters.
fn suffix_stage(word: &str) -> &str {
    let mut len = word.chars().count();
    let mut rest = word;
    for (suffix, slen) in SUFFIXES {
        match rest.strip_suffix(suffix) {
            Some(shorter) if len >= slen + 2 => {
                rest = shorter;
                len -= slen;
            }
            _ => {}
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_one_prefix_then_every_matching_suffix() {
        assert_eq!(stem("وساهدون"), "ساهد");
        assert_eq!(stem("ساهدهات"), "ساهد");
        assert_eq!(stem("والحكومه"), "حكوم");
    }

    #[test]
    fn protected_word_is_kept_whole_and_after_prefix_removal() {
        assert_eq!(stem("الله"), "الله");
        assert_eq!(stem("والله"), "له"); // وال leaves له, which is not protected
    }

    #[test]
    fn short_words_keep_their_affixes() {
        assert_eq!(stem("الو"), "الو");
        assert_eq!(stem("وزن"), "وزن");
        assert_eq!(stem("له"), "له");
    }

    #[test]
    fn non_arabic_tokens_pass_through() {
        assert_eq!(stem("english"), "english");
        assert_eq!(stem("2024"), "2024");
    }

    #[test]
    fn protected_query_word_has_a_single_variant() {
        assert_eq!(query_variants("الله"), vec!["الله"]);
        assert!(query_variants("").is_empty());
    }
}
