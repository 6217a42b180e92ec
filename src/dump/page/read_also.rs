//! The read-also section: the related items after `اقرأ أيضاً`, each a title
//! line, an optional dateline naming its source, and body lines.
//!
//! Inside the section labels mean nothing (each item is free text). Items
//! have no date of their own: the page's date is not theirs.

use super::{Paragraphs, ends_sentence};
use crate::dump::Item;

/// A line this short without a sentence end may be the next item's title.
const TITLE_UNDER: usize = 200;

/// A dateline names a source of at most this many words.
const SOURCE_WORDS: usize = 4;

/// Splits the lines after the label into items. `first_title` is the text
/// after the label's colon, which (when there is some) titles the first item.
pub(super) fn items(first_title: &str, lines: &[&str]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut current = (!first_title.is_empty()).then(|| Draft::new(first_title));
    let mut after_blank = false;
    for (n, &line) in lines.iter().enumerate() {
        if line.is_empty() {
            after_blank = true;
            continue;
        }
        let blank_before = std::mem::replace(&mut after_blank, false);
        let Some(item) = current.as_mut() else {
            current = Some(Draft::new(line));
            continue;
        };
        let after_title = std::mem::take(&mut item.expects_dateline);
        if let Some((source, rest)) = after_title.then(|| dateline(line)).flatten() {
            item.source = Some(source.to_string());
            if !rest.is_empty() {
                item.body.push(rest);
            }
            continue;
        }
        if starts_item(line, blank_before, &lines[n + 1..]) {
            items.extend(current.replace(Draft::new(line)).map(Draft::finish));
        } else {
            item.body.push(line);
        }
    }
    items.extend(current.map(Draft::finish));
    items
}

/// An item being read.
struct Draft {
    title: String,
    source: Option<String>,
    body: Paragraphs,
    /// True until the first line after the title has been seen.
    expects_dateline: bool,
}

impl Draft {
    fn new(title: &str) -> Self {
        Draft {
            title: title.to_string(),
            source: None,
            body: Paragraphs::default(),
            expects_dateline: true,
        }
    }

    fn finish(self) -> Item {
        Item {
            title: self.title,
            source: self.source,
            paragraphs: self.body.finish(),
        }
    }
}

/// A later line starts a new item when it looks like a title (short, no
/// sentence end) and either follows a blank line or is followed by a
/// dateline. A new item also ends the previous body, so a hard-wrapped line
/// is never joined to the next item's title.
fn starts_item(line: &str, after_blank: bool, rest: &[&str]) -> bool {
    if ends_sentence(line) || line.chars().count() >= TITLE_UNDER {
        return false;
    }
    after_blank
        || rest
            .iter()
            .find(|l| !l.is_empty())
            .is_some_and(|next| dateline(next).is_some())
}

/// The dateline at the start of `line`: its source and the text after it.
/// Forms: `<source> /..`, `<city> - <source>: text`, `<source> - text`.
/// The city of the second form is not kept: an item has no place for it.
pub(super) fn dateline(line: &str) -> Option<(&str, &str)> {
    slash_dateline(line).or_else(|| dash_dateline(line))
}

/// `الثورة نت /..` (the exporter's marker: a slash and two or more dots).
fn slash_dateline(line: &str) -> Option<(&str, &str)> {
    let slash = line.find('/')?;
    let after = line[slash + 1..].trim_start();
    let text = after.trim_start_matches('.');
    let source = line[..slash].trim();
    (after.len() - text.len() >= 2 && is_source(source)).then(|| (source, text.trim()))
}

/// `<source> - text` or `<city> - <source>: text`, at the first dash that
/// has a space (or the line end) after it.
fn dash_dateline(line: &str) -> Option<(&str, &str)> {
    let (left, right) = line.char_indices().find_map(|(at, c)| {
        let after = &line[at + c.len_utf8()..];
        let spaced = after.is_empty() || after.starts_with(char::is_whitespace);
        (matches!(c, '-' | '–' | '—') && spaced).then(|| (&line[..at], after))
    })?;
    let left = left.trim();
    if !is_source(left) {
        return None;
    }
    if let Some((source, text)) = right.split_once(':') {
        let source = source.trim();
        if is_source(source) {
            return Some((source, text.trim()));
        }
    }
    Some((left, right.trim()))
}

/// A name: one to four words, at least one letter, no colon.
fn is_source(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=SOURCE_WORDS).contains(&words)
        && text.chars().any(char::is_alphabetic)
        && !text.contains(':')
}
