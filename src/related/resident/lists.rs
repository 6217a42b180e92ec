//! The `similar` lists of the resident set: a cache of the stored lists of
//! the owners a run touched lately, at most a set number between
//! transactions (the rest are read again from `relations`). Who holds an
//! article is asked of the database (`relations_to`), not kept.

use std::collections::VecDeque;

use foldhash::HashMap;

use super::super::similar::Pick;

#[derive(Debug, Default)]
pub(super) struct Lists {
    /// (article, score) by owner, best first (empty: the owner has none);
    /// the articles' clusters are their profiles'.
    by_owner: HashMap<i64, Box<[(i64, f32)]>>,
    /// Owners in the order their lists were first kept.
    order: VecDeque<i64>,
}

impl Lists {
    /// Keeps `owner`'s list as now stored (empty: none).
    pub fn set(&mut self, owner: i64, mut picks: Vec<Pick>) {
        picks.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        let entries = picks.iter().map(|p| (p.id, p.score)).collect();
        if self.by_owner.insert(owner, entries).is_none() {
            self.order.push_back(owner);
        }
    }

    /// `owner`'s list, best first, when it is held (empty: it has none).
    pub fn of(&self, owner: i64) -> Option<&[(i64, f32)]> {
        self.by_owner.get(&owner).map(|entries| &entries[..])
    }

    /// Those of `owners` whose list is not held.
    pub fn missing(&self, owners: &[i64]) -> Vec<i64> {
        let mut missing: Vec<i64> = owners
            .iter()
            .copied()
            .filter(|o| !self.by_owner.contains_key(o))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// Lets the longest-kept lists go until at most `limit` are held.
    pub fn trim(&mut self, limit: usize) {
        while self.by_owner.len() > limit {
            let Some(owner) = self.order.pop_front() else {
                break;
            };
            self.by_owner.remove(&owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(id: i64, score: f32) -> Pick {
        Pick {
            id,
            cluster: 0,
            score,
        }
    }

    #[test]
    fn lists_are_kept_best_first_and_the_longest_kept_go_first() {
        let mut lists = Lists::default();
        lists.set(1, vec![pick(3, 0.25), pick(2, 0.5)]);
        lists.set(2, vec![]);
        lists.set(3, vec![pick(1, 0.5)]);
        assert_eq!(lists.of(1), Some(&[(2, 0.5), (3, 0.25)][..]));
        assert_eq!(lists.of(2), Some(&[][..]));
        assert_eq!(lists.missing(&[4, 2, 4, 1]), vec![4]);
        lists.set(1, vec![pick(3, 0.75)]);
        lists.trim(2);
        assert_eq!(lists.of(1), None);
        assert_eq!(lists.missing(&[1, 2, 3]), vec![1]);
    }
}
