//! All SQL lives here, one file per table family. Functions take a
//! [`Conn`] (lent by a pooled connection or a transaction) so the caller
//! decides the transaction boundary; only [`Db::open`] makes pools. Each
//! function's queries are written once for SQLite and PostgreSQL
//! (`handle.rs`: `#[per_backend]`, `dispatch!`).

pub mod articles;
pub mod audit;
pub mod auth;
pub mod browse;
pub mod backup;
pub mod captures;
mod checkpoint;
mod chunks;
pub mod copy;
pub mod day_counts;
mod dialect;
pub mod disk;
pub mod export;
pub mod feeds;
pub mod files;
mod handle;
pub mod imports;
pub mod jobs;
pub mod lists;
pub mod names;
pub mod relating;
pub mod removal;
pub mod periods;
mod postgres;
pub mod relations;
pub mod search;
pub mod settings;
pub mod uploads;
pub mod users;
pub mod takedowns;
mod upsert;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub(crate) use arshif_per_backend::per_backend;
pub use checkpoint::{CHECKPOINT_EVERY, Checkpointer};
pub use handle::{Backend, Conn, DecodeRow, Pool, Pooled, Tx};
pub use postgres::Location;

/// A failure talking to the database, with what we were doing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("cannot write to the archive {path}: {cause}")]
    WriteFailed { path: String, cause: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The two pools of one archive database.
///
/// SQLite allows one writer at a time: `write` has a single connection, so
/// writers queue in the pool instead of failing on a busy lock, while
/// `read` serves pages from several connections in parallel (WAL). On
/// PostgreSQL both pools have several connections (`postgres.rs`).
#[derive(Clone, Debug)]
pub struct Db {
    pub read: Pool,
    pub write: Pool,
    path: std::path::PathBuf,
    file_reads: FileReads,
}

/// How a process reads the archive's files: the SQLite database's pages
/// (its read connections) and the search index's segments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FileReads {
    /// Mapped into memory: fastest where the same small pieces are read
    /// over and over (`serve`'s pages and searches).
    #[default]
    Mapped,
    /// Copied (SQLite's page cache, `pread`), for a command that works
    /// through the archive and exits: pages it mapped would stay in its
    /// resident set, growing with the archive (issue 15 bounds an
    /// import's memory whatever the archive's size).
    Copied,
}

/// Readers that serve pages best on this kind of machine (field notes:
/// 4–8); `serve --db-connections` sets another number.
pub const DEFAULT_CONNECTIONS: u32 = 6;

impl Db {
    /// Opens (creating it and its folder if needed) the database at `path`,
    /// in WAL mode with foreign keys and a busy timeout, and applies the
    /// migrations in `migrations/`. A `path` that is a `postgres://` URL
    /// (as `--db` may give it) opens that PostgreSQL database instead.
    pub async fn open(path: &Path) -> Result<Db> {
        Db::open_with(path, DEFAULT_CONNECTIONS).await
    }

    /// [`open`](Self::open) with `connections` readers (on PostgreSQL as
    /// many writers again; SQLite has one writer).
    pub async fn open_with(path: &Path, connections: u32) -> Result<Db> {
        Db::open_reading(path, connections, FileReads::Mapped).await
    }

