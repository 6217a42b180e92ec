//! Helpers shared by the benchmarks: run the release binary as a child
//! process and measure its wall time and peak memory, import in-process,
//! read the knobs from the environment.

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::synth::Vocabulary;
use arshif::archive::Archive;
use arshif::ingest::pipeline::{self, ImportOptions, Input, Quiet};
use arshif::ingest::report::Report;
use arshif::store::{Db, imports};

/// The checkout's root (benchmarks keep their data under its `target/`).
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The `arshif` binary of the running benchmark's build: cargo builds it
/// beside the benchmark (`target/<profile>/arshif`, the benchmark itself
/// being in `target/<profile>/deps/`).
pub fn arshif() -> PathBuf {
    let bench = std::env::current_exe().expect("the running benchmark's path");
    let profile = bench
        .parent()
        .and_then(Path::parent)
        .expect("benchmarks run from target/<profile>/deps");
    profile.join(format!("arshif{}", std::env::consts::EXE_SUFFIX))
}

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
    let mut child = Command::new(arshif())
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

/// The uncompressed bytes of every file in the zip at `path` (the raw
/// text of a corpus written by [`server::corpus`]).
pub fn zip_text_size(path: &Path) -> u64 {
    let file = std::fs::File::open(path).expect("corpus zip");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    (0..zip.len())
        .map(|i| zip.by_index_raw(i).expect("zip entry").size())
        .sum()
}

/// Bytes of the files directly in `dir` (a tantivy index keeps no
/// subfolders); 0 when it is missing.
pub fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Bytes of the search index kept beside the SQLite archive `db`.
pub fn index_size(db: &Path) -> u64 {
    dir_size(&arshif::search::index::default_dir(db))
}

/// Imports `path` in-process as one import, storing without relating
/// (benchmarks that time relating, or do not read relations). The member
/// limit is lifted: a generated corpus of a million pages is one zip of a
/// million files, four times the default (`arshif import` takes
/// `--max-members` / `ARSHIF_MAX_MEMBERS` for it). Panics when nothing was
/// stored, naming the import's failures.
pub async fn import_deferred(db: &Db, path: &Path) -> Report {
    let import_id = imports::create(&mut db.write.acquire().await.unwrap(), "cli", "running")
        .await
        .unwrap();
    let mut options = ImportOptions {
        defer_relations: true,
        ..ImportOptions::default()
    };
    options.limits.max_archive_members = u64::MAX;
    let inputs = vec![Input::Path(path.to_owned())];
    let archive = Archive::new(db.clone());
    let report = pipeline::run(&archive, import_id, inputs, options, &Quiet)
        .await
        .expect("import");
    assert!(
        report.articles_new > 0,
        "the import of {} stored nothing: {:?}, rejected {:?}",
        path.display(),
        report.error,
        report.rejected.first()
    );
    report
}
