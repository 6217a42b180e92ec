//! The labelled set imported into a fresh archive through the real
//! pipeline, related, and read back: relations, list rules, comparisons.

use arshif::dispatch;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use arshif::ingest::pipeline::{self, ImportOptions, Input, Quiet};
use arshif::ingest::report::Report;
use arshif::related::{self, Relating};
use arshif::store::{Db, imports};

use arshif_testkit::eval::Pages;

use crate::support::Scratch;

/// The labelled set imported into a fresh archive.
pub struct Labelled {
    /// Its database (on this run's backend) and the parts imported.
    pub scratch: Scratch,
    pub db: Db,
    /// The archive's resident set (kept between the test's relating steps).
    pub relating: Relating,
    /// The archive's search index.
    pub search: arshif::search::index::Slot,
    /// Article id → index of its page in `pages`.
    pub page_of: HashMap<i64, usize>,
}

/// How relations are computed after the import.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Relate {
    /// `relate_all` once the whole set is in.
    All,
    /// The set imported in `n` parts, each related by the importer as it
    /// arrives (what an archive fed dump by dump goes through).
    Batches(usize),
    /// Stored without relating (`defer_relations`), for the test to relate.
    Later,
}

/// Imports `pages` (in order) and relates them.
pub async fn archive(pages: &Pages, mode: Relate) -> Labelled {
    archive_with(pages, mode, Relating::default()).await
}

/// [`archive`] with the resident set `relating` (its limits chosen).
pub async fn archive_with(pages: &Pages, mode: Relate, relating: Relating) -> Labelled {
    let scratch = Scratch::new();
    let mut opened = scratch.open_archive().await;
    opened.relating = relating;
    let parts = match mode {
        Relate::All | Relate::Later => 1,
        Relate::Batches(n) => n,
    };
    let options = ImportOptions {
        defer_relations: mode == Relate::Later,
        ..ImportOptions::default()
    };
    let per_part = pages.len().div_ceil(parts);
    for (n, chunk) in pages.0.chunks(per_part).enumerate() {
        let folder = scratch.path(&format!("part{n}"));
        std::fs::create_dir_all(&folder).unwrap();
        for page in chunk {
            std::fs::write(folder.join(&page.name), &page.text).unwrap();
        }
        import_with(&opened, &folder, options.clone()).await;
    }
    if mode == Relate::All {
        related::relate_all(&opened.db, &opened.relating, &|_, _| {})
            .await
            .unwrap();
    }
    let page_of = page_ids(&opened.db, pages).await;
    Labelled {
        scratch,
        db: opened.db,
        relating: opened.relating,
        search: opened.search,
        page_of,
    }
}

impl Labelled {
    /// The archive as the importer and reparse take it.
    pub fn opened(&self) -> arshif::archive::Archive {
        arshif::archive::Archive {
            db: self.db.clone(),
            relating: self.relating.clone(),
            search: self.search.clone(),
        }
    }
}

pub async fn import(archive: &arshif::archive::Archive, path: &Path) -> Report {
    import_with(archive, path, ImportOptions::default()).await
}

async fn import_with(
    archive: &arshif::archive::Archive,
    path: &Path,
    options: ImportOptions,
) -> Report {
    let db = &archive.db;
    let import_id = imports::create(&mut db.write.acquire().await.unwrap(), "cli", "running")
        .await
        .unwrap();
    let inputs = vec![Input::Path(path.to_owned())];
    let report = pipeline::run(archive, import_id, inputs, options, &Quiet)
        .await
        .unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    report
}

/// Article id of each page's main article, through its file.
async fn page_ids(db: &Db, pages: &Pages) -> HashMap<i64, usize> {
    let by_name: HashMap<&str, usize> = pages
        .0
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let rows: Vec<(i64, String)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT af.article_id, f.name FROM article_files af JOIN files f ON f.id = af.file_id \
         WHERE af.position = 0",
    )
    .fetch_all(c)
    .await)
    .unwrap();
    rows.into_iter()
        .filter_map(|(id, name)| {
            let file = name.rsplit(['/', '\\']).next()?;
            Some((id, *by_name.get(file)?))
        })
        .collect()
}

