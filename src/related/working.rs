//! What the writer keeps in memory between batches: the ranking profiles
//! and `similar` lists it has read or written. Each article's candidates
//! and best owners are spread over the whole archive, so in a large
//! archive a batch reads tens of thousands of different profiles and lists;
//! from SQLite each costs a few microseconds (B-tree seeks, rows handed over
//! by sqlx's worker thread), from here a hash lookup.
//!
//! It must never disagree with the database. Every write to what it holds
//! goes through the engine, which updates it at the same time; what the
//! engine cannot see is guarded by a generation number stored in the
//! database: each relating batch reads it and bumps it in its own
//! transaction, and the set is emptied whenever the stored number is not
//! the one it last wrote. That covers a batch whose transaction rolled
//! back (the bump rolls back with it), `relate --all` (which bumps it in
//! every transaction), and tags replaced by a reparse (which bumps it).

use std::collections::HashMap;

use sqlx::SqliteConnection;

use crate::store::StoreError;
use crate::store::related as db;

use super::similar::{Doc, Pick};
use super::terms;

/// Profiles kept at most (about 0.4 KB each with their lists); past this
/// the set starts again empty, which costs one batch its reads.
const MOST_PROFILES: usize = 250_000;

#[derive(Debug, Default)]
pub struct WorkingSet {
    /// The generation this set agrees with; `None`: not known yet.
    generation: Option<i64>,
    profiles: HashMap<i64, Profile>,
    /// `similar` lists by owner, best first; an empty list is a known one.
    lists: HashMap<i64, Vec<Pick>>,
}

/// A [`Doc`] as kept: the vector in its stored 10-bytes-per-term form.
#[derive(Debug)]
struct Profile {
    cluster: i64,
    day: Option<i32>,
    tags: Box<[i64]>,
    vector: Box<[u8]>,
}

impl WorkingSet {
    /// Starts a relating batch inside its transaction: forgets everything
    /// if the database moved on without this set, then claims the next
    /// generation.
    pub async fn begin(&mut self, conn: &mut SqliteConnection) -> Result<(), StoreError> {
        let stored = db::generation(conn).await?;
        if self.generation != Some(stored) {
            self.clear();
        }
        self.generation = Some(db::bump_generation(conn).await?);
        Ok(())
    }

    /// Forgets everything (the next [`begin`](Self::begin) starts empty).
    pub fn clear(&mut self) {
        self.generation = None;
        self.profiles.clear();
        self.lists.clear();
    }

    /// The profiles of `ids` that have one: kept ones, the rest read.
    pub async fn profiles(
        &mut self,
        conn: &mut SqliteConnection,
        ids: &[i64],
    ) -> Result<HashMap<i64, Doc>, StoreError> {
        let missing: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !self.profiles.contains_key(id))
            .collect();
        let read = super::lists::profiles(conn, &missing).await?;
        self.remember(read.values());
        Ok(ids
            .iter()
            .filter_map(|&id| Some((id, self.doc(id)?)))
            .collect())
    }

    fn doc(&self, id: i64) -> Option<Doc> {
        let p = self.profiles.get(&id)?;
        Some(Doc {
            id,
            cluster: p.cluster,
            day: p.day,
            tags: p.tags.to_vec(),
            vector: terms::from_bytes(&p.vector),
        })
    }

    /// Keeps these profiles as they now are in the database (vectors are
    /// quantized as stored, so they come back unchanged).
    pub fn remember<'a>(&mut self, docs: impl IntoIterator<Item = &'a Doc>) {
        if self.profiles.len() > MOST_PROFILES {
            self.clear_keeping_generation();
        }
        for d in docs {
            let profile = Profile {
                cluster: d.cluster,
                day: d.day,
                tags: d.tags.clone().into_boxed_slice(),
                vector: terms::to_bytes(&d.vector).into_boxed_slice(),
            };
            self.profiles.insert(d.id, profile);
        }
    }

    fn clear_keeping_generation(&mut self) {
        self.profiles.clear();
        self.lists.clear();
    }

    /// Articles moved to other story clusters: (article, cluster) pairs,
    /// as written to the database.
    pub fn move_clusters(&mut self, moves: &[(i64, i64)]) {
        if moves.is_empty() {
            return;
        }
        let moved: HashMap<i64, i64> = moves.iter().copied().collect();
        for (id, cluster) in &moved {
            if let Some(p) = self.profiles.get_mut(id) {
                p.cluster = *cluster;
            }
        }
        for pick in self.lists.values_mut().flatten() {
            if let Some(&cluster) = moved.get(&pick.id) {
                pick.cluster = cluster;
            }
        }
    }

    /// The `similar` lists of `owners` (empty for an owner without one):
    /// kept ones, the rest read.
    pub async fn lists(
        &mut self,
        conn: &mut SqliteConnection,
        owners: &[i64],
    ) -> Result<HashMap<i64, Vec<Pick>>, StoreError> {
        let missing: Vec<i64> = owners
            .iter()
            .copied()
            .filter(|id| !self.lists.contains_key(id))
            .collect();
        let mut read = super::lists::grouped(db::similar_lists(conn, &missing).await?);
        for id in missing {
            self.lists.insert(id, read.remove(&id).unwrap_or_default());
        }
        Ok(owners
            .iter()
            .filter_map(|id| Some((*id, self.lists.get(id)?.clone())))
            .collect())
    }

    /// Keeps these lists as they now are in the database.
    pub fn remember_lists(&mut self, lists: impl IntoIterator<Item = (i64, Vec<Pick>)>) {
        self.lists.extend(lists);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, cluster: i64) -> Doc {
        Doc {
            id,
            cluster,
            day: Some(20_000),
            tags: vec![3, 1],
            vector: terms::from_bytes(&terms::to_bytes(&vec![(7, 0.5), (9, 0.25)])),
        }
    }

    #[test]
    fn a_remembered_profile_comes_back_as_it_went_in() {
        let mut set = WorkingSet::default();
        set.remember([&doc(5, 5)]);
        let back = set.doc(5).unwrap();
        assert_eq!(
            (back.id, back.cluster, back.day, back.tags, back.vector),
            (5, 5, Some(20_000), vec![3, 1], doc(5, 5).vector)
        );
        assert!(set.doc(6).is_none());
    }

    #[test]
    fn moved_clusters_reach_profiles_and_the_picks_of_lists() {
        let mut set = WorkingSet::default();
        set.remember([&doc(5, 5), &doc(6, 6)]);
        let pick = |id, cluster| Pick {
            id,
            cluster,
            score: 0.5,
        };
        set.remember_lists([(1, vec![pick(5, 5), pick(6, 6)])]);
        set.move_clusters(&[(6, 5)]);
        assert_eq!(set.doc(6).unwrap().cluster, 5);
        assert_eq!(set.doc(5).unwrap().cluster, 5);
        assert_eq!(set.lists[&1], vec![pick(5, 5), pick(6, 5)]);
    }
}
