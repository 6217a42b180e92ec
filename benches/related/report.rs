//! What the related benchmark reports after its runs: bytes per article of
//! the related tables, and the engine's quality on the whole labelled corpus.

use arshif::dispatch;
use std::collections::HashMap;

use arshif::store::Db;
use arshif_testkit::synth::stories::Label;

/// Bytes per article of each related table and index (SQLite's dbstat).
pub async fn sizes(db: &Db, articles: u64) {
    let rows: Vec<(String, i64)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'related%' \
         OR name IN ('relations', 'relations_to') GROUP BY name ORDER BY name",
    )
    .fetch_all(c)
    .await)
    .expect("dbstat");
    let mut sum = 0;
    println!("storage, bytes per article ({articles} articles):");
    for (name, bytes) in &rows {
        sum += bytes;
        println!("  {name:<28}{:>8.0}", *bytes as f64 / articles as f64);
    }
    println!(
        "  {:<28}{:>8.0}",
        "total (incl. relations)",
        sum as f64 / articles as f64
    );
}

/// Same-story precision/recall and similar P@5 on the whole labelled corpus.
pub async fn quality(db: &Db, labels: &[Label]) {
    let page_of = page_of(db, labels).await;
    let rels: Vec<(i64, i64, String, f64)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT article_id, other_id, kind, score FROM relations WHERE kind <> 'read_also'",
    )
    .fetch_all(c)
    .await)
    .unwrap();
    let same = |i: usize, j: usize| labels[i].event == labels[j].event;
    let (mut found, mut right) = (0u64, 0u64);
    let mut lists: HashMap<i64, Vec<(f64, i64)>> = HashMap::new();
    for (a, b, kind, score) in &rels {
        let (Some(&i), Some(&j)) = (page_of.get(a), page_of.get(b)) else {
            continue;
        };
        if kind == "same_story" && a < b {
            found += 1;
            right += u64::from(same(i, j));
        } else if kind == "similar" {
            lists.entry(*a).or_default().push((*score, *b));
        }
    }
    let mut groups: HashMap<usize, u64> = HashMap::new();
    for i in page_of.values() {
        *groups.entry(labels[*i].event).or_default() += 1;
    }
    let truth: u64 = groups.values().map(|n| n * (n - 1) / 2).sum();
    let (p5, kinds) = precision_at_5(&page_of, labels, lists);
    println!(
        "quality at scale (after relate --all): same story P={:.3} R={:.3}, similar P@5={p5:.3}",
        right as f64 / found.max(1) as f64,
        right as f64 / truth.max(1) as f64,
    );
    println!(
        "  similar top-5 entries: {} same topic, {} other topic, {} noise, {} unlabelled",
        kinds[0], kinds[1], kinds[2], kinds[3]
    );
}

/// Article id → index of its page in `labels`, through its file.
async fn page_of(db: &Db, labels: &[Label]) -> HashMap<i64, usize> {
    let by_name: HashMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.file.as_str(), i))
        .collect();
    let files: Vec<(i64, String)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT af.article_id, f.name FROM article_files af JOIN files f ON f.id = af.file_id \
         WHERE af.position = 0",
    )
    .fetch_all(c)
    .await)
    .unwrap();
    files
        .into_iter()
        .filter_map(|(id, name)| Some((id, *by_name.get(name.rsplit('/').next()?)?)))
        .collect()
}

/// Mean precision@5 over lists of pages with a topic, and what the top-5
/// entries were: [same topic, other topic, noise, unlabelled].
fn precision_at_5(
    page_of: &HashMap<i64, usize>,
    labels: &[Label],
    mut lists: HashMap<i64, Vec<(f64, i64)>>,
) -> (f64, [u64; 4]) {
    let (mut p5, mut n, mut kinds) = (0.0, 0, [0u64; 4]);
    for (id, list) in &mut lists {
        let Some(topic) = labels[page_of[id]].topic else {
            continue;
        };
        list.sort_by(|x, y| y.0.total_cmp(&x.0));
        for (_, o) in list.iter().take(5) {
            let kind = match page_of.get(o).map(|&j| labels[j].topic) {
                None => 3,
                Some(None) => 2,
                Some(t) if t == Some(topic) => 0,
                Some(_) => 1,
            };
            kinds[kind] += 1;
        }
        p5 += list
            .iter()
            .take(5)
            .filter(|(_, o)| {
                page_of
                    .get(o)
                    .is_some_and(|&j| labels[j].topic == Some(topic))
            })
            .count() as f64
            / 5.0;
        n += 1;
    }
    (p5 / f64::from(n.max(1)), kinds)
}
