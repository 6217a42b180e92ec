//! The PostgreSQL backend's foundation, on a real server (the one
//! `ARSHIF_TEST_POSTGRES` names; `.ci/run` starts a private one): a fresh
//! database per test, the migrations giving the same schema as SQLite's,
//! one writer at a time across processes, and the commands taking a
//! `postgres://` URL as `--db`.
//!
//! Without the variable these tests print that they were skipped and pass:
//! `cargo test` alone needs no server; `.ci/run` always sets it.

use std::collections::BTreeSet;
use std::time::Duration;

use arshif::store::{Backend, Db, Location};
use arshif_testkit::postgres::TestDatabase;

use crate::support::{Scratch, arshif_db};

/// A fresh database, or `None` after saying which test is skipped.
async fn database(test: &str) -> Option<TestDatabase> {
    let found = TestDatabase::create().await;
    if found.is_none() {
        eprintln!("{test}: skipped, ARSHIF_TEST_POSTGRES is not set");
    }
    found
}

/// Catches test databases that share rows (tests would see each other's
/// archives) or outlive their test (the server would fill up).
#[tokio::test]
async fn each_test_gets_an_empty_database_of_its_own_and_it_goes_away() {
    let Some(first) = database("own database").await else {
        return;
    };
    let second = TestDatabase::create().await.unwrap();
    assert_ne!(first.url(), second.url());
    let a = Db::open_postgres(first.url()).await.unwrap();
    let b = Db::open_postgres(second.url()).await.unwrap();
    let Backend::Postgres(pool) = a.write.backend() else {
        panic!("a PostgreSQL pool")
    };
    sqlx::query("INSERT INTO settings (key, value) VALUES ('only_in', 'first')")
        .execute(pool)
        .await
        .unwrap();
    let Backend::Postgres(pool) = b.read.backend() else {
        panic!("a PostgreSQL pool")
    };
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM settings WHERE key = 'only_in'")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(seen, 0, "the second database sees the first one's rows");
    let name = first.name().to_owned();
    a.close().await;
    drop(first);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "{name} outlived its test");
}

/// Tables, their columns, the explicit indexes and the schema version.
#[derive(Debug, PartialEq, Eq)]
struct Schema {
    columns: BTreeSet<(String, String)>,
    indexes: BTreeSet<String>,
    version: i64,
}

async fn schema(db: &Db) -> Schema {
    let (columns, indexes) = match db.read.backend() {
        Backend::Sqlite(pool) => {
            let columns: Vec<(String, String)> = sqlx::query_as(
                "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            let indexes: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            (columns, indexes)
        }
        Backend::Postgres(pool) => {
            let columns: Vec<(String, String)> = sqlx::query_as(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            // Primary keys and UNIQUE columns are indexes SQLite does not name.
            let indexes: Vec<String> = sqlx::query_scalar(
                "SELECT indexname::text FROM pg_indexes i WHERE schemaname = current_schema() \
                 AND tablename <> '_sqlx_migrations' AND NOT EXISTS (SELECT 1 FROM \
                 pg_constraint c WHERE c.conname = i.indexname)",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            (columns, indexes)
        }
    };
    let version: i64 = arshif::dispatch!(db.read, |c| sqlx::query_scalar(
        "SELECT max(version) FROM _sqlx_migrations"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    Schema {
        columns: columns.into_iter().collect(),
        indexes: indexes.into_iter().collect(),
        version,
    }
}

/// Catches a SQLite migration without its PostgreSQL counterpart (or one
/// that differs): the same tables, columns and indexes at the same version.
#[tokio::test]
async fn postgres_migrations_give_the_same_schema_as_sqlite() {
    let Some(pg) = database("same schema").await else {
        return;
    };
    let s = Scratch::sqlite();
    let sqlite = Db::connect(&Location::Sqlite(s.db())).await.unwrap();
    let postgres = Db::connect(&Location::parse(pg.url())).await.unwrap();
    let (lite, post) = (schema(&sqlite).await, schema(&postgres).await);
    let only_sqlite: Vec<_> = lite.columns.difference(&post.columns).collect();
    let only_postgres: Vec<_> = post.columns.difference(&lite.columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "columns only on SQLite: {only_sqlite:?}; only on PostgreSQL: {only_postgres:?}"
    );
    assert_eq!(lite.indexes, post.indexes);
    assert_eq!(lite.version, post.version);
    // Opening again applies nothing and fails on nothing.
    postgres.close().await;
    let again = Db::connect(&Location::parse(pg.url())).await.unwrap();
    assert_eq!(schema(&again).await, post);
}

/// Catches two processes writing at once on one PostgreSQL database (the
/// relating generation and the search log's order need one writer at a
/// time, as SQLite's `BEGIN IMMEDIATE` gives): a second node's write
/// transaction waits for the first one's commit.
#[tokio::test]
async fn write_transactions_take_turns_across_nodes() {
    let Some(pg) = database("one writer").await else {
        return;
    };
    let node_a = Db::open_postgres(pg.url()).await.unwrap();
    let node_b = Db::open_postgres(pg.url()).await.unwrap();
    let first = node_a.write.begin_writing().await.unwrap();
    let second = tokio::spawn(async move { node_b.write.begin_writing().await.map(drop) });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !second.is_finished(),
        "node B began writing while node A was"
    );
    first.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(60), second)
        .await
        .expect("node B writes once node A committed")
        .unwrap()
        .unwrap();
}

/// Catches a command that does not take a URL for `--db` (or makes a
/// folder named after it): `import` then `export` on PostgreSQL give what
/// they give on SQLite.
#[tokio::test]
async fn import_and_export_take_a_postgres_url() {
    let Some(pg) = database("commands").await else {
        return;
    };
    let s = Scratch::sqlite();
    let stories = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stories");
    s.import(&[std::path::Path::new(stories)]);
    let url = std::path::Path::new(pg.url());
    let index = s.path("pg.search");
    let index = index.to_str().unwrap();
    let imported = arshif_db(url, &["import", "--index-dir", index, "--json", stories]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let exported = arshif_db(url, &["export"]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(exported.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, s.export());
    assert!(
        !std::path::Path::new("postgres:").exists(),
        "a folder named after the URL"
    );
}
