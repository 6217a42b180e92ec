//! Search benchmark, FTS5 against tantivy on the same queries: generates a
//! deterministic corpus (100,000 pages by default; `ARSHIF_BENCH_PAGES` to
//! change), imports it in-process, builds the tantivy index (`search::index`)
//! and, beside it, the FTS5 index Arshif used before (`search/fts5.rs`), then
//! runs every query class through both — each search complete: exact count
//! (tantivy: estimated past 100,000), sources and tags of the matches, the
//! page by relevance, hit rows and snippets — at 1 and at 32 concurrent
//! tasks, pages 1 and 20, and prints p50/p99 side by side with the totals,
//! build times and index sizes. Every tantivy search also counts its
//! matches per year (the results page's histogram); one more row narrows
//! the most frequent word to its busiest year (`year=`: months counted too).
//! Each row also prints the process's CPU time (user + system) per search,
//! steadier than latency on a shared machine.
//!
//! Run: `cargo bench --bench search`. `ARSHIF_BENCH_DB=path` keeps the
//! archive (and both indexes) there and reuses it on the next run;
//! `ARSHIF_BENCH_RUNS` searches per row and concurrency (default 320; FTS5
//! gets a quarter of them: its common-word rows take seconds each at 32);
//! `ARSHIF_BENCH_FTS5=0` skips the FTS5 side (not even built: the words to
//! search are then read from the tantivy index); `ARSHIF_BENCH_ONLY=text`
//! runs only the rows whose name holds `text`.

/// The FTS5 index Arshif used before, searched completely: the baseline.
#[path = "search/fts5.rs"]
mod fts5;

use arshif::dispatch;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arshif::archive::Archive;
use arshif::search::{self, SearchRequest};
use arshif::store::Db;
use arshif_testkit::bench as support;
use arshif_testkit::synth::{Corpus, CorpusSpec};

/// Goals (issue 15, at 1M articles): p99 at 1 and at 32 tasks.
const GOAL_P99_1: Duration = Duration::from_millis(25);
const GOAL_P99_32: Duration = Duration::from_millis(100);
const TASKS: usize = 32;

#[tokio::main]
async fn main() {
    let pages = support::env_usize("ARSHIF_BENCH_PAGES", 100_000);
    let runs = support::env_usize("ARSHIF_BENCH_RUNS", 320);
    let with_fts5 = std::env::var("ARSHIF_BENCH_FTS5").map_or(true, |v| v != "0");
    let scratch = tempfile::tempdir().expect("temp dir");
    let db_path = std::env::var_os("ARSHIF_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| scratch.path().join("bench.db"));
    if !db_path.exists() {
        build_archive(pages, scratch.path(), &db_path).await;
    }
    let archive = Archive::open(&db_path).await.expect("archive opens");
    let db = archive.db.clone();
    let (articles,): (i64,) =
        dispatch!(db.read, |c| sqlx::query_as("SELECT count(*) FROM articles")
            .fetch_one(c)
            .await)
        .unwrap();
    let started = Instant::now();
    let index = search::index::of(&archive.search).await.expect("index");
    let secs = started.elapsed().as_secs_f64();
    println!("tantivy: {articles} articles, opened (built if new) in {secs:.1}s");
    let has_fts5: Option<(i64,)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT 1 FROM sqlite_master WHERE name = 'bench_fts'"
    )
    .fetch_optional(c)
    .await)
    .unwrap();
    if has_fts5.is_none() && with_fts5 {
        let secs = fts5::build(&db).await;
        println!(
            "FTS5: built in {secs:.1}s ({:.0} articles/s)",
            articles as f64 / secs
        );
    }
    sizes(&db, index.dir()).await;
    let vocabulary = if has_fts5.is_some() || with_fts5 {
        fts5::vocabulary(&db).await
    } else {
        index_vocabulary(&index)
    };
    let mut classes = query_classes(&db, vocabulary).await;
    classes.push(busiest_year(&archive, &classes[1]).await);
    let only = std::env::var("ARSHIF_BENCH_ONLY").unwrap_or_default();
    classes.retain(|c| c.0.contains(&only));
    println!(
        "\nsearch latency, {articles} articles, with counts, facets and snippets; \
         goal p99 ≤ 25 ms @1, ≤ 100 ms @32 (machine shared with other work):"
    );
    println!(
        "  {:<34} {:>8} {:>8}  {:>9} {:>9} {:>9} {:>9}  {:>6}  {:>9}",
        "query", "engine", "hits", "p50 @1", "p99 @1", "p50 @32", "p99 @32", "goal", "CPU/search"
    );
    for (name, at, queries) in &classes {
        let engines: &[Engine] = if with_fts5 && at.year.is_none() {
            &[Engine::Fts5, Engine::Tantivy]
        } else {
            &[Engine::Tantivy]
        };
        for &engine in engines {
            let runs = if engine == Engine::Fts5 {
                runs / 4
            } else {
                runs
            };
            report(&archive, engine, (name, *at, queries), runs).await;
        }
    }
    archive.close().await;
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

