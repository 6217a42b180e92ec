//! Search highlighting on the original text (spec §c): which tokens match a query, and
//! the HTML-escaped text with `<mark>` around them. Marks use the analyzer's byte
//! ranges, so a word keeps its own harakat and no combining sequence is ever split.

use crate::arabic::scan::for_each_token;
use crate::arabic::stem::stem_str;
use crate::arabic::{Token, normalize_words, query_variants};

/// A search query ready for matching: its normalized words and their Q-variants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryTerms {
    words: Vec<QueryWord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct QueryWord {
    norm: String,
    variants: Vec<String>,
}

impl QueryTerms {
    /// Builds the terms from the query's normalized words. Each entry is passed through
    /// the normalizer again (a no-op on normalized words), so raw words are also safe;
    /// duplicate words are kept once.
    pub fn from_words(norms: &[String]) -> Self {
        let mut words: Vec<QueryWord> = Vec::new();
        for norm in norms.iter().flat_map(|w| normalize_words(w)) {
            if !words.iter().any(|w| w.norm == norm) {
                let variants = query_variants(&norm);
                words.push(QueryWord { norm, variants });
            }
        }
        QueryTerms { words }
    }

    /// Builds the terms from a raw query string.
    pub fn from_query(query: &str) -> Self {
        Self::from_words(&normalize_words(query))
    }

    /// True when the query has no words (nothing can match).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The query's normalized words, in query order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| w.norm.as_str())
    }

    /// True if the token's stem is among the query's variants or its norm is a query word.
    pub fn matches(&self, token: &Token) -> bool {
        self.words
            .iter()
            .any(|w| w.matches(&token.norm, &token.stem))
    }

    /// One bit per query word a token (its normalized form and stem) matches
    /// (words past the 64th share the last bit), so a snippet can count
    /// distinct matched words.
    fn mask_of(&self, norm: &str, stem: &str) -> u64 {
        self.words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.matches(norm, stem))
            .fold(0, |mask, (i, _)| mask | 1 << i.min(63))
    }

    /// The matching tokens of `text` in order: byte range and
    /// [`Self::mask_of`]. Tokens are looked at in place, without keeping
    /// them (snippets and highlights run this over every hit's body).
    pub(crate) fn matches_in(&self, text: &str) -> Vec<Matched> {
        let mut found = Vec::new();
        for_each_token(text, |norm, start, end| {
            let mask = self.mask_of(norm, stem_str(norm));
            if mask != 0 {
                found.push(Matched { start, end, mask });
            }
        });
        found
    }
}

/// A token that matches the query: its byte range in the original text and
/// which query words it matches (one bit each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Matched {
    pub start: usize,
    pub end: usize,
    pub mask: u64,
}

impl QueryWord {
    fn matches(&self, norm: &str, stem: &str) -> bool {
        norm == self.norm || self.variants.iter().any(|v| v == stem)
    }
}

/// The whole text, HTML-escaped, with `<mark>…</mark>` around every matching token.
pub fn highlight(text: &str, terms: &QueryTerms) -> String {
    let ranges = matched_ranges(&terms.matches_in(text));
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    write_marked(&mut out, text, 0, text.len(), &ranges);
    out
}

/// Byte ranges of the matching tokens, sorted, with overlapping or touching ranges
/// merged (the words of one ligature share a range).
pub(crate) fn matched_ranges(matched: &[Matched]) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for token in matched {
        match ranges.last_mut() {
            Some(last) if token.start <= last.1 => last.1 = last.1.max(token.end),
            _ => ranges.push((token.start, token.end)),
        }
    }
    ranges
}

/// Appends `text[from..to]` HTML-escaped, wrapping the parts covered by the sorted,
/// disjoint `marks` in `<mark>`. Marks are clipped to the window.
pub(crate) fn write_marked(
    out: &mut String,
    text: &str,
    from: usize,
    to: usize,
    marks: &[(usize, usize)],
) {
    let mut at = from;
    for &(start, end) in marks {
        let (start, end) = (start.max(at), end.min(to));
        if start >= end {
            continue;
        }
        escape_into(out, &text[at..start]);
        out.push_str("<mark>");
        escape_into(out, &text[start..end]);
        out.push_str("</mark>");
        at = end;
    }
    escape_into(out, &text[at..to]);
}

/// Escapes the five HTML-significant characters `& < > " '`.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::analyze;

    fn terms(q: &str) -> QueryTerms {
        QueryTerms::from_query(q)
    }

    #[test]
    fn escapes_html_outside_and_inside_marks() {
        let out = highlight("<b>\"وزير\" & 'x'</b>", &terms("وزير"));
        assert_eq!(
            out,
            "&lt;b&gt;&quot;<mark>وزير</mark>&quot; &amp; &#39;x&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn ligature_words_get_one_mark() {
        assert_eq!(highlight("قال ﷺ", &terms("الله")), "قال <mark>ﷺ</mark>");
    }

    #[test]
    fn empty_query_marks_nothing() {
        assert_eq!(highlight("وزير", &QueryTerms::default()), "وزير");
        assert!(terms("، ؟").is_empty());
    }

    #[test]
    fn exact_norm_matches_even_when_stems_differ() {
        let t = terms("والله");
        assert!(t.matches(&analyze("والله")[0]));
        assert!(!t.matches(&analyze("الله")[0]));
    }

    #[test]
    fn from_words_renormalizes_and_deduplicates() {
        let t = QueryTerms::from_words(&["أحمد".into(), "احمد".into()]);
        assert_eq!(t.words().collect::<Vec<_>>(), vec!["احمد"]);
    }
}
