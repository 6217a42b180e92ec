//! Page benchmark: the reading pages under load on loopback, beside
//! `/healthz` in the same run, over the 100,000-page synthetic archive
//! (`ARSHIF_BENCH_PAGES` to change). Prints requests/s, p50/p99 latency
//! and each page's rate as a share of `/healthz`, then the server's own
//! memory (RssAnon, not the mapped database).
//!
//! Run: `cargo bench --bench pages`. Needs `wrk` (apt install wrk).

use arshif_testkit::bench as support;
use support::server::{self, Server};

const CONNECTIONS: u32 = 32;

fn main() {
    let pages = support::env_usize("ARSHIF_BENCH_PAGES", 100_000);
    let seconds = support::env_usize("ARSHIF_BENCH_SECONDS", 15) as u32;
    let db = server::archive(pages);
    let server = Server::start(&db);
    let (articles, tag) = sample_urls(&db);
    println!(
        "archive: {pages} pages; {CONNECTIONS} connections, {seconds}s per URL set, one wrk thread"
    );
    let runs: Vec<(&str, Vec<String>)> = vec![
        ("/healthz", vec!["/healthz".to_owned()]),
        ("article (1,000 permalinks)", articles),
        ("home", vec!["/".to_owned()]),
        ("tag page", vec![tag]),
    ];
    let mut healthz = 0.0;
    println!(
        "{:<28} {:>10} {:>9} {:>9} {:>9}",
        "page", "req/s", "p50 ms", "p99 ms", "÷healthz"
    );
    for (name, paths) in runs {
        let load = server::load(&server.base, &paths, CONNECTIONS, seconds);
        if healthz == 0.0 {
            healthz = load.requests_per_sec;
        }
        println!(
            "{name:<28} {:>10.0} {:>9.2} {:>9.2} {:>8.1}%{}",
            load.requests_per_sec,
            load.p50_ms,
            load.p99_ms,
            100.0 * load.requests_per_sec / healthz,
            if load.errors > 0 {
                format!("  ({} non-2xx!)", load.errors)
            } else {
                String::new()
            }
        );
    }
    println!(
        "server RssAnon after the runs: {} MiB",
        server.rss_anon_kib() >> 10
    );
}

/// 1,000 article permalinks spread over the archive, and a tag page of a
/// tag with a few hundred articles.
fn sample_urls(db: &std::path::Path) -> (Vec<String>, String) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(db).read_only(true);
        let mut conn = sqlx::ConnectOptions::connect(&opts).await.expect("bench db");
        let articles: Vec<(String, String)> = sqlx::query_as(
            "SELECT permalink, slug FROM articles WHERE id % (SELECT MAX(id) / 1000 + 1 FROM articles) = 0 LIMIT 1000",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let (tag,): (String,) = sqlx::query_as(
            "SELECT name FROM tags WHERE article_count BETWEEN 100 AND 1000 ORDER BY article_count DESC LIMIT 1",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap_or(("مصر".to_owned(),));
        let paths = articles
            .iter()
            .map(|(p, s)| server::encode_path(&arshif::urls::article(p, s)))
            .collect();
        (paths, arshif::urls::tag(&tag))
    })
}
