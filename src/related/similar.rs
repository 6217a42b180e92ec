//! Ranking `similar` articles: tf-idf cosine, boosted by shared tags and
//! mildly decayed by the time between the two articles; then the list rules
//! (never itself, never its own story, at most one article per story).
//! Pure: the caller fetches the candidates (`mod.rs` bounds how many).

use foldhash::HashSet;

use super::terms::{self, Vector};

/// What ranking needs to know about one article.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub id: i64,
    /// Story cluster (`same_story`); an article alone has a cluster of its own.
    pub cluster: i64,
    /// Days since 1970-01-01 of its publication, when dated.
    pub day: Option<i32>,
    pub tags: Vec<i64>,
    pub vector: Vector,
}

/// How much each shared tag (up to `MAX_TAGS`) raises a score.
pub const TAG_BOOST: f32 = 0.15;
const MAX_TAGS: usize = 3;
/// Days over which the time factor falls halfway to its floor.
pub const DECAY_DAYS: f32 = 365.0;
/// The time factor never goes below this: an old article on the same
/// subject is still related ("mild" decay).
const DECAY_FLOOR: f32 = 0.7;

/// The similarity of two articles: symmetric, 0 when no term is shared.
pub fn score(a: &Doc, b: &Doc) -> f32 {
    let cosine = terms::cosine(&a.vector, &b.vector);
    if cosine <= 0.0 {
        return 0.0;
    }
    let tags = shared_tags(a, b).min(MAX_TAGS) as f32;
    cosine * (1.0 + TAG_BOOST * tags) * decay(a.day, b.day)
}

fn shared_tags(a: &Doc, b: &Doc) -> usize {
    a.tags.iter().filter(|t| b.tags.contains(t)).count()
}

/// 1 for the same day, falling smoothly towards `DECAY_FLOOR`; an undated
/// article counts as a year away.
pub fn decay(a: Option<i32>, b: Option<i32>) -> f32 {
    let days = match (a, b) {
        (Some(x), Some(y)) => (x - y).unsigned_abs() as f32,
        _ => DECAY_DAYS,
    };
    DECAY_FLOOR + (1.0 - DECAY_FLOOR) / (1.0 + days / DECAY_DAYS)
}

/// One entry of a `similar` list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pick {
    pub id: i64,
    pub cluster: i64,
    pub score: f32,
}

/// Orders picks best first; ties by id, so lists are deterministic.
fn best_first(a: &Pick, b: &Pick) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.id.cmp(&b.id))
}

/// Every candidate that may enter `me`'s lists, scored, best first: never
/// `me` itself, nothing from its own story cluster, nothing that shares no
/// term. The list rules are applied by [`top`].
pub fn ranked<'a>(me: &Doc, candidates: impl IntoIterator<Item = &'a Doc>) -> Vec<Pick> {
    let mut picks: Vec<Pick> = candidates
        .into_iter()
        .filter(|c| c.id != me.id && c.cluster != me.cluster)
        .map(|c| Pick {
            id: c.id,
            cluster: c.cluster,
            score: score(me, c),
        })
        .filter(|p| p.score > 0.0)
        .collect();
    picks.sort_by(best_first);
    picks
}

/// The `k` best of `ranked` (from [`ranked`]): nothing from `exclude` (the
/// article's read-also links), at most one article per cluster (the best).
pub fn top(ranked: &[Pick], exclude: &HashSet<i64>, k: usize) -> Vec<Pick> {
    let allowed = ranked.iter().filter(|p| !exclude.contains(&p.id));
    one_per_cluster(allowed.copied().collect(), k)
}

/// Keeps the first (best) pick of each cluster, up to `k` picks.
pub fn one_per_cluster(sorted: Vec<Pick>, k: usize) -> Vec<Pick> {
    let mut seen = HashSet::default();
    sorted
        .into_iter()
        .filter(|p| seen.insert(p.cluster))
        .take(k)
        .collect()
}

