//! The same import on SQLite and on PostgreSQL gives the same archive: the
//! export of every article (text, tags, source, originals, and the
//! relations the relating engine found) is identical, and so is what the
//! pages read (lists, dates, names, articles, stories). Runs on PostgreSQL
//! when `ARSHIF_TEST_POSTGRES` names a server (`.ci/run` starts one);
//! without it, it says it was skipped.

use std::path::Path;

use arshif::archive::Archive;
use arshif::export::ExportArticle;
use arshif::ingest::pipeline::{self, ImportOptions, Input, Quiet};
use arshif::store::lists::{self, Direction, Scope};
use arshif::store::names::NameTable;
use arshif::store::periods::{self, Counted};
use arshif::store::{Conn, Db, browse, captures, feeds, imports, search};
use arshif_testkit::postgres::TestDatabase;

use crate::support::Scratch;

const STORIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stories");

async fn import(db: Db, folder: &Path) -> (Vec<ExportArticle>, String) {
    let archive = Archive::new(db);
    let id = imports::create(
        &mut archive.db.write.acquire().await.unwrap(),
        "cli",
        "running",
    )
    .await
    .unwrap();
    let inputs = vec![Input::Path(folder.to_owned())];
    let report = pipeline::run(&archive, id, inputs, ImportOptions::default(), &Quiet)
        .await
        .unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let conn = &mut *archive.db.read.acquire().await.unwrap();
        let page = arshif::export::page_after(conn, &after, 50).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        all.extend(page);
    }
    let conn = &mut *archive.db.read.acquire().await.unwrap();
    let pages = what_pages_read(conn, &all).await;
    (all, pages)
}

/// What the pages read of the archive, as text, with the times of
/// storing (which differ between two runs) left out.
async fn what_pages_read(conn: &mut Conn, all: &[ExportArticle]) -> String {
    let mut out = Vec::new();
    let home = lists::cards(conn, &Scope::All, &Direction::First, 10)
        .await
        .unwrap();
    let older = Direction::Before(home.older.clone().expect("more than one page"));
    out.push(format!("{home:?}"));
    out.push(format!(
        "{:?}",
        lists::cards(conn, &Scope::All, &older, 10).await.unwrap()
    ));
    out.push(format!(
        "{:?}",
        lists::story_rows(conn, &Scope::All, &older, 10)
            .await
            .unwrap()
    ));
    for table in [NameTable::Sources, NameTable::Tags] {
        let named = lists::names(conn, table, None, 100).await.unwrap();
        let first = named.first().expect("names").clone();
        out.push(format!("{named:?}"));
        let scope = match table {
            NameTable::Sources => Scope::Source(first.id),
            NameTable::Tags => Scope::Tag(first.id),
        };
        out.push(format!(
            "{:?}",
            lists::cards(conn, &scope, &Direction::First, 5)
                .await
                .unwrap()
        ));
    }
    out.push(format!("{:?}", lists::totals(conn).await.unwrap()));
    let highest = lists::highest_id(conn).await.unwrap();
    out.push(format!(
        "{:?}",
        lists::permalinks(conn, 0, highest).await.unwrap().len()
    ));
    out.push(format!(
        "{:?}",
        lists::date_counts(conn, 7, "").await.unwrap()
    ));
    let years = periods::years(conn, Counted::All).await.unwrap();
    let year = years.first().expect("a year").0;
    out.push(format!("{years:?}"));
    out.push(format!(
        "{:?}",
        periods::months(conn, Counted::All, year).await.unwrap()
    ));
    out.push(format!(
        "{:?}",
        periods::days(conn, "0000", "9999").await.unwrap()
    ));
    let ids: Vec<i64> = (1..=highest).collect();
    out.push(format!(
        "{:?}",
        lists::cards_by_id(conn, &ids).await.unwrap()
    ));
    out.push(format!(
        "{:?}",
        lists::body_lengths(conn, &ids).await.unwrap()
    ));
    out.push(format!(
        "{:?}",
        search::indexed_after(conn, 0, 1000).await.unwrap()
    ));
    out.push(format!("{:?}", search::hit_rows(conn, &ids).await.unwrap()));
    out.push(format!(
        "{:?}",
        feeds::last_updated(conn, &ids).await.unwrap().is_some()
    ));
    for article in all {
        let record = browse::article(conn, &article.id)
            .await
            .unwrap()
            .expect("stored");
        out.push(without_times(&format!("{record:?}")));
        out.push(format!(
            "{:?}",
            browse::related(conn, record.id).await.unwrap()
        ));
        out.push(format!(
            "{:?}",
            lists::story(conn, &article.id).await.unwrap()
        ));
        out.push(format!(
            "{:?}",
            captures::of_article(conn, record.id).await.unwrap()
        ));
    }
    out.join("\n")
}

/// `text` with the value of every `created_at: "…"` left out.
fn without_times(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("created_at: \"") {
        let (head, tail) = rest.split_at(at + "created_at: \"".len());
        out.push_str(head);
        rest = &tail[tail.find('"').unwrap_or(tail.len())..];
    }
    out.push_str(rest);
    out
}

/// Catches any store query that reads or writes differently on PostgreSQL
/// (ids, names, counts, provenance, relations and their order).
#[tokio::test(flavor = "multi_thread")]
async fn the_same_import_exports_the_same_archive_on_both_backends() {
    let Some(pg) = TestDatabase::create().await else {
        eprintln!("same import: skipped, ARSHIF_TEST_POSTGRES is not set");
        return;
    };
    let s = Scratch::sqlite();
    let folder = Path::new(STORIES);
    let (on_sqlite, pages_sqlite) = import(Db::open(&s.db()).await.unwrap(), folder).await;
    let (on_postgres, pages_postgres) =
        import(Db::open_postgres(pg.url()).await.unwrap(), folder).await;
    assert!(on_sqlite.len() > 20, "{} articles", on_sqlite.len());
    assert!(
        on_sqlite.iter().any(|a| !a.related.is_empty()),
        "no relations to compare"
    );
    for (lite, post) in on_sqlite.iter().zip(&on_postgres) {
        assert_eq!(lite, post);
    }
    assert_eq!(on_sqlite.len(), on_postgres.len());
    for (lite, post) in pages_sqlite.lines().zip(pages_postgres.lines()) {
        let at = lite
            .chars()
            .zip(post.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let from = at.saturating_sub(200);
        let (lite, post): (String, String) = (
            lite.chars().skip(from).take(400).collect(),
            post.chars().skip(from).take(400).collect(),
        );
        assert_eq!(lite, post, "first difference at character {at}");
    }
    assert_eq!(pages_sqlite, pages_postgres);
}
