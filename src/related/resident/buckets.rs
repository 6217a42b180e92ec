//! The LSH buckets of the resident set: band key → the articles whose
//! signature has that band, newest first (same-story candidates).

use foldhash::HashMap;

/// LSH buckets: most hold a single article (a band of two 16-bit values
/// rarely repeats by chance), so singletons sit in one flat map (16 bytes
/// an entry) and only shared buckets get a list, newest article first.
#[derive(Debug, Default)]
pub(super) struct Buckets {
    single: HashMap<i64, i64>,
    shared: HashMap<i64, Vec<i64>>,
}

impl Buckets {
    pub(super) fn insert(&mut self, key: i64, id: i64) {
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

    pub(super) fn remove(&mut self, key: i64, id: i64) {
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
    pub(super) fn newest(&self, key: i64, n: usize) -> &[i64] {
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
}
