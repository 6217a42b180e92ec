//! Related articles end to end: the labelled story set imported through the
//! real pipeline, related, and scored (same-story precision and recall,
//! precision@5 of `similar`), plus the rules every list keeps.

mod archive;
mod eval;
mod ranking;
mod tuning;

use std::collections::HashMap;
use std::sync::Mutex;

use arshif::dump::Limits;
use arshif::ingest::reparse;
use arshif::related;
use arshif::store::relations::RelationKind;
use arshif::store::{export, imports};

use archive::Relate;

use crate::support::Scratch;

#[tokio::test]
async fn same_story_precision_and_recall_reach_0_9() {
    let pages = eval::pages();
    let archive = archive::archive(&pages, Relate::All).await;
    let rels = archive::relations(&archive.db).await;
    let (p, r) = eval::story_scores(&pages, &archive, &rels);
    let p5 = eval::precision_at_5(&pages, &archive, &rels);
    println!("relate_all: same story P={p:.3} R={r:.3}, similar P@5={p5:.3}");
    assert!(p >= 0.9 && r >= 0.9, "precision {p}, recall {r}");
    assert!(p5 >= 0.8, "precision@5 {p5}");
}

#[tokio::test]
async fn incremental_batches_reach_the_same_quality() {
    let pages = eval::pages();
    let archive = archive::archive(&pages, Relate::Batches(4)).await;
    let rels = archive::relations(&archive.db).await;
    let (p, r) = eval::story_scores(&pages, &archive, &rels);
    let p5 = eval::precision_at_5(&pages, &archive, &rels);
    println!("4 batches: same story P={p:.3} R={r:.3}, similar P@5={p5:.3}");
    assert!(p >= 0.9 && r >= 0.9, "precision {p}, recall {r}");
    assert!(p5 >= 0.8, "precision@5 {p5}");
}

#[tokio::test]
async fn no_article_relates_to_itself_and_every_list_keeps_the_story_rules() {
    let pages = eval::pages();
    for relate in [Relate::All, Relate::Batches(4)] {
        let archive = archive::archive(&pages, relate).await;
        let problems = archive::broken_rules(&archive.db).await;
        assert!(problems.is_empty(), "{relate:?}: {problems:#?}");
        let lists = archive::relations(&archive.db).await;
        assert!(lists.iter().all(|(a, b, _, _)| a != b));
        assert!(
            lists.iter().any(|r| r.2 == "same_story") && lists.iter().any(|r| r.2 == "similar")
        );
    }
}

#[tokio::test]
async fn relations_survive_reimport_and_reparse() {
    let pages = eval::pages();
    let archive = archive::archive(&pages, Relate::All).await;
    let before = archive::by_permalink(&archive.db).await;
    for kind in ["read_also", "same_story", "similar"] {
        assert!(before.iter().any(|r| r.2 == kind), "no {kind} relation");
    }

    let again = archive::import(&archive.db, &archive.dir.path().join("part0")).await;
    assert_eq!(again.articles_new, 0);
    let same = |after: Vec<_>| archive::diff(&before, &after) == (vec![], vec![]);
    assert!(
        same(archive::by_permalink(&archive.db).await),
        "after re-import"
    );

    let reparse_id = imports::create(
        &mut archive.db.write.acquire().await.unwrap(),
        "reparse",
        "running",
    )
    .await
    .unwrap();
    reparse::run(&archive.db, reparse_id, &Limits::default())
        .await
        .unwrap();
    assert!(
        same(archive::by_permalink(&archive.db).await),
        "after reparse"
    );

    // An importer wired to relate what a reparse touched relates them again:
    // unchanged texts give the same relations.
    let ids = archive::all_ids(&archive.db).await;
    archive::relate(&archive.db, &ids).await;
    let (lost, gained) = archive::diff(&before, &archive::by_permalink(&archive.db).await);
    assert!(
        lost.is_empty() && gained.is_empty(),
        "lost {lost:?}, gained {gained:?}"
    );
}

