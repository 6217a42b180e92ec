//! An import that runs out of room: the child `arshif import` gets a file
//! size limit (`RLIMIT_FSIZE`, with SIGXFSZ ignored so a write past it
//! fails with EFBIG as on a full disk). It stops with one line naming the
//! cause, the archive is as it was and serves, and the same import
//! completes once the limit is gone.

use std::os::unix::process::CommandExt;
use std::process::Command;

use crate::support::{Scratch, only_on_sqlite};

use super::pages;
use super::server::Server;

/// `arshif import --db DB PATH` with files limited to `limit` bytes.
fn import_limited(s: &Scratch, path: &std::path::Path, limit: u64) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_arshif"));
    command
        .args(["import", "--db"])
        .arg(s.db())
        .arg(path)
        .env("RUST_LOG", "arshif=info");
    // SAFETY: only async-signal-safe calls (setrlimit, signal) run between
    // fork and exec.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    command.output().unwrap()
}

#[test]
fn an_import_out_of_room_stops_in_one_line_and_the_archive_stays_whole() {
    if only_on_sqlite(
        "disk full",
        "the file size limit is put on the importer, which writes a SQLite file; \
         PostgreSQL's server writes its own (its disk-full SQLSTATE 53100 is classified \
         by store::disk's unit tests)",
    ) {
        return;
    }
    let s = Scratch::new();
    let first = pages::part(s.dir.path(), 0, 300);
    s.import(&[&first]);
    let before = s.export();
    let size = std::fs::metadata(s.db()).unwrap().len();
    // One batch of 1,500 pages needs several MiB more than this.
    let second = pages::part(s.dir.path(), 1, 1500);
    let out = import_limited(&s, &second, size + (1 << 20));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("arshif: import stopped: cannot write to the archive")
            && stderr.contains("file size limit"),
        "the cause is named: {stderr}"
    );

    assert_eq!(s.export(), before, "the archive is as it was");
    let server = Server::start(&s.db(), &[], &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("خبر 0-"),
        "the archive serves its articles"
    );
    server.stop();

    let report = s.import(&[&second]);
    assert_eq!(
        report["articles_new"], 1500,
        "the same import completes: {report}"
    );
    assert_eq!(s.export().len(), before.len() + 1500);
}
