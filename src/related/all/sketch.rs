//! Pass 2 of `relate --all`: every article's sketch, with the final idf,
//! and its same-story edges to the articles sketched before it; the next
//! batch's features extracted while this one is indexed.

use tokio::task::JoinHandle;

use crate::stages::Stages;
use crate::store::Db;
use crate::store::relating as db;

use super::super::guard::RelatingRun;
use super::super::index::{self, Df};
use super::super::stories::{self, Reads, Sketch};
use super::super::{Features, RelatedError, extract_all, similar_lists};
use super::{BATCH, Stories, commit_logged};

/// Sketches every article, a batch per transaction; returns the stories'
/// edges found. Extracting features is the processor's work and indexing
/// and finding stories mostly the writer's: the next batch's texts are
/// read in this batch's transaction and extracted on the other threads
/// meanwhile. Its transaction takes them only if the resident set carried
/// over (no other process related, so no text was sketched anew).
pub(super) async fn sketch_all(
    db: &Db,
    run: &mut RelatingRun,
    progress: &dyn Fn(u64),
) -> Result<Stories, RelatedError> {
    let (mut done, mut stories) = (0, Stories::default());
    let mut ids = db::ids_after(&mut *db.write.acquire().await?, 0, BATCH).await?;
    let mut extracting: Option<JoinHandle<Result<Vec<Features>, RelatedError>>> = None;
    while let Some(&last) = ids.last() {
        let mut tx = run.begin(db).await?;
        let mut stages = Stages::start();
        let features = match extracting.take() {
            Some(next) if tx.carried_over() => next.await.map_err(RelatedError::Task)??,
            _ => extract_all(db::texts(&mut tx, &ids).await?).await?,
        };
        stages.done("extract");
        let batch = ids.len() as u64;
        // An article stored meanwhile comes after these, in a later batch.
        ids = db::ids_after(&mut tx, last, BATCH).await?;
        if !ids.is_empty() {
            let texts = db::texts(&mut tx, &ids).await?;
            extracting = Some(tokio::spawn(extract_all(texts)));
        }
        stages.done("read next");
        let (conn, resident) = tx.parts();
        let entries = index::index(conn, resident, features, Df::Frozen).await?;
        stages.done("index");
        let sketches: Vec<Sketch> = entries.iter().map(Into::into).collect();
        let pools = similar_lists::pools(resident, sketches.iter().map(|s| (s.id, &s.vector)));
        stages.done("pools");
        let found = stories::find(conn, resident, &sketches, &pools, Reads::Signatures).await?;
        stories.add(found);
        stages.done("find stories");
        commit_logged(tx, stages, "sketched").await?;
        done += batch;
        progress(done);
    }
    Ok(stories)
}