#[tokio::test]
async fn export_lists_read_also_then_same_story_then_similar_best_first() {
    let pages = eval::pages();
    let archive = archive::archive(&pages, Relate::All).await;
    let mut conn = archive.db.read.acquire().await.unwrap();
    let articles = export::page_after(&mut conn, "", 100_000).await.unwrap();
    let scores: HashMap<(String, String), f64> = sqlx::query_as::<_, (String, String, f64)>(
        "SELECT a.permalink, o.permalink, r.score FROM relations r JOIN articles a ON a.id = r.article_id \
         JOIN articles o ON o.id = r.other_id WHERE r.kind = 'similar'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .into_iter()
    .map(|(a, b, s)| ((a, b), s))
    .collect();
    let rank = |kind: &str| {
        ["read_also", "same_story", "similar"]
            .iter()
            .position(|k| *k == kind)
            .unwrap()
    };
    let mut all_three = 0;
    for a in &articles {
        let kinds: Vec<usize> = a.related.iter().map(|r| rank(&r.relation)).collect();
        assert!(kinds.is_sorted(), "{}: {kinds:?}", a.id);
        all_three += usize::from(kinds.contains(&0) && kinds.contains(&1) && kinds.contains(&2));
        let similar: Vec<f64> = a
            .related
            .iter()
            .filter(|r| r.relation == "similar")
            .map(|r| scores[&(a.id.clone(), r.id.clone())])
            .collect();
        assert!(similar.is_sorted_by(|x, y| x >= y), "{}: {similar:?}", a.id);
        assert!(a.related.iter().all(|r| r.id != a.id));
    }
    assert!(all_three > 0, "no article has all three kinds of relation");
}

#[tokio::test]
async fn reasons_name_the_source_of_the_same_story_and_what_similar_articles_share() {
    let pages = eval::pages();
    let archive = archive::archive(&pages, Relate::All).await;
    let (id,): (i64,) = sqlx::query_as(
        "SELECT article_id FROM relations WHERE kind = 'same_story' ORDER BY article_id LIMIT 1",
    )
    .fetch_one(&archive.db.read)
    .await
    .unwrap();
    let mut conn = archive.db.read.acquire().await.unwrap();
    let reasons = related::reasons(&mut conn, id).await.unwrap();
    let kinds: Vec<RelationKind> = reasons.iter().map(|r| r.kind).collect();
    assert!(kinds.is_sorted(), "same story first: {kinds:?}");
    let story: Vec<_> = reasons
        .iter()
        .filter(|r| r.kind == RelationKind::SameStory)
        .collect();
    assert!(!story.is_empty());
    for r in &story {
        let label = &pages.0[archive.page_of[&r.other_id]].label;
        assert_eq!(r.source.as_deref(), Some(label.source));
    }
    let similar: Vec<_> = reasons
        .iter()
        .filter(|r| r.kind == RelationKind::Similar)
        .collect();
    assert_eq!(similar.len(), related::K);
    for r in similar {
        assert!(!r.tags.is_empty() || !r.terms.is_empty(), "{r:?}");
        assert!(r.tags.len() <= 3 && r.terms.len() <= 3);
    }
}

#[tokio::test]
async fn an_article_whose_text_changes_leaves_its_old_story() {
    let pages = eval::pages();
    let archive = archive::archive(&pages, Relate::All).await;
    let (first, size): (i64, i64) = sqlx::query_as(
        "SELECT cluster_id, count(*) FROM related_docs GROUP BY cluster_id HAVING count(*) >= 3 \
         ORDER BY cluster_id LIMIT 1",
    )
    .fetch_one(&archive.db.read)
    .await
    .unwrap();
    // New text told by no other article: a noise page's words, each line backwards.
    let noise = pages
        .0
        .iter()
        .rev()
        .find(|p| p.label.topic.is_none())
        .unwrap();
    let body: Vec<String> = noise
        .text
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with("المصدر:"))
        .map(|l| l.split(' ').rev().collect::<Vec<_>>().join(" "))
        .collect();
    sqlx::query("UPDATE articles SET body = ? WHERE id = ?")
        .bind(body.join("\n"))
        .bind(first)
        .execute(&archive.db.write)
        .await
        .unwrap();
    archive::relate(&archive.db, &[first]).await;

    let stories: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT article_id, other_id FROM relations WHERE kind = 'same_story' AND (article_id = ?1 OR other_id = ?1)",
    )
    .bind(first)
    .fetch_all(&archive.db.read)
    .await
    .unwrap();
    let left: Vec<(i64,)> =
        sqlx::query_as("SELECT article_id FROM related_docs WHERE cluster_id = ?")
            .bind(first)
            .fetch_all(&archive.db.read)
            .await
            .unwrap();
    assert_eq!(
        left,
        vec![(first,)],
        "the rest of the story is renamed after its smallest id"
    );
    assert!(stories.is_empty(), "{stories:?}");
    assert!(size >= 3);
    let problems = archive::broken_rules(&archive.db).await;
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn relate_all_reports_progress_up_to_its_total_then_ensure_has_nothing_to_do() {
    let pages = eval::pages();
    let archive = archive::archive(&pages, Relate::Batches(1)).await;
    assert!(
        related::ensure(&archive.db, &|_, _| {})
            .await
            .unwrap()
            .is_some(),
        "never computed by relate_all"
    );
    let seen = Mutex::new(Vec::new());
    let outcome = related::relate_all(&archive.db, &|done, total| {
        seen.lock().unwrap().push((done, total))
    })
    .await
    .unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(outcome.links_added > 0);
    assert!(
        seen.windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[0].1 == w[1].1),
        "{seen:?}"
    );
    let &(done, total) = seen.last().unwrap();
    assert_eq!(done, total);
    assert!(
        related::ensure(&archive.db, &|_, _| {})
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_empty_archive_relates_without_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = arshif::store::Db::open(&dir.path().join("a.db"))
        .await
        .unwrap();
    let outcome = related::relate_all(&db, &|_, _| {}).await.unwrap();
    assert_eq!(outcome.links_added, 0);
    assert_eq!(archive::relate(&db, &[]).await.links_added, 0);
    assert_eq!(
        archive::relate(&db, &[42]).await.links_added,
        0,
        "an unknown id is skipped"
    );
}

