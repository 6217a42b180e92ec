//! Search benchmark: generates a deterministic corpus (100,000 pages by default;
//! `ARSHIF_BENCH_PAGES` to change), imports it in-process, builds the index, then
//! times `arshif::search::search` itself (parse, rank, load, highlight, snippets):
//! p50/p99 for 1-, 2-, 3-word queries and phrases, rare and most frequent words, at
//! 1 and 32 concurrent tasks sharing one `Db`. Also prints index size ÷ raw text
//! and the recall of plain `unicode61` against ours on tests/data/search.
//!
//! Run: `cargo bench --bench search`. `ARSHIF_BENCH_DB=path` keeps the archive
//! there and reuses it on the next run (skips generation and import); see
//! `search/diagnose.rs` for the diagnostic modes.

#[path = "../tests/search/recall.rs"]
mod recall;
/// Optional diagnostics (per-step times, traced statements, write costs).
#[path = "search/diagnose.rs"]
mod diagnose;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arshif::search::{self, SearchRequest};
use arshif::store::{self, Db};
use arshif_testkit::bench as support;
use arshif_testkit::synth::{Corpus, CorpusSpec};

/// Goals at 100k articles (the search issue): p99 at 1 and at 32 tasks.
const GOAL_P99_1: Duration = Duration::from_millis(25);
const GOAL_P99_32: Duration = Duration::from_millis(100);
/// Searches timed per query class and concurrency.
const RUNS: usize = 320;
const TASKS: usize = 32;

#[tokio::main]
async fn main() {
    let pages = support::env_usize("ARSHIF_BENCH_PAGES", 100_000);
    let scratch = tempfile::tempdir().expect("temp dir");
    let db_path = std::env::var_os("ARSHIF_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| scratch.path().join("bench.db"));
    if !db_path.exists() {
        build_archive(pages, scratch.path(), &db_path).await;
    }
    let db = Db::open(&db_path).await.expect("archive opens");
    let before = support::db_size(&db_path);
    let started = Instant::now();
    let rebuilt = search::reindex::ensure_index(&db, &|_, _| {})
        .await
        .expect("index");
    let articles = count(&db, "SELECT count(*) FROM articles").await;
    if rebuilt {
        let secs = started.elapsed().as_secs_f64();
        println!(
            "index: {articles} articles in {secs:.1}s ({:.0}/s)",
            articles as f64 / secs
        );
    }
    sizes(&db, &db_path, before, rebuilt).await;
    let classes = query_classes(&db).await;
    if diagnose::run(&db, &classes).await {
        return;
    }
    println!(
        "\nsearch() latency, {articles} articles, page 1 with snippets (goal p99 ≤ 25 ms @1, ≤ 100 ms @32):"
    );
    println!(
        "  {:<28} {:>7} {:>9} {:>9} {:>9} {:>9}  {:>8}",
        "query", "hits", "p50 @1", "p99 @1", "p50 @32", "p99 @32", "goal"
    );
    for (name, queries) in &classes {
        report(&db, name, queries).await;
    }
    recall_comparison().await;
    db.close().await;
}

async fn build_archive(pages: usize, scratch: &Path, db_path: &Path) {
    let vocabulary = support::vocabulary();
    let zip = scratch.join("corpus.zip");
    let started = Instant::now();
    let raw = Corpus::new(CorpusSpec::new(pages), &vocabulary)
        .write_zip(&zip)
        .expect("corpus written");
    println!(
        "corpus: {pages} pages, {} MiB, generated in {:.1}s",
        raw >> 20,
        started.elapsed().as_secs_f64()
    );
    let db = Db::open(db_path).await.expect("archive opens");
    let started = Instant::now();
    // Search does not read relations: store without relating them.
    let report = support::import_deferred(&db, &zip).await;
    println!(
        "import: {} new articles in {:.1}s",
        report.articles_new,
        started.elapsed().as_secs_f64()
    );
    db.close().await;
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&db.read)
        .await
        .unwrap_or((0,));
    n
}

/// Index size ÷ raw text size, by `dbstat` (pages owned by the FTS tables).
async fn sizes(db: &Db, path: &Path, before: u64, rebuilt: bool) {
    let raw = count(
        db,
        "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) FROM articles",
    )
    .await;
    let index = count(
        db,
        "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'article_fts%'",
    )
    .await;
    let file = support::db_size(path);
    println!(
        "sizes: raw title+body {} MiB; FTS index {} MiB = {:.2} × raw (dbstat){}",
        raw >> 20,
        index >> 20,
        index as f64 / raw.max(1) as f64,
        if rebuilt {
            format!("; file grew {} MiB", (file.saturating_sub(before)) >> 20)
        } else {
            String::new()
        }
    );
}

