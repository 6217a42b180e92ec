//! What relating looks up, resident in memory: every sketched article's
//! profile (story cluster, day, tags, term vector, MinHash signature), the
//! LSH buckets and the impact-ordered postings derived from them, and the
//! stored `similar` lists with who holds whom.
//!
//! Why not tables: a batch's bucket and posting rows are spread over the
//! whole key space, so once the archive passed about 50k articles every
//! batch rewrote nearly every page of those tables (about 100 MB of WAL per
//! 2,048 articles at 100k), and its candidates' profiles were tens of
//! thousands of scattered reads, as were the lists new articles are offered
//! to. Here a lookup is a binary search or a hash probe and an insert does
//! not touch the rest. The database keeps what all of this is derived from
//! (`related_docs`, `article_tags`, `relations`), and the set is rebuilt
//! from it whenever it may disagree.
//!
//! Agreement is kept by a generation number stored in the database: every
//! relating transaction checks it is the one this set last wrote (if not,
//! another process or a rolled-back batch moved the tables on: rebuild) and
//! bumps it; a reparse that replaces tags bumps it too. About 1.5 KB of
//! memory per sketched article; rebuilding reads `related_docs` and the
//! `similar` rows once.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::RangeInclusive;

use sqlx::SqliteConnection;

use crate::store::StoreError;
use crate::store::related::{self as db, DocRow};

use super::features;
use super::index::posted;
use super::minhash::{self, Signature};
use super::similar::{Doc, Pick};
use super::terms;

#[derive(Debug, Default)]
pub struct Resident {
    /// The stored generation this set agrees with; `None`: rebuild first.
    generation: Option<i64>,
    profiles: HashMap<i64, Profile>,
    /// (band key, article).
    buckets: SortedSet<(i64, i64)>,
    /// (term, 16-bit weight, article): a term's strongest postings last.
    postings: SortedSet<(i64, i64, i64)>,
    /// `similar` lists by owner, best first: (article, score); the
    /// articles' clusters are their profiles'.
    lists: HashMap<i64, Box<[(i64, f32)]>>,
    /// The owners of the lists that hold each article.
    holders: HashMap<i64, Vec<i64>>,
}

/// One sketched article as kept (vector and signature in their stored
/// byte form: half the memory of the decoded ones).
#[derive(Debug)]
struct Profile {
    cluster: i64,
    day: Option<i32>,
    tags: Box<[i64]>,
    vector: Box<[u8]>,
    signature: Box<[u8]>,
}

impl Resident {
    /// Starts a relating transaction: rebuilds the set if the database
    /// moved on without it, then claims the next generation.
    pub async fn begin(&mut self, conn: &mut SqliteConnection) -> Result<(), StoreError> {
        let stored = db::generation(conn).await?;
        if self.generation != Some(stored) {
            self.rebuild(conn).await?;
        }
        self.generation = Some(db::bump_generation(conn).await?);
        Ok(())
    }

