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
    terms: HashMap<i64, Vec<Posting>>,
}

/// A posting as kept: the weight in the top 16 bits, the article id in the
/// other 48, so that one number orders postings strongest first, then
/// newest first, in half the room of a pair (the set's postings were 72
/// MB of a late import's heap at a million articles). Ids count articles
/// from 1, and 2^48 is some 280 trillion of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Posting(u64);

const ID_BITS: u32 = 48;

impl Posting {
    /// `None` for what cannot be a stored posting (a weight outside 16
    /// bits, an id outside 48): kept out rather than mistaken for another.
    fn new(weight: i64, id: i64) -> Option<Posting> {
        let weight = u16::try_from(weight).ok()?;
        let id = u64::try_from(id).ok().filter(|id| id >> ID_BITS == 0)?;
        Some(Posting(u64::from(weight) << ID_BITS | id))
    }

    fn weight(self) -> i64 {
        (self.0 >> ID_BITS) as i64
    }

    fn id(self) -> i64 {
        (self.0 & ((1 << ID_BITS) - 1)) as i64
    }
}

impl Postings {
    pub(super) fn new(cap: usize) -> Postings {
        Postings {
            cap,
            terms: HashMap::default(),
        }
    }

    pub(super) fn insert(&mut self, (term, weight, id): (i64, i64, i64)) {
        let Some(posting) = Posting::new(weight, id) else {
            return;
        };
        let list = self.terms.entry(term).or_default();
        let at = list.partition_point(|p| *p > posting);
        if at < self.cap && list.get(at) != Some(&posting) {
            // The weakest goes first: inserting into a full list would
            // double its allocation, kept for as long as the term is.
            if list.len() == self.cap {
                list.pop();
            }
            list.insert(at, posting);
        }
    }

    pub(super) fn remove(&mut self, (term, weight, id): (i64, i64, i64)) {
        let Some(posting) = Posting::new(weight, id) else {
            return;
        };
        if let Some(list) = self.terms.get_mut(&term) {
            list.retain(|p| *p != posting);
            if list.is_empty() {
                self.terms.remove(&term);
            }
        }
    }

    /// A term's `n` strongest postings as (weight, article).
    pub(super) fn strongest(&self, term: i64, n: usize) -> impl Iterator<Item = (i64, i64)> + '_ {
        let list = self.terms.get(&term).map_or(&[][..], Vec::as_slice);
        list[..n.min(list.len())]
            .iter()
            .map(|p| (p.weight(), p.id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strongest(postings: &Postings, term: i64, n: usize) -> Vec<(i64, i64)> {
        postings.strongest(term, n).collect()
    }

    #[test]
    fn postings_come_strongest_first_then_newest() {
        let mut postings = Postings::new(8);
        for (weight, id) in [(10, 1), (30, 2), (10, 3), (20, 4)] {
            postings.insert((7, weight, id));
        }
        assert_eq!(strongest(&postings, 7, 3), &[(30, 2), (20, 4), (10, 3)]);
        postings.remove((7, 30, 2));
        assert_eq!(strongest(&postings, 7, 8), &[(20, 4), (10, 3), (10, 1)]);
        assert!(strongest(&postings, 8, 8).is_empty());
    }

    #[test]
    fn a_term_keeps_only_its_strongest_postings() {
        let mut postings = Postings::new(3);
        for (weight, id) in [(10, 1), (30, 2), (5, 3), (20, 4), (40, 5), (1, 6)] {
            postings.insert((7, weight, id));
        }
        assert_eq!(strongest(&postings, 7, 8), &[(40, 5), (30, 2), (20, 4)]);
        // The same, whatever order the postings came in.
        let mut reversed = Postings::new(3);
        for (weight, id) in [(1, 6), (40, 5), (20, 4), (5, 3), (30, 2), (10, 1)] {
            reversed.insert((7, weight, id));
        }
        assert_eq!(strongest(&reversed, 7, 8), strongest(&postings, 7, 8));
    }

    /// Catches a full list that grows before it is cut back: a list of
    /// eight had room for sixteen, the set's postings twice their size.
    #[test]
    fn a_full_list_takes_no_more_room_than_its_cap() {
        let mut postings = Postings::new(8);
        for weight in 0..100 {
            postings.insert((7, weight, weight));
        }
        assert_eq!(strongest(&postings, 7, 8)[0], (99, 99));
        assert!(
            postings.terms[&7].capacity() <= 8,
            "{}",
            postings.terms[&7].capacity()
        );
    }

    /// Catches a posting that takes a pair's room again, or an order that
    /// mixes a weight's bits with an id's.
    #[test]
    fn a_posting_is_one_number_ordered_by_weight_then_id() {
        assert_eq!(std::mem::size_of::<Posting>(), 8);
        let top_id = (1 << ID_BITS) - 1;
        let mut postings = Postings::new(8);
        for (weight, id) in [(1, top_id), (2, 1), (65_535, 5), (1, 3), (0, top_id)] {
            postings.insert((7, weight, id));
        }
        let expected = [(65_535, 5), (2, 1), (1, top_id), (1, 3), (0, top_id)];
        assert_eq!(strongest(&postings, 7, 8), expected);
        // What cannot be a posting is kept out, not folded into another.
        for (weight, id) in [(65_536, 9), (-1, 9), (3, top_id + 1), (3, -1)] {
            postings.insert((7, weight, id));
        }
        assert_eq!(strongest(&postings, 7, 8), expected);
        postings.remove((7, 1, top_id));
        assert_eq!(strongest(&postings, 7, 8).len(), 4);
    }
}
