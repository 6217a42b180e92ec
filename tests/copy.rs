//! `arshif copy`: an archive moved between databases keeps every row of
//! every table (permalinks, originals, captures, relations, takedowns,
//! accounts), serves the same pages, takes new imports without id
//! collisions, and a target that holds an archive is refused. SQLite to
//! SQLite always runs; SQLite to PostgreSQL and back runs when
//! `ARSHIF_TEST_POSTGRES` is set (`.ci/run` sets it), and says it skipped
//! otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use arshif::archive::Archive;
use arshif::store::copy::{Kind, NOT_COPIED, TABLES};
use arshif::store::{Backend, Db, Location};
use arshif_testkit::postgres::TestDatabase;

use crate::support::{Scratch, TestApp, arshif_db};

const HTML: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/html");
const STORIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stories");

/// `arshif copy --from FROM --to TO` with the copy's index in the scratch.
fn copy(s: &Scratch, from: &str, to: &str) -> Output {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let index = s.path(&format!(
        "copy-{}.search",
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["copy", "--from", from, "--to", to, "--index-dir"])
        .arg(index)
        .env("RUST_LOG", "warn")
        .output()
        .expect("arshif runs")
}

fn succeeded(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// A WARC file holding one response: `microdata.html` as crawled.
fn warc(s: &Scratch) -> PathBuf {
    let page = std::fs::read(format!("{HTML}/microdata.html")).unwrap();
    let http = [
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            page.len()
        )
        .as_bytes(),
        &page,
    ]
    .concat();
    let record = [
        format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bawabat-alnil.example/microdata.html\r\n\
             WARC-Date: 2025-04-02T15:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
             Content-Length: {}\r\n\r\n",
            http.len()
        )
        .as_bytes(),
        &http,
        b"\r\n\r\n",
    ]
    .concat();
    s.file("crawl.warc", record)
}

/// An archive with a bit of everything: the stories set, a saved page, a
/// WARC capture, a takedown that kept its original, an editor with an API
/// token.
async fn source(s: &Scratch) {
    let html = PathBuf::from(format!("{HTML}/wp-sidebar-comments.html"));
    s.import(&[Path::new(STORIES), &html, &warc(s)]);
    let id = s.export()[0]["id"].as_str().unwrap().to_owned();
    let removed = s.arshif(&["remove", "--reason", "حكم قضائي", "--keep-original", &id]);
    succeeded(&removed);
    let db = Db::open(&s.db()).await.unwrap();
    let mut conn = db.write.acquire().await.unwrap();
    let role = arshif::auth::Role::Editor;
    assert!(
        arshif::store::users::add(&mut conn, "muharrir", "$argon2id$x", role)
            .await
            .unwrap()
    );
    arshif::store::auth::create_token_for(&mut conn, "script", &[7; 32], "muharrir")
        .await
        .unwrap();
    drop(conn);
    db.close().await;
}

/// Every copied table's rows, as text.
async fn contents(db: &Db) -> BTreeMap<&'static str, Vec<String>> {
    let mut conn = db.read.acquire().await.unwrap();
    let mut all = BTreeMap::new();
    for table in TABLES {
        let rows = arshif::store::copy::rows_as_text(&mut conn, table)
            .await
            .unwrap();
        all.insert(table.name, rows);
    }
    all
}

/// Asserts two archives hold the same rows, naming the first table that differs.
async fn same_contents(a: &Db, b: &Db) {
    let (a, b) = (contents(a).await, contents(b).await);
    for table in TABLES {
        assert_eq!(a[table.name], b[table.name], "table {}", table.name);
    }
    // What the source holds, so each of these was really copied.
    for table in [
        "imports",
        "articles",
        "relations",
        "files",
        "article_files",
        "file_captures",
        "users",
        "api_tokens",
        "audit_log",
        "removed_articles",
        "removed_article_files",
        "related_docs",
    ] {
        assert!(!a[table].is_empty(), "the source's {table} is empty");
    }
}

