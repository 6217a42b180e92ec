//! Related articles, computed when articles arrive and stored (never while
//! a page renders). Three kinds, listed in this order (export schema
//! `related`):
//! 1. `read_also`: links from the dumps, stored by the importer as they are.
//! 2. `same_story`: the same event told again (another source, another
//!    headline, sentences reordered or dropped, up to a quarter of the words
//!    swapped for synonyms): MinHash over word 3-shingles; candidates from
//!    LSH buckets and from the tf-idf postings (which survive synonym
//!    swaps); a Jaccard estimate to confirm, at a lower level when the
//!    tf-idf cosine agrees too; clusters joined transitively.
//! 3. `similar`: tf-idf over Light10 stems (title twice), shared tags as a
//!    boost, a mild time decay; candidates from an impact-ordered inverted
//!    index; at most one article per story, never the article's own story.
//!
//! Every step is bounded per article (a fixed number of buckets, postings,
//! candidates and offers), so relating an article never scans the archive.
//! Buckets, postings and candidates' profiles are looked up in memory (the
//! resident set, held through [`Relating`]); what still grows is the share
//! of the `relations` pages a batch rewrites (`benches/related.rs` prints
//! the cost as the archive grows).
//!
//! The parameters below were chosen by measuring on the labelled story set
//! (`arshif_testkit::synth::stories`): `examples/related_story_sweeps.rs`
//! and `examples/related_similar_sweeps.rs` print the sweeps, and the
//! README ("How the relating parameters were chosen") keeps the figures.
//! In short: word 3-shingles leave a clear margin between retold stories
//! and different events where 2-shingles do not; short bands catch the low
//! overlap of a retold story, and the threshold is the lowest that still
//! keeps chance agreements out of a large archive; average linkage keeps
//! one chance edge from merging two whole stories. For `similar`, the
//! fewest terms, postings and candidates that lose no measurable precision.

mod all;
pub mod cluster;
mod cores;
mod features;
mod forget;
mod guard;
pub mod hash;
mod index;
mod similar_lists;
pub mod minhash;
mod reasons;
mod resident;
pub mod shingles;
pub mod similar;
mod stories;
pub mod terms;

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::relating as db;

pub use all::{ensure, mark_outdated, relate_all};
pub use features::{Features, day_of, extract};
pub use forget::forget;
pub use guard::{Relating, RelatingRun, RelatingTx};
pub use reasons::SHOWN;
pub use resident::Limits;
use resident::Resident;

/// Same story: word 3-shingles of normalized words, stopwords out, the
/// title left out (retold stories get new headlines).
pub const STORY_RULE: shingles::ShingleRule = shingles::ShingleRule {
    size: 3,
    stems: false,
    title: false,
};
/// MinHash permutations (signature values of 16 bits each).
pub const PERMUTATIONS: usize = 128;
/// LSH bands × rows: a pair at Jaccard 0.12 meets in a bucket with
/// probability 1 − (1 − 0.12²)^24 ≈ 0.3 directly, and transitively through
/// the other versions of its story almost always (twice the bands found no
/// more stories, for twice the bucket entries and lookups).
pub const BANDS: usize = 24;
pub const ROWS: usize = 2;
/// Estimated Jaccard from which two articles are one story (lower ones let
/// chance agreements through once the archive is large).
pub const STORY_THRESHOLD: f64 = 0.10;
/// Below `STORY_THRESHOLD`, from this estimate two articles are one story
/// when their tf-idf vectors agree at least `STORY_COSINE` too (two
/// rewrites of one wire story with a quarter of their words swapped share
/// few 3-shingles but keep its names and rare words; chance agreements
/// between topic-mates have no such second witness).
/// `examples/related_rewrite_sweeps.rs` chose both.
pub const STORY_LOW_THRESHOLD: f64 = 0.06;
pub const STORY_COSINE: f64 = 0.40;
/// Mean estimated Jaccard across two clusters for them to merge.
pub const STORY_LINKAGE: f64 = 0.05;
/// Fewer shingles than this: too short to recognise as a retold story.
pub const MIN_SHINGLES: usize = 8;
/// Most articles in one story cluster.
pub const MAX_CLUSTER: usize = 32;
/// Newest members read from each LSH bucket (retold versions of a story
/// arrive close together; an overfull bucket is a common band, not a story).
pub const PER_BUCKET: usize = 8;
/// Bucket neighbours checked against their signature, per article.
pub const MAX_STORY_CANDIDATES: usize = 64;

/// Terms kept in an article's vector, posted in the inverted index, and
/// used to query it.
pub const VECTOR_TERMS: usize = 32;
pub const POSTED_TERMS: usize = 16;
pub const QUERY_TERMS: usize = 12;
/// Postings read per query term (the strongest), and candidates re-ranked.
pub const PER_TERM: usize = 32;
pub const POOL: usize = 32;
/// Length of a `similar` list, and how many lists a new article is offered
/// to (more offers rewrite more stored lists for no measurable gain).
pub const K: usize = 8;
pub const OFFERS: usize = 4;
/// A batch also refreshes up to 1/`REFRESH_SHARE` of its size in stale
/// vectors, so articles related early catch up with what later batches
/// taught the idf (more refreshing, better lists; this share recovers most
/// of what relating in batches costs).
pub const REFRESH_SHARE: usize = 4;
/// Lists repaired at most after stories merge.
pub const LISTS_PER_FIX: usize = 256;

