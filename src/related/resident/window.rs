//! The same-story window of the resident set: the LSH buckets of the
//! newest sketched articles (by id), at most a set number of them. Retold
//! versions of a story arrive close together; older stories are still
//! reached through the postings (see `stories`).

use std::collections::BTreeMap;

use super::buckets::{self, Buckets};

#[derive(Debug)]
pub(super) struct Window {
    limit: usize,
    /// Each member's band keys, to take its buckets out again.
    members: BTreeMap<i64, Box<[u32]>>,
    buckets: Buckets,
}

impl Window {
    pub fn new(limit: usize) -> Window {
        Window {
            limit,
            members: BTreeMap::new(),
            buckets: Buckets::default(),
        }
    }

    /// Puts (or replaces) an article's bands. An article older than every
    /// member of a full window stays out; a newer one pushes the oldest
    /// out. So the window holds the `limit` newest ids it was given,
    /// whatever their order: what a rebuild from the database holds.
    pub fn put(&mut self, id: i64, keys: Vec<i64>) {
        self.forget(id);
        if self.members.len() >= self.limit {
            match self.members.first_key_value() {
                Some((&oldest, _)) if oldest < id => self.forget(oldest),
                _ => return,
            }
        }
        let keys: Box<[u32]> = keys.into_iter().map(buckets::band).collect();
        for &key in &keys {
            self.buckets.insert(key, id);
        }
        self.members.insert(id, keys);
    }

    pub fn forget(&mut self, id: i64) {
        if let Some(keys) = self.members.remove(&id) {
            for &key in keys.iter() {
                self.buckets.remove(key, id);
            }
        }
    }

    /// The newest `n` members of a bucket.
    pub fn newest(&self, key: i64, n: usize) -> impl Iterator<Item = i64> + '_ {
        self.buckets.newest(buckets::band(key), n)
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn newest(window: &Window, key: i64, n: usize) -> Vec<i64> {
        window.newest(key, n).collect()
    }

    #[test]
    fn a_full_window_keeps_the_newest_ids_whatever_their_order() {
        let mut window = Window::new(3);
        for id in [4, 9, 2, 7, 1, 8] {
            window.put(id, vec![100, id * 1000]);
        }
        assert_eq!(window.len(), 3);
        assert_eq!(newest(&window, 100, 8), [9, 8, 7]);
        assert!(newest(&window, 4000, 8).is_empty());
        // A member's new bands replace its old ones.
        window.put(9, vec![200]);
        assert_eq!(newest(&window, 100, 8), [8, 7]);
        assert_eq!(newest(&window, 200, 8), [9]);
        window.forget(8);
        assert_eq!(newest(&window, 100, 8), [7]);
        assert!(newest(&window, 8000, 8).is_empty());
        assert_eq!(window.len(), 2);
    }
}