/// Both indexes' sizes beside the raw text.
async fn sizes(db: &Db, dir: &Path) {
    let (raw,): (i64,) = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) FROM articles",
    )
    .fetch_one(c)
    .await)
    .unwrap();
    let tantivy = support::dir_size(dir);
    let fts = fts5::size(db).await;
    let ratio = |n: f64| n / raw.max(1) as f64;
    println!(
        "sizes: raw title+body {} MiB; FTS5 {} MiB = {:.2} × raw; tantivy {} MiB = {:.2} × raw",
        raw >> 20,
        fts >> 20,
        ratio(fts as f64),
        tantivy >> 20,
        ratio(tantivy as f64)
    );
}

/// Which page of the results, narrowed to which year.
#[derive(Debug, Clone, Copy)]
struct At {
    page: u32,
    year: Option<i32>,
}

const fn page(page: u32) -> At {
    At { page, year: None }
}

/// A query class (name, page, queries).
type Class = (String, At, Vec<String>);

/// `class`'s queries narrowed to the year most of their matches fall in.
async fn busiest_year(archive: &Archive, class: &Class) -> Class {
    let found = search::search(&archive.search, &req(&class.2[0], page(1)))
        .await
        .expect("search");
    let year = found.years.iter().max_by_key(|y| y.1).map(|y| y.0);
    println!("histogram of \"{}\": {:?}", class.2[0], found.years);
    let name = format!("{}, year=", class.0.replace("most frequent", "top"));
    (
        format!("{name}{}", year.unwrap_or(0)),
        At { page: 1, year },
        class.2.clone(),
    )
}

/// Query classes (name, page, queries) drawn from the archive itself.
async fn query_classes(db: &Db, (top, rare): (Vec<(String, i64)>, Vec<String>)) -> Vec<Class> {
    for (w, n) in &top {
        println!("frequent word: {w} in {n} article bodies");
    }
    let top: Vec<String> = top.into_iter().map(|(w, _)| w).collect();
    let phrase = most_frequent_phrase(db).await;
    println!("frequent phrase: \"{phrase}\"");
    let titles: Vec<(String,)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT title FROM articles WHERE id % 997 = 1 LIMIT 64"
    )
    .fetch_all(c)
    .await)
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
    let quoted = |p: &str| format!("\"{p}\"");
    vec![
        ("1 word, rare".into(), page(1), rare.clone()),
        (
            "1 word, most frequent".into(),
            page(1),
            vec![top[0].clone()],
        ),
        (
            "1 word, most frequent, page 20".into(),
            page(20),
            vec![top[0].clone()],
        ),
        ("2 words (from a title)".into(), page(1), words(2)),
        (
            "2 words, most frequent".into(),
            page(1),
            vec![top[..2].join(" ")],
        ),
        (
            "2 words, most frequent, page 20".into(),
            page(20),
            vec![top[..2].join(" ")],
        ),
        ("3 words (from a title)".into(), page(1), words(3)),
        (
            "3 words, most frequent".into(),
            page(1),
            vec![top.join(" ")],
        ),
        (
            "phrase (from a title)".into(),
            page(1),
            words(2).iter().map(|p| quoted(p)).collect(),
        ),
        (
            "phrase, most frequent".into(),
            page(1),
            vec![quoted(&phrase)],
        ),
        (
            "phrase, most frequent, page 20".into(),
            page(20),
            vec![quoted(&phrase)],
        ),
        (
            "phrase of the 2 most frequent".into(),
            page(1),
            vec![quoted(&top[..2].join(" "))],
        ),
        (
            "rare + most frequent".into(),
            page(1),
            rare.iter().map(|r| format!("{r} {}", top[0])).collect(),
        ),
    ]
}

