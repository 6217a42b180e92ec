//! Reading dumps: containers (txt, zip, tar, tar.gz, jsonl, folders), text
//! decoding, and the page parser. Everything here is pure: bytes in, values
//! out, no database and no HTTP.
//!
//! The flow is `container` (walk an upload, yield documents or rejections)
//! → `decode` (bytes → text, without the characters `controls` drops)
//! → `page` / `jsonl` (text → [`Page`]).

pub mod container;
pub mod controls;
pub mod dates;
pub mod decode;
pub mod html;
pub mod jsonl;
pub mod labels;
pub mod limits;
pub mod page;
pub mod tags;
pub mod warc;

pub use dates::Published;
pub use limits::Limits;

/// One article as a dump tells it, before identity and storage.
///
/// Field values keep the text exactly as written (trimmed, hard wraps
/// joined); nothing is normalized for display.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub title: String,
    /// Parsed date; `None` when the dump gives none or it is unreadable.
    pub published: Option<Published>,
    /// The date text as written after its label, when there is one.
    pub published_raw: Option<String>,
    pub source: Option<String>,
    /// Tags rebuilt from the tags line (see `tags`), as written.
    pub tags: Vec<String>,
    pub paragraphs: Vec<String>,
    /// Related items embedded in the page ("اقرأ أيضاً").
    pub read_also: Vec<Item>,
    /// Original URL, when a JSONL record or a saved web page gives one.
    pub url: Option<String>,
    /// Problems that did not stop the page from importing (e.g. an
    /// unreadable date), phrased for the import report.
    pub warnings: Vec<String>,
}

/// A related article embedded in another page: no date of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Item {
    pub title: String,
    pub source: Option<String>,
    pub paragraphs: Vec<String>,
}

/// Why a file, archive member or JSONL line was not imported.
///
/// `Display` gives the short English reason used in import reports
/// (`"binary content"`); [`Reject::code`] gives a stable machine code that
/// pages translate into Arabic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reject {
    #[error("empty file")]
    Empty,
    #[error("no title")]
    NoTitle,
    #[error("binary content")]
    Binary,
    #[error("undecodable text (not UTF-8, UTF-16 or Windows-1256 Arabic)")]
    Undecodable,
    #[error("file too large ({size} bytes, limit {limit})")]
    TooLarge { size: u64, limit: u64 },
    #[error("line {line} too long ({len} bytes, limit {limit})")]
    LineTooLong {
        line: usize,
        len: usize,
        limit: usize,
    },
    #[error("expands past the limit ({limit} bytes)")]
    ExpandedTooLarge { limit: u64 },
    #[error("expansion ratio past the limit ({ratio}:1, limit {limit}:1)")]
    RatioTooHigh { ratio: u64, limit: u64 },
    #[error("archive has too many members (limit {limit})")]
    TooManyMembers { limit: u64 },
    #[error("archive expands past its total limit ({limit} bytes)")]
    ArchiveTooLarge { limit: u64 },
    #[error("unreadable archive: {0}")]
    BadArchive(String),
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("revisit record not resolved: {0}")]
    Revisit(String),
    #[error("not an article: {0}")]
    NotArticle(String),
    #[error("unsupported file type")]
    Unsupported,
    #[error("unreadable file: {0}")]
    Io(String),
}

impl Reject {
    /// A stable code for the reason, independent of its English wording.
    pub fn code(&self) -> &'static str {
        match self {
            Reject::Empty => "empty",
            Reject::NoTitle => "no_title",
            Reject::Binary => "binary",
            Reject::Undecodable => "undecodable",
            Reject::TooLarge { .. } => "too_large",
            Reject::LineTooLong { .. } => "line_too_long",
            Reject::ExpandedTooLarge { .. } => "expanded_too_large",
            Reject::RatioTooHigh { .. } => "ratio_too_high",
            Reject::TooManyMembers { .. } => "too_many_members",
            Reject::ArchiveTooLarge { .. } => "archive_too_large",
            Reject::BadArchive(_) => "bad_archive",
            Reject::MalformedJson(_) => "malformed_json",
            Reject::NotArticle(_) => "not_article",
            Reject::Revisit(_) => "revisit_unresolved",
            Reject::Unsupported => "unsupported",
            Reject::Io(_) => "io",
        }
    }
}
