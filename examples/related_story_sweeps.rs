//! Same-story parameter sweeps behind the relating engine's constants: an
//! experiment that prints tables (the constants' comments in
//! `src/related/mod.rs` say what was chosen from them). Run both with
//! `cargo run --release --example related_story_sweeps`, or one with the
//! argument `shingles` or `bands` (`ARSHIF_TUNE_PAGES=N` adds a large draw
//! with the system vocabulary to the band sweep).

use std::collections::HashMap;

use arshif::related;
use arshif::related::cluster::{Clusters, Edge};
use arshif::related::minhash::{self, MinHasher};
use arshif::related::shingles::{self, ShingleRule};
use arshif_testkit::eval::{self, Pages};
use arshif_testkit::synth::Vocabulary;
use arshif_testkit::synth::stories::{StorySet, StorySpec, Synonyms};

fn main() {
    let only = std::env::args().nth(1);
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if run("shingles") {
        sweep_shingles_and_thresholds();
    }
    if run("bands") {
        sweep_minhash_bands();
    }
}

/// Union-find over page indexes.
fn components(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for &(a, b) in edges {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    (0..n).map(|i| root(&mut parent, i)).collect()
}

/// Pair precision and recall of clusters joined by `edges`.
fn score(pages: &Pages, edges: &[(usize, usize)]) -> (f64, f64) {
    pair_scores(pages, &components(pages.len(), edges))
}

/// Pair precision and recall of a clustering (`comp[i]`: cluster of page `i`).
fn pair_scores(pages: &Pages, comp: &[usize]) -> (f64, f64) {
    let pairs = |counts: HashMap<(usize, usize), u64>| {
        counts.values().map(|n| n * (n - 1) / 2).sum::<u64>()
    };
    let count = |key: &dyn Fn(usize) -> (usize, usize)| {
        let mut counts = HashMap::new();
        for i in 0..pages.len() {
            *counts.entry(key(i)).or_insert(0u64) += 1;
        }
        counts
    };
    let event = |i: usize| pages.0[i].label.event;
    let tp = pairs(count(&|i| (comp[i], event(i))));
    let predicted = pairs(count(&|i| (comp[i], 0)));
    let truth = pairs(count(&|i| (event(i), 0)));
    (
        tp as f64 / predicted.max(1) as f64,
        tp as f64 / truth.max(1) as f64,
    )
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q) as usize]
}

fn sweep_shingles_and_thresholds() {
    let pages = eval::pages();
    println!(
        "{} pages, {} same-story pairs",
        pages.len(),
        pages.true_pairs()
    );
    for size in 1..=3 {
        for (stems, title) in [(false, false), (false, true), (true, false)] {
            let rule = ShingleRule { size, stems, title };
            let sets: Vec<Vec<u64>> = pages
                .texts()
                .map(|(t, b)| shingles::shingles(t, &b, &rule))
                .collect();
            let mut pairs = Vec::new();
            for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    pairs.push((i, j, shingles::jaccard(&sets[i], &sets[j])));
                }
            }
            let mut same: Vec<f64> = pairs
                .iter()
                .filter(|p| pages.same_story(p.0, p.1))
                .map(|p| p.2)
                .collect();
            let mut other: Vec<f64> = pairs
                .iter()
                .filter(|p| !pages.same_story(p.0, p.1))
                .map(|p| p.2)
                .collect();
            same.sort_by(f64::total_cmp);
            other.sort_by(f64::total_cmp);
            let mut best: (f64, f64, f64) = (0.0, 0.0, 0.0);
            for step in 1..40 {
                let t = step as f64 * 0.0125;
                let edges: Vec<(usize, usize)> = pairs
                    .iter()
                    .filter(|p| p.2 >= t)
                    .map(|p| (p.0, p.1))
                    .collect();
                let (p, r) = score(&pages, &edges);
                if p.min(r) > best.1.min(best.2) {
                    best = (t, p, r);
                }
            }
            println!(
                "k={size} stems={stems} title={title}: same min {:.3} q05 {:.3} med {:.3} | other max {:.3} q999 {:.3} | best t={:.4} P={:.3} R={:.3}",
                same[0],
                quantile(&same, 0.05),
                quantile(&same, 0.5),
                other[other.len() - 1],
                quantile(&other, 0.999),
                best.0,
                best.1,
                best.2
            );
        }
    }
}

/// Pairs of pages meeting in at least one LSH bucket, with their
/// estimated Jaccard.
fn candidates(sigs: &[Vec<u16>], bands: usize, rows: usize) -> Vec<(usize, usize, f64)> {
    let mut buckets: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, sig) in sigs.iter().enumerate() {
        for key in minhash::band_keys(sig, bands, rows) {
            buckets.entry(key).or_default().push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = buckets
        .values()
        .flat_map(|b| {
            b.iter()
                .enumerate()
                .flat_map(|(n, &i)| b[n + 1..].iter().map(move |&j| (i, j)))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|(i, j)| (i, j, minhash::similarity(&sigs[i], &sigs[j])))
        .collect()
}

/// The five small evaluation draws, and (when asked with
/// `ARSHIF_TUNE_PAGES`) one large draw with the system vocabulary, where
/// chance agreements between different stories of a topic show up.
fn story_sets() -> Vec<(String, Pages)> {
    let mut sets: Vec<(String, Pages)> = eval::seeds()
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("seed {i}"), p))
        .collect();
    if let Some(n) = std::env::var("ARSHIF_TUNE_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        let synonyms = Synonyms::parse(eval::SYNONYMS);
        let rare = Vocabulary::best();
        let pages = StorySet::new(StorySpec::scaled(n), &synonyms, &rare).pages();
        sets.push((format!("{n} pages"), Pages(pages)));
    }
    sets
}

fn sweep_minhash_bands() {
    let rule = related::STORY_RULE;
    let h = MinHasher::new(related::PERMUTATIONS);
    for (name, pages) in story_sets() {
        let sets: Vec<Vec<u64>> = pages
            .texts()
            .map(|(t, b)| shingles::shingles(t, &b, &rule))
            .collect();
        let sigs: Vec<Vec<u16>> = sets.iter().map(|s| h.signature(s)).collect();
        for (bands, rows) in [(32, 2), (48, 2), (64, 2)] {
            let scored = candidates(&sigs, bands, rows);
            let mut line = format!(
                "{name}: {bands}x{rows} cand/page {:.1} P/R:",
                2.0 * scored.len() as f64 / pages.len() as f64
            );
            for t in [0.06, 0.07, 0.08, 0.10] {
                for linkage in [0.0, 0.05] {
                    let edges: Vec<Edge> = scored
                        .iter()
                        .filter(|p| p.2 >= t)
                        .map(|p| Edge {
                            a: p.0 as i64,
                            b: p.1 as i64,
                            similarity: p.2,
                        })
                        .collect();
                    let mut clusters = Clusters::default();
                    clusters.merge(&edges, related::MAX_CLUSTER, linkage, |a, b| {
                        minhash::similarity(&sigs[a as usize], &sigs[b as usize])
                    });
                    let comp: Vec<usize> = (0..sets.len())
                        .map(|i| clusters.cluster_of(i as i64) as usize)
                        .collect();
                    let (p, r) = pair_scores(&pages, &comp);
                    line += &format!(" t={t}/l={linkage} {p:.3}/{r:.3}");
                }
            }
            println!("{line}");
        }
    }
}
