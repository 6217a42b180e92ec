//! The search acceptance corpus (tests/data/search): importing it into a fresh
//! archive, and measuring recall of the expected hits in queries.tsv for Arshif's
//! search and for plain FTS5 `unicode61` over the original text. The
//! archive is on the run's backend; the plain FTS5 index it is compared
//! with is always an in-memory SQLite database.

#![allow(dead_code)]

use arshif::dispatch;
use std::collections::HashMap;
use std::path::Path;

use arshif::archive::Archive;
use arshif::ingest::pipeline::{self, ImportOptions, Input, Quiet};
use arshif::search::{self, SearchRequest};
use arshif::store::{Db, imports};
use arshif_testkit::postgres::{TestDatabase, on_postgres};
use sqlx::{Connection, SqliteConnection};

pub const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/search/corpus.jsonl"
);
pub const QUERIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/search/queries.tsv");

/// An archive holding the corpus, and each title's record key.
pub struct Corpus {
    pub db: Db,
    /// The database, when the run is on PostgreSQL.
    _postgres: Option<TestDatabase>,
    /// The archive's search index (one per archive: a second would only read).
    pub search: search::index::Slot,
    pub keys: HashMap<String, String>,
}

/// Imports the corpus into a new archive in `dir` and builds the search index.
pub async fn load(dir: &Path) -> Corpus {
    let postgres = match on_postgres() {
        true => TestDatabase::create().await,
        false => None,
    };
    let location = match &postgres {
        Some(pg) => std::path::PathBuf::from(pg.url()),
        None => dir.join("archive.db"),
    };
    let db = Db::open(&location)
        .await
        .expect("archive opens")
        .with_local_base(dir.join("archive.db"));
    let import_id = imports::create(&mut db.write.acquire().await.unwrap(), "cli", "running")
        .await
        .unwrap();
    let inputs = vec![Input::Path(CORPUS.into())];
    let archive = Archive::new(db.clone());
    let report = pipeline::run(
        &archive,
        import_id,
        inputs,
        ImportOptions::default(),
        &Quiet,
    )
    .await
    .expect("corpus imports");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    // Opened after the import: built from the articles.
    search::index::of(&archive.search)
        .await
        .expect("index builds");
    Corpus {
        db,
        _postgres: postgres,
        search: archive.search,
        keys: keys(),
    }
}

/// Title (as the importer trims it) → record key.
fn keys() -> HashMap<String, String> {
    let text = std::fs::read_to_string(CORPUS).unwrap();
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let title = v["title"].as_str().unwrap().trim().to_owned();
            (title, v["key"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// One line of queries.tsv.
pub struct Case {
    pub query: String,
    pub found: Vec<String>,
    pub absent: Vec<String>,
}

pub fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(QUERIES).unwrap();
    let lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    lines
        .map(|line| {
            let (query, expected) = line.split_once('\t').expect("query<TAB>keys");
            let (absent, found): (Vec<&str>, Vec<&str>) = expected
                .split_whitespace()
                .partition(|k| k.starts_with('!'));
            Case {
                query: query.to_owned(),
                found: found.into_iter().map(str::to_owned).collect(),
                absent: absent.iter().map(|k| k[1..].to_owned()).collect(),
            }
        })
        .collect()
}

/// Recall of both engines over every expected hit, and what went wrong for ours.
#[derive(Debug, Default)]
pub struct Comparison {
    pub expected: usize,
    pub ours: usize,
    pub plain: usize,
    pub problems: Vec<String>,
}

impl Comparison {
    pub fn recall(found: usize, expected: usize) -> f64 {
        found as f64 / expected.max(1) as f64
    }
}

pub async fn compare(corpus: &Corpus) -> Comparison {
    let mut plain = plain_index(&corpus.db).await;
    let mut out = Comparison::default();
    for case in cases() {
        let req = SearchRequest {
            q: case.query.clone(),
            page: 1,
            ..SearchRequest::default()
        };
        let results = search::search(&corpus.search, &req)
            .await
            .expect("search runs");
        let ours: Vec<&str> = results
            .hits
            .iter()
            .filter_map(|h| corpus.keys.get(h.title.trim()).map(String::as_str))
            .collect();
        let plain_keys = plain_search(&mut plain, &case.query, &corpus.keys).await;
        out.expected += case.found.len();
        for key in &case.found {
            if ours.contains(&key.as_str()) {
                out.ours += 1;
            } else {
                out.problems.push(format!("{:?} missed {key}", case.query));
            }
            out.plain += usize::from(plain_keys.contains(key));
        }
        for key in case.absent.iter().filter(|k| ours.contains(&k.as_str())) {
            out.problems
                .push(format!("{:?} wrongly found {key}", case.query));
        }
    }
    out
}

/// A throwaway in-memory FTS5 table over the original titles and bodies, with
/// SQLite's default `unicode61` tokenizer: the baseline.
async fn plain_index(db: &Db) -> SqliteConnection {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
    sqlx::query("CREATE VIRTUAL TABLE plain USING fts5(title, body)")
        .execute(&mut conn)
        .await
        .unwrap();
    let rows: Vec<(String, String)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT title, body FROM articles"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    for (title, body) in rows {
        sqlx::query("INSERT INTO plain (title, body) VALUES (?, ?)")
            .bind(title)
            .bind(body)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn
}

/// The query as a plain FTS5 user would write it: each word or phrase quoted as
/// typed, `OR` kept; exclusions and filters left out (they only remove hits, so
/// this favours the baseline).
async fn plain_search(
    conn: &mut SqliteConnection,
    query: &str,
    keys: &HashMap<String, String>,
) -> Vec<String> {
    let expr = plain_expr(query);
    if expr.is_empty() {
        return Vec::new();
    }
    let titles: Vec<(String,)> = sqlx::query_as("SELECT title FROM plain WHERE plain MATCH ?")
        .bind(&expr)
        .fetch_all(conn)
        .await
        .unwrap_or_default();
    titles
        .into_iter()
        .filter_map(|(t,)| keys.get(t.trim()).cloned())
        .collect()
}

fn plain_expr(query: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = query.trim();
    while !rest.is_empty() {
        if let Some((key, value)) = rest
            .split_once(':')
            .filter(|(k, _)| !k.contains(char::is_whitespace))
        {
            // a filter: skip it, with its quoted value if it has one
            let skip = match value.strip_prefix('"') {
                Some(inner) => key.len() + 2 + inner.find('"').map_or(inner.len(), |i| i + 1),
                None => key.len() + 1 + value.find(char::is_whitespace).unwrap_or(value.len()),
            };
            rest = rest[skip..].trim_start();
            continue;
        }
        let (item, after) = if let Some(inner) = rest.strip_prefix('"') {
            let end = inner.find('"').unwrap_or(inner.len());
            (inner[..end].to_owned(), inner.get(end + 1..).unwrap_or(""))
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (rest[..end].to_owned(), &rest[end..])
        };
        rest = after.trim_start();
        if item == "OR" {
            parts.push(item);
        } else if !item.starts_with('-') {
            parts.push(format!("\"{}\"", item.replace('"', "\"\"")));
        }
    }
    parts.join(" ").trim_matches(|c| c == ' ').to_owned()
}
