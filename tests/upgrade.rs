//! Upgrades: every archive under `tests/data/archives/<version>/`, written
//! by an earlier release (see the README there), opens with the current
//! code: the migrations apply, every kind of page renders with its content,
//! the stored articles export as that release exported them, search and
//! relations answer as a fresh import of the same files does, and the old
//! password, session and token still work while a revoked token stays
//! revoked. Also: a new analyzer version rebuilds the search index on start.
//!
//! Catches, among others: a migration that loses or rewrites stored rows
//! (export differs), one that breaks a page's query (a page is not 200 or
//! lacks its article), a changed password or token hashing that locks old
//! archives out, and a migration number that never ran (`_sqlx_migrations`).
//! Checked with a migration that appends a dot to one title (the stored
//! articles differ), with `ensure_index` never rebuilding, and with
//! `related::ensure` trusting any stored rules (the schema-0005 fixture's
//! relations, made by rules version 3, then differ from a fresh import's).

mod pages;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::live::{self, Live};
use crate::support::{Scratch, only_on_sqlite};

const ARCHIVES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/archives");
const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

/// One fixture folder, read.
pub struct Fixture {
    pub dir: PathBuf,
    pub expected: Vec<Value>,
    pub secrets: Value,
}

impl Fixture {
    fn load(dir: PathBuf) -> Fixture {
        let expected = std::fs::read_to_string(dir.join("expected.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let secrets =
            serde_json::from_str(&std::fs::read_to_string(dir.join("secrets.json")).unwrap())
                .unwrap();
        Fixture {
            dir,
            expected,
            secrets,
        }
    }

    fn secret(&self, name: &str) -> &str {
        self.secrets[name].as_str().unwrap()
    }

    /// Its inputs in the order they were imported.
    fn inputs(&self) -> Vec<PathBuf> {
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(self.dir.join("inputs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        inputs.sort();
        inputs
    }

    /// A copy of its archive in `s` (the checked-in file is never opened).
    fn copy_into(&self, s: &Scratch) -> PathBuf {
        std::fs::copy(self.dir.join("archive.db"), s.db()).unwrap();
        s.db()
    }
}

fn fixtures() -> Vec<Fixture> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(ARCHIVES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("archive.db").exists())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixture under {ARCHIVES}");
    dirs.into_iter().map(Fixture::load).collect()
}

/// The versions of `migrations/*.sql`, as sqlx records them.
fn migration_versions() -> Vec<i64> {
    let mut versions: Vec<i64> = std::fs::read_dir(MIGRATIONS)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".sql")?.split('_').next()?.parse().ok()
        })
        .collect();
    versions.sort();
    versions
}

/// An archive made by the current code from the fixture's inputs with the
/// fixture's history: each input imported in turn, then a reparse (similar
/// lists depend on how an archive grew, and bm25's statistics on what the
/// index deleted and re-added); related from scratch when the fixture's
/// relating rules are not the current ones (its start then recomputes
/// every relation).
async fn fresh_import(fixture: &Fixture, s: &Scratch) {
    for input in fixture.inputs() {
        s.import(&[&input]);
    }
    assert!(s.arshif(&["reparse"]).status.success());
    let rules = "SELECT coalesce((SELECT value FROM settings WHERE key = 'related_rules'), '')";
    let old: String = text(&fixture.dir.join("archive.db"), rules).await;
    let now: String = text(&s.db(), rules).await;
    if old != now {
        assert!(s.arshif(&["relate", "--all"]).status.success());
    }
}

/// One text value from a database file, read-only (the checked-in
/// fixture is opened immutable, so nothing is written beside it).
async fn text(db: &Path, sql: &'static str) -> String {
    use sqlx::ConnectOptions;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

/// Every link with the reason it shows (`similar` links name what the two
/// articles share; older schemas had no reasons), by permalink.
async fn reasons(db: &Path) -> Vec<(String, String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT a.permalink, o.permalink, r.kind, r.reason FROM relations r \
         JOIN articles a ON a.id = r.article_id JOIN articles o ON o.id = r.other_id \
         ORDER BY 1, 2, 3",
    )
    .fetch_all(&mut live::sqlite_connection(db).await)
    .await
    .unwrap()
}

