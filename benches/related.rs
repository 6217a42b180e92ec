//! Related-articles benchmark: imports the labelled story corpus
//! (`synth::stories`, scaled; hunspell vocabulary when installed) with
//! relations on — each import batch of 2,048 pages stored with
//! `defer_relations`, then `related::relate_batch` on its new articles in
//! a transaction of its own, so that the two costs show apart (the importer
//! relates inside its batch transaction, from the texts it holds) —
//! and prints, side by side, the rate of a 5,000-page window ending at
//! 10k, 50k and 100k pages: the cost per article must stay flat as the
//! archive grows. Then `relate_all` at full size, bytes per article of the
//! related tables, and the quality at scale.
//!
//! Run: `cargo bench --bench related` (`ARSHIF_BENCH_PAGES` to change 100,000,
//! past it adding a window at every doubling;
//! `ARSHIF_BENCH_DB=path` builds the archive there and stops after the
//! windows, leaving it as imported, to study; given an archive that
//! exists, it only times rebuilding the resident set from it).

#[path = "related/report.rs"]
mod report;

use arshif::dispatch;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use arshif::related;
use arshif::store::Db;
use arshif_testkit::bench as support;
use arshif_testkit::synth::stories::{Label, Page, StorySet, StorySpec, Synonyms};

const SYNONYMS: &str = include_str!("../tests/data/related/synonyms.tsv");
/// Pages per import (one importer batch).
const CHUNK: usize = 2048;
/// Pages per measured window.
const WINDOW: usize = 5000;

/// Time spent importing and relating some pages.
#[derive(Default, Clone, Copy)]
struct Spent {
    pages: usize,
    articles: u64,
    import: f64,
    relate: f64,
}

impl Spent {
    fn add(&mut self, other: Spent) {
        self.pages += other.pages;
        self.articles += other.articles;
        self.import += other.import;
        self.relate += other.relate;
    }
}

#[tokio::main]
async fn main() {
    if let Some(kept) = std::env::var_os("ARSHIF_BENCH_DB").filter(|p| Path::new(p).exists()) {
        let db = Db::open(Path::new(&kept)).await.expect("db opens");
        return time_rebuild(&db).await;
    }
    let total = support::env_usize("ARSHIF_BENCH_PAGES", 100_000);
    let synonyms = Synonyms::parse(SYNONYMS);
    let vocabulary = support::vocabulary();
    let set = StorySet::new(StorySpec::scaled(total), &synonyms, &vocabulary);
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = std::env::var_os("ARSHIF_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.db"));
    let db = Db::open(&db_path).await.expect("db opens");
    let mut run = Run {
        db: &db,
        relating: related::Relating::default(),
        dir: dir.path(),
        labels: Vec::with_capacity(total),
        all: Spent::default(),
        chunks: 0,
    };
    let mut pages = interleaved(&set).flat_map(|e| set.event_pages(e));
    let mut windows = Vec::new();
    // The importer relates inside its batches while its checkpointer copies
    // the WAL into the database beside it; relating here runs outside the
    // pipeline, so it gets the same checkpointer.
    let _checkpointer = db
        .spawn_checkpointer(arshif::store::CHECKPOINT_EVERY)
        .await
        .expect("checkpointer");
    let started = Instant::now();
    for mark in marks(total) {
        run.fill(&mut pages, mark.saturating_sub(WINDOW)).await;
        windows.push((mark, run.fill(&mut pages, mark).await));
        let secs = started.elapsed().as_secs_f64();
        eprintln!("  … {} pages in {secs:.0}s", run.labels.len());
    }
    print_windows(&windows, run.all);
    if std::env::var_os("ARSHIF_BENCH_DB").is_some() {
        return;
    }
    let relate_all = Instant::now();
    related::relate_all(&db, &run.relating, &|_, _| {})
        .await
        .expect("relate_all");
    println!(
        "relate --all at {} articles: {:.1}s",
        run.all.articles,
        relate_all.elapsed().as_secs_f64()
    );
    time_rebuild(&db).await;
    report::sizes(&db, run.all.articles).await;
    report::quality(&db, &run.labels).await;
}

/// What a run pays once before it relates: rebuilding the resident set.
async fn time_rebuild(db: &Db) {
    let started = Instant::now();
    let mut run = related::Relating::default().hold().await;
    let tx = run.begin(db).await.expect("resident set rebuilt");
    let articles = tx.articles();
    tx.rollback().await.unwrap();
    println!(
        "resident set rebuilt from the database at {articles} articles: {:.1}s",
        started.elapsed().as_secs_f64()
    );
}

/// The archive being filled, and what it cost so far.
struct Run<'a> {
    db: &'a Db,
    /// The resident set the windows relate with (kept between batches,
    /// as an importer's is).
    relating: related::Relating,
    dir: &'a Path,
    labels: Vec<Label>,
    all: Spent,
    chunks: usize,
}

