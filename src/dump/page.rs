//! The page parser: the text of one dump page in, a [`Page`] out.
//!
//! A page is a title line, label lines (date, source, tags), body lines and
//! an optional read-also section of related items (see `read_also`). Every
//! line that is not a title, a counting label or a dateline is body text:
//! nothing in a dump is dropped.

mod read_also;

use super::labels::{Label, LabelLine, LabelSet};
use super::{Page, Published, Reject, tags};

/// A body line this long (in Unicode scalar values, trimmed) that does not
/// end a sentence was hard-wrapped by the exporter.
const WRAP_AT: usize = 120;

/// Characters that end a sentence, a quotation or a bracket: a line ending
/// in one of them was not hard-wrapped.
const TERMINAL: &[char] = &['.', '!', '?', '؟', '…', ':', '"', '”', '»', ')', ']'];

/// Parses one page. The caller has decoded the bytes and removed any BOM;
/// `\r` line ends are tolerated.
pub fn parse_page(text: &str) -> Result<Page, Reject> {
    if text.trim().is_empty() {
        return Err(Reject::Empty);
    }
    let lines: Vec<&str> = text.split('\n').map(str::trim).collect();
    let mut page = Page::default();
    let mut labels = LabelSet::default();
    let mut title = None;
    let mut tags_line = None;
    let mut body = Paragraphs::default();
    for (n, &line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        match labels.take(line) {
            Some(LabelLine {
                label: Label::ReadAlso,
                value,
            }) => {
                // Items before any title would leave the page nameless.
                title.ok_or(Reject::NoTitle)?;
                page.read_also = read_also::items(value, &lines[n + 1..]);
                break;
            }
            Some(LabelLine {
                label: Label::Tags,
                value,
            }) => {
                body.end();
                tags_line = Some(value);
            }
            Some(found) => {
                body.end();
                apply_label(&mut page, found);
            }
            None if title.is_none() => title = Some(line),
            None => body.push(line),
        }
    }
    page.title = title.ok_or(Reject::NoTitle)?.to_string();
    page.paragraphs = body.finish();
    if let Some(line) = tags_line {
        page.tags = tags::rebuild(line, &page.title, &page.paragraphs);
    }
    Ok(page)
}

/// Stores a date or source label's value. An unreadable date keeps its raw
/// text and is reported, never replaced by a guess.
fn apply_label(page: &mut Page, found: LabelLine<'_>) {
    match found.label {
        Label::Date => {
            page.published_raw = Some(found.value.to_string());
            page.published = Published::parse(found.value);
            if page.published.is_none() {
                page.warnings
                    .push(format!("unreadable date: '{}'", found.value));
            }
        }
        Label::Source => page.source = Some(found.value.to_string()),
        Label::Tags | Label::ReadAlso => unreachable!("handled by parse_page"),
    }
}

/// Collects body lines into paragraphs, one per line except that a
/// hard-wrapped line is joined to the next body line with one space. Blank
/// lines are never pushed, so a join skips them; whatever must not be
/// crossed (a label, a new related item) calls [`Paragraphs::end`].
#[derive(Debug, Default)]
struct Paragraphs {
    done: Vec<String>,
    open: Option<String>,
}

impl Paragraphs {
    fn push(&mut self, line: &str) {
        match &mut self.open {
            Some(paragraph) => {
                paragraph.push(' ');
                paragraph.push_str(line);
            }
            None => self.open = Some(line.to_string()),
        }
        if !is_hard_wrapped(line) {
            self.end();
        }
    }

    fn end(&mut self) {
        self.done.extend(self.open.take());
    }

    fn finish(mut self) -> Vec<String> {
        self.end();
        self.done
    }
}

/// Long enough, and not ending a sentence: the exporter wrapped it.
fn is_hard_wrapped(line: &str) -> bool {
    !ends_sentence(line) && line.chars().count() >= WRAP_AT
}

fn ends_sentence(line: &str) -> bool {
    line.ends_with(TERMINAL)
}

#[cfg(test)]
mod tests;