/// The computed relations (same story, similar) of each article; read-also
/// links are stored data and stay in the rest of the article.
fn split_computed(articles: &[Value]) -> (Vec<Value>, BTreeMap<String, Vec<Value>>) {
    let mut stored = Vec::new();
    let mut computed = BTreeMap::new();
    for article in articles {
        let mut article = article.clone();
        let related = article["related"].as_array().unwrap().clone();
        let (read_also, other): (Vec<Value>, Vec<Value>) = related
            .into_iter()
            .partition(|r| r["relation"] == "read_also");
        article["related"] = Value::Array(read_also);
        computed.insert(article["id"].as_str().unwrap().to_owned(), other);
        stored.push(article);
    }
    (stored, computed)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_old_archive_opens_and_answers_as_a_fresh_import() {
    if only_on_sqlite(
        "upgrade",
        "the fixtures are SQLite archives written by earlier releases; PostgreSQL archives begin at schema 13",
    ) {
        return;
    }
    for fixture in fixtures() {
        let name = fixture.dir.display().to_string();
        let s = Scratch::new();
        let db = fixture.copy_into(&s);
        let server = Live::start_file(&db, &[], &[]);

        let applied: Vec<i64> = sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&mut live::sqlite_connection(&db).await)
        .await
        .unwrap();
        assert_eq!(applied, migration_versions(), "{name}: migrations");
        live::assert_sound(&db).await;

        let session = format!("arshif_session={}", fixture.secret("session"));
        let token = fixture.secret("token");
        pages::check_every_kind(&server, &fixture.expected, &session, token);

        // Stored articles as the old release exported them; computed
        // relations as the current code computes them for the same files.
        let (stored, computed) = split_computed(&s.export());
        let (expected_stored, _) = split_computed(&fixture.expected);
        assert_eq!(stored, expected_stored, "{name}: the stored articles");
        let fresh = Scratch::new();
        fresh_import(&fixture, &fresh).await;
        let (_, fresh_computed) = split_computed(&fresh.export());
        assert_eq!(computed, fresh_computed, "{name}: same-story and similar");
        let (reasons, fresh_reasons) = (reasons(&db).await, reasons(&fresh.db()).await);
        assert_eq!(
            reasons, fresh_reasons,
            "{name}: the reasons of similar links"
        );
        let fresh_server = Live::start(&fresh, &[], &[]);
        for query in pages::queries(&fixture.expected) {
            let path = format!("/api/search?q={}", live::form_value(&query));
            let (old, new) = (server.get(&path), fresh_server.get(&path));
            assert_eq!(old.status, 200, "{name}: {query}");
            assert_eq!(old.json(), new.json(), "{name}: search {query}");
        }
        fresh_server.stop();

        old_secrets_still_work(&server, &fixture);
        server.stop();
        let reparse = s.arshif(&["reparse"]);
        assert!(
            reparse.status.success(),
            "{name}: the old originals reparse"
        );
        let (reparsed, _) = split_computed(&s.export());
        assert_eq!(reparsed, expected_stored, "{name}: after reparse");
    }
}

/// The password, the session and the token of the old release sign in; the
/// token it revoked stays revoked.
fn old_secrets_still_work(server: &Live, fixture: &Fixture) {
    let cookie = server.session(fixture.secret("password"));
    assert_eq!(
        server.get_with("/upload", &[("Cookie", &cookie)]).status,
        200
    );
    let token = fixture.secret("token");
    let seed = std::fs::read(fixture.inputs()[0].clone()).unwrap();
    let again = server.api_import(token, "seed-again.txt", &seed);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["articles_new"], 0, "{}", again.body);
    assert!(again.json()["articles_duplicate"].as_u64().unwrap() > 0);
    let revoked = server.api_import(fixture.secret("revoked_token"), "seed.txt", &seed);
    assert_eq!(revoked.status, 401, "a revoked token stays revoked");
}