/// The command line: `relate` only when the rules changed, `--all` always,
/// and the result of `--all` depends on the archive, not on its history.
#[test]
fn relate_command_recomputes_only_when_asked_and_the_same_way_twice() {
    let s = Scratch::new();
    let folder = s.path("stories");
    std::fs::create_dir_all(&folder).unwrap();
    for page in &eval::pages().0 {
        std::fs::write(folder.join(&page.name), &page.text).unwrap();
    }
    s.import(&[&folder]);

    let out = s.arshif(&["relate"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("up to date"), "{said}");

    let recompute = || {
        let out = s.arshif(&["relate", "--all"]);
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success() && said.contains("recomputed"),
            "{said}"
        );
        s.export()
    };
    let first = recompute();
    assert_eq!(
        recompute(),
        first,
        "relate --all does not depend on history"
    );

    let kinds: Vec<&str> = first
        .iter()
        .flat_map(|a| a["related"].as_array().unwrap())
        .map(|r| r["relation"].as_str().unwrap())
        .collect();
    for kind in ["read_also", "same_story", "similar"] {
        assert!(kinds.contains(&kind), "no {kind} relation in {kinds:?}");
    }
    for article in &first {
        assert!(
            article["related"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["id"] != article["id"]),
            "{} relates to itself",
            article["id"]
        );
    }
}
