//! What relating looks up, resident in memory: every sketched article's
//! profile (story cluster, day, tags, term vector, MinHash signature), the
//! LSH buckets and the impact-ordered postings derived from them, and the
//! stored `similar` lists with who holds whom.
//!
//! Why not tables: a batch's bucket and posting rows are spread over the
//! whole key space, so once the archive grew, every batch rewrote nearly
//! every page of those tables, and its candidates' profiles were tens of
//! thousands of scattered reads, as were the lists new articles are offered
//! to (README, Benchmarks: what was measured). Here a lookup is a hash
//! probe and an insert does not touch the rest. The database keeps what all of this is derived from
//! (`related_docs`, `article_tags`, `relations`), and the set is rebuilt
//! from it whenever it may disagree.
//!
//! Agreement is kept by a generation number stored in the database: every
//! relating transaction checks it is the one this set last wrote (if not,
//! another process or a rolled-back batch moved the tables on: rebuild) and
//! bumps it; a reparse that replaces tags bumps it too.
//!
//! Cost: memory in proportion to the sketched articles (the README gives
//! the figure), held only while an import, reparse or `relate` runs (each
//! releases it at its end); rebuilding reads `related_docs`, the tags and
//! the `similar` rows once, inside the first relating transaction of a run
//! (`benches/related.rs` times it).

mod buckets;
mod lists;
mod postings;
mod profiles;

use std::collections::HashMap;

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::relating::{self as db, DocRow};

use super::features;
use super::index::posted;
use super::minhash::{self, Signature};
use super::similar::{Doc, Pick};
use super::terms;

use buckets::Buckets;
use lists::Lists;
use postings::Postings;
use profiles::Profile;

#[derive(Debug, Default)]
pub struct Resident {
    /// The stored generation this set agrees with; `None`: rebuild first.
    generation: Option<i64>,
    profiles: HashMap<i64, Profile>,
    buckets: Buckets,
    postings: Postings,
    lists: Lists,
}

impl Resident {
    /// Starts a relating transaction: rebuilds the set if the database
    /// moved on without it, then claims the next generation.
    pub(super) async fn begin(&mut self, conn: &mut Conn) -> Result<(), StoreError> {
        let stored = db::generation(conn).await?;
        if self.generation != Some(stored) {
            self.rebuild(conn).await?;
        }
        self.generation = Some(db::bump_generation(conn).await?);
        Ok(())
    }

    /// Reads every stored sketch, tag list and `similar` list. Buckets and
    /// postings are loaded in bulk: collected, sorted once, then grouped
    /// (inserting them one by one cost three times as much).
    async fn rebuild(&mut self, conn: &mut Conn) -> Result<(), StoreError> {
        *self = Resident::default();
        let mut tags = db::all_tags(conn).await?;
        let docs = db::all_docs(conn).await?;
        let (mut bands, mut postings) = (Vec::new(), Vec::new());
        self.profiles.reserve(docs.len());
        for row in docs {
            let id = row.article_id;
            bands.extend(
                features::bands(&minhash::from_bytes(&row.signature))
                    .into_iter()
                    .map(|k| (k, id)),
            );
            postings.extend(posted(&terms::from_bytes(&row.vector), id));
            let own = tags.remove(&id).unwrap_or_default();
            self.profiles.insert(id, Profile::new(row, own));
        }
        self.buckets = Buckets::load(bands);
        self.postings = Postings::load(postings);
        let mut lists: HashMap<i64, Vec<Pick>> = HashMap::new();
        for (owner, other, score) in db::all_similar(conn).await? {
            let pick = Pick {
                id: other,
                cluster: 0,
                score: score as f32,
            };
            lists.entry(owner).or_default().push(pick);
        }
        for (owner, picks) in lists {
            self.set_list(owner, picks);
        }
        Ok(())
    }

    /// Keeps a stored sketch (new or replacing the article's old one) with
    /// the article's tags in page order.
    pub fn put(&mut self, row: DocRow, tags: Vec<i64>) {
        let id = row.article_id;
        if let Some(old) = self.profiles.remove(&id) {
            for key in features::bands(&old.signature()) {
                self.buckets.remove(key, id);
            }
            for posting in posted(&terms::from_bytes(&old.vector), id) {
                self.postings.remove(posting);
            }
        }
        for key in features::bands(&minhash::from_bytes(&row.signature)) {
            self.buckets.insert(key, id);
        }
        for posting in posted(&terms::from_bytes(&row.vector), id) {
            self.postings.insert(posting);
        }
        self.profiles.insert(id, Profile::new(row, tags));
    }

    /// Lets go of a deleted article: its profile, buckets, postings and
    /// own list (lists that hold it skip it from now on and are ranked
    /// again by the caller).
    pub fn forget(&mut self, id: i64) {
        if let Some(old) = self.profiles.remove(&id) {
            for key in features::bands(&old.signature()) {
                self.buckets.remove(key, id);
            }
            for posting in posted(&terms::from_bytes(&old.vector), id) {
                self.postings.remove(posting);
            }
        }
        self.lists.set(id, Vec::new());
    }

    /// Articles moved to other story clusters, as written to the database.
    pub fn move_clusters(&mut self, moves: &[(i64, i64)]) {
        for (id, cluster) in moves {
            if let Some(p) = self.profiles.get_mut(id) {
                p.cluster = *cluster;
            }
        }
    }

    /// Gives the memory back: the next [`begin`](Self::begin) rebuilds.
    /// Work that relates releases the set when it ends, so an idle server
    /// holds none of it.
    pub fn release(&mut self) {
        *self = Resident::default();
    }

