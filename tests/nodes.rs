//! Several `serve` nodes on one PostgreSQL database (issue 17), as real
//! processes on the server `ARSHIF_TEST_POSTGRES` names: an upload
//! received by one node is imported once, by whichever takes its job; its
//! progress, the articles, search, sessions and takedowns are the same on
//! every node; a node that dies mid-job leaves its job to the others; and
//! one process at a time holds the job lock.
//!
//! Without the variable these tests print that they were skipped and pass.

use std::time::{Duration, Instant};

use arshif::store::Db;
use arshif::store::jobs::JobLock;
use arshif_testkit::postgres::TestDatabase;

use crate::live::{self, Live};
use crate::support::{SEED, SEED_TITLE, Scratch};

const PASSWORD: &str = "a-long-test-password";
/// A word of the seed's title, for the search on the other node.
const SEED_WORD: &str = "كوريا";

async fn database(test: &str) -> Option<TestDatabase> {
    let found = TestDatabase::create().await;
    if found.is_none() {
        eprintln!("{test}: skipped, ARSHIF_TEST_POSTGRES is not set");
    }
    found
}

/// A node serving `url`, with a folder of its own in `s` (its `data/`:
/// search index, temporary upload copies), as a separate machine has.
fn node(s: &Scratch, name: &str, url: &str, env: &[(&str, &str)]) -> Live {
    let dir = s.path(name);
    std::fs::create_dir_all(&dir).unwrap();
    let mut all = vec![("ARSHIF_ADMIN_PASSWORD", PASSWORD)];
    all.extend_from_slice(env);
    Live::start_in(&dir, url, &[], &all)
}

/// Uploads `bytes` as `name` through `node`'s form; the import's id.
fn upload(node: &Live, cookie: &str, name: &str, bytes: &[u8]) -> i64 {
    let page = node.get_with("/upload", &[("Cookie", cookie)]);
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = live::hidden(&page.body, "csrf");
    let (content_type, body) = live::multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("files", Some(name), bytes),
    ]);
    let answer = node.request(
        "POST",
        "/upload",
        &[("Cookie", cookie), ("Content-Type", &content_type)],
        &body,
    );
    assert_eq!(answer.status, 303, "{}", answer.body);
    let location = answer.header("location").unwrap();
    location.strip_prefix("/imports/").unwrap().parse().unwrap()
}

/// Import `id` as `node` reports it, once its status is one of `until`.
fn status_once(node: &Live, cookie: &str, id: i64, until: &[&str]) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let answer = node.get_with(&format!("/api/imports/{id}"), &[("Cookie", cookie)]);
        assert_eq!(answer.status, 200, "{}", answer.body);
        let json = answer.json();
        if until.iter().any(|s| json["status"] == *s) {
            return json;
        }
        assert!(Instant::now() < deadline, "import {id} stays {json}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Catches an upload that only the receiving node can import (files or
/// job in its memory), an import run twice, progress, search or sessions
/// that stay on one node, and a takedown the other node keeps serving.
#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_share_uploads_progress_articles_search_sessions_and_takedowns() {
    let Some(pg) = database("two nodes").await else {
        return;
    };
    let s = Scratch::new();
    let a = node(&s, "a", pg.url(), &[]);
    let b = node(&s, "b", pg.url(), &[]);

    let cookie = a.session(PASSWORD);
    let on_b = b.get_with("/upload", &[("Cookie", &cookie)]);
    assert_eq!(on_b.status, 200, "a session made on A is valid on B");

    let id = upload(&a, &cookie, "seed.txt", &std::fs::read(SEED).unwrap());
    let done = status_once(&b, &cookie, id, &["done", "failed", "interrupted"]);
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["report"]["articles_new"], 2, "{done}");
    let progress = b.get_with(&format!("/imports/{id}"), &[("Cookie", &cookie)]);
    assert_eq!(progress.status, 200);
    assert!(
        progress.body.contains(SEED_TITLE),
        "B's progress page links it"
    );
    let ran = format!("import {id} ran on");
    let runs = [a.log(), b.log()]
        .iter()
        .map(|log| log.matches(&ran).count())
        .sum::<usize>();
    assert_eq!(runs, 1, "the import ran once:\n{}\n{}", a.log(), b.log());

    let listed = b.get("/api/articles").json();
    let ids: Vec<String> = listed["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{listed}");
    for article in &ids {
        for node in [&a, &b] {
            let page = node.get(&format!("/a/{article}"));
            assert!(matches!(page.status, 200 | 301 | 308), "{}", page.status);
        }
    }

    // B's search index follows the log of what A's import stored.
    let deadline = Instant::now() + Duration::from_secs(60);
    let query = format!("/search?q={}", live::form_value(SEED_WORD));
    while !ids
        .iter()
        .any(|id| b.get(&query).body.contains(id.as_str()))
    {
        assert!(Instant::now() < deadline, "B's search never found them");
        std::thread::sleep(Duration::from_millis(200));
    }

    let target = &ids[0];
    let confirm = a.get_with(&format!("/a/{target}/remove"), &[("Cookie", &cookie)]);
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let csrf = live::hidden(&confirm.body, "csrf");
    let removed = a.request(
        "POST",
        &format!("/a/{target}/remove"),
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        format!("csrf={csrf}&reason={}", live::form_value("طلب صاحب الحق")).as_bytes(),
    );
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert_eq!(b.get(&format!("/a/{target}")).status, 410, "gone on B too");
}

