//! Rows for one `INSERT … ON CONFLICT DO UPDATE`, each key once.
//! PostgreSQL refuses a statement that would update one row twice
//! ("ON CONFLICT DO UPDATE command cannot affect row a second time"),
//! where SQLite applies the rows in order; merging a key's rows first, in
//! that order, gives both backends what SQLite's order gives.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::Hash;

/// `rows` with each key once, where it first appears: the rows sharing a
/// key folded in order with `merge(earlier, later)`.
pub(crate) fn merged<T, K: Eq + Hash>(
    rows: Vec<T>,
    key: impl Fn(&T) -> K,
    merge: impl Fn(T, T) -> T,
) -> Vec<T> {
    let mut at: HashMap<K, usize> = HashMap::with_capacity(rows.len());
    let mut out: Vec<Option<T>> = Vec::with_capacity(rows.len());
    for row in rows {
        match at.entry(key(&row)) {
            Entry::Occupied(seen) => {
                let earlier = out[*seen.get()].take().expect("each slot holds a row");
                out[*seen.get()] = Some(merge(earlier, row));
            }
            Entry::Vacant(new) => {
                new.insert(out.len());
                out.push(Some(row));
            }
        }
    }
    out.into_iter().flatten().collect()
}

/// The last row of each key (an upsert that sets every column from
/// `excluded`), in the order the keys first appear.
pub(crate) fn last_of_each<T, K: Eq + Hash>(rows: &[T], key: impl Fn(&T) -> K) -> Vec<&T> {
    merged(rows.iter().collect(), |r| key(r), |_, later| later)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_given_twice_keeps_its_place_and_folds_in_order() {
        let rows = vec![(1, "a"), (2, "b"), (1, "c"), (3, "d"), (1, "e")];
        let joined = merged(
            rows.clone(),
            |r| r.0,
            |a, b| (a.0, [a.1, b.1].concat().leak()),
        );
        assert_eq!(joined, [(1, "ace"), (2, "b"), (3, "d")]);
        let last: Vec<_> = last_of_each(&rows, |r| r.0).into_iter().copied().collect();
        assert_eq!(last, [(1, "e"), (2, "b"), (3, "d")]);
    }
}