    /// Reads every stored sketch and tag list.
    async fn rebuild(&mut self, conn: &mut SqliteConnection) -> Result<(), StoreError> {
        *self = Resident::default();
        let mut tags = db::all_tags(conn).await?;
        for row in db::all_docs(conn).await? {
            let own = tags.remove(&row.article_id).unwrap_or_default();
            self.put(&row, own);
        }
        self.buckets.compact();
        self.postings.compact();
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
    pub fn put(&mut self, row: &DocRow, tags: Vec<i64>) {
        let id = row.article_id;
        if let Some(old) = self.profiles.remove(&id) {
            for key in features::bands(&minhash::from_bytes(&old.signature)) {
                self.buckets.remove((key, id));
            }
            for posting in posted(&terms::from_bytes(&old.vector), id) {
                self.postings.remove(posting);
            }
        }
        for key in features::bands(&minhash::from_bytes(&row.signature)) {
            self.buckets.insert((key, id));
        }
        for posting in posted(&terms::from_bytes(&row.vector), id) {
            self.postings.insert(posting);
        }
        let profile = Profile {
            cluster: row.cluster_id,
            day: row.day.map(|d| d as i32),
            tags: tags.into_boxed_slice(),
            vector: row.vector.clone().into_boxed_slice(),
            signature: row.signature.clone().into_boxed_slice(),
        };
        self.profiles.insert(id, profile);
    }

    /// Articles moved to other story clusters, as written to the database.
    pub fn move_clusters(&mut self, moves: &[(i64, i64)]) {
        for (id, cluster) in moves {
            if let Some(p) = self.profiles.get_mut(id) {
                p.cluster = *cluster;
            }
        }
    }

    /// Forgets every sketch (`relate --all` starts again from none).
    pub fn clear(&mut self) {
        let generation = self.generation;
        *self = Resident {
            generation,
            ..Resident::default()
        };
    }

    /// Keeps `owner`'s `similar` list as now stored (empty: none).
    pub fn set_list(&mut self, owner: i64, mut picks: Vec<Pick>) {
        for (old, _) in self.lists.remove(&owner).into_iter().flatten() {
            if let Some(holders) = self.holders.get_mut(&old) {
                holders.retain(|h| *h != owner);
            }
        }
        if picks.is_empty() {
            return;
        }
        picks.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        for p in &picks {
            self.holders.entry(p.id).or_default().push(owner);
        }
        let entries = picks.iter().map(|p| (p.id, p.score)).collect();
        self.lists.insert(owner, entries);
    }

    /// The `similar` lists of those of `owners` that have one, best first,
    /// each entry with its cluster (entries without a profile left out).
    pub fn lists(&self, owners: &[i64]) -> HashMap<i64, Vec<Pick>> {
        owners
            .iter()
            .filter_map(|&owner| {
                let entries = self.lists.get(&owner)?;
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
        let mut owners: Vec<i64> = others
            .iter()
            .flat_map(|o| self.holders.get(o).into_iter().flatten().copied())
            .collect();
        owners.sort_unstable();
        owners.dedup();
        owners.truncate(limit);
        owners
    }

    /// (band key, article) of the newest `per_bucket` members of each bucket.
    pub fn bucket_members(&self, keys: &[i64], per_bucket: usize) -> Vec<(i64, i64)> {
        keys.iter()
            .flat_map(|&k| self.buckets.last((k, i64::MIN)..=(k, i64::MAX), per_bucket))
            .collect()
    }

    /// (term, weight, article) of the `per_term` strongest postings of each
    /// term, strongest first (ties: newest first).
    pub fn strongest_postings(&self, terms: &[i64], per_term: usize) -> Vec<(i64, i64, i64)> {
        terms
            .iter()
            .flat_map(|&t| {
                self.postings
                    .last((t, i64::MIN, i64::MIN)..=(t, i64::MAX, i64::MAX), per_term)
            })
            .collect()
    }

    /// The ranking profiles of those of `ids` that are sketched.
    pub fn profiles(&self, ids: &[i64]) -> HashMap<i64, Doc> {
        ids.iter()
            .filter_map(|&id| {
                let p = self.profiles.get(&id)?;
                let doc = Doc {
                    id,
                    cluster: p.cluster,
                    day: p.day,
                    tags: p.tags.to_vec(),
                    vector: terms::from_bytes(&p.vector),
                };
                Some((id, doc))
            })
            .collect()
    }

    /// The signatures of those of `ids` that are sketched.
    pub fn signatures(&self, ids: &[i64]) -> Vec<(i64, Signature)> {
        ids.iter()
            .filter_map(|&id| Some((id, minhash::from_bytes(&self.profiles.get(&id)?.signature))))
            .collect()
    }

    /// The story clusters of those of `ids` that are sketched.
    pub fn clusters(&self, ids: &[i64]) -> HashMap<i64, i64> {
        ids.iter()
            .filter_map(|&id| Some((id, self.profiles.get(&id)?.cluster)))
            .collect()
    }
}

/// An ordered set for millions of small keys: a sorted vector (16–24 bytes
/// a key, where a tree or a map of vectors costs three or four times that)
/// and the keys inserted and removed since it was last rebuilt, merged in
/// once they reach an eighth of it (amortized, a constant per insert).
#[derive(Debug)]
struct SortedSet<T> {
    base: Vec<T>,
    added: BTreeSet<T>,
    removed: HashSet<T>,
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet {
            base: Vec::new(),
            added: BTreeSet::new(),
            removed: HashSet::new(),
        }
    }
}

impl<T: Ord + Copy + std::hash::Hash> SortedSet<T> {
    /// Adds a key that is not in the set (keys carry their article, and
    /// an article's old keys are removed before its new ones go in).
    fn insert(&mut self, key: T) {
        if !self.removed.remove(&key) {
            self.added.insert(key);
        }
        if self.added.len() > (self.base.len() / 8).max(4096) {
            self.compact();
        }
    }

    fn remove(&mut self, key: T) {
        if !self.added.remove(&key) && self.base.binary_search(&key).is_ok() {
            self.removed.insert(key);
        }
    }

    /// Merges the changes into the sorted vector.
    fn compact(&mut self) {
        let added = std::mem::take(&mut self.added);
        let removed = std::mem::take(&mut self.removed);
        let mut merged = Vec::with_capacity(self.base.len() + added.len());
        let mut fresh = added.into_iter().peekable();
        for &key in &self.base {
            while let Some(&a) = fresh.peek().filter(|a| **a < key) {
                merged.push(a);
                fresh.next();
            }
            if removed.is_empty() || !removed.contains(&key) {
                merged.push(key);
            }
        }
        merged.extend(fresh);
        self.base = merged;
    }

    /// The greatest `n` keys within `range`, greatest first.
    fn last(&self, range: RangeInclusive<T>, n: usize) -> Vec<T> {
        let (lo, hi) = (*range.start(), *range.end());
        let from = self.base.partition_point(|k| *k < lo);
        let to = from + self.base[from..].partition_point(|k| *k <= hi);
        let mut base = self.base[from..to]
            .iter()
            .rev()
            .filter(|k| self.removed.is_empty() || !self.removed.contains(k))
            .peekable();
        let mut added = self.added.range(range).rev().peekable();
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let next = match (base.peek(), added.peek()) {
                (Some(b), Some(a)) if a > b => added.next(),
                (Some(_), _) => base.next(),
                (None, _) => added.next(),
            };
            match next {
                Some(&k) => out.push(k),
                None => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sorted_set_answers_alike_before_and_after_merging_its_changes() {
        let mut set = SortedSet::default();
        for k in [5, 1, 9, 3, 7] {
            set.insert((1, k));
        }
        set.insert((2, 4));
        set.compact();
        set.insert((1, 8));
        set.insert((1, 2));
        set.remove((1, 9));
        set.remove((1, 2));
        let expected = vec![(1, 8), (1, 7), (1, 5)];
        assert_eq!(set.last((1, i64::MIN)..=(1, i64::MAX), 3), expected);
        set.compact();
        assert_eq!(set.last((1, i64::MIN)..=(1, i64::MAX), 3), expected);
        assert_eq!(
            set.last((1, i64::MIN)..=(1, i64::MAX), 10),
            vec![(1, 8), (1, 7), (1, 5), (1, 3), (1, 1)]
        );
        assert_eq!(set.last((3, i64::MIN)..=(3, i64::MAX), 3), vec![]);
    }

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
        set.put(&old, vec![3]);
        let old_bands = features::bands(&minhash::from_bytes(&old.signature));
        assert_eq!(
            set.bucket_members(&old_bands[..1], 8),
            vec![(old_bands[0], 7)]
        );
        let new = row(7, vec![2; super::super::PERMUTATIONS], vec![(12, 0.5)]);
        set.put(&new, vec![4]);
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
                &row(id, vec![id as u16; super::super::PERMUTATIONS], vec![]),
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
