//! What relating looks up, resident in memory: the LSH buckets of a window
//! of the newest articles, the strongest postings of every term, and the
//! profiles (story cluster, day, tags, term vector, MinHash signature) and
//! stored `similar` lists of the articles a run touched lately.
//!
//! Why not tables: a batch's bucket and posting rows are spread over the
//! whole key space, so once the archive grew, every batch rewrote nearly
//! every page of those tables, and its candidates' profiles were tens of
//! thousands of scattered reads, as were the lists new articles are offered
//! to (README, Benchmarks: what was measured). Here a lookup is a hash
//! probe and an insert does not touch the rest. The database keeps what
//! all of this is derived from (`related_docs`, `article_tags`,
//! `relations`), and the set is rebuilt from it whenever it may disagree.
//!
//! Bounded by design, not by the archive ([`Limits`]): buckets are held
//! for the newest `window` articles only (retold versions of a story
//! arrive close together; older ones are still candidates through the
//! postings), a term keeps only its strongest postings (a lookup reads no
//! more), and profiles and lists are caches of `related_docs` and
//! `relations` trimmed to `cached` between transactions: every step that
//! reads them [`load`]s the ones it needs first (one `IN` query for those
//! not held). Who holds an article in their list is asked of the database.
//!
//! Agreement is kept by a generation number stored in the database: every
//! relating transaction checks it is the one this set last wrote (if not,
//! another process or a rolled-back batch moved the tables on: rebuild) and
//! bumps it; a reparse that replaces tags bumps it too.
//!
//! Held only while an import, reparse or `relate` runs (each releases it
//! at its end); rebuilding reads the window's signatures, every vector
//! and every `similar` row once, streamed, inside the first relating
//! transaction of a run (`benches/related.rs` times it).
//!
//! [`load`]: Resident::load

mod buckets;
mod lists;
mod postings;
mod profiles;
mod reads;
mod window;

use foldhash::HashMap;
use std::time::Duration;

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::relating::{self as db, DocRow};

use super::features;
use super::index::posted;
use super::minhash::{self, Signature};
use super::similar::{Doc, Pick};
use super::{PER_TERM, terms};

use lists::Lists;
use postings::Postings;
use profiles::{Profile, Profiles};
use window::Window;

/// How much of the archive a resident set holds at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Articles whose profile, and owners whose `similar` list, are kept
    /// from one transaction to the next.
    pub cached: usize,
    /// Newest articles whose LSH buckets are held.
    pub window: usize,
    /// Batches that `relate --all`'s ranking pass stores in one write
    /// transaction: the set is trimmed only between transactions, so this
    /// also bounds how far past `cached` it grows meanwhile.
    pub batches_per_commit: usize,
}

impl Default for Limits {
    /// About 120 MB of profiles and lists and 70 MB of buckets: the whole
    /// of a 100k archive, a few days of a large country's press.
    fn default() -> Limits {
        Limits {
            cached: 100_000,
            window: 100_000,
            batches_per_commit: 8,
        }
    }
}

/// Postings kept per term: four times what a lookup reads, a margin for
/// the entries re-weighing takes out between rebuilds.
const POSTINGS_PER_TERM: usize = 4 * PER_TERM;

/// Profiles read back from the database since a transaction began, and
/// how long reading them (their rows and their tags) took.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadBack {
    pub profiles: usize,
    pub time: Duration,
}

#[derive(Debug)]
pub struct Resident {
    /// The stored generation this set agrees with; `None`: rebuild first.
    generation: Option<i64>,
    limits: Limits,
    profiles: Profiles,
    read_back: ReadBack,
    window: Window,
    postings: Postings,
    lists: Lists,
}

impl Default for Resident {
    fn default() -> Resident {
        Resident::new(Limits::default())
    }
}

impl Resident {
    pub fn new(limits: Limits) -> Resident {
        Resident {
            generation: None,
            limits,
            profiles: Profiles::default(),
            read_back: ReadBack::default(),
            window: Window::new(limits.window),
            postings: Postings::new(POSTINGS_PER_TERM),
            lists: Lists::default(),
        }
    }

    /// Starts a relating transaction: rebuilds the set if the database
    /// moved on without it (else lets the profiles held past their limit
    /// go), then claims the next generation. True when the set carried
    /// over (nothing but this set's own transactions wrote since the last).
    pub(super) async fn begin(&mut self, conn: &mut Conn) -> Result<bool, StoreError> {
        let stored = db::generation(conn).await?;
        let carried_over = self.generation == Some(stored);
        if carried_over {
            self.profiles.trim(self.limits.cached);
            self.lists.trim(self.limits.cached);
        } else {
            self.rebuild(conn).await?;
        }
        self.generation = Some(db::bump_generation(conn).await?);
        self.read_back = ReadBack::default();
        Ok(carried_over)
    }

    /// Reads the window's signatures and every vector (for the postings),
    /// a row at a time; profiles and lists are read as needed.
    async fn rebuild(&mut self, conn: &mut Conn) -> Result<(), StoreError> {
        *self = Resident::new(self.limits);
        for (id, signature) in db::newest_signatures(conn, self.limits.window).await? {
            self.window
                .put(id, features::bands(&minhash::from_bytes(&signature)));
        }
        let mut postings = Postings::loading(POSTINGS_PER_TERM);
        db::each_vector(conn, &mut |id, vector| {
            for posting in posted(&terms::from_bytes(vector), id) {
                postings.push(posting);
            }
        })
        .await?;
        self.postings = postings.finish();
        Ok(())
    }