/// `fts5::vocabulary` read from the tantivy index (when FTS5 is skipped):
/// the 3 words in most bodies, and 64 title words of 4 letters or more in
/// 5 to 50 titles, in term order (deleted versions counted: close enough).
fn index_vocabulary(index: &search::index::SearchIndex) -> (Vec<(String, i64)>, Vec<String>) {
    let searcher = index.searcher();
    let fields = index.fields();
    let terms = |field| {
        let mut all: std::collections::BTreeMap<String, i64> = Default::default();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).expect("field");
            let mut stream = inverted.terms().stream().expect("terms");
            while stream.advance() {
                let word = String::from_utf8_lossy(stream.key()).into_owned();
                *all.entry(word).or_default() += i64::from(stream.value().doc_freq);
            }
        }
        all
    };
    let mut top: Vec<(String, i64)> = terms(fields.body).into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(3);
    let rare = terms(fields.title)
        .into_iter()
        .filter(|(w, n)| (5..=50).contains(n) && w.chars().count() >= 4)
        .map(|(w, _)| w)
        .take(64)
        .collect();
    (top, rare)
}

/// The pair of words found together most often in 2,000 sampled bodies.
async fn most_frequent_phrase(db: &Db) -> String {
    let bodies: Vec<(String,)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT body FROM articles WHERE id % 50 = 0 LIMIT 2000"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    let mut pairs: HashMap<(String, String), u32> = HashMap::new();
    for (body,) in &bodies {
        let words = arshif::arabic::normalize_words(body);
        for w in words.windows(2) {
            *pairs.entry((w[0].clone(), w[1].clone())).or_default() += 1;
        }
    }
    let ((a, b), _) = pairs
        .into_iter()
        .max_by_key(|(k, n)| (*n, k.clone()))
        .unwrap();
    format!("{a} {b}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Fts5,
    Tantivy,
}

impl Engine {
    /// One search: (total, shown as "N" or "~N").
    async fn search(self, archive: &Archive, q: &str, at: At) -> String {
        match self {
            Engine::Fts5 => match fts5::search(&archive.db, q, at.page).await {
                Some((total, _)) => total.to_string(),
                None => "timeout".to_owned(),
            },
            Engine::Tantivy => match search::search(&archive.search, &req(q, at)).await {
                Ok(r) => format!("{}{}", if r.total_capped { "~" } else { "" }, r.total),
                Err(err) if err.is_user_error() => "no page".to_owned(),
                Err(err) => panic!("search: {err}"),
            },
        }
    }
}

async fn report(
    archive: &Archive,
    engine: Engine,
    (name, at, queries): (&str, At, &[String]),
    runs: usize,
) {
    let hits = engine.search(archive, &queries[0], at).await;
    let cpu_before = cpu_time();
    let solo = timed(archive, engine, (queries, at), 1, runs).await;
    let many = timed(archive, engine, (queries, at), TASKS, runs).await;
    let cpu = (cpu_time() - cpu_before) / (2 * runs) as u32;
    let ok = solo[98] <= GOAL_P99_1 && many[98] <= GOAL_P99_32;
    println!(
        "  {name:<34} {:>8} {hits:>8}  {:>9} {:>9} {:>9} {:>9}  {:>6}  {:>9}",
        format!("{engine:?}").to_lowercase(),
        ms(solo[49]),
        ms(solo[98]),
        ms(many[49]),
        ms(many[98]),
        if ok { "ok" } else { "MISSED" },
        ms(cpu),
    );
}

/// User and system CPU time of this process so far: a row's CPU per search
/// is steadier than its latency on a machine shared with other work.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn req(q: &str, at: At) -> SearchRequest {
    SearchRequest {
        q: q.to_owned(),
        page: at.page,
        period: search::Period {
            year: at.year,
            month: None,
        },
        ..SearchRequest::default()
    }
}

/// Percentiles 1..=100 of `runs` searches spread over `tasks` concurrent tasks.
async fn timed(
    archive: &Archive,
    engine: Engine,
    (queries, at): (&[String], At),
    tasks: usize,
    runs: usize,
) -> Vec<Duration> {
    let queries = Arc::new(queries.to_vec());
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (archive, queries) = (archive.clone(), queries.clone());
        handles.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for i in (t..runs).step_by(tasks) {
                let started = Instant::now();
                engine
                    .search(&archive, &queries[i % queries.len()], at)
                    .await;
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

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