/// Every computed relation: (article, other, kind, score).
pub async fn relations(db: &Db) -> Vec<(i64, i64, String, f64)> {
    dispatch!(db.read, |c| sqlx::query_as(
        "SELECT article_id, other_id, kind, score FROM relations ORDER BY article_id, kind, other_id",
    )
    .fetch_all(c).await)
    .unwrap()
}

/// Every broken list rule in the archive, described (empty when all hold):
/// no self links; `same_story` symmetric and complete within a cluster;
/// `similar` lists of at most `K`, without their own story, without two of
/// one story.
pub async fn broken_rules(db: &Db) -> Vec<String> {
    let rels = relations(db).await;
    let cluster: HashMap<i64, i64> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT article_id, cluster_id FROM related_docs"
    )
    .fetch_all(c)
    .await)
    .unwrap()
    .into_iter()
    .collect();
    let mut problems: Vec<String> = rels
        .iter()
        .filter(|(a, b, _, _)| a == b)
        .map(|(a, _, _, _)| format!("{a} relates to itself"))
        .collect();
    problems.extend(broken_stories(&rels, &cluster));
    problems.extend(broken_lists(&rels, &cluster));
    problems
}

/// `same_story` links symmetric, within one cluster, complete.
fn broken_stories(rels: &[(i64, i64, String, f64)], cluster: &HashMap<i64, i64>) -> Vec<String> {
    let links: HashSet<(i64, i64)> = rels
        .iter()
        .filter(|r| r.2 == "same_story")
        .map(|r| (r.0, r.1))
        .collect();
    let mut problems = Vec::new();
    let mut size: HashMap<i64, usize> = HashMap::new();
    for c in cluster.values() {
        *size.entry(*c).or_default() += 1;
    }
    let mut degree: HashMap<i64, usize> = HashMap::new();
    for &(a, b) in &links {
        *degree.entry(a).or_default() += 1;
        if !links.contains(&(b, a)) {
            problems.push(format!("same_story {a}->{b} has no way back"));
        }
        if cluster.get(&a) != cluster.get(&b) {
            problems.push(format!("same_story {a}->{b} crosses clusters"));
        }
    }
    for (a, c) in cluster {
        if degree.get(a).copied().unwrap_or(0) + 1 != size[c] {
            problems.push(format!("{a} is not linked to every member of cluster {c}"));
        }
    }
    problems
}

/// `similar` lists of at most K, without their own story or two of one.
fn broken_lists(rels: &[(i64, i64, String, f64)], cluster: &HashMap<i64, i64>) -> Vec<String> {
    let mut lists: HashMap<i64, Vec<i64>> = HashMap::new();
    for (a, b, _, _) in rels.iter().filter(|r| r.2 == "similar") {
        lists.entry(*a).or_default().push(*b);
    }
    let mut problems = Vec::new();
    for (owner, list) in &lists {
        let clusters: HashSet<i64> = list.iter().map(|o| cluster[o]).collect();
        if list.len() > related::K {
            problems.push(format!("{owner} has {} similar links", list.len()));
        }
        if clusters.len() != list.len() {
            problems.push(format!("{owner} lists two articles of one story"));
        }
        if clusters.contains(&cluster[owner]) {
            problems.push(format!("{owner} lists its own story as similar"));
        }
    }
    problems
}

/// Relations by permalink, so two archives (or one before and after a
/// rebuild) compare.
pub async fn by_permalink(db: &Db) -> Vec<(String, String, String)> {
    dispatch!(db.read, |c| sqlx::query_as(
        "SELECT a.permalink, o.permalink, r.kind FROM relations r \
         JOIN articles a ON a.id = r.article_id JOIN articles o ON o.id = r.other_id \
         ORDER BY 1, 3, 2",
    )
    .fetch_all(c)
    .await)
    .unwrap()
}

