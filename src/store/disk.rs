//! When SQLite cannot write: telling a full disk, or a file size limit
//! (`ulimit -f`), from other failures, and saying which in one line. A
//! write that fails this way fails for every document after it too, so an
//! import stops instead of trying them one by one.

use std::path::Path;

use super::StoreError;

/// SQLite's primary result codes for a full disk and for an I/O error.
const SQLITE_FULL: i64 = 13;
const SQLITE_IOERR: i64 = 10;
/// Below this much free space a failed write is taken for a full disk.
const NEARLY_FULL: u64 = 16 << 20;

/// Whether `err` is SQLite failing to write its files (disk full, I/O).
pub fn is_write_failure(err: &StoreError) -> bool {
    let StoreError::Sql(sqlx::Error::Database(db)) = err else {
        return false;
    };
    let code: Option<i64> = db.code().and_then(|c| c.parse().ok());
    code.is_some_and(|c| matches!(c & 0xff, SQLITE_FULL | SQLITE_IOERR))
}

/// Why writing to the database at `path` failed, in words.
pub fn explain(path: &Path, err: &StoreError) -> String {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let free = free_bytes(folder);
    let full = matches!(err, StoreError::Sql(sqlx::Error::Database(db))
        if db.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| c & 0xff == SQLITE_FULL));
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
