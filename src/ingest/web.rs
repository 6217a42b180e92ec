//! What a saved web page (an `.html` file or a WARC record) adds to an
//! import: reading it into a page with its capture (address, date, the
//! addresses its "read also" links point to), and storing that capture
//! so the links become `read_also` relations once both pages are stored.

use crate::store::Conn;

use crate::dump::container::DocKind;
use crate::dump::html::{self, Capture, links};
use crate::dump::{Limits, Page, Reject, warc};
use crate::store::{self, captures};

/// Where a saved page came from, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebCapture {
    /// `html` or `warc`.
    pub format: &'static str,
    pub url: Option<String>,
    pub url_key: Option<String>,
    pub canonical_key: Option<String>,
    pub captured_at: Option<String>,
    /// Keys of the addresses the article's "read also" links point to.
    pub links: Vec<String>,
}

/// Reads a saved page: an HTML file, or a WARC record holding one.
pub fn read(kind: DocKind, bytes: &[u8], limits: &Limits) -> Result<(Page, WebCapture), Reject> {
    let (web, format, captured_at) = if kind == DocKind::WarcRecord {
        let captured = warc::read_capture(bytes, limits.max_file_bytes)?;
        let capture = Capture {
            url: captured.url.as_deref(),
            charset: captured.charset.as_deref(),
        };
        let web = html::parse_html(&captured.html, capture)?;
        (web, "warc", captured.captured_at)
    } else {
        (html::parse_html(bytes, Capture::default())?, "html", None)
    };
    let capture = WebCapture {
        format,
        url: web.page.url.clone(),
        url_key: web.page.url.as_deref().and_then(links::key_of),
        canonical_key: web.canonical.as_deref().and_then(links::key_of),
        captured_at,
        links: web
            .read_also
            .iter()
            .filter_map(|u| links::key_of(u))
            .collect(),
    };
    Ok((web.page, capture))
}

/// How a stored file is read again: its `files.kind` and capture format.
pub fn stored_kind(kind: &str, format: Option<&str>) -> DocKind {
    match (kind, format) {
        ("jsonl", _) => DocKind::JsonLine { line: 0 },
        (_, Some("html")) => DocKind::Html,
        (_, Some("warc")) => DocKind::WarcRecord,
        _ => DocKind::Page,
    }
}

/// A saved page as stored: its file, the article it brought, its capture.
pub struct StoredPage<'a> {
    pub file_id: i64,
    pub article_id: i64,
    pub capture: &'a WebCapture,
}

/// Stores the captures and links of `pages` and adds the `read_also`
/// relations they resolve to; returns how many relations are new.
pub async fn store(conn: &mut Conn, pages: &[StoredPage<'_>]) -> store::Result<u64> {
    if pages.is_empty() {
        return Ok(0);
    }
    let rows: Vec<captures::CaptureRow> = pages
        .iter()
        .map(|p| captures::CaptureRow {
            file_id: p.file_id,
            format: p.capture.format,
            url: p.capture.url.clone(),
            url_key: p.capture.url_key.clone(),
            canonical_key: p.capture.canonical_key.clone(),
            captured_at: p.capture.captured_at.clone(),
        })
        .collect();
    captures::save(conn, &rows).await?;
    for page in pages {
        captures::set_links(conn, page.article_id, &page.capture.links).await?;
    }
    let articles: Vec<i64> = pages.iter().map(|p| p.article_id).collect();
    let files: Vec<i64> = pages.iter().map(|p| p.file_id).collect();
    captures::resolve(conn, &articles, &files).await
}