/// The page of the first exported article, as served from `db`.
async fn article_page(db: &Db, s: &Scratch) -> String {
    let (permalink, slug): (String, String) = arshif::dispatch!(db.read, |c| sqlx::query_as(
        "SELECT permalink, slug FROM articles ORDER BY id LIMIT 1"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    let router = arshif::web::app(arshif::web::AppState::new(
        Archive::new(db.clone()),
        TestApp::config(s),
    ));
    let app = TestApp {
        scratch: Scratch::new(),
        archive: Archive::new(db.clone()),
        db: db.clone(),
        router,
    };
    let page = app
        .get(&arshif::urls::article_encoded(&permalink, &slug))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

/// Catches a copy that loses or changes a row of any table (ids, bytes of
/// the originals, flags, relations), or a second copy over an archive.
#[tokio::test]
async fn a_copy_to_a_new_sqlite_file_holds_every_row_and_a_second_copy_is_refused() {
    let s = Scratch::new();
    source(&s).await;
    let (from, to) = (
        s.db().display().to_string(),
        s.path("copy.db").display().to_string(),
    );
    let said = succeeded(&copy(&s, &from, &to));
    assert!(said.contains("search index built"), "{said}");
    let (a, b) = (
        Db::open(&s.db()).await.unwrap(),
        Db::open(Path::new(&to)).await.unwrap(),
    );
    same_contents(&a, &b).await;
    assert_eq!(article_page(&a, &s).await, article_page(&b, &s).await);
    let again = copy(&s, &from, &to);
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("already holds an archive"), "{said}");
}

/// Catches a table or column the copy does not know (a migration added it:
/// name it in `store/copy/tables.rs`), or a kind that reads it wrongly.
#[tokio::test]
async fn the_copy_knows_every_table_and_column_of_both_schemas() {
    let s = Scratch::new();
    let sqlite = Db::open(&s.db()).await.unwrap();
    let pg = TestDatabase::create().await;
    let mut schemas = vec![sqlite];
    match &pg {
        Some(pg) => schemas.push(Db::connect(&Location::parse(pg.url())).await.unwrap()),
        None => eprintln!("copy schema: PostgreSQL skipped, ARSHIF_TEST_POSTGRES is not set"),
    }
    let known: BTreeSet<&str> = TABLES
        .iter()
        .map(|t| t.name)
        .chain(NOT_COPIED.iter().map(|(t, _)| *t))
        .collect();
    for db in &schemas {
        let columns: Vec<(String, String, String)> = match db.read.backend() {
            Backend::Sqlite(pool) => sqlx::query_as(
                "SELECT m.name, c.name, c.type FROM sqlite_master m, pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            Backend::Postgres(pool) => sqlx::query_as(
                "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
        };
        let tables: BTreeSet<&str> = columns.iter().map(|(t, _, _)| t.as_str()).collect();
        let unknown: Vec<_> = tables.difference(&known).collect();
        assert!(
            unknown.is_empty(),
            "tables the copy does not know: {unknown:?}"
        );
        for table in TABLES {
            let mut in_schema: Vec<(&str, &str)> = columns
                .iter()
                .filter(|(t, _, _)| t == table.name)
                .map(|(_, c, ty)| (c.as_str(), ty.as_str()))
                .collect();
            in_schema.sort();
            let mut copied: Vec<(&str, Kind)> = table.columns.to_vec();
            copied.sort_by_key(|(c, _)| *c);
            let copied_names: Vec<&str> = copied.iter().map(|(c, _)| *c).collect();
            let schema_names: Vec<&str> = in_schema.iter().map(|(c, _)| *c).collect();
            assert_eq!(copied_names, schema_names, "columns of {}", table.name);
            for ((column, kind), (_, declared)) in copied.iter().zip(&in_schema) {
                let fits = match kind {
                    Kind::Int => ["INTEGER", "bigint"].contains(declared),
                    Kind::Flag => ["INTEGER", "boolean"].contains(declared),
                    Kind::Real => ["REAL", "double precision"].contains(declared),
                    Kind::Text => ["TEXT", "text"].contains(declared),
                    Kind::Bytes => ["BLOB", "bytea"].contains(declared),
                };
                assert!(
                    fits,
                    "{}.{column} is {declared}, copied as {kind:?}",
                    table.name
                );
            }
        }
    }
}

/// Catches a copy to PostgreSQL or back that loses anything, serves a
/// different page, or leaves PostgreSQL's identities behind the copied ids
/// (the next import would collide with them).
#[tokio::test]
async fn an_archive_goes_to_postgres_and_back_whole() {
    let Some(pg) = TestDatabase::create().await else {
        eprintln!("copy to PostgreSQL: skipped, ARSHIF_TEST_POSTGRES is not set");
        return;
    };
    let s = Scratch::new();
    source(&s).await;
    let from = s.db().display().to_string();
    succeeded(&copy(&s, &from, pg.url()));
    let (lite, post) = (
        Db::open(&s.db()).await.unwrap(),
        Db::open_postgres(pg.url()).await.unwrap(),
    );
    same_contents(&lite, &post).await;
    assert_eq!(article_page(&lite, &s).await, article_page(&post, &s).await);
    let url = Path::new(pg.url());
    let export = |db: &Path| succeeded_stdout(arshif_db(db, &["export"]));
    assert_eq!(export(&s.db()), export(url));

    let back = s.path("back.db").display().to_string();
    succeeded(&copy(&s, pg.url(), &back));
    let back_db = Db::open(Path::new(&back)).await.unwrap();
    same_contents(&lite, &back_db).await;
    assert_eq!(export(&s.db()), export(Path::new(&back)));

    let refused = copy(&s, &from, pg.url());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already holds an archive"));

    let highest = |db: &Db| {
        let db = db.clone();
        async move {
            arshif::dispatch!(db.read, |c| sqlx::query_as::<_, (i64, i64, i64)>(
                "SELECT (SELECT max(id) FROM articles), (SELECT max(id) FROM imports), \
                 (SELECT max(id) FROM files)"
            )
            .fetch_one(c)
            .await)
            .unwrap()
        }
    };
    let before = highest(&post).await;
    let index = s.path("pg-import.search").display().to_string();
    let more = format!("{HTML}/iso-8859-6.html");
    let imported = arshif_db(url, &["import", "--json", "--index-dir", &index, &more]);
    let report: serde_json::Value = serde_json::from_str(&succeeded_stdout(imported)).unwrap();
    assert_eq!(report["articles_new"], 1, "{report:#}");
    let after = highest(&post).await;
    assert!(
        after.0 > before.0 && after.1 > before.1 && after.2 > before.2,
        "{before:?} → {after:?}"
    );
    let mut conn = post.write.acquire().await.unwrap();
    let role = arshif::auth::Role::Reader;
    assert!(
        arshif::store::users::add(&mut conn, "qari", "$argon2id$y", role)
            .await
            .unwrap()
    );
    arshif::store::auth::create_token_for(&mut conn, "another", &[8; 32], "qari")
        .await
        .unwrap();
}

fn succeeded_stdout(out: Output) -> String {
    succeeded(&out);
    String::from_utf8(out.stdout).unwrap()
}
