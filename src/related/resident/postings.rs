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
        insert_in_order(self.terms.entry(term).or_default(), posting, self.cap);
    }

    /// Postings taken in all at once, as a rebuild reads them: a list that
    /// is not full is kept unordered, and [`Loading::finish`] orders it. At
    /// a million articles, placing each posting of a term's short list in
    /// order (the search for its place and the shift behind it) was most
    /// of a rebuild's time.
    pub(super) fn loading(cap: usize) -> Loading {
        Loading(Postings::new(cap))
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

/// Puts `posting` in its place in the ordered `list`, which keeps its
/// `cap` strongest.
fn insert_in_order(list: &mut Vec<Posting>, posting: Posting, cap: usize) {
    if list.len() >= cap && list.last().is_some_and(|weakest| posting <= *weakest) {
        return; // weaker than every posting of a full list
    }
    let at = list.partition_point(|p| *p > posting);
    if at < cap && list.get(at) != Some(&posting) {
        // The weakest goes first: inserting into a full list would
        // double its allocation, kept for as long as the term is.
        if list.len() == cap {
            list.pop();
        }
        list.insert(at, posting);
    }
}

/// [`Postings`] being loaded (see [`Postings::loading`]): a list is
/// unordered until it is full, then ordered and kept so.
pub(super) struct Loading(Postings);

impl Loading {
    pub(super) fn push(&mut self, (term, weight, id): (i64, i64, i64)) {
        let Some(posting) = Posting::new(weight, id) else {
            return;
        };
        let cap = self.0.cap;
        let list = self.0.terms.entry(term).or_default();
        if list.len() < cap {
            list.push(posting);
            if list.len() == cap {
                strongest_first(list, cap);
            }
        } else {
            insert_in_order(list, posting, cap);
        }
    }

    /// Every list in order, in the room taking its postings one at a time
    /// would have given it (a power of two, the cap at most): with exact
    /// room, each list that then took one more posting would move to a new
    /// allocation.
    pub(super) fn finish(mut self) -> Postings {
        let cap = self.0.cap;
        for list in self.0.terms.values_mut() {
            strongest_first(list, cap);
            list.shrink_to(room_for(list.len()).min(cap));
        }
        self.0
    }
}

/// The room a vector of postings grows to when it takes `len` one at a
/// time (std's doubling, from 4 for elements of 8 bytes).
fn room_for(len: usize) -> usize {
    len.next_power_of_two().max(4)
}

/// Orders `list` strongest first, each posting once, and keeps `cap`.
fn strongest_first(list: &mut Vec<Posting>, cap: usize) {
    list.sort_unstable_by(|a, b| b.cmp(a));
    list.dedup();
    list.truncate(cap);
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

    /// Catches a rebuild whose lists differ from taking the same postings
    /// one at a time: their order, a posting twice, a list past its cap
    /// or holding more room than it needs.
    #[test]
    fn loading_at_once_keeps_what_inserting_one_by_one_keeps() {
        let cap = 8;
        let mut one_by_one = Postings::new(cap);
        let mut loading = Postings::loading(cap);
        // Term 7 fills and goes on (ordered from then on), term 8 does
        // not fill; ties, repeats and postings that cannot be kept.
        let mut taken = Vec::new();
        for i in 0..40_i64 {
            taken.push((7, (i * 37) % 11, i + 1));
            taken.push((7, 10, 3));
        }
        taken.extend([
            (8, 3, 2),
            (8, 9, 1),
            (8, 3, 2),
            (8, 3, 5),
            (8, 70_000, 4),
            (8, 3, -2),
        ]);
        for posting in taken {
            one_by_one.insert(posting);
            loading.push(posting);
        }
        let loaded = loading.finish();
        for term in [7, 8, 9] {
            assert_eq!(
                strongest(&loaded, term, 100),
                strongest(&one_by_one, term, 100),
                "term {term}"
            );
        }
        assert_eq!(strongest(&loaded, 7, 100).len(), cap);
        assert_eq!(strongest(&loaded, 8, 100), [(9, 1), (3, 5), (3, 2)]);
        for list in loaded.terms.values() {
            let room = room_for(list.len()).min(cap);
            assert!(list.capacity() <= room, "{} > {room}", list.capacity());
        }
        // The room of a list grown one posting at a time.
        let mut grown: Vec<Posting> = Vec::new();
        for (len, id) in (1..=40).zip(1..) {
            grown.push(Posting::new(1, id).unwrap());
            assert_eq!(grown.capacity(), room_for(len), "{len}");
        }
    }
}
