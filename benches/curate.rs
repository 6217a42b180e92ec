//! Curating benchmark: on the synthetic archive (`ARSHIF_BENCH_PAGES`,
//! default 100,000 pages), two further imports of `ARSHIF_BENCH_IMPORT`
//! pages each (default 10,000); then `arshif remove` of every article of
//! the first and `arshif imports undo` of the second, each while `wrk`
//! loads 1,000 article permalinks of the base archive on a running server.
//! Prints each operation's wall time and the article pages' p50/p99 idle
//! (`ARSHIF_BENCH_SECONDS`, default 30, before and after the work) and
//! during it, one wrk run from the operation's start to its end (the
//! goal: p99 during at most twice the quieter idle p99).
//!
//! Run: `cargo bench --bench curate`. Needs `wrk` (apt install wrk).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use arshif_testkit::bench as support;
use arshif_testkit::synth::{Corpus, CorpusSpec};
use support::server::{self, Load, OngoingLoad, Server, encode_path};

const CONNECTIONS: u32 = 16;

fn main() {
    let pages = support::env_usize("ARSHIF_BENCH_PAGES", 100_000);
    let extra = support::env_usize("ARSHIF_BENCH_IMPORT", 10_000);
    let seconds = support::env_usize("ARSHIF_BENCH_SECONDS", 30) as u32;
    let base = server::archive(pages);
    let work = Path::new(support::ROOT).join(format!("target/bench-data/curate-{pages}"));
    let db = copy_archive(&base, &work);
    let takedown_ids = import_extra(&db, &work, extra, 0x7a4e_d0f1);
    import_extra(&db, &work, extra, 0x0dd0_5eed);
    let undo_id = last_import(&db);
    let articles = sample_articles(&db);
    println!(
        "archive: {pages} pages + 2 imports of {extra}; wrk: {CONNECTIONS} connections, \
         idle {seconds}s, 1,000 article permalinks"
    );

    let server = Server::start(&db);
    // Not measured: the server's first seconds (opening its search index,
    // a cold page cache) would raise the idle p99 the goal is relative to.
    server::load(&server.base, &articles, CONNECTIONS, 10);
    let idle = server::load(&server.base, &articles, CONNECTIONS, seconds);
    print_load("article pages, idle", &idle, None);

    let mut remove = vec!["remove".to_owned(), "--db".to_owned(), path(&db)];
    remove.extend(["--reason".to_owned(), "benchmark".to_owned()]);
    remove.extend(takedown_ids.iter().cloned());
    let (took, load) = under_load(&server, &articles, &remove);
    let name = format!("takedown of {}", takedown_ids.len());
    print_load(&name, &load, Some(took));

    let undo = ["imports", "undo", &undo_id.to_string(), "--db", &path(&db)].map(str::to_owned);
    let (took, load) = under_load(&server, &articles, &undo);
    print_load(&format!("undo of import #{undo_id}"), &load, Some(took));
    // Idle again once the work is done: the goal is judged against the
    // quieter of the two, so a noisy first measure cannot loosen it.
    let after = server::load(&server.base, &articles, CONNECTIONS, seconds);
    print_load("article pages, idle after", &after, None);
    let baseline = idle.p99_ms.min(after.p99_ms);
    println!(
        "goal: p99 during at most 2x the quieter idle p99 ({:.2} ms)",
        baseline * 2.0
    );
}

/// Runs `arshif ARGS…` while one wrk run loads `articles` from the
/// operation's start to its end, so the p99 is the whole operation's;
/// the operation's wall time and that load.
fn under_load(server: &Server, articles: &[String], args: &[String]) -> (f64, Load) {
    let load = OngoingLoad::start(&server.base, articles, CONNECTIONS);
    let started = Instant::now();
    let status = Command::new(support::arshif())
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("arshif runs");
    let took = started.elapsed().as_secs_f64();
    let load = load.stop();
    assert!(status.success(), "{args:?} failed");
    (took, load)
}

fn print_load(name: &str, load: &Load, took: Option<f64>) {
    let took = took.map_or(String::new(), |t| format!("  took {t:.1}s"));
    let errors = match load.errors {
        0 => String::new(),
        n => format!("  ({n} non-2xx!)"),
    };
    println!(
        "{name:<32} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms{took}{errors}",
        load.requests_per_sec, load.p50_ms, load.p99_ms
    );
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// A fresh copy of the cached archive (and its search index) to change.
fn copy_archive(base: &Path, work: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).expect("work folder");
    let db = work.join("archive.db");
    std::fs::copy(base, &db).expect("archive copied");
    let index = arshif::search::index::default_dir(base);
    let copy = arshif::search::index::default_dir(&db);
    std::fs::create_dir_all(&copy).expect("index folder");
    for entry in std::fs::read_dir(&index).expect("the archive's index") {
        let entry = entry.expect("index file");
        std::fs::copy(entry.path(), copy.join(entry.file_name())).expect("index file copied");
    }
    db
}

/// Imports `pages` further synthetic pages (another seed) as one import,
/// timed; returns the permalinks of the articles it created.
fn import_extra(db: &Path, work: &Path, pages: usize, seed: u64) -> Vec<String> {
    let zip = work.join(format!("extra-{seed:x}.zip"));
    let spec = CorpusSpec {
        seed,
        ..CorpusSpec::new(pages)
    };
    Corpus::new(spec, &support::vocabulary())
        .write_zip(&zip)
        .expect("corpus");
    let measured = support::run_measured(&["import", "--db", &path(db), &path(&zip)]);
    println!("import of {pages} more pages: {:.1}s", measured.seconds);
    let id = last_import(db);
    query(
        db,
        &format!("SELECT permalink FROM articles WHERE created_import = {id} ORDER BY id"),
    )
}

fn last_import(db: &Path) -> i64 {
    query(db, "SELECT CAST(max(id) AS TEXT) FROM imports")[0]
        .parse()
        .expect("an import")
}

/// 1,000 permalinks of the base archive (the first import), spread over it.
fn sample_articles(db: &Path) -> Vec<String> {
    let rows = query(
        db,
        "SELECT '/a/' || permalink || '/' || slug FROM articles WHERE created_import = 1 \
         AND id % (SELECT MAX(id) / 1000 + 1 FROM articles) = 0 LIMIT 1000",
    );
    rows.iter().map(|p| encode_path(p)).collect()
}

/// The first column (text) of every row of `sql`.
fn query(db: &Path, sql: &str) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(db);
        let mut conn = sqlx::ConnectOptions::connect(&opts)
            .await
            .expect("bench db");
        let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_all(&mut conn)
            .await
            .expect("query");
        rows.into_iter().map(|(v,)| v).collect()
    })
}