    /// Articles whose sketch is held.
    pub fn articles(&self) -> usize {
        self.profiles.len()
    }

    /// Keeps `owner`'s `similar` list as now stored (empty: none).
    pub fn set_list(&mut self, owner: i64, picks: Vec<Pick>) {
        self.lists.set(owner, picks);
    }

    /// The `similar` lists of those of `owners` that have one, best first,
    /// each entry with its cluster (entries without a profile left out).
    pub fn lists(&self, owners: &[i64]) -> HashMap<i64, Vec<Pick>> {
        owners
            .iter()
            .filter_map(|&owner| {
                let entries = self.lists.of(owner)?;
                let picks = entries
                    .iter()
                    .filter_map(|&(id, score)| {
                        let cluster = self.profiles.get(&id)?.cluster;
                        Some(Pick { id, cluster, score })
                    })
                    .collect();
                Some((owner, picks))
            })
            .collect()
    }

    /// The owners of the lists that hold any of `others`, at most `limit`
    /// (so a very popular article cannot make the work unbounded).
    pub fn holding(&self, others: &[i64], limit: usize) -> Vec<i64> {
        self.lists.holding(others, limit)
    }

    /// (band key, article) of the newest `per_bucket` members of each bucket.
    pub fn bucket_members(&self, keys: &[i64], per_bucket: usize) -> Vec<(i64, i64)> {
        keys.iter()
            .flat_map(|&k| {
                self.buckets
                    .newest(k, per_bucket)
                    .iter()
                    .map(move |&id| (k, id))
            })
            .collect()
    }

    /// (term, weight, article) of the `per_term` strongest postings of each
    /// term, strongest first (ties: newest first).
    pub fn strongest_postings(&self, terms: &[i64], per_term: usize) -> Vec<(i64, i64, i64)> {
        terms
            .iter()
            .flat_map(|&t| {
                let strongest = self.postings.strongest(t, per_term).iter();
                strongest.map(move |&(weight, id)| (t, weight, id))
            })
            .collect()
    }

    /// The ranking profiles of those of `ids` that are sketched.
    pub fn profiles(&self, ids: &[i64]) -> HashMap<i64, Doc> {
        ids.iter()
            .filter_map(|&id| Some((id, self.profiles.get(&id)?.doc(id))))
            .collect()
    }

    /// The signatures of those of `ids` that are sketched.
    pub fn signatures(&self, ids: &[i64]) -> Vec<(i64, Signature)> {
        ids.iter()
            .filter_map(|&id| Some((id, self.profiles.get(&id)?.signature())))
            .collect()
    }

    /// An article's tags in page order (none when it is not sketched).
    pub fn tags(&self, id: i64) -> Vec<i64> {
        self.profiles
            .get(&id)
            .map_or_else(Vec::new, |p| p.tags.to_vec())
    }

    /// The story clusters of those of `ids` that are sketched.
    pub fn clusters(&self, ids: &[i64]) -> HashMap<i64, i64> {
        ids.iter()
            .filter_map(|&id| Some((id, self.profiles.get(&id)?.cluster)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, signature: Vec<u16>, vector: terms::Vector) -> DocRow {
        DocRow {
            article_id: id,
            cluster_id: id,
            day: Some(20_000),
            fingerprint: 0,
            basis: 1,
            signature: minhash::to_bytes(&signature),
            vector: terms::to_bytes(&vector),
        }
    }

    #[test]
    fn a_replaced_sketch_leaves_no_trace_of_its_old_buckets_and_postings() {
        let mut set = Resident::default();
        let old = row(7, vec![1; super::super::PERMUTATIONS], vec![(11, 0.5)]);
        set.put(old.clone(), vec![3]);
        let old_bands = features::bands(&minhash::from_bytes(&old.signature));
        assert_eq!(
            set.bucket_members(&old_bands[..1], 8),
            vec![(old_bands[0], 7)]
        );
        let new = row(7, vec![2; super::super::PERMUTATIONS], vec![(12, 0.5)]);
        set.put(new, vec![4]);
        assert!(set.bucket_members(&old_bands, 8).is_empty());
        assert!(set.strongest_postings(&[11], 8).is_empty());
        assert_eq!(set.strongest_postings(&[12], 8).len(), 1);
        assert_eq!(set.profiles(&[7])[&7].tags, vec![4]);
        set.move_clusters(&[(7, 3)]);
        assert_eq!(set.clusters(&[7, 8]), HashMap::from([(7, 3)]));
    }

    #[test]
    fn lists_take_their_entries_clusters_from_profiles_and_know_their_holders() {
        let mut set = Resident::default();
        for id in [1, 2, 3] {
            set.put(
                row(id, vec![id as u16; super::super::PERMUTATIONS], vec![]),
                vec![],
            );
        }
        let pick = |id, score| Pick {
            id,
            cluster: 0,
            score,
        };
        set.set_list(1, vec![pick(3, 0.25), pick(2, 0.5), pick(9, 0.75)]);
        set.move_clusters(&[(3, 2)]);
        let got = &set.lists(&[1, 2])[&1];
        let want = [(2, 2, 0.5), (3, 2, 0.25)];
        assert_eq!(
            got.iter()
                .map(|p| (p.id, p.cluster, p.score))
                .collect::<Vec<_>>(),
            want
        );
        assert_eq!(set.holding(&[2, 3], 10), vec![1]);
        set.set_list(1, vec![pick(3, 0.25)]);
        assert_eq!(set.holding(&[2], 10), Vec::<i64>::new());
        set.set_list(1, vec![]);
        assert!(set.lists(&[1]).is_empty());
        assert_eq!(set.holding(&[3], 10), Vec::<i64>::new());
    }
}
