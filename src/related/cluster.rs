//! Story clusters: articles joined transitively by same-story edges, the
//! strongest edges first, never beyond a size cap (a chain of weak edges
//! must not grow one cluster over a whole topic). Two clusters merge only
//! if their articles are alike on average, not just at the edge's two ends
//! (average linkage): one chance agreement between two different stories
//! of a topic must not make every pair of them "the same story". A
//! cluster's id is its smallest article id, so the same edges give the same
//! ids in any order.

use foldhash::HashMap;

/// Two articles whose signatures agree enough to be one story.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub a: i64,
    pub b: i64,
    pub similarity: f64,
}

/// Clusters being merged: the known ones and what the edges do to them.
#[derive(Debug, Default)]
pub struct Clusters {
    of: HashMap<i64, i64>,
    members: HashMap<i64, Vec<i64>>,
    initial: HashMap<i64, i64>,
}

impl Clusters {
    /// Adds a cluster as stored (its members, any order); an article not
    /// added before an edge names it is a cluster of its own.
    pub fn insert(&mut self, members: &[i64]) {
        let mut members = members.to_vec();
        members.sort_unstable();
        members.dedup();
        let Some(&id) = members.first() else { return };
        if self.of.contains_key(&id) {
            return;
        }
        for &m in &members {
            self.of.insert(m, id);
            self.initial.insert(m, id);
        }
        self.members.insert(id, members);
    }

    pub fn cluster_of(&mut self, article: i64) -> i64 {
        if !self.of.contains_key(&article) {
            self.insert(&[article]);
        }
        self.of[&article]
    }

    pub fn members(&self, cluster: i64) -> &[i64] {
        self.members.get(&cluster).map_or(&[], Vec::as_slice)
    }

    /// Applies `edges`, strongest first, merging two clusters when their
    /// sizes together stay within `cap` and the mean `similarity` over all
    /// pairs across them reaches `linkage`. Returns the two sides of every
    /// merge, so the caller can link each side with the other.
    pub fn merge(
        &mut self,
        edges: &[Edge],
        cap: usize,
        linkage: f64,
        similarity: impl Fn(i64, i64) -> f64,
    ) -> Vec<(Vec<i64>, Vec<i64>)> {
        let mut sorted = edges.to_vec();
        sorted.sort_by(|x, y| {
            y.similarity
                .total_cmp(&x.similarity)
                .then((x.a.min(x.b), x.a.max(x.b)).cmp(&(y.a.min(y.b), y.a.max(y.b))))
        });
        let mut merges = Vec::new();
        for e in sorted {
            let (ca, cb) = (self.cluster_of(e.a), self.cluster_of(e.b));
            let (sa, sb) = (self.members(ca), self.members(cb));
            if ca == cb || sa.len() + sb.len() > cap {
                continue;
            }
            if sa.len() + sb.len() > 2 && mean_across(sa, sb, &similarity) < linkage {
                continue;
            }
            let left = self.members.remove(&ca).unwrap_or_default();
            let right = self.members.remove(&cb).unwrap_or_default();
            let id = ca.min(cb);
            let mut all: Vec<i64> = left.iter().chain(&right).copied().collect();
            all.sort_unstable();
            for &m in &all {
                self.of.insert(m, id);
            }
            self.members.insert(id, all);
            merges.push((left, right));
        }
        merges
    }

    /// (article, new cluster id) of every article whose cluster changed.
    pub fn moves(&self) -> Vec<(i64, i64)> {
        let mut moves: Vec<(i64, i64)> = self
            .of
            .iter()
            .filter(|(a, c)| self.initial.get(a) != Some(c))
            .map(|(a, c)| (*a, *c))
            .collect();
        moves.sort_unstable();
        moves
    }
}

/// Mean similarity over every pair with one article on each side.
fn mean_across(a: &[i64], b: &[i64], similarity: &impl Fn(i64, i64) -> f64) -> f64 {
    let sum: f64 = a
        .iter()
        .flat_map(|&x| b.iter().map(move |&y| (x, y)))
        .map(|(x, y)| similarity(x, y))
        .sum();
    sum / (a.len() * b.len()).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(a: i64, b: i64, similarity: f64) -> Edge {
        Edge { a, b, similarity }
    }

    #[test]
    fn edges_join_clusters_transitively_under_the_smallest_id() {
        let mut c = Clusters::default();
        let merges = c.merge(&[edge(5, 3, 0.5), edge(3, 9, 0.2)], 10, 0.0, |_, _| 0.0);
        assert_eq!(merges.len(), 2);
        assert_eq!(c.cluster_of(9), 3);
        assert_eq!(c.members(3), &[3, 5, 9]);
        assert_eq!(c.moves(), vec![(5, 3), (9, 3)]);
    }

    #[test]
    fn a_known_cluster_moves_only_when_a_smaller_id_joins() {
        let mut c = Clusters::default();
        c.insert(&[4, 7]);
        c.merge(&[edge(7, 8, 0.3)], 10, 0.0, |_, _| 0.0);
        assert_eq!(c.moves(), vec![(8, 4)]);
        c.merge(&[edge(2, 8, 0.3)], 10, 0.0, |_, _| 0.0);
        assert_eq!(c.moves(), vec![(4, 2), (7, 2), (8, 2)]);
    }

    #[test]
    fn the_cap_stops_a_chain_and_strong_edges_go_first() {
        let mut c = Clusters::default();
        let edges = [edge(1, 2, 0.9), edge(2, 3, 0.1), edge(3, 4, 0.8)];
        c.merge(&edges, 2, 0.0, |_, _| 0.0);
        assert_eq!(c.members(1), &[1, 2]);
        assert_eq!(c.members(3), &[3, 4]);
    }

    #[test]
    fn one_chance_edge_does_not_merge_two_stories_that_differ_elsewhere() {
        let same_story = |a: i64, b: i64| (a < 10) == (b < 10);
        let sim = |a: i64, b: i64| if same_story(a, b) { 0.3 } else { 0.02 };
        let mut c = Clusters::default();
        let edges = [edge(1, 2, 0.3), edge(11, 12, 0.3), edge(2, 11, 0.09)];
        let merges = c.merge(&edges, 10, 0.05, sim);
        assert_eq!(merges.len(), 2);
        assert_eq!(c.members(1), &[1, 2]);
        assert_eq!(c.members(11), &[11, 12]);
        // Across two singletons the edge itself is the evidence.
        let mut d = Clusters::default();
        assert_eq!(d.merge(&[edge(2, 11, 0.09)], 10, 0.05, sim).len(), 1);
    }
}