    /// Keeps a stored sketch with the article's tags in page order;
    /// `previous` is the vector stored for it before (its postings go).
    pub fn put(&mut self, row: DocRow, tags: Vec<i64>, previous: Option<&[u8]>) {
        let id = row.article_id;
        for posting in previous.map_or_else(Vec::new, |old| posted(&terms::from_bytes(old), id)) {
            self.postings.remove(posting);
        }
        let bands = features::bands(&minhash::from_bytes(&row.signature));
        self.window.put(id, bands);
        for posting in posted(&terms::from_bytes(&row.vector), id) {
            self.postings.insert(posting);
        }
        self.profiles.insert(id, Profile::new(row, tags));
    }

    /// Lets go of a deleted article (`vector`: the one stored for it): its
    /// profile, buckets, postings and own list (lists that hold it skip it
    /// from now on and are ranked again by the caller).
    pub fn forget(&mut self, id: i64, vector: Option<&[u8]>) {
        for posting in vector.map_or_else(Vec::new, |v| posted(&terms::from_bytes(v), id)) {
            self.postings.remove(posting);
        }
        self.window.forget(id);
        self.profiles.remove(id);
        self.lists.set(id, Vec::new());
    }

    /// Articles moved to other story clusters, as written to the database.
    pub fn move_clusters(&mut self, moves: &[(i64, i64)]) {
        for (id, cluster) in moves {
            if let Some(p) = self.profiles.get_mut(*id) {
                p.cluster = *cluster;
            }
        }
    }

    /// Gives the memory back: the next [`begin`](Self::begin) rebuilds.
    /// Work that relates releases the set when it ends, so an idle server
    /// holds none of it.
    pub fn release(&mut self) {
        *self = Resident::new(self.limits);
    }

    /// Articles in the same-story window.
    pub fn articles(&self) -> usize {
        self.window.len()
    }

    /// Profiles held now.
    pub fn profiles_held(&self) -> usize {
        self.profiles.len()
    }

    /// What the set holds at most.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Profiles read back from the database in this transaction.
    pub fn read_back(&self) -> ReadBack {
        self.read_back
    }

    /// Keeps `owner`'s `similar` list as now stored (empty: none).
    pub fn set_list(&mut self, owner: i64, picks: Vec<Pick>) {
        self.lists.set(owner, picks);
    }

    /// The `similar` lists of those of `owners` that have one, best first,
    /// each entry with its cluster (after [`load_lists`](Self::load_lists);
    /// entries without a sketch left out).
    pub fn lists(&self, owners: &[i64]) -> HashMap<i64, Vec<Pick>> {
        owners
            .iter()
            .filter_map(|&owner| {
                let entries = self.lists.of(owner).filter(|e| !e.is_empty())?;
                let picks = entries
                    .iter()
                    .filter_map(|&(id, score)| {
                        let cluster = self.profiles.get(id)?.cluster;
                        Some(Pick { id, cluster, score })
                    })
                    .collect();
                Some((owner, picks))
            })
            .collect()
    }

    /// (band key, article) of the newest `per_bucket` members of each
    /// bucket, within the window.
    pub fn bucket_members(&self, keys: &[i64], per_bucket: usize) -> Vec<(i64, i64)> {
        keys.iter()
            .flat_map(|&k| self.window.newest(k, per_bucket).map(move |id| (k, id)))
            .collect()
    }

    /// (term, weight, article) of the `per_term` strongest postings of each
    /// term, strongest first (ties: newest first).
    pub fn strongest_postings(&self, terms: &[i64], per_term: usize) -> Vec<(i64, i64, i64)> {
        terms
            .iter()
            .flat_map(|&t| {
                let strongest = self.postings.strongest(t, per_term);
                strongest.map(move |(weight, id)| (t, weight, id))
            })
            .collect()
    }

    /// The ranking profiles of those of `ids` that are held (after
    /// [`load`](Self::load)).
    pub fn profiles(&self, ids: &[i64]) -> HashMap<i64, Doc> {
        // Decoding the vectors is most of the work: on every core.
        let docs = super::cores::map_on_all_cores(ids, |&id| {
            self.profiles.get(id).map(|p| (id, p.doc(id)))
        });
        docs.into_iter().flatten().collect()
    }

    /// The ranking profile of `id`, if held.
    pub fn doc(&self, id: i64) -> Option<Doc> {
        self.profiles.get(id).map(|p| p.doc(id))
    }

    /// The signatures of those of `ids` that are held with theirs (after
    /// [`load`](Self::load)).
    pub fn signatures(&self, ids: &[i64]) -> Vec<(i64, Signature)> {
        ids.iter()
            .filter_map(|&id| Some((id, self.profiles.get(id)?.signature()?)))
            .collect()
    }

    /// An article's tags in page order (none when it is not held).
    pub fn tags(&self, id: i64) -> Vec<i64> {
        self.profiles
            .get(id)
            .map_or_else(Vec::new, |p| p.tags.to_vec())
    }

    /// The story clusters of those of `ids` that are held.
    pub fn clusters(&self, ids: &[i64]) -> HashMap<i64, i64> {
        ids.iter()
            .filter_map(|&id| Some((id, self.profiles.get(id)?.cluster)))
            .collect()
    }
}

fn sorted_once(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests;
