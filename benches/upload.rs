//! Upload benchmark: while a 100,000-page zip is imported through
//! `POST /api/imports`, how do readers fare? Measures the article page's
//! p99 under load (wrk, 32 connections) idle and during the import, and
//! the import's pages/s. Goal: p99 during the import within 3× of idle.
//!
//! The server starts on a 10,000-page archive; the upload is a different
//! corpus (another seed), so it is all new. `ARSHIF_BENCH_PAGES` sets the
//! upload size. Run: `cargo bench --bench upload`. Needs `wrk` and `curl`.

use std::process::Command;
use std::time::{Duration, Instant};

use arshif_testkit::bench as support;
use arshif_testkit::synth::{Corpus, CorpusSpec};
use support::server::{self, Server};

const CONNECTIONS: u32 = 32;

fn main() {
    let pages = support::env_usize("ARSHIF_BENCH_PAGES", 100_000);
    let base_db = server::archive(10_000);
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("archive.db");
    std::fs::copy(&base_db, &db).expect("copy of the base archive");
    let zip = work.path().join("upload.zip");
    let mut spec = CorpusSpec::new(pages);
    spec.seed ^= 0x00c0_ffee;
    let raw = Corpus::new(spec, &support::vocabulary())
        .write_zip(&zip)
        .expect("upload corpus");
    println!(
        "upload: {pages} pages, {} MiB of text, {} MiB zip",
        raw >> 20,
        std::fs::metadata(&zip).unwrap().len() >> 20
    );

    let token = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_arshif"))
            .args(["token", "create", "--db"])
            .arg(&db)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_owned();
    let server = Server::start(&db);
    let articles = sample_articles(&db);
    // Let the disk settle after writing the corpus, and warm the server up.
    let _ = Command::new("sync").status();
    server::load(&server.base, &articles, CONNECTIONS, 5);
    let idle = server::load(&server.base, &articles, CONNECTIONS, 10);
    println!(
        "article page idle:          {:>7.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
        idle.requests_per_sec, idle.p50_ms, idle.p99_ms
    );

    let started = Instant::now();
    let upload = Command::new("curl")
        .args(["-s", "-H", &format!("Authorization: Bearer {token}"), "-F"])
        .arg(format!("file=@{}", zip.display()))
        .arg(format!("{}/api/imports", server.base))
        .output()
        .expect("curl runs");
    let answer: serde_json::Value = serde_json::from_slice(&upload.stdout).expect("upload answer");
    let id = answer["import_id"].as_i64().expect("an import id");
    let uploaded = started.elapsed();
    let during = server::load(&server.base, &articles, CONNECTIONS, 10);
    let report = wait_for(&server.base, &token, id);
    let took = started.elapsed();
    println!(
        "article page during import: {:>7.0} req/s, p50 {:.2} ms, p99 {:.2} ms  ({:.1}× idle p99)",
        during.requests_per_sec,
        during.p50_ms,
        during.p99_ms,
        during.p99_ms / idle.p99_ms.max(0.001)
    );
    println!(
        "import: {} files in {:.1}s (upload {:.1}s) = {:.0} pages/s while serving; {} new articles",
        report["files"],
        took.as_secs_f64(),
        uploaded.as_secs_f64(),
        pages as f64 / took.as_secs_f64(),
        report["articles_new"]
    );
    println!("server RssAnon: {} MiB", server.rss_anon_kib() >> 10);
}

fn wait_for(base: &str, token: &str, id: i64) -> serde_json::Value {
    loop {
        let out = Command::new("curl")
            .args(["-s", "-H", &format!("Authorization: Bearer {token}")])
            .arg(format!("{base}/api/imports/{id}"))
            .output()
            .unwrap();
        let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        if status["status"] == "done" || status["status"] == "failed" {
            return status["report"].clone();
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn sample_articles(db: &std::path::Path) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .read_only(true);
        let mut conn = sqlx::ConnectOptions::connect(&opts)
            .await
            .expect("bench db");
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT permalink, slug FROM articles WHERE id % 10 = 0 LIMIT 1000")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        rows.iter()
            .map(|(p, s)| server::encode_path(&arshif::urls::article(p, s)))
            .collect()
    })
}
