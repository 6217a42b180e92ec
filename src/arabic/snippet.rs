//! Search-result snippets (spec §c): the window of about `max_chars` characters holding
//! the most distinct matched query words (the idea of FTS5 `snippet()`), starting a few
//! words before its first match, widened to whitespace, HTML-escaped, with `<mark>`s and
//! "…" where the text was cut.

use unicode_normalization::char::canonical_combining_class;

use crate::arabic::QueryTerms;
use crate::arabic::highlight::{Matched, matched_ranges, write_marked};

/// How far (in characters) a window edge may move to reach whitespace before it
/// settles for a combining-sequence boundary instead (text without spaces).
const WIDEN_LIMIT: usize = 30;

/// Words of context a snippet shows before its first match, and the most characters
/// they may take: a phone shows about 45 characters a line, so the highlight stays in
/// the first line or two that a clamped card shows.
const LEAD_WORDS: usize = 4;
const LEAD_CHARS: usize = 40;

/// A matching token, in character positions of the original text.
struct Hit {
    start: usize,
    end: usize,
    words: u64,
}

/// HTML-escaped window of `text` around the best cluster of matches, starting a few
/// words before its first match (so the highlight shows in the first line of a clamped
/// card); the start of the text when nothing matches.
pub fn snippet(text: &str, terms: &QueryTerms, max_chars: usize) -> String {
    let matched = terms.matches_in(text);
    let hits = hits_in_chars(text, &matched);
    let total = text.chars().count();
    let (from, to) = if hits.is_empty() {
        widen(text, 0, byte_at_char(text, max_chars.min(total)))
    } else {
        let (first, last) = best_cluster(&hits, max_chars);
        let from = lead_start(text, byte_at_char(text, first));
        let from_char = first - text[from..byte_at_char(text, first)].chars().count();
        let end = (from_char + max_chars).max(last).min(total);
        widen(text, from, byte_at_char(text, end))
    };
    let mut out = String::with_capacity((to - from) + 64);
    if text[..from].chars().any(|c| !c.is_whitespace()) {
        out.push('…');
    }
    write_marked(&mut out, text, from, to, &matched_ranges(&matched));
    if text[to..].chars().any(|c| !c.is_whitespace()) {
        out.push('…');
    }
    out
}

/// The matching tokens with character positions. Token starts and ends never go
/// backwards, so one forward-moving counter per edge suffices.
fn hits_in_chars(text: &str, matched: &[Matched]) -> Vec<Hit> {
    let (mut starts, mut ends) = (CharCounter::default(), CharCounter::default());
    matched
        .iter()
        .map(|m| Hit {
            start: starts.char_index(text, m.start),
            end: ends.char_index(text, m.end),
            words: m.mask,
        })
        .collect()
}

/// The character span `[first, last)` of the hits that fit in `max` characters (or one
/// hit, if a hit alone is longer) with the most distinct query words, then the most
/// hits, earliest first.
fn best_cluster(hits: &[Hit], max: usize) -> (usize, usize) {
    let (mut best, mut best_score) = ((0, 1), (0, 0));
    for i in 0..hits.len() {
        let (mut words, mut j) = (0u64, i);
        while j < hits.len() && (j == i || hits[j].end - hits[i].start <= max) {
            words |= hits[j].words;
            j += 1;
        }
        let score = (words.count_ones(), j - i);
        if score > best_score {
            (best, best_score) = ((i, j), score);
        }
    }
    (
        hits[best.0].start,
        hits[best.1 - 1].end.max(hits[best.0].end),
    )
}

