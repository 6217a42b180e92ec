//! Relating's processor-heavy steps spread over every core: the work of a
//! batch is a pure function per article (extracting features, counting
//! terms, pooling candidates, ranking a list), so a batch is cut into one
//! part per core, each part run on a scoped thread, and the results put
//! back in the batch's order.

/// `work` applied to each of `items`, in order, the items cut into one
/// part per core. Blocks the calling thread until every part is done:
/// callers on the async runtime either are the batch's only task (the
/// commands) or hand it to `spawn_blocking`.
pub fn map_on_all_cores<T, R, F>(items: &[T], work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Below this a thread costs more than the work it takes over.
    const SMALLEST_PART: usize = 64;
    let per_part = items.len().div_ceil(cores).max(SMALLEST_PART);
    if items.len() <= per_part {
        return items.iter().map(&work).collect();
    }
    let work = &work;
    let (first, rest) = items.split_at(per_part);
    // The caller takes the first part itself; threads inherit its
    // scheduling class, so a lowered import stays lowered.
    std::thread::scope(|scope| {
        let others: Vec<_> = rest
            .chunks(per_part)
            .map(|part| scope.spawn(move || part.iter().map(work).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = first.iter().map(work).collect();
        for part in others {
            out.extend(part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_items_order_whatever_the_parts() {
        for n in [0, 1, 63, 64, 65, 1000, 4097] {
            let items: Vec<u64> = (0..n).collect();
            let squares = map_on_all_cores(&items, |x| x * x);
            assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_large_batch_runs_on_more_than_one_thread() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores < 2 {
            return;
        }
        let items = vec![(); 1000];
        let mut threads = map_on_all_cores(&items, |_| std::thread::current().id());
        threads.sort_by_key(|t| format!("{t:?}"));
        threads.dedup();
        assert_eq!(threads.len(), cores);
    }
}
