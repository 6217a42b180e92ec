//! Label lines of a dump page (`تاريخ النشر: …`, `المصدر: …`, `كلمات دلالية: …`,
//! `اقرأ أيضاً:`): which family a line's start names, and which labels count.
//!
//! Labels are compared as Arabic-normalized words (`crate::arabic`), so hamza
//! and alef forms, tanween and other marks, tatweel and the spacing around the
//! colon do not matter. Whether a label counts also depends on the page so far
//! (a repeated label is body text), which [`LabelSet`] tracks.

use std::sync::LazyLock;

use crate::arabic;

/// The four label families a dump uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Date,
    Source,
    Tags,
    ReadAlso,
}

/// A line recognized as a label: its family and the text after the colon,
/// trimmed but otherwise as written (empty for a bare read-also label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelLine<'a> {
    pub label: Label,
    pub value: &'a str,
}

/// Every spelling the spec lists, per family. Variants that differ only in
/// hamza, tanween or tatweel are covered by normalization, not listed here.
const FAMILIES: [(Label, &[&str]); 4] = [
    (
        Label::Date,
        &["تاريخ النشر", "نشر بتاريخ", "نشر في", "بتاريخ"],
    ),
    (Label::Source, &["المصدر", "مصدر الخبر"]),
    (
        Label::Tags,
        &[
            "كلمات دلالية",
            "الكلمات الدلالية",
            "وسوم",
            "الوسوم",
            "كلمات مفتاحية",
        ],
    ),
    (
        Label::ReadAlso,
        &["إقرأ أيضاً", "اقرأ أيضا", "اقرأ كذلك", "شاهد أيضاً"],
    ),
];

/// A label head is a few words; anything longer before the colon is a
/// sentence, and is not worth normalizing to find out.
const MAX_HEAD_CHARS: usize = 40;

/// The families with each variant as normalized words, built once.
static NORMALIZED: LazyLock<Vec<(Label, Vec<Vec<String>>)>> = LazyLock::new(|| {
    FAMILIES
        .iter()
        .map(|(label, names)| {
            (
                *label,
                names.iter().map(|n| arabic::normalize_words(n)).collect(),
            )
        })
        .collect()
});

/// The family a line's start names, whatever the page around it: a label
/// head, then a colon (ASCII or full-width), then the value. Only the
/// read-also label may stand without a colon, as the whole line.
pub fn match_label(line: &str) -> Option<LabelLine<'_>> {
    let line = line.trim();
    if let Some((head, value)) = split_colon(line) {
        let label = family_of(head)?;
        return Some(LabelLine {
            label,
            value: value.trim(),
        });
    }
    match family_of(line)? {
        Label::ReadAlso => Some(LabelLine {
            label: Label::ReadAlso,
            value: "",
        }),
        _ => None,
    }
}

/// Splits at the first colon when what precedes it is short enough to be a
/// label head.
fn split_colon(line: &str) -> Option<(&str, &str)> {
    let (at, colon) = line
        .char_indices()
        .take(MAX_HEAD_CHARS + 1)
        .find(|(_, c)| matches!(c, ':' | '：' | '﹕'))?;
    Some((&line[..at], &line[at + colon.len_utf8()..]))
}

/// The family whose variant equals `head` word for word. The head must be
/// letters, marks and spaces only, so `- المصدر:` or `1. المصدر:` (text that
/// merely contains a label) stays body text.
fn family_of(head: &str) -> Option<Label> {
    if head.chars().count() > MAX_HEAD_CHARS || !head.chars().all(is_head_char) {
        return None;
    }
    let words = arabic::normalize_words(head);
    if words.is_empty() {
        return None;
    }
    NORMALIZED
        .iter()
        .find(|(_, variants)| variants.contains(&words))
        .map(|(label, _)| *label)
}

/// Letters (including tatweel and the harakat Rust counts as alphabetic),
/// combining marks, spaces and invisible format characters.
fn is_head_char(c: char) -> bool {
    c.is_alphabetic() || c.is_whitespace() || is_mark_or_format(c)
}

fn is_mark_or_format(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    matches!(
        get_general_category(c),
        G::NonspacingMark | G::EnclosingMark | G::SpacingMark | G::Format
    )
}

/// Which label families a page has already used, so that only the first of
/// each counts.
#[derive(Debug, Clone, Default)]
pub struct LabelSet {
    seen: Vec<Label>,
}

impl LabelSet {
    /// The label on this line if it counts here: it names a family not yet
    /// used, and (except read-also) its value has a letter or digit. Counting
    /// it marks its family as used. Anything else is body text: `None`.
    pub fn take<'a>(&mut self, line: &'a str) -> Option<LabelLine<'a>> {
        let found = match_label(line)?;
        if self.seen.contains(&found.label) {
            return None;
        }
        if found.label != Label::ReadAlso && arabic::normalize_words(found.value).is_empty() {
            return None;
        }
        self.seen.push(found.label);
        Some(found)
    }
}

#[cfg(test)]
mod tests;
