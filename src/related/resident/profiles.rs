//! The profiles of the resident set: what relating reads of a sketched
//! article (story cluster, day, tags, term vector, MinHash signature),
//! held for the articles a run touched lately, at most a set number
//! between transactions (the rest are read again from `related_docs`).

use std::collections::VecDeque;

use foldhash::{HashMap, HashSet};

use crate::store::relating::{DocRow, StoredProfile};

use super::super::minhash::{self, Signature};
use super::super::similar::Doc;
use super::super::terms;

/// One sketched article as kept (vector and signature in their stored
/// byte form: half the memory of the decoded ones).
#[derive(Debug)]
pub(super) struct Profile {
    pub cluster: i64,
    pub day: Option<i32>,
    pub tags: Box<[i64]>,
    pub vector: Box<[u8]>,
    /// `None` when read for ranking only (`Parts::ForRanking`).
    pub signature: Option<Box<[u8]>>,
}

impl Profile {
    pub fn new(row: DocRow, tags: Vec<i64>) -> Profile {
        Profile {
            cluster: row.cluster_id,
            day: row.day.map(|d| d as i32),
            tags: tags.into_boxed_slice(),
            vector: row.vector.into_boxed_slice(),
            signature: Some(row.signature.into_boxed_slice()),
        }
    }

    /// A profile as read back from the database.
    pub fn stored(p: StoredProfile) -> Profile {
        Profile {
            cluster: p.cluster_id,
            day: p.day.map(|d| d as i32),
            tags: p.tags.into_boxed_slice(),
            vector: p.vector.into_boxed_slice(),
            signature: p.signature.map(Vec::into_boxed_slice),
        }
    }

    /// The article's ranking profile.
    pub fn doc(&self, id: i64) -> Doc {
        Doc {
            id,
            cluster: self.cluster,
            day: self.day,
            tags: self.tags.to_vec(),
            vector: terms::from_bytes(&self.vector),
        }
    }

    /// Its signature, when it was read with it.
    pub fn signature(&self) -> Option<Signature> {
        self.signature.as_deref().map(minhash::from_bytes)
    }
}

/// Profiles by article, the first kept the first let go. A cache of the
/// database's rows: every change to a profile is written there in the
/// same transaction, so one let go is read back unchanged.
#[derive(Debug, Default)]
pub(super) struct Profiles {
    by_id: HashMap<i64, Profile>,
    /// Ids in the order they were first kept (ids let go meanwhile are
    /// skipped when their turn comes).
    order: VecDeque<i64>,
}

impl Profiles {
    pub fn get(&self, id: i64) -> Option<&Profile> {
        self.by_id.get(&id)
    }

    pub fn get_mut(&mut self, id: i64) -> Option<&mut Profile> {
        self.by_id.get_mut(&id)
    }

    pub fn contains(&self, id: i64) -> bool {
        self.by_id.contains_key(&id)
    }

    pub fn insert(&mut self, id: i64, profile: Profile) {
        if self.by_id.insert(id, profile).is_none() {
            self.order.push_back(id);
        }
    }

    pub fn remove(&mut self, id: i64) {
        self.by_id.remove(&id);
    }

    /// Lets the longest-kept profiles go until at most `limit` are held.
    /// Only between transactions: what a transaction loaded stays until
    /// it ends, however many that was.
    pub fn trim(&mut self, limit: usize) {
        while self.by_id.len() > limit {
            let Some(id) = self.order.pop_front() else {
                break;
            };
            self.by_id.remove(&id);
        }
        // Ids let go by `remove` still wait in the queue: drop them once
        // they outnumber the held ones, so the queue stays bounded too.
        if self.order.len() > 2 * self.by_id.len() + 1024 {
            let held = &self.by_id;
            self.order.retain(|id| held.contains_key(id));
        }
    }

    /// The ids [`trim`](Self::trim) would let go now.
    pub fn let_go_by_trim(&self, limit: usize) -> HashSet<i64> {
        let excess = self.by_id.len().saturating_sub(limit);
        let mut let_go = HashSet::default();
        // An id let go and kept again waits in the queue twice: the set
        // counts it once, as `trim` does.
        for &id in &self.order {
            if let_go.len() == excess {
                break;
            }
            if self.by_id.contains_key(&id) {
                let_go.insert(id);
            }
        }
        let_go
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(cluster: i64) -> Profile {
        Profile {
            cluster,
            day: None,
            tags: Box::new([]),
            vector: Box::new([]),
            signature: None,
        }
    }

    #[test]
    fn trimming_lets_the_longest_kept_go_first() {
        let mut profiles = Profiles::default();
        for id in [5, 1, 9, 3] {
            profiles.insert(id, profile(id));
        }
        // Replacing a profile does not make it newer.
        profiles.insert(5, profile(50));
        profiles.remove(1);
        assert_eq!(profiles.let_go_by_trim(2), HashSet::from_iter([5]));
        profiles.trim(2);
        assert!(!profiles.contains(5) && !profiles.contains(1));
        assert_eq!(profiles.get(9).map(|p| p.cluster), Some(9));
        assert!(profiles.contains(3));
        profiles.trim(0);
        assert_eq!(profiles.len(), 0);
    }
}
