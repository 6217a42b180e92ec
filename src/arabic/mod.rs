//! The Arabic text analyzer: one fold for indexing, querying, highlighting, similarity
//! and slugs (spec: shared/docs/arabic-text.md §b). Pure functions on strings — no I/O,
//! no language detection, so a word always analyzes the same way wherever it appears.
//!
//! Pipeline: combining sequences → U+FDFD pre-map → NFKC → lowercase → delete format
//! characters, marks and tatweel → fold letters and digits (N1–N8) → tokens of L/N/Co
//! characters (T) → Light10 stems with a protected list (K, S). Token offsets always
//! point into the original text, so search results can be highlighted as written.

mod fold;
mod highlight;
/// The Hijri (Umm al-Qura) calendar and its Arabic month names.
pub mod hijri;
/// Digits, grouping and the six CLDR plural categories of Arabic counts.
pub mod numbers;
mod scan;
mod slug;
mod snippet;
mod stem;
mod stopwords;

pub use highlight::{QueryTerms, highlight};
pub use slug::slug;
pub use snippet::snippet;
pub use stem::{query_variants, stem};
pub use stopwords::{is_stopword, stopwords};

/// Version of the analysis rules, stored with the search index. Bump it on any change
/// to a table or rule in this module: the index must then be rebuilt.
pub const ANALYZER_VERSION: &str = "1";

/// One word of a text: its normalized form, its stem, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word after N1–N8, e.g. `الرئيس` for `الرَّئِيسُ`.
    pub norm: String,
    /// The Light10 stem of `norm`, e.g. `رئيس`.
    pub stem: String,
    /// UTF-8 byte range in the original text, on combining-sequence boundaries;
    /// trailing harakat are included. Words of one ligature (ﷺ) share its range.
    pub start: usize,
    pub end: usize,
}

/// Every token of `text`, normalized and stemmed, with its original byte range.
pub fn analyze(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    scan::for_each_token(text, |norm, start, end| {
        let stem = stem::stem_str(norm).to_owned();
        tokens.push(Token {
            norm: norm.to_owned(),
            stem,
            start,
            end,
        });
    });
    tokens
}

/// The normalized tokens joined by single spaces (no stemming). Used for identity,
/// label and tag matching. Idempotent.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    scan::for_each_token(text, |norm, _, _| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(norm);
    });
    out
}

/// The normalized tokens of `text`, in order.
pub fn normalize_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    scan::for_each_token(text, |norm, _, _| words.push(norm.to_owned()));
    words
}

#[cfg(test)]
mod tests;
