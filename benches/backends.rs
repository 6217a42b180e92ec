//! Backends benchmark (issue 17): the same synthetic archive (100,000
//! pages by default; `ARSHIF_BENCH_PAGES` to change) imported into SQLite
//! and into PostgreSQL with the release binary, then served by one node on
//! SQLite, one node on PostgreSQL, and two nodes on one PostgreSQL
//! database; prints, side by side, import pages/s and the req/s and p99 of
//! article pages (1,000 permalinks), the home page and a search for a
//! frequent word, each loaded by `wrk` with 32 connections
//! (`ARSHIF_BENCH_SECONDS` each, default 10). Two nodes share the 32
//! connections (16 each, two wrk at once): their req/s are summed, the
//! worse p99 is shown. Each node has its own copy of the search index
//! the import built, as nodes on separate machines would.
//!
//! Run: `source .ci/postgres && cargo bench --bench backends` (it needs
//! `ARSHIF_TEST_POSTGRES`: a server whose user may create databases; the
//! bench makes one and drops it) and `wrk` (apt install wrk).

use std::path::{Path, PathBuf};
use std::process::Command;

use arshif_testkit::bench as support;
use arshif_testkit::postgres::{self, TestDatabase};
use support::server::{self, Load, Server};

const CONNECTIONS: u32 = 32;

fn main() {
    if std::env::var(postgres::VAR).map_or(true, |v| v.is_empty()) {
        eprintln!(
            "the backends bench needs a PostgreSQL server: run `source .ci/postgres` first \
             (it starts a private one and sets {})",
            postgres::VAR
        );
        std::process::exit(2);
    }
    let pages = support::env_usize("ARSHIF_BENCH_PAGES", 100_000);
    let seconds = support::env_usize("ARSHIF_BENCH_SECONDS", 10) as u32;
    let zip = server::corpus(pages);
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pg = runtime
        .block_on(TestDatabase::create())
        .expect("a PostgreSQL database");
    let lite = dir.path().join("archive.db");
    let lite_index = dir.path().join("sqlite.search");
    let pg_index = dir.path().join("postgres.search");
    println!("archive: {pages} pages; {CONNECTIONS} connections, {seconds}s per URL set");
    let imports = [
        import(lite.to_str().unwrap(), &lite_index, &zip, pages),
        import(pg.url(), &pg_index, &zip, pages),
    ];
    let sets = url_sets(&runtime, &lite);
    let sqlite = {
        let node = Server::start_in(&lite, None, &["--index-dir", lite_index.to_str().unwrap()]);
        measure(&[&node], &sets, seconds)
    };
    let node_a = pg_node(pg.url(), &pg_index, &dir.path().join("node-a"));
    let one = measure(&[&node_a], &sets, seconds);
    let node_b = pg_node(pg.url(), &pg_index, &dir.path().join("node-b"));
    let two = measure(&[&node_a, &node_b], &sets, seconds);
    print_table(&imports, &sets, [&sqlite, &one, &two]);
}

/// Imports the corpus into `db` with the release binary: pages/s.
fn import(db: &str, index: &Path, zip: &Path, pages: usize) -> f64 {
    let run = support::run_measured(&[
        "import",
        "--json",
        "--db",
        db,
        "--index-dir",
        index.to_str().unwrap(),
        zip.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("import report");
    println!(
        "import into {}: {:.1}s, {} new articles",
        if db.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        run.seconds,
        report["articles_new"]
    );
    pages as f64 / run.seconds
}

/// A `serve` node on the PostgreSQL archive, in a folder of its own with
/// its own copy of the search index.
fn pg_node(url: &str, index: &Path, folder: &Path) -> Server {
    std::fs::create_dir_all(folder).expect("node folder");
    let own = folder.join("search");
    let copied = Command::new("cp")
        .arg("-r")
        .arg(index)
        .arg(&own)
        .status()
        .expect("cp runs");
    assert!(copied.success(), "the search index could not be copied");
    Server::start_in(
        Path::new(url),
        Some(folder),
        &["--index-dir", own.to_str().unwrap()],
    )
}

/// The URL sets loaded: 1,000 article permalinks spread over the archive,
/// the home page, and a search for the most frequent tag's first word.
fn url_sets(runtime: &tokio::runtime::Runtime, db: &PathBuf) -> Vec<(&'static str, Vec<String>)> {
    runtime.block_on(async {
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .read_only(true);
        let mut conn = sqlx::ConnectOptions::connect(&opts)
            .await
            .expect("bench db");
        let articles: Vec<(String, String)> = sqlx::query_as(
            "SELECT permalink, slug FROM articles \
             WHERE id % (SELECT MAX(id) / 1000 + 1 FROM articles) = 0 LIMIT 1000",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let (tag,): (String,) =
            sqlx::query_as("SELECT name FROM tags ORDER BY article_count DESC LIMIT 1")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        let word = tag.split_whitespace().next().unwrap_or("مصر");
        let articles = articles
            .iter()
            .map(|(p, s)| server::encode_path(&arshif::urls::article(p, s)))
            .collect();
        vec![
            ("article", articles),
            ("home", vec!["/".to_owned()]),
            (
                "search",
                vec![format!("/search?q={}", arshif::urls::segment(word))],
            ),
        ]
    })
}

/// Each URL set loaded on every node at once (the connections shared
/// among them): req/s summed, the worst p99, errors summed.
fn measure(nodes: &[&Server], sets: &[(&str, Vec<String>)], seconds: u32) -> Vec<Load> {
    let connections = CONNECTIONS / nodes.len() as u32;
    sets.iter()
        .map(|(_, paths)| {
            let loads: Vec<Load> = std::thread::scope(|scope| {
                let running: Vec<_> = nodes
                    .iter()
                    .map(|node| {
                        scope.spawn(|| server::load(&node.base, paths, connections, seconds))
                    })
                    .collect();
                running
                    .into_iter()
                    .map(|r| r.join().expect("wrk"))
                    .collect()
            });
            Load {
                requests_per_sec: loads.iter().map(|l| l.requests_per_sec).sum(),
                p50_ms: loads.iter().map(|l| l.p50_ms).fold(0.0, f64::max),
                p99_ms: loads.iter().map(|l| l.p99_ms).fold(0.0, f64::max),
                errors: loads.iter().map(|l| l.errors).sum(),
            }
        })
        .collect()
}

fn print_table(imports: &[f64; 2], sets: &[(&str, Vec<String>)], runs: [&Vec<Load>; 3]) {
    println!(
        "\n{:<22} {:>26} {:>26} {:>26}",
        "", "SQLite", "PostgreSQL, 1 node", "PostgreSQL, 2 nodes"
    );
    println!(
        "{:<22} {:>26.0} {:>26.0} {:>26}",
        "import pages/s", imports[0], imports[1], "(same database)"
    );
    for (i, (name, _)) in sets.iter().enumerate() {
        let cell = |load: &Load| {
            let errors = if load.errors > 0 {
                format!(" ({} non-2xx!)", load.errors)
            } else {
                String::new()
            };
            format!(
                "{:.0} req/s, p99 {:.1} ms{errors}",
                load.requests_per_sec, load.p99_ms
            )
        };
        println!(
            "{:<22} {:>26} {:>26} {:>26}",
            name,
            cell(&runs[0][i]),
            cell(&runs[1][i]),
            cell(&runs[2][i])
        );
    }
}
