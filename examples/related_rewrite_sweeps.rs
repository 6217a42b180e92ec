//! Same-story sweeps on both labelled sets — the hand-written synonym set
//! (`synth::stories`) and the thesaurus rewrites (`synth::rewrites`) — that
//! chose the two-level same-story rule (`src/related/mod.rs`):
//! 1. `signals`: for each feature kind, the exact similarity of same-story
//!    pairs (all, and rewrite–rewrite) against different events;
//! 2. `rule`: MinHash estimate over word 3-shingles, with a lower threshold
//!    where the tf-idf cosine vouches for the pair, clustered as the engine
//!    clusters (capped, average linkage), scored on five draws of each set.
//!
//! Run: `cargo run --release --example related_rewrite_sweeps [signals|rule]`.

use std::collections::HashMap;

use arshif::related;
use arshif::related::cluster::{Clusters, Edge};
use arshif::related::minhash::{self, MinHasher};
use arshif::related::shingles::{self, ShingleRule};
use arshif::related::terms;
use arshif_testkit::eval::{self, Pages};

fn main() {
    let only = std::env::args().nth(1);
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if run("signals") {
        for (name, pages) in [
            ("synonym set", eval::pages()),
            ("thesaurus set", eval::rewrites()),
        ] {
            signals(name, &pages);
        }
    }
    if run("rule") {
        sweep_rule();
    }
}

fn signals(name: &str, pages: &Pages) {
    println!(
        "{name}: {} pages, {} same-story pairs",
        pages.len(),
        pages.true_pairs()
    );
    for size in 1..=3 {
        for stems in [false, true] {
            let rule = ShingleRule {
                size,
                stems,
                title: false,
            };
            let sets: Vec<Vec<u64>> = pages
                .texts()
                .map(|(t, b)| shingles::shingles(t, &b, &rule))
                .collect();
            let label = format!("jaccard k={size} stems={stems}");
            report(pages, &label, &|i, j| shingles::jaccard(&sets[i], &sets[j]));
        }
    }
    let vectors = vectors(pages, related::VECTOR_TERMS);
    report(pages, "tf-idf cosine", &|i, j| {
        f64::from(terms::cosine(&vectors[i], &vectors[j]))
    });
}

/// Each page's tf-idf vector, weighed against the set itself.
fn vectors(pages: &Pages, keep: usize) -> Vec<terms::Vector> {
    let counts: Vec<Vec<terms::TermCount>> = pages
        .texts()
        .map(|(t, b)| terms::count_terms(t, &b))
        .collect();
    let mut df: HashMap<i64, u64> = HashMap::new();
    for t in counts.iter().flatten() {
        *df.entry(t.key).or_default() += 1;
    }
    counts
        .iter()
        .map(|c| terms::weigh(c, |k| df[&k], pages.len() as u64, keep))
        .collect()
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q) as usize]
}

fn report(pages: &Pages, name: &str, sim: &dyn Fn(usize, usize) -> f64) {
    let (mut same, mut rr, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..pages.len() {
        for j in i + 1..pages.len() {
            let s = sim(i, j);
            if !pages.same_story(i, j) {
                other.push(s);
                continue;
            }
            same.push(s);
            if pages.0[i].label.rewrite && pages.0[j].label.rewrite {
                rr.push(s);
            }
        }
    }
    for v in [&mut same, &mut rr, &mut other] {
        v.sort_by(f64::total_cmp);
    }
    let rr_q = if rr.is_empty() {
        f64::NAN
    } else {
        quantile(&rr, 0.05)
    };
    println!(
        "  {name:<24} same min {:.3} q05 {:.3} med {:.3} | rewrite pairs q05 {rr_q:.3} | other q999 {:.3} max {:.3}",
        same[0],
        quantile(&same, 0.05),
        quantile(&same, 0.5),
        quantile(&other, 0.999),
        other[other.len() - 1],
    );
}

/// Every pair's MinHash estimate and cosine, per draw.
struct Scored {
    pages: Pages,
    pairs: Vec<(usize, usize, f64, f64)>,
}

fn scored(pages: Pages) -> Scored {
    let h = MinHasher::new(related::PERMUTATIONS);
    let sigs: Vec<Vec<u16>> = pages
        .texts()
        .map(|(t, b)| h.signature(&shingles::shingles(t, &b, &related::STORY_RULE)))
        .collect();
    let vectors = vectors(&pages, related::VECTOR_TERMS);
    let mut pairs = Vec::new();
    for i in 0..pages.len() {
        for j in i + 1..pages.len() {
            let sim = minhash::similarity(&sigs[i], &sigs[j]);
            if sim > 0.0 {
                let cos = f64::from(terms::cosine(&vectors[i], &vectors[j]));
                pairs.push((i, j, sim, cos));
            }
        }
    }
    Scored { pages, pairs }
}

/// (precision, recall, rewrite–rewrite recall) of the rule on one draw.
fn score(s: &Scored, low: f64, gate: f64, linkage: f64) -> (f64, f64, f64) {
    let high = related::STORY_THRESHOLD;
    let edges: Vec<Edge> = s
        .pairs
        .iter()
        .filter(|p| p.2 >= high || (p.2 >= low && p.3 >= gate))
        .map(|p| Edge {
            a: p.0 as i64,
            b: p.1 as i64,
            similarity: p.2,
        })
        .collect();
    let sims: HashMap<(i64, i64), f64> = s
        .pairs
        .iter()
        .map(|p| ((p.0 as i64, p.1 as i64), p.2))
        .collect();
    let mut clusters = Clusters::default();
    let merges = clusters.merge(&edges, related::MAX_CLUSTER, linkage, |a, b| {
        sims.get(&(a.min(b), a.max(b))).copied().unwrap_or(0.0)
    });
    let mut rels = Vec::new();
    for (left, right) in merges {
        for &l in &left {
            for &r in &right {
                rels.push((l, r, "same_story".to_owned(), 0.0));
            }
        }
    }
    let page_of: HashMap<i64, usize> = (0..s.pages.len()).map(|i| (i as i64, i)).collect();
    let (p, r) = eval::story_scores(&s.pages, &page_of, &rels);
    (p, r, eval::rewrite_pair_recall(&s.pages, &page_of, &rels))
}

fn sweep_rule() {
    let sets: Vec<(&str, Vec<Scored>)> = vec![
        ("synonym", eval::seeds().into_iter().map(scored).collect()),
        (
            "thesaurus",
            eval::rewrite_seeds().into_iter().map(scored).collect(),
        ),
    ];
    println!(
        "high threshold {}: worst of five draws, P / R / rewrite-pair R",
        related::STORY_THRESHOLD
    );
    println!(
        "{:<6}{:<6}{:<8}{:<22}{:<22}",
        "low", "gate", "linkage", "synonym set", "thesaurus set"
    );
    for low in [0.10, 0.08, 0.06, 0.05, 0.04] {
        for gate in [0.30, 0.35, 0.40, 0.50] {
            for linkage in [0.05, 0.03] {
                let mut line = format!("{low:<6}{gate:<6}{linkage:<8}");
                for (_, draws) in &sets {
                    let worst = draws
                        .iter()
                        .map(|d| score(d, low, gate, linkage))
                        .fold((1.0f64, 1.0f64, 1.0f64), |w, x| {
                            (w.0.min(x.0), w.1.min(x.1), w.2.min(x.2))
                        });
                    line.push_str(&format!(
                        "{:.3} {:.3} {:.3}     ",
                        worst.0, worst.1, worst.2
                    ));
                }
                println!("{line}");
            }
            if low >= 0.10 {
                break;
            }
        }
    }
}
