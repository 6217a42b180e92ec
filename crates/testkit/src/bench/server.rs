//! A benchmark archive and server: builds (once, cached under
//! `target/bench-data/`) a database from the synthetic corpus, starts the
//! release binary on it, and loads URLs with `wrk` on loopback.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::synth::{Corpus, CorpusSpec};

use super::{ROOT, arshif};

/// The database of `pages` synthetic pages (plus the seed), built once
/// per schema (the cache key includes a hash of `migrations/`).
pub fn archive(pages: usize) -> PathBuf {
    let dir = Path::new(ROOT).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let db = dir.join(format!("archive-{pages}-{}.db", schema_hash()));
    if db.exists() {
        return db;
    }
    let zip = corpus(pages);
    let seed = Path::new(ROOT).join("tests/data/seed/000_32f10a57e3468d13.txt");
    let building = dir.join(format!("archive-{pages}.building.db"));
    let _ = std::fs::remove_file(&building);
    let _ = std::fs::remove_dir_all(arshif::search::index::default_dir(&building));
    let status = Command::new(arshif())
        .args(["import", "--db"])
        .arg(&building)
        .arg(&zip)
        .arg(seed)
        .env("RUST_LOG", "warn")
        .status()
        .expect("arshif import");
    assert!(status.success(), "import of the benchmark corpus failed");
    std::fs::rename(&building, &db).expect("archive in place");
    // The search index built beside it moves with it.
    let index = arshif::search::index::default_dir(&db);
    let _ = std::fs::remove_dir_all(&index);
    let _ = std::fs::rename(arshif::search::index::default_dir(&building), &index);
    db
}

/// The synthetic corpus of `pages` pages as a zip, written once under
/// `target/bench-data/`.
pub fn corpus(pages: usize) -> PathBuf {
    let dir = Path::new(ROOT).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let zip = dir.join(format!("corpus-{pages}.zip"));
    if !zip.exists() {
        Corpus::new(CorpusSpec::new(pages), &super::vocabulary())
            .write_zip(&zip)
            .expect("corpus");
    }
    zip
}

/// A short hash of every migration, so a schema change rebuilds archives.
fn schema_hash() -> String {
    use sha2::{Digest, Sha256};
    let dir = Path::new(ROOT).join("migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("migrations")
        .map(|e| e.unwrap().path())
        // SQLite's migrations only: `migrations/postgres/` is a folder.
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    for file in files {
        hash.update(std::fs::read(file).expect("migration"));
    }
    hash.finalize()
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A running `arshif serve`, stopped on drop.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(db: &Path) -> Server {
        Server::start_in(db, None, &[])
    }

    /// `arshif serve` on `db` (a path, or a PostgreSQL URL) run in the
    /// folder `dir` (where a PostgreSQL archive's `data/` goes), with
    /// `extra` arguments (`--index-dir …`).
    pub fn start_in(db: &Path, dir: Option<&Path>, extra: &[&str]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new(arshif());
        command
            .args(["serve", "--db"])
            .arg(db)
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        let mut child = command.spawn().expect("arshif serve");
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..600 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Server { child, base };
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's own memory: RssAnon, not the memory-mapped database.
    pub fn rss_anon_kib(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("RssAnon:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What `wrk` measured for one URL (or list of URLs).
#[derive(Debug, Clone)]
pub struct Load {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// Loads `paths` (round robin) for `seconds` with `connections` on one
/// wrk thread, leaving the other core to the server.
pub fn load(base: &str, paths: &[String], connections: u32, seconds: u32) -> Load {
    let run = WrkRun::new(base, paths, connections, seconds);
    let out = run.command().output().expect("wrk runs (apt install wrk)");
    parse_wrk(&String::from_utf8_lossy(&out.stdout))
}

/// Load that lasts until it is stopped: one wrk run over a whole
/// operation of unknown length, so its percentiles cover all of it.
pub struct OngoingLoad {
    child: Child,
    _run: WrkRun,
}

impl OngoingLoad {
    /// Starts loading `paths` as [`load`] does, for up to an hour.
    pub fn start(base: &str, paths: &[String], connections: u32) -> OngoingLoad {
        let run = WrkRun::new(base, paths, connections, 3600);
        let child = run
            .command()
            .stdout(Stdio::piped())
            .spawn()
            .expect("wrk runs (apt install wrk)");
        OngoingLoad { child, _run: run }
    }

    /// Stops wrk with SIGINT, on which it prints what it measured so far.
    pub fn stop(self) -> Load {
        // SAFETY: kill on the pid of a child this process started and has
        // not yet waited for, so the pid cannot name another process.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGINT);
        }
        let out = self.child.wait_with_output().expect("wrk output");
        parse_wrk(&String::from_utf8_lossy(&out.stdout))
    }
}

/// The files one wrk run reads: the paths and the script cycling them.
struct WrkRun {
    base: String,
    connections: u32,
    seconds: u32,
    list: tempfile::NamedTempFile,
    script: tempfile::NamedTempFile,
}

impl WrkRun {
    fn new(base: &str, paths: &[String], connections: u32, seconds: u32) -> WrkRun {
        let list = tempfile::NamedTempFile::new().expect("paths file");
        std::fs::write(list.path(), paths.join("\n") + "\n").expect("paths written");
        let script = tempfile::NamedTempFile::new().expect("script file");
        std::fs::write(
            script.path(),
            "local paths = {}\nfor line in io.lines(os.getenv('PATHS_FILE')) do paths[#paths + 1] = line end\n\
             local n = 0\nrequest = function() n = n + 1\n return wrk.format(nil, paths[(n % #paths) + 1]) end\n",
        )
        .expect("script written");
        WrkRun {
            base: base.to_owned(),
            connections,
            seconds,
            list,
            script,
        }
    }

    fn command(&self) -> Command {
        let mut wrk = Command::new("wrk");
        wrk.args([
            "-t1",
            &format!("-c{}", self.connections),
            &format!("-d{}s", self.seconds),
            "--latency",
            "-s",
        ])
        .arg(self.script.path())
        .arg(&self.base)
        .env("PATHS_FILE", self.list.path());
        wrk
    }
}

fn parse_wrk(text: &str) -> Load {
    let ms = |v: &str| -> f64 {
        let v = v.trim();
        if let Some(x) = v.strip_suffix("us") {
            x.parse::<f64>().unwrap_or(0.0) / 1000.0
        } else if let Some(x) = v.strip_suffix("ms") {
            x.parse().unwrap_or(0.0)
        } else if let Some(x) = v.strip_suffix('s') {
            x.parse::<f64>().unwrap_or(0.0) * 1000.0
        } else {
            0.0
        }
    };
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(str::to_owned))
    };
    let errors = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Load {
        requests_per_sec: field("Requests/sec:")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0.0),
        p50_ms: field("50%").map(|v| ms(&v)).unwrap_or(0.0),
        p99_ms: field("99%").map(|v| ms(&v)).unwrap_or(0.0),
        errors,
    }
}

/// Percent-encodes the slug of a root-relative article path for wrk.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(arshif::urls::segment)
        .collect::<Vec<_>>()
        .join("/")
}
