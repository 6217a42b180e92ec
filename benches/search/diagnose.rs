//! Diagnostics for the search benchmark, chosen by environment variable:
//! `ARSHIF_BENCH_PROFILE=1` times each step of one search per query class before
//! the usual run; `ARSHIF_BENCH_TRACE=N` prints every SQL statement of one search
//! of class N with its time, and stops; `ARSHIF_BENCH_WRITES=1` times indexing a
//! batch inside a (rolled back) write transaction, and stops;
//! `ARSHIF_BENCH_QUERIES=1` prints each class's first queries and hit counts.

use std::time::Instant;

use arshif::search;
use arshif::store::{self, Db};

use super::{ms, req};

/// Runs the diagnostics asked for; true when the benchmark should stop after.
pub async fn run(db: &Db, classes: &[(String, Vec<String>)]) -> bool {
    if std::env::var_os("ARSHIF_BENCH_WRITES").is_some() {
        writes(db).await;
        return true;
    }
    if let Some(which) = std::env::var_os("ARSHIF_BENCH_TRACE") {
        // sqlx logs every statement with its time at debug level.
        tracing_subscriber::fmt()
            .with_env_filter("sqlx::query=debug")
            .init();
        let n: usize = which.to_str().and_then(|w| w.parse().ok()).unwrap_or(0);
        let (name, queries) = &classes[n.min(classes.len() - 1)];
        let page = if name.ends_with("page 50") { 50 } else { 1 };
        search::search(db, &req(&queries[0], page)).await.unwrap();
        return true;
    }
    if std::env::var_os("ARSHIF_BENCH_QUERIES").is_some() {
        for (name, queries) in classes {
            let r = search::search(db, &req(&queries[0], 1)).await.unwrap();
            println!(
                "{name}: {:?} → {} hits",
                &queries[..queries.len().min(3)],
                r.total
            );
        }
        return true;
    }
    if std::env::var_os("ARSHIF_BENCH_PROFILE").is_some() {
        for (name, queries) in classes {
            profile(db, name, &queries[0]).await;
        }
    }
    false
}

/// Times each step of one search (ARSHIF_BENCH_PROFILE=1).
async fn profile(db: &Db, name: &str, q: &str) {
    use arshif::search::{fts, query::Query, rank};
    use store::search as s;
    let query = Query::parse(q);
    let Some(expr) = fts::build(&query) else {
        return;
    };
    let scope = s::Scope::default();
    let mut conn = db.read.acquire().await.unwrap();
    let mut line = format!("  {name:<28}");
    let mut step =
        |label: &str, t: Instant| line.push_str(&format!(" {label} {}", ms(t.elapsed())));
    let t = Instant::now();
    let r = rank::rank(
        (&mut conn, &db.group_counts),
        (&query, &expr),
        &scope,
        (0, 21),
        &rank::Limits::default(),
    )
    .await
    .unwrap();
    step("rank", t);
    let t = Instant::now();
    let counted = &r.newest[..r.newest.len().min(search::FACET_WINDOW as usize)];
    s::facets(&mut conn, counted, 10).await.unwrap();
    step("facets", t);
    let ids: Vec<i64> = r.ids.iter().copied().take(20).collect();
    let t = Instant::now();
    let rows = s::hit_rows(&mut conn, &ids).await.unwrap();
    step("rows", t);
    let terms = arshif::arabic::QueryTerms::from_words(&query.positive_words());
    let t = Instant::now();
    for row in &rows {
        arshif::arabic::snippet(&row.body, &terms, 240);
        arshif::arabic::highlight(&row.title, &terms);
    }
    step("snippets", t);
    println!("{line}");
}

/// What re-indexing a batch costs inside the importer's transaction
/// (ARSHIF_BENCH_WRITES=1; rolled back, the archive is unchanged).
async fn writes(db: &Db) {
    let mut tx = db.write.begin_with("BEGIN IMMEDIATE").await.unwrap();
    let max = store::articles::max_id(&mut tx).await.unwrap();
    let new: Vec<i64> = (max + 1..=max + 2048).collect();
    let old: Vec<i64> = (max - 2047..=max).collect();
    let t = Instant::now();
    store::search::remove(&mut tx, &new).await.unwrap();
    println!("remove 2048 ids not in the index: {}", ms(t.elapsed()));
    let t = Instant::now();
    search::reindex::index_articles(&mut tx, &old)
        .await
        .unwrap();
    println!(
        "index_articles 2048 stored articles (read, analyze, delete, insert): {}",
        ms(t.elapsed())
    );
    tx.rollback().await.unwrap();
}
