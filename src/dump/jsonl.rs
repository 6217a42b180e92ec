//! One JSONL line → a record: either a whole page as text (parsed later by
//! the page parser) or an article given field by field.

use super::{Item, Page, Published, Reject};
use serde_json::{Map, Value};

/// What one JSONL line holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// `{"text": "<a page>"}`: the text of a dump page, still to be parsed.
    Text(String),
    /// An article given as fields (`title`, `published`, `body`, …).
    Fields(Page),
}

/// Parses one JSONL line (without its line end; a leading BOM is ignored).
///
/// A line with a `text` key is a [`Record::Text`] whatever else it holds.
/// Unknown keys are ignored and `null` counts as absent, so exporters may
/// add fields. Strings are trimmed; blank ones count as absent.
pub fn parse_record(line: &str) -> Result<Record, Reject> {
    // The first line of a file saved by a Windows editor starts with a BOM.
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let mut value: Value = serde_json::from_str(line).map_err(|e| malformed(&short_reason(&e)))?;
    super::controls::clean_json(&mut value);
    let Value::Object(object) = value else {
        return Err(malformed("not a JSON object"));
    };
    if let Some(text) = present(&object, "text") {
        let text = text.as_str().ok_or_else(|| must_be("text", "a string"))?;
        if text.trim().is_empty() {
            return Err(Reject::Empty);
        }
        return Ok(Record::Text(text.to_owned()));
    }
    fields(&object).map(Record::Fields)
}

fn fields(object: &Map<String, Value>) -> Result<Page, Reject> {
    let title = string(object, "title")?.ok_or(Reject::NoTitle)?;
    let mut page = Page {
        title,
        source: string(object, "source")?,
        tags: string_list(object, "tags")?,
        paragraphs: body(object, "body")?,
        url: string(object, "url")?,
        ..Page::default()
    };
    if let Some(raw) = string(object, "published")? {
        page.published = Published::parse(&raw);
        if page.published.is_none() {
            page.warnings.push(format!("unreadable date: '{raw}'"));
        }
        page.published_raw = Some(raw);
    }
    read_also(object, &mut page)?;
    Ok(page)
}

/// `related`: a list of `{title, source, body}` objects. An item without a
/// title cannot become an article; it is left out with a warning rather
/// than costing the whole record.
fn read_also(object: &Map<String, Value>, page: &mut Page) -> Result<(), Reject> {
    let Some(related) = present(object, "related") else {
        return Ok(());
    };
    let list = related
        .as_array()
        .ok_or_else(|| must_be("related", "a list of objects"))?;
    for (i, entry) in list.iter().enumerate() {
        let item = entry
            .as_object()
            .ok_or_else(|| must_be("related", "a list of objects"))?;
        let title = string(item, "title").map_err(|_| must_be("related[].title", "a string"))?;
        let source = string(item, "source").map_err(|_| must_be("related[].source", "a string"))?;
        let paragraphs = body(item, "body")
            .map_err(|_| must_be("related[].body", "a string or a list of strings"))?;
        match title {
            Some(title) => page.read_also.push(Item {
                title,
                source,
                paragraphs,
            }),
            None => page
                .warnings
                .push(format!("related item {} has no title; left out", i + 1)),
        }
    }
    Ok(())
}

/// A field that is there and not `null`.
fn present<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// An optional string field, trimmed; blank → `None`.
fn string(object: &Map<String, Value>, key: &str) -> Result<Option<String>, Reject> {
    let Some(value) = present(object, key) else {
        return Ok(None);
    };
    let text = value
        .as_str()
        .ok_or_else(|| must_be(key, "a string"))?
        .trim();
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// An optional list of strings, each trimmed, blanks dropped.
fn string_list(object: &Map<String, Value>, key: &str) -> Result<Vec<String>, Reject> {
    let Some(value) = present(object, key) else {
        return Ok(Vec::new());
    };
    let list = value
        .as_array()
        .ok_or_else(|| must_be(key, "a list of strings"))?;
    let mut out = Vec::with_capacity(list.len());
    for entry in list {
        let text = entry
            .as_str()
            .ok_or_else(|| must_be(key, "a list of strings"))?
            .trim();
        if !text.is_empty() {
            out.push(text.to_owned());
        }
    }
    Ok(out)
}

/// `body`: a string of lines (one line, one paragraph) or a list of
/// paragraphs. Either way trimmed, blanks dropped. Hard wraps are not
/// joined: that rule repairs the text exporter, not structured records.
fn body(object: &Map<String, Value>, key: &str) -> Result<Vec<String>, Reject> {
    match present(object, key) {
        Some(Value::String(text)) => Ok(text
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()),
        Some(Value::Array(_)) => string_list(object, key),
        Some(_) => Err(must_be(key, "a string or a list of strings")),
        None => Ok(Vec::new()),
    }
}

fn must_be(key: &str, what: &str) -> Reject {
    malformed(&format!("`{key}` must be {what}"))
}

fn malformed(reason: &str) -> Reject {
    Reject::MalformedJson(reason.to_owned())
}

/// serde_json's message without "at line 1": a JSONL record is one line.
fn short_reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(message) if error.column() > 0 => format!("{message} at column {}", error.column()),
        Some(message) => message.to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests;
