//! Import benchmark: a deterministic corpus of seed-format pages (100,000
//! by default; `ARSHIF_BENCH_PAGES` to change; generated once into
//! `target/bench-data/`), imports it with
//! the release binary in a child process, and prints pages/s, articles/s,
//! peak RSS and database size ÷ raw text size — once relating as it goes,
//! once with `--defer-relations` followed by `arshif relate`.
//!
//! Run: `cargo bench --bench import`. Needs Debian's `hunspell-ar` for a
//! realistic vocabulary (falls back to a small built-in list).

use std::time::Instant;

use arshif_testkit::bench as support;

fn main() {
    let pages = support::env_usize("ARSHIF_BENCH_PAGES", 100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    // Written once under target/bench-data/ and reused by later runs.
    let zip = support::server::corpus(pages);
    let raw = support::zip_text_size(&zip);
    println!(
        "corpus: {pages} pages, {} MiB of text ({}, ready in {:.1}s)",
        raw >> 20,
        zip.display(),
        started.elapsed().as_secs_f64(),
    );
    // As an upload or `arshif import` does it: stored, indexed for search
    // and related batch by batch.
    import(&dir.path().join("related.db"), &zip, pages, raw, &[]);
    // A first bulk load: related once, afterwards, by `arshif relate`.
    let db = dir.path().join("deferred.db");
    let deferred = import(&db, &zip, pages, raw, &["--defer-relations"]);
    let relate = support::run_measured(&["relate", "--db", db.to_str().unwrap()]);
    println!(
        "relate (after --defer-relations): {:.1}s, peak RSS {} MiB; import + relate: {:.1}s = {:.0} pages/s",
        relate.seconds,
        relate.peak_rss_kib >> 10,
        deferred + relate.seconds,
        pages as f64 / (deferred + relate.seconds)
    );
}

/// Imports `zip` into a new database `db` with `extra` options, prints the
/// figures and returns the wall time.
fn import(
    db: &std::path::Path,
    zip: &std::path::Path,
    pages: usize,
    raw: u64,
    extra: &[&str],
) -> f64 {
    let mut args = vec!["import", "--json", "--db", db.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(zip.to_str().unwrap());
    let run = support::run_measured(&args);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("import report");
    let articles = report["articles_new"].as_u64().unwrap_or(0);
    let db_bytes = support::db_size(db);
    let index_bytes = support::index_size(db);
    println!("import {}: {:.1}s wall", extra.join(" "), run.seconds);
    println!("  pages/s:      {:.0}", pages as f64 / run.seconds);
    println!(
        "  articles/s:   {:.0} ({articles} new articles, {} enriched, {} duplicate)",
        articles as f64 / run.seconds,
        report["articles_enriched"],
        report["articles_duplicate"]
    );
    println!("  peak RSS:     {} MiB", run.peak_rss_kib >> 10);
    println!(
        "  db size:      {} MiB = {:.2} × raw text; search index {} MiB = {:.2} ×; together {:.2} ×",
        db_bytes >> 20,
        db_bytes as f64 / raw as f64,
        index_bytes >> 20,
        index_bytes as f64 / raw as f64,
        (db_bytes + index_bytes) as f64 / raw as f64
    );
    println!(
        "  rejected:     {}",
        report["rejected"].as_array().map_or(0, Vec::len)
    );
    run.seconds
}