    /// [`open_with`](Self::open_with), the archive's files read as `reads`
    /// says.
    pub async fn open_reading(path: &Path, connections: u32, reads: FileReads) -> Result<Db> {
        if let Location::Postgres(url) = Location::of(path) {
            let db = Db::open_postgres_with(&url, connections).await?;
            return Ok(Db {
                file_reads: reads,
                ..db
            });
        }
        disable_memory_statistics();
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                path: folder.display().to_string(),
                source,
            })?;
        }
        let options = connect_options(path);
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        // The writer copies pages instead of mapping the file (a mapped,
        // growing database would count against the importer's memory), and
        // keeps a larger page cache for the indexes it updates.
        // Every connection is opened here and kept for the process's life
        // (no idle timeout, no lifetime): SQLite runs a connection on a
        // worker thread started by whichever thread opens it, and one opened
        // later from a lowered thread (`priority`) would serve pages lowered.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(
                options
                    .clone()
                    .pragma("mmap_size", "0")
                    .pragma("cache_size", "-65536")
                    .pragma("wal_autocheckpoint", "16384"),
            )
            .await
            .map_err(open_err)?;
        sqlx::migrate!("./migrations").run(&write).await?;
        // A connection to a local file cannot drop like a network one, so
        // the pool does not ping it before every use: the ping is a round
        // trip to the connection's worker thread, a third of the thread
        // switches of an article page.
        let read = SqlitePoolOptions::new()
            .max_connections(connections)
            .min_connections(connections)
            .idle_timeout(None)
            .max_lifetime(None)
            .test_before_acquire(false)
            .connect_with(match reads {
                FileReads::Mapped => options.read_only(true),
                // Reading without the map, a batch command's readers each
                // keep SQLite's default cache: they read mostly new rows
                // once (the index follower's articles), and six caches of
                // 16 MB held up to 96 MB of an import's peak; a page read
                // again comes from the kernel's file cache.
                FileReads::Copied => options
                    .read_only(true)
                    .pragma("mmap_size", "0")
                    .pragma("cache_size", "-2048"),
            })
            .await
            .map_err(open_err)?;
        Ok(Db {
            read: Pool::Sqlite(read),
            write: Pool::Sqlite(write),
            path: path.to_owned(),
            file_reads: reads,
        })
    }

    /// The same database through pools of its own, opened by the calling
    /// thread. On SQLite each connection runs on a worker thread that
    /// thread starts, so background work that opens it from a lowered
    /// thread (`priority::spawn_lowered`) does its SQL lowered too; the
    /// shared pools' connections stay at the pages' priority. PostgreSQL
    /// does the work in its own server: the same pools.
    pub async fn opened_here(&self) -> Result<Db> {
        match self.write {
            Pool::Postgres(_) => Ok(self.clone()),
            Pool::Sqlite(_) => {
                Db::open_reading(&self.path, DEFAULT_CONNECTIONS, self.file_reads).await
            }
        }
    }

    /// `err` with its cause named when it is a failure to write the
    /// database's files (a full disk, a file size limit); other errors as
    /// they are.
    pub fn write_failure(&self, err: StoreError) -> StoreError {
        if !disk::is_write_failure(&err) {
            return err;
        }
        match self.write {
            Pool::Postgres(_) => StoreError::WriteFailed {
                path: "on the PostgreSQL server".to_owned(),
                cause: disk::explain_server(&err),
            },
            Pool::Sqlite(_) => StoreError::WriteFailed {
                path: self.path.display().to_string(),
                cause: disk::explain(&self.path, &err),
            },
        }
    }

    /// The database file; on PostgreSQL `data/<database name>`, where the
    /// files derived from the archive go by default (as beside a SQLite
    /// file: its search index is `<path>.search`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How this process reads the archive's files.
    pub fn file_reads(&self) -> FileReads {
        self.file_reads
    }

    /// Flushes the WAL into the main file and closes both pools.
    pub async fn close(self) {
        if let Pool::Sqlite(write) = &self.write {
            let done: std::result::Result<(i64, i64, i64), _> =
                sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(write)
                    .await;
            if !matches!(done, Ok((0, _, _))) {
                tracing::warn!(
                    ?done,
                    "the WAL could not be folded into the database at close"
                );
            }
        }
        self.read.close().await;
        self.write.close().await;
    }
}

/// Turns off SQLite's global memory statistics, once, before the first
/// connection: every allocation otherwise takes a global mutex, and with
/// several readers and a memory-mapped file turning it off made full-text
/// search markedly faster (field notes). Too late (SQLite already running)
/// it is refused harmlessly.
fn disable_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any connection is opened
        // by this process (Once); if SQLite was initialized anyway it
        // returns SQLITE_MISUSE and changes nothing.
        let rc =
            unsafe { libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0) };
        if rc != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(rc, "SQLite memory statistics stay on");
        }
    });
}

