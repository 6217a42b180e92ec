//! `relate --all`: recomputes every `same_story` and `similar` relation
//! after a rule change, in four passes over the archive, a transaction per
//! batch of 1,000 articles (per eight in pass 4, whose commits write pages
//! all over `relations_to`) so imports are never held up for long:
//! 1. document frequencies of every term (in memory, then stored);
//! 2. every article's sketch, with the final idf, and its same-story edges
//!    to the articles sketched before it (the resident window holds the
//!    newest of them, as when importing);
//! 3. clusters merged once from all those edges, the strongest first (the
//!    same clusters whatever the import order);
//! 4. every `similar` list against the complete index, then the offers
//!    each list makes to its candidates' lists.
//!
//! Passes 2 (`sketch`) and 4 (`rank`) prepare each next batch while the
//! batch before is written, so that the writer's work overlaps the cores'
//! (extracting features) or a read connection's (reading profiles back).

mod rank;
mod sketch;

use foldhash::HashMap;

use crate::stages::Stages;
use crate::store::relating as db;
use crate::store::{CHECKPOINT_EVERY, Db};

use super::cluster::{Clusters, Edge};
use super::guard::{Relating, RelatingRun, RelatingTx};
use super::minhash::Signature;
use super::stories;
use super::{OFFERS, RelateOutcome, RelatedError, cores, rules_version, similar_lists, terms};

/// Articles per batch (and per write transaction).
const BATCH: i64 = 1000;

/// Recomputes every computed relation (same_story, similar) of the
/// archive, in batches, reporting (done, total) — total counts every
/// article once per pass. Holds the resident set throughout, so this
/// process relates nothing else meanwhile.
pub async fn relate_all(
    db: &Db,
    relating: &Relating,
    progress: &dyn Fn(u64, u64),
) -> Result<RelateOutcome, RelatedError> {
    let mut run = relating.hold().await;
    // Each pass rewrites much of the archive: checkpoints run by the
    // writer itself at commit held it up for a tenth of the run at 1M.
    let checkpointer = db.spawn_checkpointer(CHECKPOINT_EVERY).await?;
    let articles = {
        let mut tx = run.begin_emptied(db).await?;
        let n = db::article_count(&mut tx).await?;
        tx.commit().await?;
        n
    };
    let total = articles * 4;
    let step = |pass: u64, done: u64| progress(pass * articles + done.min(articles), total);
    step(0, 0);
    count_terms(db, &|done| step(0, done)).await?;
    let stories = sketch::sketch_all(db, &mut run, &|done| step(1, done)).await?;
    let mut links = stories.link(db, &mut run).await?;
    step(2, articles);
    let (added, offers) = rank::rank_all(db, &mut run, articles, &|done| step(3, done)).await?;
    links += added;
    links += offer_all(db, &mut run, offers).await?;
    checkpointer.stop().await;
    run.release();
    let mut conn = db.write.acquire().await?;
    db::set_rules(&mut conn, &rules_version()).await?;
    Ok(RelateOutcome { links_added: links })
}

/// Recomputes everything if the stored relations were made by other
/// rules (or never); returns what it did, `None` when nothing was needed.
pub async fn ensure(
    db: &Db,
    relating: &Relating,
    progress: &dyn Fn(u64, u64),
) -> Result<Option<RelateOutcome>, RelatedError> {
    let stored = db::rules(&mut *db.write.acquire().await?).await?;
    if stored.as_deref() == Some(rules_version().as_str()) {
        return Ok(None);
    }
    relate_all(db, relating, progress).await.map(Some)
}

/// Marks the stored relations as made by no known rules, so that the next
/// [`ensure`] (at `serve`, `import` or `relate`) recomputes them all: for
/// imports that store articles without relating them.
pub async fn mark_outdated(conn: &mut crate::store::Conn) -> Result<(), RelatedError> {
    Ok(db::set_rules(conn, "outdated").await?)
}

/// Pass 4, end: every list takes the best of the offers made to it, once
/// all lists exist (offers give a list what its own candidates missed).
async fn offer_all(
    db: &Db,
    run: &mut RelatingRun,
    mut offers: Vec<similar_lists::Offer>,
) -> Result<u64, RelatedError> {
    // Offers were made in the offering articles' order, so sorting by
    // owner and then offering article is the stable sort's order, without
    // the buffer of half the offers it borrows (125 MB at 1M articles).
    offers.sort_unstable_by_key(|o| (o.0, o.1.id));
    let mut added = 0;
    let mut rest = offers.as_slice();
    while !rest.is_empty() {
        let mut end = (BATCH as usize * OFFERS).min(rest.len());
        while end < rest.len() && rest[end].0 == rest[end - 1].0 {
            end += 1;
        }
        let mut stages = Stages::start();
        let mut tx = run.begin(db).await?;
        let (conn, resident) = tx.parts();
        added += similar_lists::offer(conn, resident, &rest[..end]).await?;
        stages.done("offer");
        commit_logged(tx, stages, "offered").await?;
        rest = &rest[end..];
    }
    Ok(added)
}

