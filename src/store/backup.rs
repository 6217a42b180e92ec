//! Backing up and restoring a SQLite archive, the database side: a
//! consistent copy while other processes read and write it, what a file
//! holds, and whether another process has an archive open.
//!
//! The copy is `VACUUM INTO`: it reads the whole database in one read
//! transaction, so the copy is the archive as of one commit however many
//! batches an import commits meanwhile (the online-backup API, copying
//! step by step, starts over whenever another connection writes).

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};

use super::{Result, StoreError};

/// A connection that only reads the database at `path` (no migrations,
/// no journal mode changes: the archive may be serving).
pub async fn open_read_only(path: &Path) -> Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await
        .map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })
}

/// Bytes of the database that hold data (free pages are not copied).
pub async fn used_bytes(conn: &mut SqliteConnection) -> Result<u64> {
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&mut *conn)
        .await?;
    let free: i64 = sqlx::query_scalar("PRAGMA freelist_count")
        .fetch_one(&mut *conn)
        .await?;
    let size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(conn)
        .await?;
    Ok(((pages - free).max(0) * size) as u64)
}

/// Writes a consistent, compacted copy of the database to `target`, which
/// must not exist yet, in pages of [`super::PAGE_SIZE`] (so an archive
/// begun with smaller pages gets them by a backup and a restore).
pub async fn copy_into(conn: &mut SqliteConnection, target: &Path) -> Result<()> {
    let target = target.to_str().ok_or_else(|| {
        StoreError::Sql(sqlx::Error::Protocol(format!(
            "the backup path {} is not UTF-8",
            target.display()
        )))
    })?;
    // Sets the copy's page size only: the archive's own cannot change
    // while it is in WAL mode.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA page_size = {}",
        super::PAGE_SIZE
    )))
    .execute(&mut *conn)
    .await?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(conn)
        .await?;
    Ok(())
}

/// What an archive holds, enough to tell an empty one from one in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contents {
    pub articles: i64,
    pub imports: i64,
}

impl Contents {
    pub fn is_empty(&self) -> bool {
        self.articles == 0 && self.imports == 0
    }
}

/// The articles and imports of the archive on `conn`; an error when the
/// database is not an archive.
pub async fn contents(conn: &mut SqliteConnection) -> Result<Contents> {
    let (articles, imports): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM imports)")
            .fetch_one(conn)
            .await?;
    Ok(Contents { articles, imports })
}

/// SQLite's quick structural check: `"ok"`, or what is wrong.
pub async fn quick_check(conn: &mut SqliteConnection) -> Result<String> {
    Ok(sqlx::query_scalar("PRAGMA quick_check(1)")
        .fetch_one(conn)
        .await?)
}

/// Whether another process has the archive at `path` open: every SQLite
/// connection to a WAL database holds a shared lock on one byte of its
/// `-shm` file (the "DMS" byte, offset 128) for as long as it is open.
pub fn in_use(path: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&shm)
    else {
        return false;
    };
    // SAFETY: an all-zero `flock` is a valid value; the fields that matter
    // are set below.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as _;
    lock.l_whence = libc::SEEK_SET as _;
    lock.l_start = 128;
    lock.l_len = 1;
    // SAFETY: F_GETLK only fills `lock` with the first conflicting lock.
    let asked = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) };
    asked == 0 && lock.l_type != libc::F_UNLCK as libc::c_short
}
