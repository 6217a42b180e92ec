//! The `similar` lists of the resident set, as stored: each owner's list
//! best first, and for each article the owners of the lists that hold it
//! (so a new article's offers and a merged story's repairs find them).

use std::collections::HashMap;

use super::super::similar::Pick;

#[derive(Debug, Default)]
pub(super) struct Lists {
    /// (article, score) by owner, best first; the articles' clusters are
    /// their profiles'.
    by_owner: HashMap<i64, Box<[(i64, f32)]>>,
    /// The owners of the lists that hold each article.
    holders: HashMap<i64, Vec<i64>>,
}

impl Lists {
    /// Keeps `owner`'s list as now stored (empty: none).
    pub fn set(&mut self, owner: i64, mut picks: Vec<Pick>) {
        for (old, _) in self.by_owner.remove(&owner).into_iter().flatten() {
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
        self.by_owner.insert(owner, entries);
    }

    /// `owner`'s list, best first, when it has one.
    pub fn of(&self, owner: i64) -> Option<&[(i64, f32)]> {
        self.by_owner.get(&owner).map(|entries| &entries[..])
    }

    /// The owners of the lists that hold any of `others`, at most `limit`.
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
}
