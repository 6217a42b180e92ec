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
//! to. Here a lookup is a hash probe and an insert does
//! not touch the rest. The database keeps what all of this is derived from
//! (`related_docs`, `article_tags`, `relations`), and the set is rebuilt
//! from it whenever it may disagree.
//!
//! Agreement is kept by a generation number stored in the database: every
//! relating transaction checks it is the one this set last wrote (if not,
//! another process or a rolled-back batch moved the tables on: rebuild) and
//! bumps it; a reparse that replaces tags bumps it too.
//!
//! Cost: about 2.4 KB of memory per sketched article (230 MiB at 100k),
//! held only while an import, reparse or `relate` runs (each releases it
//! at its end); rebuilding reads `related_docs`, the tags and the
//! `similar` rows once (1.7 s at 100k, 3.8 s at 200k, inside the first
//! relating transaction of a run).

use std::collections::HashMap;

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
    buckets: Buckets,
    postings: Postings,
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

impl Profile {
    fn new(row: DocRow, tags: Vec<i64>) -> Profile {
        Profile {
            cluster: row.cluster_id,
            day: row.day.map(|d| d as i32),
            tags: tags.into_boxed_slice(),
            vector: row.vector.into_boxed_slice(),
            signature: row.signature.into_boxed_slice(),
        }
    }
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

    /// Reads every stored sketch, tag list and `similar` list. Buckets and
    /// postings are loaded in bulk: collected, sorted once, then grouped
    /// (inserting them one by one cost three times as much).
    async fn rebuild(&mut self, conn: &mut SqliteConnection) -> Result<(), StoreError> {
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
            for key in features::bands(&minhash::from_bytes(&old.signature)) {
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

/// LSH buckets: most hold a single article (a band of two 16-bit values
/// rarely repeats by chance), so singletons sit in one flat map (16 bytes
/// an entry) and only shared buckets get a list, newest article first.
#[derive(Debug, Default)]
struct Buckets {
    single: HashMap<i64, i64>,
    shared: HashMap<i64, Vec<i64>>,
}

impl Buckets {
    /// From (band key, article) pairs in any order, without duplicates.
    fn load(mut pairs: Vec<(i64, i64)>) -> Buckets {
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut buckets = Buckets::default();
        buckets.single.reserve(pairs.len());
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            match group {
                [(key, id)] => {
                    buckets.single.insert(*key, *id);
                }
                _ => {
                    let members = group.iter().map(|p| p.1).collect();
                    buckets.shared.insert(group[0].0, members);
                }
            }
        }
        buckets
    }

    fn insert(&mut self, key: i64, id: i64) {
        if let Some(list) = self.shared.get_mut(&key) {
            insert_newest_first(list, id);
        } else if let Some(first) = self.single.remove(&key) {
            let mut list = vec![first];
            insert_newest_first(&mut list, id);
            self.shared.insert(key, list);
        } else {
            self.single.insert(key, id);
        }
    }

    fn remove(&mut self, key: i64, id: i64) {
        if self.single.get(&key) == Some(&id) {
            self.single.remove(&key);
        } else if let Some(list) = self.shared.get_mut(&key) {
            list.retain(|m| *m != id);
            if list.is_empty() {
                self.shared.remove(&key);
            }
        }
    }

    /// The newest `n` members of the bucket.
    fn newest(&self, key: i64, n: usize) -> &[i64] {
        if let Some(id) = self.single.get(&key) {
            return std::slice::from_ref(id);
        }
        let list = self.shared.get(&key).map_or(&[][..], Vec::as_slice);
        &list[..n.min(list.len())]
    }
}

fn insert_newest_first(list: &mut Vec<i64>, id: i64) {
    let at = list.partition_point(|m| *m > id);
    if list.get(at) != Some(&id) {
        list.insert(at, id);
    }
}

/// Impact-ordered postings: each term's (16-bit weight, article), the
/// strongest first (ties: newest first), so a lookup reads a prefix.
#[derive(Debug, Default)]
struct Postings(HashMap<i64, Vec<(i64, i64)>>);

impl Postings {
    /// From (term, weight, article) postings in any order, without duplicates.
    fn load(mut postings: Vec<(i64, i64, i64)>) -> Postings {
        postings.sort_unstable_by(|a, b| a.0.cmp(&b.0).then((b.1, b.2).cmp(&(a.1, a.2))));
        let mut terms = HashMap::new();
        for group in postings.chunk_by(|a, b| a.0 == b.0) {
            terms.insert(group[0].0, group.iter().map(|p| (p.1, p.2)).collect());
        }
        Postings(terms)
    }

    fn insert(&mut self, (term, weight, id): (i64, i64, i64)) {
        let list = self.0.entry(term).or_default();
        let at = list.partition_point(|p| *p > (weight, id));
        if list.get(at) != Some(&(weight, id)) {
            list.insert(at, (weight, id));
        }
    }

    fn remove(&mut self, (term, weight, id): (i64, i64, i64)) {
        if let Some(list) = self.0.get_mut(&term) {
            list.retain(|p| *p != (weight, id));
            if list.is_empty() {
                self.0.remove(&term);
            }
        }
    }

    fn strongest(&self, term: i64, n: usize) -> &[(i64, i64)] {
        let list = self.0.get(&term).map_or(&[][..], Vec::as_slice);
        &list[..n.min(list.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_give_their_newest_members_and_forget_removed_ones() {
        let mut buckets = Buckets::default();
        for id in [5, 1, 9, 3] {
            buckets.insert(1, id);
        }
        buckets.insert(2, 4);
        assert_eq!(buckets.newest(1, 3), &[9, 5, 3]);
        assert_eq!(buckets.newest(2, 3), &[4]);
        buckets.remove(1, 9);
        buckets.remove(2, 4);
        assert_eq!(buckets.newest(1, 8), &[5, 3, 1]);
        assert!(buckets.newest(2, 8).is_empty());
        assert!(buckets.newest(3, 8).is_empty());
    }

    #[test]
    fn loading_in_bulk_orders_like_inserting_one_by_one() {
        let pairs = vec![(1, 5), (2, 4), (1, 9), (1, 3), (3, 7)];
        let mut one_by_one = Buckets::default();
        for &(key, id) in &pairs {
            one_by_one.insert(key, id);
        }
        let bulk = Buckets::load(pairs);
        for key in 1..=4 {
            assert_eq!(bulk.newest(key, 8), one_by_one.newest(key, 8));
        }
        let triples = vec![(7, 10, 1), (7, 30, 2), (8, 5, 3), (7, 10, 3), (7, 20, 4)];
        let mut one_by_one = Postings::default();
        for &posting in &triples {
            one_by_one.insert(posting);
        }
        let bulk = Postings::load(triples);
        for term in 7..=9 {
            assert_eq!(bulk.strongest(term, 8), one_by_one.strongest(term, 8));
        }
        assert_eq!(bulk.strongest(7, 8), &[(30, 2), (20, 4), (10, 3), (10, 1)]);
    }

    #[test]
    fn postings_come_strongest_first_then_newest() {
        let mut postings = Postings::default();
        for (weight, id) in [(10, 1), (30, 2), (10, 3), (20, 4)] {
            postings.insert((7, weight, id));
        }
        assert_eq!(postings.strongest(7, 3), &[(30, 2), (20, 4), (10, 3)]);
        postings.remove((7, 30, 2));
        assert_eq!(postings.strongest(7, 8), &[(20, 4), (10, 3), (10, 1)]);
        assert!(postings.strongest(8, 8).is_empty());
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