/// Version of the rules above: stored with the relations; when it differs,
/// `ensure` recomputes everything. Bump it with any parameter change (4:
/// similar links carry their reason, migration 0006; 5: same-story
/// candidates from the postings too, and the second, cosine-vouched level).
pub const RULES_VERSION: &str = "5";

/// The full version string: these rules and the analyzer's.
pub fn rules_version() -> String {
    format!(
        "{RULES_VERSION}+analyzer{}",
        crate::arabic::ANALYZER_VERSION
    )
}

#[derive(Debug, thiserror::Error)]
pub enum RelatedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The threads analysing texts stopped before they were done.
    #[error("relating articles failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<sqlx::Error> for RelatedError {
    fn from(err: sqlx::Error) -> Self {
        RelatedError::Store(err.into())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelateOutcome {
    /// Relation rows added (`same_story` and `similar`, all lists).
    pub links_added: u64,
}

/// Computes and stores the relations of `article_ids` (new or changed
/// articles of one import batch), and updates the lists of the articles
/// they now relate to. Runs inside the caller's transaction; bounded work
/// per article.
pub async fn relate_batch(
    tx: &mut RelatingTx<'_>,
    article_ids: &[i64],
) -> Result<RelateOutcome, RelatedError> {
    relate_texts(tx, Vec::new(), article_ids).await
}

/// [`relate_batch`] for an importer that has the texts it just stored in
/// memory: `texts` are analysed without reading them back; the other
/// `article_ids` (whose text did not change) are read from the database.
pub async fn relate_texts(
    tx: &mut RelatingTx<'_>,
    texts: Vec<db::TextRow>,
    article_ids: &[i64],
) -> Result<RelateOutcome, RelatedError> {
    let mut stages = crate::stages::Stages::start();
    let (conn, resident) = tx.parts();
    let known: std::collections::HashSet<i64> = texts.iter().map(|t| t.id).collect();
    let mut ids: Vec<i64> = article_ids.to_vec();
    ids.extend(stale(conn, article_ids.len()).await?);
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|id| !known.contains(id));
    let mut all = texts;
    all.extend(db::texts(conn, &ids).await?);
    stages.done("read stale");
    let mut features = extract_all(all).await?;
    features.sort_unstable_by_key(|f| f.id);
    stages.done("extract");
    let mut entries = index::index(conn, resident, features, index::Df::Count).await?;
    stages.done("index");
    stories::detach(conn, resident, &mut entries).await?;
    let sketches: Vec<stories::Sketch> = entries.iter().map(Into::into).collect();
    // Postings change only as articles are indexed: the same pools serve
    // finding stories and ranking lists.
    let pools = similar_lists::pools(resident, sketches.iter().map(|s| (s.id, &s.vector)));
    let mut found =
        stories::find(conn, resident, &sketches, &pools, stories::Reads::Profiles).await?;
    stages.done("find stories");
    let (story_links, merged) = stories::link(conn, resident, &mut found, &mut entries).await?;
    similar_lists::fix(conn, resident, &merged).await?;
    stages.done("link stories");
    let mut docs: Vec<similar::Doc> = entries.into_iter().map(|e| e.doc).collect();
    let ranked = similar_lists::rank(conn, resident, &mut docs, &pools).await?;
    let (similar_links, offers) = ranked.store(conn, resident).await?;
    stages.done("rank");
    let offered_links = similar_lists::offer(conn, resident, &offers).await?;
    stages.done("offer");
    let read_back = resident.read_back();
    tracing::debug!(
        articles = article_ids.len(),
        profiles_read_back = read_back.profiles,
        read_back_ms = read_back.time.as_millis(),
        "related a batch: {} ms",
        stages.summary()
    );
    Ok(RelateOutcome {
        links_added: story_links + similar_links + offered_links,
    })
}

/// Articles whose vectors were weighed when the archive was less than half
/// its size: related again with the batch, at most a quarter of its size,
/// so early articles catch up with the idf of a grown archive (each article
/// is refreshed about once per doubling: a constant share of work overall).
async fn stale(conn: &mut Conn, batch: usize) -> Result<Vec<i64>, RelatedError> {
    let docs = db::doc_count(conn).await?;
    let limit = batch.div_ceil(REFRESH_SHARE);
    Ok(db::stale(conn, docs / 2, limit).await?)
}

/// Analyses texts off the async workers (it is the CPU-heavy part), on
/// every core: the writer waits for this, so it should not take one core.
async fn extract_all(texts: Vec<db::TextRow>) -> Result<Vec<Features>, RelatedError> {
    tokio::task::spawn_blocking(move || {
        cores::map_on_all_cores(&texts, |t| extract(t.id, &t.title, &t.body, t.day))
    })
    .await
    .map_err(RelatedError::Task)
}
