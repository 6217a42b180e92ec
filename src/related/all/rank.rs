//! Pass 4 of `relate --all`: every `similar` list ranked against the
//! complete index, the next batch's reads overlapping this one's writes.

use std::time::{Duration, Instant};

use crate::stages::Stages;
use crate::store::relating::{self as db, StoredProfile};
use crate::store::{Conn, Db};

use super::super::guard::{RelatingRun, RelatingTx};
use super::super::resident::Resident;
use super::super::similar::Doc;
use super::super::{OFFERS, RelatedError, similar_lists};
use super::{BATCH, commit_logged};

/// Pass 4: every `similar` list against the complete index, a few batches
/// per transaction (`Limits::batches_per_commit`). While one batch's lists
/// are stored (and committed, for a transaction's last), the next batch's
/// candidates' profiles are read on a read connection ([`Ahead`]): at 1M,
/// reading them back and writing were each about a sixth of the run, one
/// after the other.
pub(super) async fn rank_all(
    db: &Db,
    run: &mut RelatingRun,
    articles: u64,
    progress: &dyn Fn(u64),
) -> Result<(u64, Vec<similar_lists::Offer>), RelatedError> {
    // Each article offers itself to at most `OFFERS` lists, most to that
    // many: room for them all at once, instead of growing by doubling,
    // whose last step held the old offers and twice their room together.
    let mut offers = Vec::with_capacity(usize::try_from(articles).unwrap_or(0) * OFFERS);
    let (mut links, mut done) = (0, 0);
    let mut account = |(added, offered): (u64, Vec<similar_lists::Offer>), batch: u64| {
        links += added;
        offers.extend(offered);
        done += batch;
        progress(done);
    };
    let mut ids = db::ids_after(&mut *db.write.acquire().await?, 0, BATCH).await?;
    let mut ahead: Option<Ahead> = None;
    // One read connection for the whole pass: each holds a page cache of
    // its own, and the pool's would fill one each, taken in turn.
    let mut reader = db.read.acquire().await?;
    while !ids.is_empty() {
        let mut tx = run.begin(db).await?;
        let mut stages = Stages::start();
        // What the transaction before prepared holds only if nothing else
        // related in between; what this one prepared, always.
        let carried_over = tx.carried_over();
        // Each batch's links (about 8,000 at 1M) land all over the
        // `relations_to` index, and a commit writes every page it touched:
        // eight batches touch not many more pages than one (the README has
        // the figures), and hold the writer about two seconds.
        let per_commit = tx.parts().1.limits().batches_per_commit.max(1);
        for turn in 1..=per_commit {
            let (conn, resident) = tx.parts();
            let (mut docs, pools) = match ahead.take() {
                Some(next) if turn > 1 || carried_over => next.adopt(conn, resident, &ids).await?,
                _ => batch_profiles(conn, resident, &ids).await?,
            };
            stages.done("load");
            let ranked = similar_lists::rank(conn, resident, &mut docs, &pools).await?;
            stages.done("rank");
            let (batch, last) = (ids.len() as u64, ids[ids.len() - 1]);
            // An article stored meanwhile comes after these, in a later batch.
            ids = db::ids_after(&mut *conn, last, BATCH).await?;
            let commits = turn == per_commit || ids.is_empty();
            ahead = Ahead::prepare(conn, resident, &ids, commits).await?;
            stages.done("prepare next");
            // One task: what is read is decoded on the thread that keeps it.
            let reading = async {
                match ahead.as_mut() {
                    Some(next) => next.read(&mut reader).await,
                    None => Ok(()),
                }
            };
            if commits {
                let writing = async move {
                    let stored = store(&mut tx, ranked, &mut stages).await?;
                    commit_logged(tx, stages, "ranked").await?;
                    Ok::<_, RelatedError>(stored)
                };
                let (read, stored) = tokio::join!(reading, writing);
                read?;
                account(stored?, batch);
                break;
            }
            let (read, stored) = tokio::join!(reading, store(&mut tx, ranked, &mut stages));
            read?;
            account(stored?, batch);
        }
    }
    Ok((links, offers))
}

/// Stores a batch's ranked lists in the transaction.
async fn store(
    tx: &mut RelatingTx<'_>,
    ranked: similar_lists::Ranked,
    stages: &mut Stages,
) -> Result<(u64, Vec<similar_lists::Offer>), RelatedError> {
    let (conn, resident) = tx.parts();
    let stored = ranked.store(conn, resident).await?;
    stages.done("store");
    Ok(stored)
}

/// A batch's ranking profiles, in id order, and their candidate pools.
async fn batch_profiles(
    conn: &mut Conn,
    resident: &mut Resident,
    ids: &[i64],
) -> Result<(Vec<Doc>, Vec<Vec<i64>>), RelatedError> {
    resident.load_for_ranking(conn, ids).await?;
    let mut docs: Vec<Doc> = resident.profiles(ids).into_values().collect();
    docs.sort_by_key(|d| d.id);
    let pools = similar_lists::pools(resident, docs.iter().map(|d| (d.id, &d.vector)));
    Ok((docs, pools))
}

/// The next batch of pass 4, prepared inside the transaction before it:
/// its profiles and pools (the postings do not change in this pass), and
/// the profiles of its candidates that its own transaction will not find
/// held, read on a read connection while the writer stores the batch
/// before. Pass 4 writes only `relations`, so that connection reads what
/// the writer's transaction would; a batch prepared in the same
/// transaction is always kept, one prepared in the transaction before only
/// if the resident set carried over (no other process related meanwhile).
struct Ahead {
    docs: Vec<Doc>,
    pools: Vec<Vec<i64>>,
    wanted: Vec<i64>,
    read: Vec<StoredProfile>,
    took: Duration,
}

impl Ahead {
    /// `None` when there is no next batch. `in_next_transaction`: the
    /// batch is ranked after a commit, when trimming may let go of
    /// candidates held now.
    async fn prepare(
        conn: &mut Conn,
        resident: &mut Resident,
        ids: &[i64],
        in_next_transaction: bool,
    ) -> Result<Option<Ahead>, RelatedError> {
        if ids.is_empty() {
            return Ok(None);
        }
        let (docs, pools) = batch_profiles(conn, resident, ids).await?;
        let candidates: Vec<i64> = pools.iter().flatten().copied().collect();
        let wanted = if in_next_transaction {
            resident.missing_after_trim(&candidates)
        } else {
            resident.missing(&candidates)
        };
        Ok(Some(Ahead {
            wanted,
            docs,
            pools,
            read: Vec::new(),
            took: Duration::ZERO,
        }))
    }

    async fn read(&mut self, reader: &mut Conn) -> Result<(), RelatedError> {
        let started = Instant::now();
        self.read = db::profiles(reader, &self.wanted, db::Parts::ForRanking).await?;
        self.took = started.elapsed();
        Ok(())
    }

    /// Keeps what was read; the batch's own profiles are loaded again
    /// where trimming let them go.
    async fn adopt(
        self,
        conn: &mut Conn,
        resident: &mut Resident,
        ids: &[i64],
    ) -> Result<(Vec<Doc>, Vec<Vec<i64>>), RelatedError> {
        resident.adopt(self.read, self.took);
        resident.load_for_ranking(conn, ids).await?;
        Ok((self.docs, self.pools))
    }
}
