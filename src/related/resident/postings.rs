//! The impact-ordered postings of the resident set: term → (weight,
//! article), strongest first (similar-article candidates).

use foldhash::HashMap;

/// Impact-ordered postings: each term's (16-bit weight, article), the
/// strongest first (ties: newest first), so a lookup reads a prefix. Only
/// a term's `cap` strongest are kept: lookups read at most `PER_TERM` of
/// them, and the rest of a common word's list would grow with the
/// archive. The margin above `PER_TERM` stands in for entries taken out
/// (an article re-weighed or deleted) until the next rebuild.
#[derive(Debug)]
pub(super) struct Postings {
    cap: usize,
    terms: HashMap<i64, Vec<(i64, i64)>>,
}

impl Postings {
    pub(super) fn new(cap: usize) -> Postings {
        Postings {
            cap,
            terms: HashMap::default(),
        }
    }

    pub(super) fn insert(&mut self, (term, weight, id): (i64, i64, i64)) {
        let list = self.terms.entry(term).or_default();
        let at = list.partition_point(|p| *p > (weight, id));
        if at < self.cap && list.get(at) != Some(&(weight, id)) {
            // The weakest goes first: inserting into a full list would
            // double its allocation, kept for as long as the term is.
            if list.len() == self.cap {
                list.pop();
            }
            list.insert(at, (weight, id));
        }
    }

    pub(super) fn remove(&mut self, (term, weight, id): (i64, i64, i64)) {
        if let Some(list) = self.terms.get_mut(&term) {
            list.retain(|p| *p != (weight, id));
            if list.is_empty() {
                self.terms.remove(&term);
            }
        }
    }

    pub(super) fn strongest(&self, term: i64, n: usize) -> &[(i64, i64)] {
        let list = self.terms.get(&term).map_or(&[][..], Vec::as_slice);
        &list[..n.min(list.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_come_strongest_first_then_newest() {
        let mut postings = Postings::new(8);
        for (weight, id) in [(10, 1), (30, 2), (10, 3), (20, 4)] {
            postings.insert((7, weight, id));
        }
        assert_eq!(postings.strongest(7, 3), &[(30, 2), (20, 4), (10, 3)]);
        postings.remove((7, 30, 2));
        assert_eq!(postings.strongest(7, 8), &[(20, 4), (10, 3), (10, 1)]);
        assert!(postings.strongest(8, 8).is_empty());
    }

    #[test]
    fn a_term_keeps_only_its_strongest_postings() {
        let mut postings = Postings::new(3);
        for (weight, id) in [(10, 1), (30, 2), (5, 3), (20, 4), (40, 5), (1, 6)] {
            postings.insert((7, weight, id));
        }
        assert_eq!(postings.strongest(7, 8), &[(40, 5), (30, 2), (20, 4)]);
        // The same, whatever order the postings came in.
        let mut reversed = Postings::new(3);
        for (weight, id) in [(1, 6), (40, 5), (20, 4), (5, 3), (30, 2), (10, 1)] {
            reversed.insert((7, weight, id));
        }
        assert_eq!(reversed.strongest(7, 8), postings.strongest(7, 8));
    }

    /// Catches a full list that grows before it is cut back: a list of
    /// eight had room for sixteen, the set's postings twice their size.
    #[test]
    fn a_full_list_takes_no_more_room_than_its_cap() {
        let mut postings = Postings::new(8);
        for weight in 0..100 {
            postings.insert((7, weight, weight));
        }
        assert_eq!(postings.strongest(7, 8)[0], (99, 99));
        assert!(
            postings.terms[&7].capacity() <= 8,
            "{}",
            postings.terms[&7].capacity()
        );
    }
}