/// Query classes: each a list of query strings drawn from the archive itself.
async fn query_classes(db: &Db) -> Vec<(String, Vec<String>)> {
    let mut conn = db.read.acquire().await.unwrap();
    let top = store::search::most_frequent_words(&mut conn, 3)
        .await
        .unwrap();
    let top: Vec<String> = top
        .into_iter()
        .map(|(w, n)| {
            println!("frequent word: {w} in {n} article bodies");
            w
        })
        .collect();
    let rare: Vec<(String,)> = sqlx::query_as(
        "SELECT term FROM article_fts_vocab WHERE col = 'title_norm' AND doc BETWEEN 5 AND 50 \
         AND length(term) >= 4 LIMIT 64",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let rare: Vec<String> = rare.into_iter().map(|(t,)| t).collect();
    let titles: Vec<(String,)> =
        sqlx::query_as("SELECT title FROM articles WHERE id % 997 = 1 LIMIT 64")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    let words = |n: usize| -> Vec<String> {
        titles
            .iter()
            .filter_map(|(t,)| {
                let w: Vec<&str> = t.split_whitespace().collect();
                (w.len() > n).then(|| w[1..=n].join(" "))
            })
            .collect()
    };
    let phrase: Vec<String> = words(2).into_iter().map(|p| format!("\"{p}\"")).collect();
    vec![
        ("1 word, rare".into(), rare.clone()),
        ("1 word, most frequent".into(), vec![top[0].clone()]),
        ("2 words (from a title)".into(), words(2)),
        ("2 words, most frequent".into(), vec![top[..2].join(" ")]),
        ("3 words (from a title)".into(), words(3)),
        ("3 words, most frequent".into(), vec![top.join(" ")]),
        ("phrase (from a title)".into(), phrase),
        (
            "phrase, most frequent".into(),
            vec![format!("\"{} {}\"", top[0], top[1])],
        ),
        (
            "rare + most frequent".into(),
            rare.iter().map(|r| format!("{r} {}", top[0])).collect(),
        ),
        ("most frequent, page 50".into(), vec![top[0].clone()]),
    ]
}

async fn report(db: &Db, name: &str, queries: &[String]) {
    let page = if name.ends_with("page 50") { 50 } else { 1 };
    let first = search::search(db, &req(&queries[0], page))
        .await
        .expect("search");
    let hits = format!(
        "{}{}",
        first.total,
        if first.total_capped { "+" } else { "" }
    );
    let solo = timed(db, queries, page, 1).await;
    let many = timed(db, queries, page, TASKS).await;
    let ok = solo[98] <= GOAL_P99_1 && many[98] <= GOAL_P99_32;
    println!(
        "  {name:<28} {hits:>7} {:>9} {:>9} {:>9} {:>9}  {:>8}",
        ms(solo[49]),
        ms(solo[98]),
        ms(many[49]),
        ms(many[98]),
        if ok { "ok" } else { "MISSED" }
    );
}

pub(crate) fn req(q: &str, page: u32) -> SearchRequest {
    SearchRequest {
        q: q.to_owned(),
        page,
        ..SearchRequest::default()
    }
}

/// Percentiles 1..=100 of `RUNS` searches spread over `tasks` concurrent tasks.
async fn timed(db: &Db, queries: &[String], page: u32, tasks: usize) -> Vec<Duration> {
    let queries = Arc::new(queries.to_vec());
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (db, queries) = (db.clone(), queries.clone());
        handles.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for i in (t..RUNS).step_by(tasks) {
                let started = Instant::now();
                search::search(&db, &req(&queries[i % queries.len()], page))
                    .await
                    .expect("search");
                times.push(started.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    all.sort();
    (1..=100)
        .map(|p| all[(all.len() * p / 100).min(all.len() - 1)])
        .collect()
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn recall_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = recall::load(dir.path()).await;
    let c = recall::compare(&corpus).await;
    println!(
        "\nrecall on tests/data/search ({} expected hits): arshif {:.3}, plain FTS5 unicode61 {:.3}",
        c.expected,
        recall::Comparison::recall(c.ours, c.expected),
        recall::Comparison::recall(c.plain, c.expected)
    );
    for p in &c.problems {
        println!("  problem: {p}");
    }
    corpus.db.close().await;
}
