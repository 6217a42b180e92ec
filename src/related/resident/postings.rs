//! The impact-ordered postings of the resident set: term → (weight,
//! article), strongest first (similar-article candidates).

use std::collections::HashMap;

/// Impact-ordered postings: each term's (16-bit weight, article), the
/// strongest first (ties: newest first), so a lookup reads a prefix.
#[derive(Debug, Default)]
pub(super) struct Postings(HashMap<i64, Vec<(i64, i64)>>);

impl Postings {
    /// From (term, weight, article) postings in any order, without duplicates.
    pub(super) fn load(mut postings: Vec<(i64, i64, i64)>) -> Postings {
        postings.sort_unstable_by(|a, b| a.0.cmp(&b.0).then((b.1, b.2).cmp(&(a.1, a.2))));
        let mut terms = HashMap::new();
        for group in postings.chunk_by(|a, b| a.0 == b.0) {
            terms.insert(group[0].0, group.iter().map(|p| (p.1, p.2)).collect());
        }
        Postings(terms)
    }

    pub(super) fn insert(&mut self, (term, weight, id): (i64, i64, i64)) {
        let list = self.0.entry(term).or_default();
        let at = list.partition_point(|p| *p > (weight, id));
        if list.get(at) != Some(&(weight, id)) {
            list.insert(at, (weight, id));
        }
    }

    pub(super) fn remove(&mut self, (term, weight, id): (i64, i64, i64)) {
        if let Some(list) = self.0.get_mut(&term) {
            list.retain(|p| *p != (weight, id));
            if list.is_empty() {
                self.0.remove(&term);
            }
        }
    }

    pub(super) fn strongest(&self, term: i64, n: usize) -> &[(i64, i64)] {
        let list = self.0.get(&term).map_or(&[][..], Vec::as_slice);
        &list[..n.min(list.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loading_in_bulk_orders_like_inserting_one_by_one() {
        let triples = vec![(7, 10, 1), (7, 30, 2), (8, 5, 3), (7, 10, 3), (7, 20, 4)];
        let mut one_by_one = Postings::default();
        for &posting in &triples {
            one_by_one.insert(posting);
        }
        let bulk = Postings::load(triples);
        for term in 7..=9 {
            assert_eq!(bulk.strongest(term, 8), one_by_one.strongest(term, 8));
        }
        assert_eq!(bulk.strongest(7, 8), &[(30, 2), (20, 4), (10, 3), (10, 1)]);
    }

    #[test]
    fn postings_come_strongest_first_then_newest() {
        let mut postings = Postings::default();
        for (weight, id) in [(10, 1), (30, 2), (10, 3), (20, 4)] {
            postings.insert((7, weight, id));
        }
        assert_eq!(postings.strongest(7, 3), &[(30, 2), (20, 4), (10, 3)]);
        postings.remove((7, 30, 2));
        assert_eq!(postings.strongest(7, 8), &[(20, 4), (10, 3), (10, 1)]);
        assert!(postings.strongest(8, 8).is_empty());
    }
}
