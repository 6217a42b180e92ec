//! When the database cannot write: telling a full disk, or a file size
//! limit (`ulimit -f`), from other failures, and saying which in one line
//! (SQLite's result codes, PostgreSQL's SQLSTATEs). A
//! write that fails this way fails for every document after it too, so an
//! import stops instead of trying them one by one.

use std::path::Path;

use super::StoreError;

/// SQLite's primary result codes for a full disk and for an I/O error.
const SQLITE_FULL: i64 = 13;
const SQLITE_IOERR: i64 = 10;
/// PostgreSQL's SQLSTATEs for a full disk (`disk_full`) and for an I/O
/// error (`io_error`) on the server.
const POSTGRES_DISK_FULL: &str = "53100";
const POSTGRES_IO_ERROR: &str = "58030";
/// Below this much free space a failed write is taken for a full disk.
const NEARLY_FULL: u64 = 16 << 20;

/// How a database failed to write its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Full,
    Io,
}

/// Whether `err` is the database failing to write its files (disk full,
/// I/O), on SQLite or on the PostgreSQL server.
pub fn is_write_failure(err: &StoreError) -> bool {
    failure(err).is_some()
}

fn failure(err: &StoreError) -> Option<Failure> {
    let StoreError::Sql(sqlx::Error::Database(db)) = err else {
        return None;
    };
    let postgres = db
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .is_some();
    classify(postgres, &db.code()?)
}

/// The failure a database error `code` names: a SQLSTATE from PostgreSQL,
/// else a SQLite (extended) result code, whose low byte is the primary.
fn classify(postgres: bool, code: &str) -> Option<Failure> {
    if postgres {
        return match code {
            POSTGRES_DISK_FULL => Some(Failure::Full),
            POSTGRES_IO_ERROR => Some(Failure::Io),
            _ => None,
        };
    }
    match code.parse::<i64>().ok()? & 0xff {
        SQLITE_FULL => Some(Failure::Full),
        SQLITE_IOERR => Some(Failure::Io),
        _ => None,
    }
}

/// Why the PostgreSQL server failed to write, in words: its disk is not
/// this machine's to measure, so only what the server said.
pub fn explain_server(err: &StoreError) -> String {
    match failure(err) {
        Some(Failure::Full) => "the database server's disk is full".to_owned(),
        _ => err.to_string(),
    }
}

/// Why writing to the database at `path` failed, in words.
pub fn explain(path: &Path, err: &StoreError) -> String {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let free = free_bytes(folder);
    let full = failure(err) == Some(Failure::Full);
    if full || free.is_some_and(|f| f < NEARLY_FULL) {
        let free = free.map_or(String::new(), |f| format!(" ({} KiB free)", f >> 10));
        return format!("the disk holding it is full{free}");
    }
    if let Some(limit) = file_size_limit()
        && largest_file(path) + (2 << 20) >= limit
    {
        return format!("the file size limit is reached (ulimit -f: {limit} bytes)");
    }
    err.to_string()
}

/// Bytes free to an unprivileged writer in the file system of `folder`.
fn free_bytes(folder: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `path` is a NUL-terminated string and `stats` is written by
    // statvfs before it is read (only when it returns 0).
    let stats = unsafe {
        if libc::statvfs(path.as_ptr(), stats.as_mut_ptr()) != 0 {
            return None;
        }
        stats.assume_init()
    };
    Some(stats.f_bavail as u64 * stats.f_frsize as u64)
}

/// This process's largest allowed file size, when it has one.
fn file_size_limit() -> Option<libc::rlim_t> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit) } == 0;
    (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

/// The size of the database file or its WAL, whichever is larger.
fn largest_file(path: &Path) -> u64 {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path, Path::new(&wal)]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_and_an_io_error_are_told_apart_on_both_backends() {
        assert_eq!(classify(true, "53100"), Some(Failure::Full));
        assert_eq!(classify(true, "58030"), Some(Failure::Io));
        for other in ["23505", "40001", "53200", "57014", "13", "10"] {
            assert_eq!(classify(true, other), None, "PostgreSQL {other}");
        }
        assert_eq!(classify(false, "13"), Some(Failure::Full));
        assert_eq!(classify(false, "10"), Some(Failure::Io));
        // SQLITE_IOERR_WRITE: an extended code of SQLITE_IOERR.
        assert_eq!(classify(false, "778"), Some(Failure::Io));
        for other in ["19", "2067", "5", "53100"] {
            assert_eq!(classify(false, other), None, "SQLite {other}");
        }
    }
}
