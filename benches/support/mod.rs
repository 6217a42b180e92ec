//! Helpers shared by the benchmarks: run the release binary as a child
//! process and measure its wall time and peak memory.

#![allow(dead_code)]

pub mod fts5;
pub mod server;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use arshif::ingest::pipeline::{self, ImportOptions, Input, Quiet};
use arshif::ingest::report::Report;
use arshif::store::{Db, imports};
use arshif::synth::Vocabulary;

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The system word list, or the built-in one with a warning.
pub fn vocabulary() -> Vocabulary {
    Vocabulary::system().unwrap_or_else(|| {
        eprintln!("warning: hunspell-ar is not installed (apt install hunspell-ar); using the small built-in vocabulary");
        Vocabulary::builtin()
    })
}

pub struct Measured {
    pub seconds: f64,
    pub peak_rss_kib: i64,
    pub stdout: Vec<u8>,
}

/// Runs `arshif ARGS…`, returning wall time, peak RSS (from `wait4`) and stdout.
pub fn run_measured(args: &[&str]) -> Measured {
    let started = Instant::now();
    // Reaped below with `wait4`, which also gives its peak memory.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("arshif starts");
    let pid = child.id() as libc::pid_t;
    let stdout_reader = std::thread::spawn({
        let mut out = child.stdout.take().expect("piped");
        move || {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut out, &mut buf).expect("stdout read");
            buf
        }
    });
    let mut status = 0;
    // SAFETY: `rusage` is plain data, zeroed is a valid value, and `pid` is our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "arshif failed"
    );
    Measured {
        seconds,
        peak_rss_kib: usage.ru_maxrss,
        stdout: stdout_reader.join().expect("reader"),
    }
}

/// Size of a database with its WAL and shared-memory files.
pub fn db_size(db: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", db.display())).ok())
        .map(|m| m.len())
        .sum()
}

/// Imports `path` in-process as one import, storing without relating
/// (benchmarks that time relating, or do not read relations).
pub async fn import_deferred(db: &Db, path: &Path) -> Report {
    let import_id = imports::create(&mut db.write.acquire().await.unwrap(), "cli", "running")
        .await
        .unwrap();
    let options = ImportOptions {
        defer_relations: true,
        ..ImportOptions::default()
    };
    let inputs = vec![Input::Path(path.to_owned())];
    pipeline::run(db, import_id, inputs, options, &Quiet)
        .await
        .expect("import")
}