/// Commits a batch's transaction, then writes its debug line, as an
/// import's: where `relate --all`'s time goes, read from a real run
/// (`RUST_LOG=arshif=debug`).
async fn commit_logged(
    mut tx: RelatingTx<'_>,
    mut stages: Stages,
    what: &str,
) -> Result<(), RelatedError> {
    let read_back = tx.parts().1.read_back();
    tx.commit().await?;
    stages.done("commit");
    tracing::debug!(
        profiles_read_back = read_back.profiles,
        read_back_ms = read_back.time.as_millis(),
        "relate --all {what} a batch: {} ms",
        stages.summary()
    );
    Ok(())
}

/// Pass 1: document frequencies of every term, counted in memory. A
/// batch is counted on every core while the next one is read, and tallied
/// while that one is counted: reading, counting and tallying overlap.
async fn count_terms(db: &Db, progress: &dyn Fn(u64)) -> Result<(), RelatedError> {
    let mut df: HashMap<i64, (i64, String)> = HashMap::default();
    let (mut after, mut docs) = (0, 0u64);
    let mut counting: Option<tokio::task::JoinHandle<Vec<Vec<terms::TermCount>>>> = None;
    loop {
        let (read_all, texts) = {
            let mut conn = db.read.acquire().await?;
            let ids = db::ids_after(&mut conn, after, BATCH).await?;
            after = ids.last().copied().unwrap_or(after);
            (ids.is_empty(), db::texts(&mut conn, &ids).await?)
        };
        let counted = match counting.take() {
            Some(batch) => batch.await?,
            None => Vec::new(),
        };
        if !read_all {
            counting = Some(tokio::task::spawn_blocking(move || {
                cores::map_on_all_cores(&texts, |t| terms::count_terms(&t.title, &t.body))
            }));
        }
        if !counted.is_empty() {
            docs += counted.len() as u64;
            for t in counted.into_iter().flatten() {
                df.entry(t.key).or_insert((0, t.display)).0 += 1;
            }
            progress(docs);
        }
        if read_all {
            break;
        }
    }
    let mut rows: Vec<(i64, i64, String)> = df.into_iter().map(|(k, (n, d))| (k, n, d)).collect();
    rows.sort_unstable_by_key(|r| r.0);
    let mut tx = db.write.begin_writing().await?;
    db::add_df(&mut tx, &rows).await?;
    db::set_doc_count(&mut tx, docs).await?;
    tx.commit().await?;
    Ok(())
}

/// Pass 3: the same-story edges found as pass 2 sketched each batch
/// (every article against the window and postings of the articles before
/// it and its own batch, so each pair is looked at from its newer side),
/// then one merge of them all.
#[derive(Debug, Default)]
pub(super) struct Stories {
    edges: Vec<Edge>,
    /// The signatures of the edges' articles (the merge's average linkage
    /// reads them), and of no other.
    signatures: HashMap<i64, Signature>,
}

impl Stories {
    pub(super) fn add(&mut self, mut found: stories::Found) {
        for edge in &found.edges {
            for id in [edge.a, edge.b] {
                if let Some(signature) = found.signatures.remove(&id) {
                    self.signatures.insert(id, signature);
                }
            }
        }
        self.edges.append(&mut found.edges);
    }

    /// Merges the clusters once, the strongest edges first (the same
    /// clusters whatever the order the edges were found in), and links them.
    async fn link(mut self, db: &Db, run: &mut RelatingRun) -> Result<u64, RelatedError> {
        self.edges.sort_by_key(|x| (x.a, x.b));
        self.edges.dedup_by(|x, y| (x.a, x.b) == (y.a, y.b));
        let mut clusters = Clusters::default();
        let merges = stories::merge(&mut clusters, &self.edges, &self.signatures);
        let mut tx = run.begin(db).await?;
        let (conn, resident) = tx.parts();
        let added =
            stories::write(conn, resident, &clusters, &merges, &mut self.signatures).await?;
        tx.commit().await?;
        Ok(added)
    }
}