/// Bytes per page of a new SQLite archive (an existing one keeps its own
/// until a backup and restore). An article row or an original is a few
/// kilobytes: a 4 KiB page holds one and leaves the rest empty (27% of
/// both tables unused at 100k), 16 KiB pages hold several (6–9% unused;
/// a 100k import's database 11–13% smaller and relating faster, README
/// "Archive size").
pub const PAGE_SIZE: u32 = 16_384;

fn connect_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::from_str("sqlite://")
        .expect("static connection string")
        .filename(path)
        .create_if_missing(true)
        .page_size(PAGE_SIZE)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Pages and search read from a memory map of the file instead of
        // copying pages through SQLite's cache (field notes: a large win
        // for FTS together with memory statistics off).
        .pragma("mmap_size", "1073741824")
        .pragma("cache_size", "-16000")
        // Statement journals (multi-row inserts with unique keys) stay in
        // memory instead of temporary files.
        .pragma("temp_store", "MEMORY")
        .statement_cache_capacity(256)
}

/// Current time as RFC 3339 UTC, the form every `*_at` column holds.
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `ids` as a JSON array, to bind as one value for `json_each(?)`: a list
/// of any length in one statement shape.
pub(crate) fn json_ids(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", list.join(","))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use crate::priority::{Background, spawn_lowered};

    /// The SQLite worker threads of this process running lowered.
    fn lowered_sqlite_workers() -> usize {
        let tasks = std::fs::read_dir("/proc/self/task").expect("threads listed");
        tasks
            .filter_map(|task| {
                let dir = task.ok()?.path();
                let name = std::fs::read_to_string(dir.join("comm")).ok()?;
                let thread: libc::id_t = dir.file_name()?.to_str()?.parse().ok()?;
                let lowered = crate::priority::lowered(thread).is_some();
                (name.starts_with("sqlx-sqlite") && lowered).then_some(())
            })
            .count()
    }

    /// Catches a batch command's readers keeping the pages' large cache
    /// (six of them up to 96 MB of an import's peak) or mapping the file.
    #[tokio::test]
    async fn a_batch_commands_readers_copy_pages_into_small_caches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.db");
        let pragmas = |db: Db| async move {
            let pool = db.read.as_sqlite().unwrap();
            let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
                .fetch_one(pool)
                .await
                .unwrap();
            let map: i64 = sqlx::query_scalar("PRAGMA mmap_size")
                .fetch_one(pool)
                .await
                .unwrap();
            (cache, map)
        };
        let served = Db::open(&path).await.unwrap();
        assert_eq!(pragmas(served).await, (-16000, 1 << 30));
        let batch = Db::open_reading(&path, 2, FileReads::Copied).await.unwrap();
        assert_eq!(pragmas(batch).await, (-2048, 0));
    }

    #[tokio::test]
    async fn lowered_work_gets_lowered_connections_only_when_it_opens_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("archive.db")).await.unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel();
        spawn_lowered("test-lowered-db", Background::Bulk, async move {
            // Every shared connection at once: none may be opened here.
            let mut held = Vec::new();
            for _ in 0..DEFAULT_CONNECTIONS {
                held.push(db.read.acquire().await.unwrap());
            }
            held.push(db.write.acquire().await.unwrap());
            let shared = lowered_sqlite_workers();
            let own = db.opened_here().await.unwrap();
            let pool = own.write.as_sqlite().unwrap();
            sqlx::query("SELECT 1").execute(pool).await.unwrap();
            tx.send((shared, lowered_sqlite_workers())).unwrap();
        });
        let (shared, with_own) = rx.await.unwrap();
        assert_eq!(shared, 0, "a shared connection was opened lowered");
        assert!(with_own > 0, "its own connections run at normal priority");
    }
}
