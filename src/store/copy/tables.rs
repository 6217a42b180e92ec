//! What `arshif copy` moves: every table of the archive's schema, its
//! columns and their kinds, in an order where each row's foreign keys point
//! at rows already copied; and the tables it leaves behind, with why.
//! `tests/copy.rs` compares this list with the schema of both backends, so
//! a migration that adds a table or a column fails it until it is named here.

/// How a column is read from one backend and written to the other: the
/// kinds differ where the schemas do (a flag is SQLite's INTEGER 0/1 and
/// PostgreSQL's BOOLEAN; bytes are BLOB and BYTEA).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Real,
    Text,
    Bytes,
    Flag,
}

/// One table as the copy reads and writes it.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// Which rows are copied (`TRUE`: all of them).
    pub rows: &'static str,
    /// What a row already in the target does (only settings the target's
    /// migrations wrote: the copy's value wins).
    pub on_conflict: &'static str,
}

use Kind::{Bytes, Flag, Int, Real, Text};

const fn all(name: &'static str, columns: &'static [(&'static str, Kind)]) -> Table {
    Table {
        name,
        columns,
        rows: "TRUE",
        on_conflict: "",
    }
}

/// Every table copied, parents before children.
pub const TABLES: &[Table] = &[
    // `search_epoch` names the search log a search index follows: the
    // target keeps its own (its log starts empty, its index is rebuilt).
    Table {
        name: "settings",
        columns: &[("key", Text), ("value", Text)],
        rows: "key <> 'search_epoch'",
        on_conflict: "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    },
    all(
        "imports",
        &[
            ("id", Int),
            ("origin", Text),
            ("status", Text),
            ("created_at", Text),
            ("finished_at", Text),
            ("files_total", Int),
            ("files_done", Int),
            ("articles_done", Int),
            ("report", Text),
            ("started_by", Text),
            ("undo_report", Text),
        ],
    ),
    // Uploads waiting for (or in) an import: copied, so none is lost.
    all(
        "import_jobs",
        &[
            ("import_id", Int),
            ("state", Text),
            ("node", Text),
            ("queued_at", Text),
            ("started_at", Text),
        ],
    ),
    all(
        "upload_files",
        &[
            ("id", Int),
            ("import_id", Int),
            ("name", Text),
            ("bytes", Int),
            ("received_at", Text),
        ],
    ),
    all(
        "upload_chunks",
        &[("file_id", Int), ("seq", Int), ("data", Bytes)],
    ),
    all(
        "sources",
        &[
            ("id", Int),
            ("key", Text),
            ("name", Text),
            ("article_count", Int),
        ],
    ),
    all(
        "tags",
        &[
            ("id", Int),
            ("key", Text),
            ("name", Text),
            ("article_count", Int),
        ],
    ),
    all(
        "users",
        &[
            ("id", Int),
            ("name", Text),
            ("password_hash", Text),
            ("role", Text),
            ("feed_token", Text),
            ("created_at", Text),
        ],
    ),
    all(
        "articles",
        &[
            ("id", Int),
            ("permalink", Text),
            ("identity", Bytes),
            ("slug", Text),
            ("title", Text),
            ("body", Text),
            ("published", Text),
            ("published_raw", Text),
            ("sort_key", Text),
            ("source_id", Int),
            ("url", Text),
            ("embedded", Flag),
            ("created_import", Int),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    all(
        "article_sources",
        &[("article_id", Int), ("source_id", Int)],
    ),
    all(
        "article_tags",
        &[
            ("article_id", Int),
            ("tag_id", Int),
            ("position", Int),
            ("sort_key", Text),
        ],
    ),
    all(
        "relations",
        &[
            ("article_id", Int),
            ("other_id", Int),
            ("kind", Text),
            ("score", Real),
            ("reason", Text),
        ],
    ),
    all(
        "files",
        &[
            ("id", Int),
            ("import_id", Int),
            ("name", Text),
            ("kind", Text),
            ("size", Int),
            ("sha256", Bytes),
            ("content", Bytes),
        ],
    ),
    all(
        "article_files",
        &[("article_id", Int), ("file_id", Int), ("position", Int)],
    ),
    all(
        "file_captures",
        &[
            ("file_id", Int),
            ("format", Text),
            ("url", Text),
            ("url_key", Text),
            ("canonical_key", Text),
            ("captured_at", Text),
        ],
    ),
    all(
        "page_links",
        &[("article_id", Int), ("position", Int), ("url_key", Text)],
    ),
    all("day_counts", &[("day", Text), ("article_count", Int)]),
    all(
        "api_tokens",
        &[
            ("id", Int),
            ("name", Text),
            ("token_hash", Bytes),
            ("created_at", Text),
            ("last_used", Text),
            ("revoked_at", Text),
            ("user_id", Int),
        ],
    ),
    all(
        "known_devices",
        &[
            ("token_hash", Bytes),
            ("account", Text),
            ("created_at", Text),
            ("expires_at", Text),
        ],
    ),
    all(
        "related_docs",
        &[
            ("article_id", Int),
            ("cluster_id", Int),
            ("day", Int),
            ("fingerprint", Int),
            ("basis", Int),
            ("signature", Bytes),
            ("vector", Bytes),
        ],
    ),
    all(
        "related_terms",
        &[("term_key", Int), ("df", Int), ("display", Text)],
    ),
    all(
        "audit_log",
        &[
            ("id", Int),
            ("at", Text),
            ("actor", Text),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
        ],
    ),
    all(
        "removed_articles",
        &[
            ("permalink", Text),
            ("identity", Bytes),
            ("removed_at", Text),
            ("reason", Text),
            ("created_import", Int),
            ("kept_original", Flag),
        ],
    ),
    all(
        "removed_article_files",
        &[("permalink", Text), ("file_id", Int), ("position", Int)],
    ),
];

/// Tables the copy leaves behind, and why (`arshif copy --help` says so).
pub const NOT_COPIED: &[(&str, &str)] = &[
    (
        "sessions",
        "sign-ins are not moved: everyone signs in again on the copy",
    ),
    (
        "search_log",
        "the copy's search index is rebuilt from its articles, so it needs no history",
    ),
];

/// The table called `name`, if it is copied.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}