impl Run<'_> {
    /// Imports and relates pages, a chunk at a time, until the archive
    /// holds `until` pages; returns what those pages cost.
    async fn fill(&mut self, pages: &mut impl Iterator<Item = Page>, until: usize) -> Spent {
        let mut spent = Spent::default();
        while self.labels.len() < until {
            let chunk: Vec<Page> = pages
                .by_ref()
                .take(CHUNK.min(until - self.labels.len()))
                .collect();
            if chunk.is_empty() {
                break;
            }
            self.labels.extend(chunk.iter().map(|p| p.label.clone()));
            let one =
                import_and_relate(self.db, &self.relating, self.dir, self.chunks, &chunk).await;
            self.chunks += 1;
            self.all.add(one);
            spent.add(one);
        }
        spent
    }
}

/// Where windows end: 10k, 50k and 100k pages (scaled down for a smaller
/// run), then every doubling up to a larger `total` (to see where the cost
/// per article levels off).
fn marks(total: usize) -> Vec<usize> {
    let mut marks: Vec<usize> = [10_000, 50_000, 100_000]
        .map(|m| m * total.min(100_000) / 100_000)
        .to_vec();
    let mut next = 200_000;
    while next <= total {
        marks.push(next);
        next *= 2;
    }
    marks
}

/// Topic events with the noise events spread evenly among them.
fn interleaved(set: &StorySet<'_>) -> impl Iterator<Item = usize> + use<> {
    let topical = set.spec.topics * set.spec.events_per_topic;
    let noise = set.spec.noise;
    let mut order = Vec::with_capacity(topical + noise);
    let mut next = 0;
    for e in 0..topical {
        order.push(e);
        while next < noise && next * topical <= e * noise {
            order.push(topical + next);
            next += 1;
        }
    }
    order.extend(topical + next..topical + noise);
    order.into_iter()
}

/// Imports `chunk` as one zip, then relates its new articles in their own
/// transaction; returns the time of each.
async fn import_and_relate(
    db: &Db,
    relating: &related::Relating,
    dir: &Path,
    n: usize,
    chunk: &[Page],
) -> Spent {
    let zip = dir.join(format!("chunk{n}.zip"));
    write_zip(&zip, chunk);
    let before = max_id(db).await;
    let t = Instant::now();
    let report = support::import_deferred(db, &zip).await;
    let import = t.elapsed().as_secs_f64();
    let ids: Vec<i64> = (before + 1..=max_id(db).await).collect();
    let t = Instant::now();
    let mut run = relating.hold().await;
    let mut tx = run.begin(db).await.unwrap();
    related::relate_batch(&mut tx, &ids).await.expect("relate");
    tx.commit().await.unwrap();
    std::fs::remove_file(&zip).ok();
    Spent {
        pages: chunk.len(),
        articles: report.articles_new,
        import,
        relate: t.elapsed().as_secs_f64(),
    }
}

fn write_zip(path: &Path, chunk: &[Page]) {
    let file = std::fs::File::create(path).expect("zip created");
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for page in chunk {
        zip.start_file(format!("corpus/{}", page.name), options)
            .expect("member");
        zip.write_all(page.text.as_bytes()).expect("member written");
    }
    zip.finish().expect("zip finished");
}

async fn max_id(db: &Db) -> i64 {
    let (id,): (i64,) = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT COALESCE(MAX(id), 0) FROM articles"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    id
}

fn print_windows(windows: &[(usize, Spent)], all: Spent) {
    println!("import with relations on, {WINDOW}-page windows ending at:");
    let cell = |f: &dyn Fn(&Spent) -> String| {
        windows
            .iter()
            .map(|(_, s)| format!("{:>12}", f(s)))
            .collect::<String>()
    };
    println!(
        "  {:<22}{}",
        "archive size",
        windows
            .iter()
            .map(|(m, _)| format!("{m:>12}"))
            .collect::<String>()
    );
    println!(
        "  {:<22}{}",
        "pages/s (total)",
        cell(&|s| format!("{:.0}", s.pages as f64 / (s.import + s.relate)))
    );
    println!(
        "  {:<22}{}",
        "pages/s (import only)",
        cell(&|s| format!("{:.0}", s.pages as f64 / s.import))
    );
    println!(
        "  {:<22}{}",
        "relate µs/article",
        cell(&|s| format!("{:.0}", s.relate * 1e6 / s.articles.max(1) as f64))
    );
    println!(
        "  whole run: {} pages, {} articles, {:.1}s import + {:.1}s relate = {:.0} pages/s",
        all.pages,
        all.articles,
        all.import,
        all.relate,
        all.pages as f64 / (all.import + all.relate)
    );
}