/// Where a snippet whose first match starts at byte `hit` begins: at the start of a
/// word at most [`LEAD_WORDS`] words and [`LEAD_CHARS`] characters before it (the
/// text's start when that is closer; the hit itself when no word boundary is near).
fn lead_start(text: &str, hit: usize) -> usize {
    let mut start = hit;
    let (mut words, mut in_word) = (0, false);
    for (walked, (i, c)) in text[..hit].char_indices().rev().enumerate() {
        if walked >= LEAD_CHARS {
            return start;
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                start = i + c.len_utf8();
                if words == LEAD_WORDS {
                    return start;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    0
}

/// Moves `from` back and `to` forward to whitespace (within `WIDEN_LIMIT`), or else to
/// a combining-sequence boundary, then trims whitespace off both ends.
fn widen(text: &str, from: usize, to: usize) -> (usize, usize) {
    let start = widen_start(text, from);
    let end = widen_end(text, to).max(start);
    let inner = &text[start..end];
    let mut start = start + (inner.len() - inner.trim_start().len());
    // Marks after a trimmed space belong to the space's sequence: drop them too.
    while let Some(c) = text[start..end].chars().next().filter(|c| !is_starter(*c)) {
        start += c.len_utf8();
    }
    let end = start + text[start..end].trim_end().len();
    (start, end)
}

fn widen_start(text: &str, from: usize) -> usize {
    if text[from..].starts_with(char::is_whitespace) {
        return from;
    }
    let before = &text[..from];
    let mut scanned = 0;
    for (i, c) in before.char_indices().rev().take(WIDEN_LIMIT) {
        if c.is_whitespace() {
            return i + c.len_utf8();
        }
        scanned += 1;
    }
    if scanned < WIDEN_LIMIT {
        return 0;
    }
    // No whitespace nearby: back up to the start of the combining sequence.
    let mut at = from;
    while at > 0 && text[at..].chars().next().is_some_and(|c| !is_starter(c)) {
        at -= text[..at].chars().next_back().map_or(1, char::len_utf8);
    }
    at
}

fn widen_end(text: &str, to: usize) -> usize {
    let after = &text[to..];
    for (i, c) in after.char_indices().take(WIDEN_LIMIT) {
        if c.is_whitespace() {
            return to + i;
        }
    }
    if after.chars().nth(WIDEN_LIMIT).is_none() {
        return text.len();
    }
    // No whitespace nearby: run on to the end of the combining sequence.
    let mut at = to;
    while let Some(c) = text[at..].chars().next().filter(|c| !is_starter(*c)) {
        at += c.len_utf8();
    }
    at
}

fn is_starter(c: char) -> bool {
    canonical_combining_class(c) == 0
}

/// Byte offset of the `n`th character (the text's length when there are fewer).
fn byte_at_char(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

/// Converts byte offsets to character indices, counting forward from the last query.
#[derive(Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    fn char_index(&mut self, text: &str, byte: usize) -> usize {
        if byte < self.byte {
            *self = CharCounter::default(); // never expected; stay correct anyway
        }
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(query: &str) -> QueryTerms {
        QueryTerms::from_query(query)
    }

    #[test]
    fn short_text_is_returned_whole_with_marks() {
        assert_eq!(
            snippet("قال الوزير أمس", &q("وزير"), 80),
            "قال <mark>الوزير</mark> أمس"
        );
    }

    #[test]
    fn no_match_gives_the_start_cut_at_whitespace() {
        let text = "كلمة ".repeat(40);
        let s = snippet(&text, &q("غائب"), 20);
        assert!(s.starts_with("كلمة كلمة"));
        assert!(s.ends_with("كلمة…"));
        assert!(!s.contains("<mark>"));
    }

    #[test]
    fn prefers_the_window_with_more_distinct_query_words() {
        let filler = "نص ".repeat(50);
        let text = format!("الوزير {filler} الوزير الإيراني في طهران {filler}");
        let s = snippet(&text, &q("الوزير طهران"), 40);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(
            s.contains("<mark>طهران</mark>") && s.contains("<mark>الوزير</mark>"),
            "{s}"
        );
    }

    /// Characters before the first `<mark>` (the "…" included).
    fn lead_chars(s: &str) -> usize {
        s[..s.find("<mark>").expect("a mark")].chars().count()
    }

    #[test]
    fn starts_a_few_words_before_the_first_match() {
        let before = "كلمة ".repeat(60);
        let after = " نص".repeat(80);
        let text = format!("{before}الوزير{after}");
        let s = snippet(&text, &q("وزير"), 240);
        assert!(s.starts_with("…كلمة كلمة كلمة كلمة <mark>"), "{s}");
        assert!(lead_chars(&s) < 60, "{s}");
        assert!(
            s.chars().count() > 200,
            "the rest of the room goes after it: {s}"
        );
    }

    #[test]
    fn a_match_near_the_end_still_leads_the_snippet() {
        // Filling the window backwards used to put this match near the end.
        let long_words = "استراتيجيات ".repeat(40);
        let text = format!("{long_words}وقال الوزير أمس");
        let s = snippet(&text, &q("وزير"), 240);
        assert!(lead_chars(&s) < 60, "{s}");
        assert!(s.ends_with("أمس"), "{s}");
    }

    #[test]
    fn long_words_before_the_match_are_cut_to_the_limit() {
        let text = format!(
            "{} المؤتمر {}",
            "تتتتتتتتتتتتتتتتتتتت ".repeat(10),
            "نص ".repeat(99)
        );
        let s = snippet(&text, &q("المؤتمر"), 240);
        assert!(lead_chars(&s) <= LEAD_CHARS + 1, "{s}");
        assert!(s.starts_with('…'), "{s}");
    }

    #[test]
    fn keeps_harakat_inside_the_mark() {
        let s = snippet("اجتمع وزيرُ الخارجية", &q("وزير"), 10);
        assert!(s.contains("<mark>وزيرُ</mark>"), "{s}");
    }

    #[test]
    fn text_without_spaces_is_cut_on_sequence_boundaries() {
        let text = "بَ".repeat(200);
        let s = snippet(&text, &q("غائب"), 50);
        let body = s.trim_end_matches('…');
        assert!(
            body.chars().count() >= 50 && body.ends_with('\u{064E}'),
            "{s}"
        );
    }
}
