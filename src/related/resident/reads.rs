//! Reading back what the resident set does not hold: profiles (whole, or
//! without their signatures for ranking) and `similar` lists, each by one
//! query for those missing.

use foldhash::HashMap;
use std::time::{Duration, Instant};

use crate::store::relating::{self as db, Parts, StoredProfile};
use crate::store::relations;
use crate::store::{Conn, StoreError};

use super::super::similar::Pick;
use super::profiles::Profile;
use super::{Resident, sorted_once};

impl Resident {
    /// Reads the whole profiles of those of `ids` not held whole (an
    /// article without a sketch stays without). Every read of profiles
    /// below sees only what was put or loaded in this transaction, or kept
    /// from earlier ones.
    pub async fn load(&mut self, conn: &mut Conn, ids: &[i64]) -> Result<(), StoreError> {
        self.read(conn, ids, Parts::Whole).await
    }

    /// As [`load`](Self::load), for ranking similar articles: profiles
    /// not held are read without their signatures.
    pub async fn load_for_ranking(
        &mut self,
        conn: &mut Conn,
        ids: &[i64],
    ) -> Result<(), StoreError> {
        self.read(conn, ids, Parts::ForRanking).await
    }

    async fn read(&mut self, conn: &mut Conn, ids: &[i64], parts: Parts) -> Result<(), StoreError> {
        let missing = self.missing_parts(ids, parts);
        if missing.is_empty() {
            return Ok(());
        }
        let started = Instant::now();
        let stored = db::profiles(conn, &missing, parts).await?;
        self.adopt(stored, started.elapsed());
        Ok(())
    }

    /// Those of `ids` whose profile is not held, sorted, once each.
    pub fn missing(&self, ids: &[i64]) -> Vec<i64> {
        self.missing_parts(ids, Parts::ForRanking)
    }

    /// Those of `ids` not held with `parts`: for a whole profile, those
    /// held without their signatures too.
    pub(super) fn missing_parts(&self, ids: &[i64], parts: Parts) -> Vec<i64> {
        let held = |id: i64| match self.profiles.get(id) {
            None => false,
            Some(p) => parts == Parts::ForRanking || p.signature.is_some(),
        };
        sorted_once(ids.iter().copied().filter(|&id| !held(id)))
    }

    /// Those of `ids` the next transaction will not find held: not held
    /// now, or let go when it [`begin`](Self::begin)s (the longest kept).
    pub fn missing_after_trim(&self, ids: &[i64]) -> Vec<i64> {
        let let_go = self.profiles.let_go_by_trim(self.limits.cached);
        let gone = |id: &i64| !self.profiles.contains(*id) || let_go.contains(id);
        sorted_once(ids.iter().copied().filter(gone))
    }

    /// Keeps profiles read from the database (`db::profiles`, in `took`)
    /// where none is held, and their signatures where one is held without.
    /// Those read on another connection before this transaction began,
    /// only when [`begin`](Self::begin) said the set carried over: then
    /// nothing changed them meanwhile.
    pub fn adopt(&mut self, stored: Vec<StoredProfile>, took: Duration) {
        self.read_back.time += took;
        for p in stored {
            match self.profiles.get_mut(p.article_id) {
                None => {
                    self.read_back.profiles += 1;
                    self.profiles.insert(p.article_id, Profile::stored(p));
                }
                Some(held) if held.signature.is_none() => {
                    held.signature = p.signature.map(Vec::into_boxed_slice);
                }
                Some(_) => {}
            }
        }
    }

    /// Reads the `similar` lists of those of `owners` not held, then
    /// [loads](Self::load_for_ranking) the owners and every article their
    /// lists hold.
    pub async fn load_lists(&mut self, conn: &mut Conn, owners: &[i64]) -> Result<(), StoreError> {
        let missing = self.lists.missing(owners);
        if !missing.is_empty() {
            let mut stored: HashMap<i64, Vec<Pick>> =
                missing.iter().map(|&owner| (owner, Vec::new())).collect();
            for (owner, id, score) in relations::similar_lists(conn, &missing).await? {
                let pick = Pick {
                    id,
                    cluster: 0,
                    score: score as f32,
                };
                stored.entry(owner).or_default().push(pick);
            }
            for (owner, picks) in stored {
                self.lists.set(owner, picks);
            }
        }
        let mut ids = owners.to_vec();
        for &owner in owners {
            ids.extend(self.lists.of(owner).into_iter().flatten().map(|e| e.0));
        }
        self.load_for_ranking(conn, &ids).await
    }
}
