//! `similar` parameter sweeps behind the relating engine's constants: an
//! experiment that prints tables. Run both with
//! `cargo run --release --example related_similar_sweeps`, or one with the
//! argument `ranking` or `candidates`.

use std::collections::HashMap;

use arshif::related::{similar, terms};

use arshif_testkit::eval;

fn main() {
    let only = std::env::args().nth(1);
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if run("ranking") {
        sweep_similar_ranking();
    }
    if run("candidates") {
        sweep_similar_candidates();
    }
}

/// Precision@5 of `similar` lists (same topic or same story counts) over
/// pages with a topic, for each vector cut and tag boost; story clusters
/// are the true events here, to judge the ranking alone.
fn sweep_similar_ranking() {
    let pages = eval::pages();
    let parsed: Vec<_> = pages.parsed().collect();
    let (counts, df) = counts_and_df(parsed.iter().map(|p| (p.title, p.body.as_str())));
    let mut tag_ids: HashMap<&str, i64> = HashMap::new();
    for keep in [8, 12, 16, 24, 32, 10_000] {
        let docs: Vec<similar::Doc> = parsed
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(i, (p, c))| similar::Doc {
                id: i as i64,
                cluster: pages.0[i].label.event as i64,
                day: Some(p.day),
                tags: p
                    .tags
                    .iter()
                    .map(|t| {
                        let n = tag_ids.len() as i64;
                        *tag_ids.entry(t).or_insert(n)
                    })
                    .collect(),
                vector: terms::weigh(c, |k| df[&k], counts.len() as u64, keep),
            })
            .collect();
        let mut line = format!("keep={keep}:");
        for boost in [0.0f32, 0.1, 0.15, 0.3] {
            let mut total = 0.0;
            let mut n = 0;
            for (i, me) in docs.iter().enumerate() {
                let Some(topic) = pages.0[i].label.topic else {
                    continue;
                };
                let mut picks: Vec<similar::Pick> = docs
                    .iter()
                    .filter(|c| c.id != me.id && c.cluster != me.cluster)
                    .map(|c| {
                        let tags =
                            me.tags.iter().filter(|t| c.tags.contains(t)).count().min(3) as f32;
                        let s = terms::cosine(&me.vector, &c.vector)
                            * (1.0 + boost * tags)
                            * similar::decay(me.day, c.day);
                        similar::Pick {
                            id: c.id,
                            cluster: c.cluster,
                            score: s,
                        }
                    })
                    .collect();
                picks.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
                let top = similar::one_per_cluster(picks, 5);
                let good = top
                    .iter()
                    .filter(|p| pages.0[p.id as usize].label.topic == Some(topic))
                    .count();
                total += good as f64 / 5.0;
                n += 1;
            }
            line += &format!(" boost {boost}: P@5 {:.3}", total / n as f64);
        }
        println!("{line}");
    }
}

/// Precision@5 when candidates come from an inverted index of each
/// article's `posted` strongest terms, queried with its `query` strongest
/// terms (at most `per_term` postings each, strongest first), the best
/// `pool` re-ranked with 32-term vectors.
fn sweep_similar_candidates() {
    let pages = eval::pages();
    let parsed: Vec<_> = pages.parsed().collect();
    let (counts, df) = counts_and_df(parsed.iter().map(|p| (p.title, p.body.as_str())));
    let vectors: Vec<terms::Vector> = counts
        .iter()
        .map(|c| terms::weigh(c, |k| df[&k], counts.len() as u64, 32))
        .collect();
    let strongest = |v: &terms::Vector, n: usize| {
        let mut s = v.clone();
        s.sort_by(|a, b| b.1.total_cmp(&a.1));
        s.truncate(n);
        s
    };
    for posted in [12, 16, 24] {
        let mut postings: HashMap<i64, Vec<(f32, usize)>> = HashMap::new();
        for (i, v) in vectors.iter().enumerate() {
            for (k, w) in strongest(v, posted) {
                postings.entry(k).or_default().push((w, i));
            }
        }
        postings
            .values_mut()
            .for_each(|l| l.sort_by(|a, b| b.0.total_cmp(&a.0)));
        for query in [8, 12, 16] {
            let mut line = format!("posted={posted} query={query}:");
            for (per_term, pool) in [(32, 32), (64, 48), (128, 64)] {
                let (mut total, mut n, mut sizes) = (0.0, 0, 0);
                for (i, v) in vectors.iter().enumerate() {
                    let Some(topic) = pages.0[i].label.topic else {
                        continue;
                    };
                    let mut acc: HashMap<usize, f32> = HashMap::new();
                    for (k, w) in strongest(v, query) {
                        for &(pw, j) in postings.get(&k).into_iter().flatten().take(per_term) {
                            *acc.entry(j).or_default() += w * pw;
                        }
                    }
                    let mut cands: Vec<(usize, f32)> = acc
                        .into_iter()
                        .filter(|(j, _)| !pages.same_story(i, *j))
                        .collect();
                    cands.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    cands.truncate(pool);
                    sizes += cands.len();
                    let mut picks: Vec<similar::Pick> = cands
                        .iter()
                        .map(|&(j, _)| similar::Pick {
                            id: j as i64,
                            cluster: pages.0[j].label.event as i64,
                            score: terms::cosine(v, &vectors[j]),
                        })
                        .collect();
                    picks.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
                    let top = similar::one_per_cluster(picks, 5);
                    total += top
                        .iter()
                        .filter(|p| pages.0[p.id as usize].label.topic == Some(topic))
                        .count() as f64
                        / 5.0;
                    n += 1;
                }
                line += &format!(
                    " L={per_term},C={pool}: P@5 {:.3} (pool {:.0})",
                    total / n as f64,
                    sizes as f64 / n as f64
                );
            }
            println!("{line}");
        }
    }
}

/// Term counts of each page (title, body) and the document frequency of
/// every term over them all.
fn counts_and_df<'a>(
    pages: impl Iterator<Item = (&'a str, &'a str)>,
) -> (Vec<Vec<terms::TermCount>>, HashMap<i64, u64>) {
    let counts: Vec<_> = pages
        .map(|(title, body)| terms::count_terms(title, body))
        .collect();
    let mut df: HashMap<i64, u64> = HashMap::new();
    for t in counts.iter().flatten() {
        *df.entry(t.key).or_default() += 1;
    }
    (counts, df)
}