/// Total and hit ids, in order, of search answers (snippets left out).
fn hits(answers: &[Value]) -> Vec<(Value, Vec<Value>)> {
    answers
        .iter()
        .map(|a| {
            let ids = a["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].clone());
            (a["total"].clone(), ids.collect())
        })
        .collect()
}

/// An archive indexed by another analyzer version (a new release changed
/// the analyzer): the next start rebuilds the index from the articles — the
/// old index is emptied here, so only a real rebuild finds anything — and
/// every search answers as after an explicit `arshif reindex`. Catches a
/// start that trusts the stored index (`ensure_index` never rebuilding),
/// and a rebuild that misses articles. (The old release's own index finds
/// the same articles but may order them a little differently: bm25's
/// statistics drift as a contentless index deletes and re-adds rows, and
/// a rebuild resets them.)
#[tokio::test(flavor = "multi_thread")]
async fn a_new_analyzer_version_rebuilds_the_index_and_search_answers_the_same() {
    if only_on_sqlite(
        "upgrade",
        "the fixtures are SQLite archives written by earlier releases; PostgreSQL archives begin at schema 13",
    ) {
        return;
    }
    let fixture = fixtures().remove(0);
    let s = Scratch::new();
    let db = fixture.copy_into(&s);
    let queries = pages::queries(&fixture.expected);
    let search = |server: &Live| -> Vec<Value> {
        queries
            .iter()
            .map(|q| {
                server
                    .get(&format!("/api/search?q={}", live::form_value(q)))
                    .json()
            })
            .collect()
    };
    let server = Live::start_file(&db, &[], &[]);
    let old_index = search(&server);
    server.stop();
    assert!(s.arshif(&["reindex"]).status.success());
    let server = Live::start_file(&db, &[], &[]);
    let reindexed = search(&server);
    server.stop();
    let mut sorted = hits(&old_index);
    let mut resorted = hits(&reindexed);
    for (a, b) in sorted.iter_mut().zip(resorted.iter_mut()) {
        a.1.sort_by_key(Value::to_string);
        b.1.sort_by_key(Value::to_string);
    }
    assert_eq!(sorted, resorted, "the old index finds the same articles");
    assert!(
        reindexed
            .iter()
            .all(|answer| answer["total"].as_u64() > Some(0)),
        "every query finds something"
    );

    // The index's last commit says which analyzer built it: make it say
    // another one, as an index left by an older release would.
    set_index_analyzer(&db, "an older analyzer");
    let server = Live::start_file(&db, &[], &[]);
    for ((query, before), after) in queries.iter().zip(&reindexed).zip(search(&server)) {
        assert_eq!(before, &after, "{query}");
    }
    let log = server.stop();
    assert!(log.contains("building the search index"), "{log}");
    assert_ne!(
        index_analyzer(&db),
        "an older analyzer",
        "the rebuilt index records the new version"
    );
}

/// The payload of the search index's last commit (tantivy's `meta.json`),
/// where the index records the analyzer version that built it.
fn index_payload(db: &std::path::Path) -> (std::path::PathBuf, Value, Value) {
    let meta = arshif::search::index::default_dir(db).join("meta.json");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let payload: Value = serde_json::from_str(json["payload"].as_str().unwrap()).unwrap();
    (meta, json, payload)
}

fn index_analyzer(db: &std::path::Path) -> String {
    index_payload(db).2["analyzer"].as_str().unwrap().to_owned()
}

fn set_index_analyzer(db: &std::path::Path, version: &str) {
    let (meta, mut json, mut payload) = index_payload(db);
    payload["analyzer"] = Value::from(version);
    json["payload"] = Value::from(payload.to_string());
    std::fs::write(meta, json.to_string()).unwrap();
}