/// Every article id, in order.
pub async fn all_ids(db: &Db) -> Vec<i64> {
    let rows: Vec<(i64,)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT id FROM articles ORDER BY id"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// Asserts that every article has a sketch made from its own stored text
/// (its fingerprint is the hash of its title and body): `relate --all`
/// extracts a batch's features ahead, in the transaction before its own.
pub async fn assert_sketched_from_own_text(db: &Db) {
    let rows: Vec<(i64, String, String, Option<i64>)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT a.id, a.title, a.body, d.fingerprint FROM articles a \
         LEFT JOIN related_docs d ON d.article_id = a.id ORDER BY a.id"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    assert!(!rows.is_empty());
    for (id, title, body, fingerprint) in rows {
        let own = related::hash::of_str(&format!("{title}\n{body}")) as i64;
        assert_eq!(fingerprint, Some(own), "article {id}");
    }
}

/// Asserts that every `similar` link between articles with tags in common
/// names those tags as its reason, in its owner's order, at most three:
/// a link an offer made works its reason out when the list takes it, from
/// the two articles' profiles, and must name what its own list would.
/// Returns how many links were checked (the caller asserts some were).
pub async fn assert_reasons_name_common_tags(db: &Db) -> usize {
    let tagged: Vec<(i64, i64, i64)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT article_id, tag_id, position FROM article_tags ORDER BY article_id, position"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    let names: HashMap<i64, String> =
        dispatch!(db.read, |c| sqlx::query_as("SELECT id, name FROM tags")
            .fetch_all(c)
            .await)
        .unwrap()
        .into_iter()
        .collect();
    let mut tags: HashMap<i64, Vec<i64>> = HashMap::new();
    for (article, tag, _) in tagged {
        tags.entry(article).or_default().push(tag);
    }
    let links: Vec<(i64, i64, Option<String>)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT article_id, other_id, reason FROM relations WHERE kind = 'similar'"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    let none = Vec::new();
    let mut checked = 0;
    for (owner, other, reason) in links {
        let theirs = tags.get(&other).unwrap_or(&none);
        let common: Vec<&str> = tags
            .get(&owner)
            .unwrap_or(&none)
            .iter()
            .filter(|t| theirs.contains(t))
            .take(3)
            .map(|t| names[t].as_str())
            .collect();
        if !common.is_empty() {
            let expected = common.join("\u{1f}");
            assert_eq!(
                reason.as_deref(),
                Some(expected.as_str()),
                "{owner} → {other}"
            );
            checked += 1;
        }
    }
    checked
}

/// `relate_batch` on `ids` in one transaction, with `relating`'s set.
pub async fn relate(db: &Db, relating: &Relating, ids: &[i64]) -> related::RelateOutcome {
    let mut run = relating.hold().await;
    let mut tx = run.begin(db).await.unwrap();
    let outcome = related::relate_batch(&mut tx, ids).await.unwrap();
    tx.commit().await.unwrap();
    outcome
}

/// Asserts that `got` stores exactly the relations `expected` stores
/// (scores compared as bits), and that both have `same_story` and
/// `similar` ones; `label` names the comparison when it fails.
pub async fn assert_same_relations(expected: &Db, got: &Db, label: &str) {
    let exact = |rows: Vec<(i64, i64, String, f64)>| -> Vec<_> {
        rows.into_iter()
            .map(|(a, b, kind, score)| (a, b, kind, score.to_bits()))
            .collect()
    };
    let (expected, got) = (
        exact(relations(expected).await),
        exact(relations(got).await),
    );
    for rows in [&expected, &got] {
        assert!(
            rows.iter().any(|r| r.2 == "same_story") && rows.iter().any(|r| r.2 == "similar"),
            "{label}: both kinds"
        );
    }
    let (lost, added) = diff(&expected, &got);
    assert!(
        lost.is_empty() && added.is_empty(),
        "{label}: lost {lost:?}\nadded {added:?}"
    );
}

/// What `after` lacks and what it adds, compared with `before` (shown
/// instead of two long lists when a comparison fails).
pub fn diff<T: Clone + Ord>(before: &[T], after: &[T]) -> (Vec<T>, Vec<T>) {
    let (b, a): (std::collections::BTreeSet<T>, std::collections::BTreeSet<T>) = (
        before.iter().cloned().collect(),
        after.iter().cloned().collect(),
    );
    (
        b.difference(&a).cloned().collect(),
        a.difference(&b).cloned().collect(),
    )
}
