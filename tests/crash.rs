//! Crash safety: an import killed with SIGKILL midway leaves a database
//! that passes `integrity_check`, holds no half-stored article, and a
//! second run of the same import completes it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};

use crate::support::{Scratch, ids};

async fn open(path: &std::path::Path) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(path)
        .connect()
        .await
        .unwrap()
}

async fn scalar(conn: &mut SqliteConnection, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(conn).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn import_killed_midway_leaves_a_sound_database_and_resumes() {
    let s = Scratch::new();
    let vocabulary = arshif_testkit::synth::Vocabulary::builtin();
    let corpus = arshif_testkit::synth::Corpus::new(
        arshif_testkit::synth::CorpusSpec::new(4000),
        &vocabulary,
    );
    let zip = s.path("corpus.zip");
    corpus.write_zip(&zip).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["import", "--db"])
        .arg(s.db())
        .arg(&zip)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill as soon as some batches are committed but the run is not done.
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "import never committed a batch"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
        if !s.db().exists() {
            continue;
        }
        let mut conn = open(&s.db()).await;
        let done: Option<i64> =
            sqlx::query_scalar("SELECT articles_done FROM imports WHERE status = 'running'")
                .fetch_optional(&mut conn)
                .await
                .unwrap_or(None);
        if done.is_some_and(|n| n > 0) {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let mut conn = open(&s.db()).await;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let fk: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
    assert!(fk.is_empty(), "dangling references: {fk:?}");
    let stored = scalar(&mut conn, "SELECT COUNT(*) FROM articles").await;
    assert!(
        stored > 0 && stored < 4000,
        "killed midway: {stored} articles stored"
    );
    let orphans = scalar(
        &mut conn,
        "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_files f WHERE f.article_id = a.id)",
    )
    .await;
    assert_eq!(orphans, 0, "every stored article has its provenance");
    let files_without_articles = scalar(
        &mut conn,
        "SELECT COUNT(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM article_files l WHERE l.file_id = f.id)",
    )
    .await;
    assert_eq!(
        files_without_articles, 0,
        "every stored file has its articles"
    );
    let empty_bodies = scalar(
        &mut conn,
        "SELECT COUNT(*) FROM articles WHERE title = '' OR body = ''",
    )
    .await;
    assert_eq!(empty_bodies, 0);
    drop(conn);

    let resumed = s.import(&[&zip]);
    assert!(resumed["articles_new"].as_u64().unwrap() > 0, "{resumed}");
    let clean = Scratch::new();
    clean.import(&[&zip]);
    assert_eq!(
        ids(&s.export()),
        ids(&clean.export()),
        "the resumed archive equals a clean import"
    );
}
