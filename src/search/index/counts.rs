//! Counting matches by small integer id: the tally's sources, tags and
//! years.

use foldhash::HashMap;

/// Ids below this are counted in a vector, the rest in a map: a vector up
/// to the largest id was zeroed (and regrown) on every search, and an
/// archive's tag ids run into the millions (1.3 million tags at 1M
/// generated pages: 10 MB zeroed for a word in 1,500 articles, a third of
/// its search). Years and sources stay in the vector, where the walk's
/// every match adds one.
const DENSE_IDS: u64 = 1 << 14;

/// Counts by integer id (source and tag ids are dense from 1; years are
/// their own number), with the vector's counted ids listed, so that
/// reading them out does not scan every id up to the largest.
#[derive(Default)]
pub(super) struct Counts {
    dense: Vec<f64>,
    counted: Vec<u32>,
    sparse: HashMap<u64, f64>,
}

impl Counts {
    #[inline]
    pub(super) fn add(&mut self, id: u64, weight: f64) {
        if id >= DENSE_IDS {
            *self.sparse.entry(id).or_default() += weight;
            return;
        }
        let i = id as usize;
        if i >= self.dense.len() {
            self.dense.resize(i + 1, 0.0);
        }
        if self.dense[i] == 0.0 {
            self.counted.push(i as u32);
        }
        self.dense[i] += weight;
    }

    /// Every (id, count), rounded, in no particular order.
    fn unordered(&self) -> Vec<(i64, u64)> {
        let round = |n: f64| n.round() as u64;
        let dense = self
            .counted
            .iter()
            .map(|&i| (i64::from(i), round(self.dense[i as usize])));
        let sparse = self.sparse.iter().map(|(&i, &n)| (i as i64, round(n)));
        dense.chain(sparse).collect()
    }

    /// Every (id, count), rounded, in id order.
    pub(super) fn all(&self) -> Vec<(i64, u64)> {
        let mut all = self.unordered();
        all.sort_unstable();
        all
    }

    /// The `top` ids by count (then the lower id), rounded; selected, as
    /// sorting a common word's thousands of tags was a sixth of its count.
    pub(super) fn top(&self, top: usize) -> Vec<(i64, u64)> {
        let mut all = self.unordered();
        let most_first = |a: &(i64, u64), b: &(i64, u64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if all.len() > top {
            all.select_nth_unstable_by(top, most_first);
            all.truncate(top);
        }
        all.sort_by(most_first);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::Counts;

    /// Catches a top list that is not the most counted (ties to the lower
    /// id) or an `all` out of id order, whatever order ids were counted in.
    #[test]
    fn top_is_the_most_counted_and_all_is_in_id_order() {
        let mut counts = Counts::default();
        for (id, weight) in [(9, 1.0), (4, 3.0), (7, 2.0), (2, 3.0), (5, 0.5), (9, 1.0)] {
            counts.add(id, weight);
        }
        assert_eq!(counts.top(3), vec![(2, 3), (4, 3), (7, 2)]);
        assert_eq!(counts.top(10).len(), 5);
        assert_eq!(counts.all(), vec![(2, 3), (4, 3), (5, 1), (7, 2), (9, 2)]);
    }

    /// Catches ids past the vector's bound lost, counted apart from
    /// themselves, or kept out of the order and the top list.
    #[test]
    fn large_ids_count_like_small_ones() {
        let large = super::DENSE_IDS;
        let mut counts = Counts::default();
        for (id, weight) in [
            (large + 5, 1.0),
            (3, 1.0),
            (1_300_000, 2.0),
            (large + 5, 2.5),
            (large, 1.0),
        ] {
            counts.add(id, weight);
        }
        let large = large as i64;
        assert_eq!(counts.top(2), vec![(large + 5, 4), (1_300_000, 2)]);
        assert_eq!(
            counts.all(),
            vec![(3, 1), (large, 1), (large + 5, 4), (1_300_000, 2)]
        );
    }
}