/// Catches a job left `running` for good by a node that died while it
/// ran it: the lock goes with the dead node's connection, and the node
/// still alive marks the import interrupted. Both nodes carry the fault
/// hook (dying after their first stored batch), so whichever takes the
/// job dies and the other, which stored nothing, is the survivor.
#[tokio::test(flavor = "multi_thread")]
async fn a_node_that_dies_mid_job_leaves_it_to_a_node_still_running() {
    let Some(pg) = database("dead node").await else {
        return;
    };
    let s = Scratch::new();
    let fault = [("ARSHIF_FAULT_KILL_AFTER_BATCH", "1")];
    let mut a = node(&s, "a", pg.url(), &fault);
    let mut b = node(&s, "b", pg.url(), &fault);
    let cookie = a.session(PASSWORD);
    let id = upload(&a, &cookie, "seed.txt", &std::fs::read(SEED).unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    let survivor = loop {
        match (a.has_exited(), b.has_exited()) {
            (true, false) => break b,
            (false, true) => break a,
            (true, true) => panic!("both nodes died:\n{}\n{}", a.log(), b.log()),
            (false, false) => {}
        }
        assert!(Instant::now() < deadline, "no node took the job");
        std::thread::sleep(Duration::from_millis(50));
    };
    let ended = status_once(&survivor, &cookie, id, &["interrupted", "done", "failed"]);
    assert_eq!(ended["status"], "interrupted", "{ended}");
    let db = Db::open_postgres(pg.url()).await.unwrap();
    let left: i64 = arshif::dispatch!(db.read, |c| sqlx::query_scalar(
        "SELECT count(*) FROM import_jobs"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    assert_eq!(left, 0, "the dead node's job and its files are gone");
    let kept = survivor.get("/api/articles").json();
    assert_eq!(kept["articles"].as_array().unwrap().len(), 2, "{kept}");
    db.close().await;
}

/// Catches two processes running upload imports at once: the lock is
/// held by one at a time, released by the holder or by its connection's
/// end.
#[tokio::test]
async fn one_process_at_a_time_holds_the_job_lock() {
    let Some(pg) = database("job lock").await else {
        return;
    };
    let (one, two) = (
        Db::open_postgres(pg.url()).await.unwrap(),
        Db::open_postgres(pg.url()).await.unwrap(),
    );
    let (mut first, mut second) = (JobLock::new(&one), JobLock::new(&two));
    assert!(first.try_take().await.unwrap());
    assert!(first.try_take().await.unwrap(), "the holder keeps it");
    assert!(!second.try_take().await.unwrap(), "taken by the first");
    first.release().await.unwrap();
    assert!(second.try_take().await.unwrap(), "released");
    assert!(!first.try_take().await.unwrap(), "taken by the second");
    second.close().await;
    // The server ends the closed session's backend, and with it the lock,
    // a moment after the client goes.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !first.try_take().await.unwrap() {
        assert!(Instant::now() < deadline, "a closed session frees it");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.close().await;
    one.close().await;
    two.close().await;
}

/// Catches `--db-connections` not reaching the pools (on either backend),
/// and a value outside 1–64 accepted.
#[tokio::test]
async fn db_connections_size_the_pools() {
    // The SQLite half on SQLite even in the PostgreSQL pass; the other half
    // below asks for a database of its own.
    let s = Scratch::sqlite();
    let max = |pool: &arshif::store::Pool| match pool.backend() {
        arshif::store::Backend::Sqlite(p) => p.options().get_max_connections(),
        arshif::store::Backend::Postgres(p) => p.options().get_max_connections(),
    };
    let sqlite = Db::open_with(&s.db(), 3).await.unwrap();
    assert_eq!(
        (max(&sqlite.read), max(&sqlite.write)),
        (3, 1),
        "one SQLite writer"
    );
    sqlite.close().await;
    if let Some(pg) = database("pool size").await {
        let url = std::path::PathBuf::from(pg.url());
        let postgres = Db::open_with(&url, 3).await.unwrap();
        assert_eq!((max(&postgres.read), max(&postgres.write)), (3, 3));
        postgres.close().await;
    }
    for refused in ["0", "65"] {
        let out = crate::support::arshif_db(&s.db(), &["serve", "--db-connections", refused]);
        assert_eq!(out.status.code(), Some(2), "{refused}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("--db-connections"), "{said}");
    }
}