/// The list `current` (of the article `owner` in cluster `own`) after
/// `offer` arrives: `None` when nothing changes, else the new list (best
/// first, at most `k`, the list rules kept).
pub fn merge_offer(own: i64, current: &[Pick], offer: Pick, k: usize) -> Option<Vec<Pick>> {
    if offer.cluster == own || current.iter().any(|p| p.id == offer.id) {
        return None;
    }
    let mut list = current.to_vec();
    list.push(offer);
    list.sort_by(best_first);
    let list = one_per_cluster(list, k);
    list.iter().any(|p| p.id == offer.id).then_some(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    const K_TEST: usize = 4;

    fn doc(id: i64, cluster: i64, vector: Vector) -> Doc {
        Doc {
            id,
            cluster,
            day: Some(100),
            vector,
            ..Doc::default()
        }
    }

    #[test]
    fn shared_tags_raise_and_time_lowers_a_score() {
        let v = vec![(1, 0.6), (2, 0.8)];
        let (a, mut b) = (doc(1, 1, v.clone()), doc(2, 2, v));
        let plain = score(&a, &b);
        b.tags = vec![7];
        let mut a2 = a.clone();
        a2.tags = vec![7];
        assert!(score(&a2, &b) > plain);
        b.day = Some(100 + 730);
        assert!(score(&a2, &b) < score(&a2, &doc(3, 3, b.vector.clone())));
        assert!(decay(Some(0), Some(100_000)) >= DECAY_FLOOR);
    }

    #[test]
    fn a_list_never_holds_itself_its_own_story_or_two_of_one_story() {
        let v = vec![(1, 1.0)];
        let me = doc(1, 10, v.clone());
        let candidates = vec![
            doc(1, 10, v.clone()),
            doc(2, 10, v.clone()),
            doc(3, 30, v.clone()),
            doc(4, 30, v.clone()),
            doc(5, 50, v.clone()),
            doc(6, 60, vec![(9, 1.0)]),
        ];
        let ids: Vec<i64> = top(&ranked(&me, &candidates), &HashSet::from_iter([5]), 8)
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(ids, vec![3]);
    }

    #[test]
    fn an_offer_replaces_the_worst_or_its_own_clusters_weaker_entry() {
        let p = |id, cluster, score| Pick { id, cluster, score };
        let list = vec![p(2, 20, 0.9), p(3, 30, 0.5)];
        assert_eq!(merge_offer(1, &list, p(4, 40, 0.1), 2), None);
        assert_eq!(
            merge_offer(1, &list, p(4, 40, 0.6), 2),
            Some(vec![p(2, 20, 0.9), p(4, 40, 0.6)])
        );
        assert_eq!(
            merge_offer(1, &list, p(5, 30, 0.7), 3),
            Some(vec![p(2, 20, 0.9), p(5, 30, 0.7)])
        );
        assert_eq!(merge_offer(1, &list, p(6, 1, 0.99), 3), None);
    }

    proptest::proptest! {
        /// `relate --all` offers each list its offers at the end, in the
        /// offering articles' order; any order must give the same list.
        #[test]
        fn a_list_takes_its_offers_in_any_order_to_the_same_result(
            list in proptest::collection::vec((0i64..6, 1u8..100), 0..8),
            offers in proptest::collection::vec((0i64..6, 1u8..100), 1..8),
            shift in 0usize..8,
        ) {
            let pick = |i: usize, (cluster, score): (i64, u8)| Pick {
                id: i as i64 + 10,
                cluster,
                score: f32::from(score) / 100.0,
            };
            let mut current: Vec<Pick> = list.iter().enumerate().map(|(i, &p)| pick(i, p)).collect();
            current.sort_by(best_first);
            let current = one_per_cluster(current, K_TEST);
            let offers: Vec<Pick> =
                offers.iter().enumerate().map(|(i, &p)| pick(i + 100, p)).collect();
            let take = |order: &[Pick]| {
                let mut now = current.clone();
                for &o in order {
                    if let Some(new) = merge_offer(99, &now, o, K_TEST) {
                        now = new;
                    }
                }
                now
            };
            let mut turned = offers.clone();
            turned.rotate_left(shift % offers.len());
            turned.reverse();
            proptest::prop_assert_eq!(take(&offers), take(&turned));
        }
    }
}
