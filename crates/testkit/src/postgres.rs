//! A fresh PostgreSQL database per test, on the server that
//! `ARSHIF_TEST_POSTGRES` names (`.ci/postgres` starts a private one):
//! tests that run on both backends take one each, so they never see each
//! other's rows, nor each other's locks (advisory locks are per database).
//! Each database is dropped when its [`TestDatabase`] is.
//!
//! `ARSHIF_TEST_BACKEND=postgres` runs the whole integration suite on
//! PostgreSQL: the helpers that make a test's archive ask [`on_postgres`]
//! and take a [`TestDatabase`] instead of a SQLite file; a test that cannot
//! run there returns early through [`only_on_sqlite`], saying why.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{AssertSqlSafe, ConnectOptions};

/// The variable holding the server's URL (a database its user may create
/// databases from).
pub const VAR: &str = "ARSHIF_TEST_POSTGRES";

/// The variable choosing the backend of every test archive: `postgres`,
/// or `sqlite` (the default, also when unset).
pub const BACKEND_VAR: &str = "ARSHIF_TEST_BACKEND";

/// Whether this run's test archives live on PostgreSQL
/// (`ARSHIF_TEST_BACKEND=postgres`). Panics on any other value than
/// `postgres` or `sqlite`, and when PostgreSQL is asked for without a
/// server in `ARSHIF_TEST_POSTGRES`: a run that silently fell back to
/// SQLite would report a PostgreSQL pass it never made.
pub fn on_postgres() -> bool {
    match std::env::var(BACKEND_VAR).unwrap_or_default().as_str() {
        "" | "sqlite" => false,
        "postgres" => {
            assert!(
                std::env::var(VAR).is_ok_and(|v| !v.is_empty()),
                "{BACKEND_VAR}=postgres needs {VAR} (`source .ci/postgres`)"
            );
            true
        }
        other => panic!("{BACKEND_VAR} is `{other}`: `postgres` or `sqlite`"),
    }
}

/// `true` (after printing why to stderr) when this run is on PostgreSQL
/// and the test, which checks something only SQLite has, must return
/// early: `if only_on_sqlite("backup", "why") { return; }`. The one way a
/// test skips a backend, so a skip is never silent.
pub fn only_on_sqlite(test: &str, why: &str) -> bool {
    let skip = on_postgres();
    if skip {
        eprintln!("{test}: skipped on PostgreSQL, SQLite only: {why}");
    }
    skip
}

/// One empty database made for one test.
#[derive(Debug)]
pub struct TestDatabase {
    server: String,
    name: String,
    url: String,
}

impl TestDatabase {
    /// A new, empty database on the test server; `None` when
    /// `ARSHIF_TEST_POSTGRES` is not set (the caller says what it skips).
    pub async fn create() -> Option<TestDatabase> {
        let server = std::env::var(VAR).ok().filter(|v| !v.is_empty())?;
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "arshif_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = connect(&server).await;
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
        let mut url = url::Url::parse(&server).expect("ARSHIF_TEST_POSTGRES is a URL");
        url.set_path(&name);
        Some(TestDatabase {
            server,
            name,
            url: url.to_string(),
        })
    }

    /// [`TestDatabase::create`] for code that cannot await (a test's
    /// synchronous set-up), from a thread and runtime of its own.
    pub fn create_blocking() -> Option<TestDatabase> {
        std::thread::spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to create the test database")
                .block_on(TestDatabase::create())
        })
        .join()
        .expect("the test database is created")
    }

    /// The database's URL, as `--db` and `ARSHIF_DB` take it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name on the server.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    /// Drops the database from a thread of its own: `Drop` cannot await,
    /// and may run inside a runtime that must not be blocked.
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to drop the test database");
            runtime.block_on(async {
                let mut conn = connect(&server).await;
                sqlx::query(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(_))) && !std::thread::panicking() {
            panic!("cannot drop the test database {}: {dropped:?}", self.name);
        }
    }
}

async fn connect(server: &str) -> PgConnection {
    PgConnectOptions::from_str(server)
        .map(|o| o.disable_statement_logging())
        .expect("ARSHIF_TEST_POSTGRES is a PostgreSQL URL")
        .connect()
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test server {server}: {e}"))
}
