//! The LSH buckets of the resident set: band key → the articles whose
//! signature has that band, newest first (same-story candidates).

use foldhash::HashMap;

/// LSH buckets: most hold a single article (a band of two 16-bit values
/// rarely repeats by chance), so singletons sit in one flat map and only
/// shared buckets get a list, newest article first.
///
/// A window of 100,000 articles fills 2.4 million buckets, so an entry's
/// size is most of the set's: band keys are 32-bit hashes
/// (`minhash::band_keys`) and each article is named by a 32-bit slot, an
/// entry of 8 bytes where a key and an id took 16 (71 MB of a late
/// import's heap at a million articles, before).
#[derive(Debug, Default)]
pub(super) struct Buckets {
    single: HashMap<u32, Slot>,
    shared: HashMap<u32, Vec<Slot>>,
    slots: Slots,
}

type Slot = u32;

impl Buckets {
    pub(super) fn insert(&mut self, key: u32, id: i64) {
        if let Some(list) = self.shared.get_mut(&key) {
            // Newest first and each article once: if it is there, it is
            // where it would go. A bucket of near-copies holds thousands.
            let at = list.partition_point(|&s| self.slots.id(s) > id);
            if list.get(at).map(|&s| self.slots.id(s)) != Some(id) {
                list.insert(at, self.slots.take(id));
            }
        } else if let Some(&first) = self.single.get(&key) {
            if self.slots.id(first) != id {
                self.single.remove(&key);
                let slot = self.slots.take(id);
                let pair = if self.slots.id(first) > id {
                    vec![first, slot]
                } else {
                    vec![slot, first]
                };
                self.shared.insert(key, pair);
            }
        } else {
            let slot = self.slots.take(id);
            self.single.insert(key, slot);
        }
    }

    pub(super) fn remove(&mut self, key: u32, id: i64) {
        if let Some(&slot) = self.single.get(&key) {
            if self.slots.id(slot) == id {
                self.single.remove(&key);
                self.slots.give_back(slot);
            }
        } else if let Some(list) = self.shared.get_mut(&key)
            && let at = list.partition_point(|&s| self.slots.id(s) > id)
            && list.get(at).map(|&s| self.slots.id(s)) == Some(id)
        {
            self.slots.give_back(list.remove(at));
            match list[..] {
                [] => {
                    self.shared.remove(&key);
                }
                [last] => {
                    self.shared.remove(&key);
                    self.single.insert(key, last);
                }
                _ => {}
            }
        }
    }

    /// The newest `n` members of the bucket.
    pub(super) fn newest(&self, key: u32, n: usize) -> impl Iterator<Item = i64> + '_ {
        let slots = match self.single.get(&key) {
            Some(slot) => std::slice::from_ref(slot),
            None => self.shared.get(&key).map_or(&[][..], Vec::as_slice),
        };
        slots[..n.min(slots.len())]
            .iter()
            .map(|&s| self.slots.id(s))
    }
}

/// A band key as held: band keys are 32-bit values widened to `i64`
/// (`minhash::band_keys`), so this keeps all of a real one.
pub(super) fn band(key: i64) -> u32 {
    key as u32
}

/// The articles the buckets name, each in one slot for as long as some
/// bucket holds it; a slot let go is given to the next article.
#[derive(Debug, Default)]
struct Slots {
    ids: Vec<i64>,
    /// Each held article's slot and how many buckets hold it.
    held: HashMap<i64, (Slot, u32)>,
    free: Vec<Slot>,
}

impl Slots {
    fn id(&self, slot: Slot) -> i64 {
        self.ids[slot as usize]
    }

    /// `id`'s slot, for one more bucket.
    fn take(&mut self, id: i64) -> Slot {
        let (slot, uses) = self.held.entry(id).or_insert_with(|| {
            let slot = match self.free.pop() {
                Some(slot) => {
                    self.ids[slot as usize] = id;
                    slot
                }
                None => {
                    self.ids.push(id);
                    Slot::try_from(self.ids.len() - 1).expect("fewer than 2^32 articles held")
                }
            };
            (slot, 0)
        });
        *uses += 1;
        *slot
    }

    /// One bucket less holds the article in `slot`.
    fn give_back(&mut self, slot: Slot) {
        let id = self.id(slot);
        if let Some((_, uses)) = self.held.get_mut(&id) {
            *uses -= 1;
            if *uses == 0 {
                self.held.remove(&id);
                self.free.push(slot);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn newest(buckets: &Buckets, key: u32, n: usize) -> Vec<i64> {
        buckets.newest(key, n).collect()
    }

    #[test]
    fn buckets_give_their_newest_members_and_forget_removed_ones() {
        let mut buckets = Buckets::default();
        for id in [5, 1, 9, 3] {
            buckets.insert(1, id);
        }
        buckets.insert(2, 4);
        assert_eq!(newest(&buckets, 1, 3), [9, 5, 3]);
        assert_eq!(newest(&buckets, 2, 3), [4]);
        buckets.remove(1, 9);
        buckets.remove(2, 4);
        assert_eq!(newest(&buckets, 1, 8), [5, 3, 1]);
        assert!(newest(&buckets, 2, 8).is_empty());
        assert!(newest(&buckets, 3, 8).is_empty());
        // Twice the same article is one member.
        buckets.insert(1, 5);
        buckets.insert(4, 6);
        buckets.insert(4, 6);
        assert_eq!(newest(&buckets, 1, 8), [5, 3, 1]);
        assert_eq!(newest(&buckets, 4, 8), [6]);
        // Band keys are 32-bit values widened: each keeps its own bucket.
        let (negative, large) = (band(-7), band(i64::from(i32::MAX)));
        assert_ne!(negative, large);
        buckets.insert(negative, 8);
        buckets.insert(large, 2);
        assert_eq!(newest(&buckets, negative, 8), [8]);
        assert_eq!(newest(&buckets, large, 8), [2]);
    }

    /// Catches slots that are never given back: the slot table would grow
    /// with every article that passed through the window.
    #[test]
    fn an_article_out_of_every_bucket_gives_its_slot_to_the_next() {
        let mut buckets = Buckets::default();
        let keys = |id: i64| [id % 3, 10 + id % 7, 100 + id].map(band);
        for id in 0..1_000 {
            for key in keys(id) {
                buckets.insert(key, id);
            }
            if id >= 10 {
                for key in keys(id - 10) {
                    buckets.remove(key, id - 10);
                }
            }
        }
        assert!(buckets.slots.ids.len() <= 11, "{}", buckets.slots.ids.len());
        assert_eq!(buckets.slots.held.len(), 10);
        assert_eq!(newest(&buckets, 0, 2), [999, 996]);
        assert_eq!(newest(&buckets, 10 + 999 % 7, 8), [999, 992]);
        assert_eq!(newest(&buckets, 1099, 8), [999]);
        assert!(newest(&buckets, 1089, 8).is_empty());
    }
}
