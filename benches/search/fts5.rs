//! The FTS5 baseline the search benchmark measures tantivy against: the
//! index Arshif used before (migration 0002's contentless table over the
//! analyzer's exact and stemmed words, `bm25(10, 1, 5, 0.5)`), built in the
//! benchmark's archive as `bench_fts`, and searched *completely*, as the
//! engine must now: an exact count, sources and tags over every match, the
//! asked page by bm25 over every match, then the same hit rows and snippets
//! as `search()`. (The shipped FTS5 engine gave up completeness to stay
//! fast; its figures are in the README's history.)

use arshif::arabic;
use arshif::search::query::{Alt, Query};
use arshif::store::Db;

/// Builds `bench_fts` (and its vocabulary) from every article; returns the
/// seconds it took.
pub async fn build(db: &Db) -> f64 {
    let started = std::time::Instant::now();
    let mut conn = db
        .write
        .as_sqlite()
        .expect("a SQLite archive")
        .acquire()
        .await
        .unwrap();
    for sql in [
        "DROP TABLE IF EXISTS bench_fts_vocab",
        "DROP TABLE IF EXISTS bench_fts",
        "CREATE VIRTUAL TABLE bench_fts USING fts5(title_norm, body_norm, title_stem, body_stem, \
         content='', contentless_delete=1, tokenize='ascii')",
        "INSERT INTO bench_fts (bench_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 5.0, 0.5)')",
        "CREATE VIRTUAL TABLE bench_fts_vocab USING fts5vocab(bench_fts, 'col')",
    ] {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, title, body FROM articles WHERE id > ? ORDER BY id LIMIT 500",
        )
        .bind(after)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let Some(last) = rows.last().map(|r| r.0) else {
            break;
        };
        after = last;
        let mut tx = sqlx::Connection::begin(&mut *conn).await.unwrap();
        for (id, title, body) in rows {
            let (title_norm, title_stem) = shadow(&title);
            let (body_norm, body_stem) = shadow(&body);
            sqlx::query(
                "INSERT INTO bench_fts (rowid, title_norm, body_norm, title_stem, body_stem) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(title_norm)
            .bind(body_norm)
            .bind(title_stem)
            .bind(body_stem)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    sqlx::query("INSERT INTO bench_fts (bench_fts) VALUES ('optimize')")
        .execute(&mut *conn)
        .await
        .unwrap();
    started.elapsed().as_secs_f64()
}

/// The two shadow strings FTS5 indexed: normalized words and their stems,
/// space-joined.
fn shadow(text: &str) -> (String, String) {
    let tokens = arabic::analyze(text);
    let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    let stems: Vec<&str> = tokens.iter().map(|t| t.stem.as_str()).collect();
    (norms.join(" "), stems.join(" "))
}

/// Size of `bench_fts` in bytes (dbstat).
pub async fn size(db: &Db) -> i64 {
    let (n,): (Option<i64>,) =
        sqlx::query_as("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'bench_fts%'")
            .fetch_one(db.read.as_sqlite().expect("a SQLite archive"))
            .await
            .unwrap();
    n.unwrap_or(0)
}

/// One complete FTS5 search of page `page`: (total, hits shown); `None`
/// when it waited longer than the pool allows (30 s) for a connection.
pub async fn search(db: &Db, q: &str, page: u32) -> Option<(i64, usize)> {
    let query = Query::parse(q);
    let Some(expr) = expression(&query) else {
        return Some((0, 0));
    };
    let mut conn = db
        .read
        .as_sqlite()
        .expect("a SQLite archive")
        .acquire()
        .await
        .ok()?;
    let (total,): (i64,) = sqlx::query_as("SELECT count(*) FROM bench_fts WHERE bench_fts MATCH ?")
        .bind(&expr)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let _sources: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT a.source_id, count(*) AS n FROM bench_fts f CROSS JOIN articles a \
         ON a.id = f.rowid WHERE f.bench_fts MATCH ? GROUP BY 1 ORDER BY n DESC LIMIT 10",
    )
    .bind(&expr)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let _tags: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT t.tag_id, count(*) AS n FROM bench_fts f CROSS JOIN article_tags t \
         ON t.article_id = f.rowid WHERE f.bench_fts MATCH ? GROUP BY 1 ORDER BY n DESC LIMIT 10",
    )
    .bind(&expr)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT rowid FROM bench_fts WHERE bench_fts MATCH ? ORDER BY rank LIMIT 21 OFFSET ?",
    )
    .bind(&expr)
    .bind((page.max(1) - 1) * 20)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).take(20).collect();
    let rows = arshif::store::search::hit_rows(&mut *db.read.acquire().await.ok()?, &ids)
        .await
        .unwrap();
    let terms = arabic::QueryTerms::from_words(&query.positive_words());
    for row in &rows {
        arabic::snippet(&row.body, &terms, arshif::search::SNIPPET_CHARS);
        arabic::highlight(&row.title, &terms);
    }
    Some((total, rows.len()))
}

/// The words found in most article bodies, and words found in a few titles.
pub async fn vocabulary(db: &Db) -> (Vec<(String, i64)>, Vec<String>) {
    let top: Vec<(String, i64)> = sqlx::query_as(
        "SELECT term, doc FROM bench_fts_vocab WHERE col = 'body_norm' ORDER BY doc DESC LIMIT 3",
    )
    .fetch_all(db.read.as_sqlite().expect("a SQLite archive"))
    .await
    .unwrap();
    let rare: Vec<(String,)> = sqlx::query_as(
        "SELECT term FROM bench_fts_vocab WHERE col = 'title_norm' AND doc BETWEEN 5 AND 50 \
         AND length(term) >= 4 LIMIT 64",
    )
    .fetch_all(db.read.as_sqlite().expect("a SQLite archive"))
    .await
    .unwrap();
    (top, rare.into_iter().map(|(t,)| t).collect())
}

/// The MATCH expression of the shipped FTS5 engine (`search::fts` before
/// tantivy): every word its exact form or its stem variants, phrases exact
/// or as stems, groups ANDed, exclusions after NOT.
fn expression(query: &Query) -> Option<String> {
    if query.is_empty() {
        return None;
    }
    let groups: Vec<String> = query
        .groups
        .iter()
        .map(|g| format!("({})", g.iter().map(alt).collect::<Vec<_>>().join(" OR ")))
        .collect();
    let mut expr = format!("({})", groups.join(" AND "));
    if !query.excluded.is_empty() {
        let excluded: Vec<String> = query.excluded.iter().map(alt).collect();
        expr = format!("{expr} NOT ({})", excluded.join(" OR "));
    }
    Some(expr)
}

fn alt(alt: &Alt) -> String {
    match alt {
        Alt::Word(w) => {
            let variants: Vec<String> = arabic::query_variants(&w.norm)
                .iter()
                .map(|v| quote(v))
                .collect();
            format!(
                "({{title_norm body_norm}} : {} OR {{title_stem body_stem}} : ({}))",
                quote(&w.norm),
                variants.join(" OR ")
            )
        }
        Alt::Phrase(words) => {
            let stems: Vec<String> = words.iter().map(|w| arabic::stem(w)).collect();
            format!(
                "({{title_norm body_norm}} : {} OR {{title_stem body_stem}} : {})",
                quote(&words.join(" ")),
                quote(&stems.join(" "))
            )
        }
        Alt::Title(words) => {
            let stems: Vec<String> = words.iter().map(|w| arabic::stem(w)).collect();
            format!(
                "(title_norm : {} OR title_stem : {})",
                quote(&words.join(" ")),
                quote(&stems.join(" "))
            )
        }
    }
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}
