//! Lists of bound values cut into statements of a few set lengths.

/// `items` in chunks of `max`, the rest in chunks of falling powers of two.
/// A statement built per chunk then has one of a dozen lengths, each
/// prepared once and kept in its connection's statement cache; chunks of
/// whatever length was left made a statement per length, used once, that
/// filled every connection's cache (256 statements of up to a few thousand
/// bound values each: at 1M, tens of megabytes per connection).
pub fn statement_sized<T>(items: &[T], max: usize) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let len = if rest.len() >= max {
            max
        } else {
            1 << rest.len().ilog2()
        };
        let (chunk, tail) = rest.split_at(len);
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_every_item_in_order_in_a_few_lengths() {
        for n in [0, 1, 2, 3, 499, 500, 501, 873, 1000, 4321] {
            let items: Vec<usize> = (0..n).collect();
            let chunks: Vec<&[usize]> = statement_sized(&items, 500).collect();
            assert_eq!(chunks.concat(), items, "{n} items");
            assert!(
                chunks
                    .iter()
                    .all(|c| c.len() == 500 || c.len().is_power_of_two())
            );
            // At most one chunk of each smaller length.
            let mut short: Vec<usize> = chunks
                .iter()
                .map(|c| c.len())
                .filter(|&l| l < 500)
                .collect();
            let all = short.len();
            short.dedup();
            assert_eq!(
                short.len(),
                all,
                "{n} items: {:?}",
                chunks.iter().map(|c| c.len()).collect::<Vec<_>>()
            );
        }
    }
}
