//! The normalizing tokenizer (spec §b N1–N4 and T): walks the original text one
//! combining sequence at a time, normalizes each sequence, and reports every token with
//! its normalized text and the byte range of the original sequences it came from.
//!
//! This is the hot loop of import, so the common case (ASCII or a basic Arabic letter,
//! optionally followed by harakat) never calls NFKC and nothing allocates per character.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::arabic::fold::{self, Class};

/// N2: U+FDFD has no NFKC mapping, so it is expanded by hand (CAMeL `normalize_unicode`).
const BASMALA: &str = "بسم الله الرحمن الرحيم";

/// Calls `emit(norm, start, end)` for every token of `text`, in order. `start..end` is
/// the UTF-8 byte range in `text` of the combining sequences that produced the token.
pub(crate) fn for_each_token(text: &str, emit: impl FnMut(&str, usize, usize)) {
    let mut sink = Sink {
        buf: String::with_capacity(32),
        start: 0,
        end: 0,
        emit,
    };
    let mut chars = text.char_indices().peekable();
    while let Some((start, first)) = chars.next() {
        // N1: a sequence is one character plus every directly following non-starter.
        let mut end = start + first.len_utf8();
        let mut inert = true;
        while let Some(&(at, mark)) = chars.peek() {
            if is_starter(mark) {
                break;
            }
            inert &= fold::is_inert_mark(mark);
            end = at + mark.len_utf8();
            chars.next();
        }
        if inert && (first.is_ascii() || fold::is_basic_arabic(first)) {
            // NFKC would return `first` unchanged and N6 deletes the inert marks.
            sink.feed(fold::class_fast(first), start, end);
        } else {
            normalize_sequence(&text[start..end], start, end, &mut sink);
        }
    }
    sink.flush();
}

/// True when `c` has canonical combining class 0, with the table lookup skipped for
/// the characters that dominate Arabic and Latin text.
#[inline]
fn is_starter(c: char) -> bool {
    (c as u32) < 0x0300 || fold::is_basic_arabic(c) || canonical_combining_class(c) == 0
}

/// N2–N4 for one sequence that needs the general path, then N5–N8 per character.
fn normalize_sequence<F: FnMut(&str, usize, usize)>(
    seq: &str,
    start: usize,
    end: usize,
    sink: &mut Sink<F>,
) {
    if let Some(marks) = seq.strip_prefix('\u{FDFD}') {
        let expanded = format!("{BASMALA}{marks}");
        feed_nfkc(&expanded, start, end, sink);
    } else {
        feed_nfkc(seq, start, end, sink);
    }
}

fn feed_nfkc<F: FnMut(&str, usize, usize)>(
    seq: &str,
    start: usize,
    end: usize,
    sink: &mut Sink<F>,
) {
    if is_nfkc_quick(seq.chars()) == IsNormalized::Yes {
        for c in seq.chars() {
            feed_lowercased(c, start, end, sink);
        }
    } else {
        for c in seq.chars().nfkc() {
            feed_lowercased(c, start, end, sink);
        }
    }
}

#[inline]
fn feed_lowercased<F: FnMut(&str, usize, usize)>(
    c: char,
    start: usize,
    end: usize,
    sink: &mut Sink<F>,
) {
    for lower in c.to_lowercase() {
        sink.feed(fold::class(lower), start, end);
    }
}

/// Accumulates token characters and hands each finished token to `emit`.
struct Sink<F> {
    buf: String,
    start: usize,
    end: usize,
    emit: F,
}

impl<F: FnMut(&str, usize, usize)> Sink<F> {
    #[inline]
    fn feed(&mut self, class: Class, start: usize, end: usize) {
        match class {
            Class::Drop => {}
            Class::Word(c) => {
                if self.buf.is_empty() {
                    self.start = start;
                }
                self.buf.push(c);
                self.end = end;
            }
            Class::Sep => self.flush(),
        }
    }

    #[inline]
    fn flush(&mut self) {
        if !self.buf.is_empty() {
            (self.emit)(&self.buf, self.start, self.end);
            self.buf.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        for_each_token(text, |n, s, e| out.push((n.to_owned(), s, e)));
        out
    }

    #[test]
    fn range_includes_trailing_harakat() {
        let text = "قال مُحَمَّدٌ";
        let t = tokens(text);
        assert_eq!(t[1].0, "محمد");
        assert_eq!(&text[t[1].1..t[1].2], "مُحَمَّدٌ");
    }

    #[test]
    fn zwnj_joins_the_word_and_the_range_spans_it() {
        let text = "عاص\u{200C}مة";
        assert_eq!(tokens(text), vec![("عاصمه".to_owned(), 0, text.len())]);
    }

    #[test]
    fn trailing_bidi_mark_stays_outside_the_range() {
        let text = "\u{200F}محمد\u{200E}";
        assert_eq!(tokens(text), vec![("محمد".to_owned(), 3, 11)]);
    }

    #[test]
    fn ligature_words_share_the_ligature_range() {
        let t = tokens("ﷺ");
        assert_eq!(t.len(), 4);
        assert!(t.iter().all(|(_, s, e)| (*s, *e) == (0, 3)));
    }

    #[test]
    fn decomposed_hamza_recomposes_before_folding() {
        assert_eq!(tokens("ري\u{0654}يس")[0].0, "رئيس");
        assert_eq!(tokens("ا\u{0655}براهيم")[0].0, "ابراهيم");
    }

    #[test]
    fn lone_leading_mark_produces_no_token() {
        assert!(tokens("\u{0651}\u{064E}").is_empty());
        assert_eq!(tokens("\u{0654}ب")[0].0, "ب");
    }
}
