//! Counting matches by small integer id: the tally's sources, tags and
//! years.

/// Counts by small integer id (source and tag ids are dense from 1; years
/// are their own number), with the ids counted so far listed, so that
/// reading them out does not scan every id up to the largest.
#[derive(Default)]
pub(super) struct Counts {
    counts: Vec<f64>,
    counted: Vec<u32>,
}

impl Counts {
    #[inline]
    pub(super) fn add(&mut self, id: u64, weight: f64) {
        let i = id as usize;
        if i >= self.counts.len() {
            if i > 1 << 26 {
                return; // not an id of ours
            }
            self.counts.resize(i + 1, 0.0);
        }
        if self.counts[i] == 0.0 {
            self.counted.push(i as u32);
        }
        self.counts[i] += weight;
    }

    /// Every (id, count), rounded, as first counted.
    fn unordered(&self) -> Vec<(i64, u64)> {
        self.counted
            .iter()
            .map(|&i| (i64::from(i), self.counts[i as usize].round() as u64))
            .collect()
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
}
