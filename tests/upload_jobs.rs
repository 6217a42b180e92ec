//! Upload jobs as rows and uploaded files as chunks in the database (issue
//! 17), on SQLite (and on PostgreSQL too where `ARSHIF_TEST_POSTGRES` is
//! set): files come back byte for byte and go with their job, refused or
//! abandoned uploads leave nothing, and a job queued when a server stopped
//! runs when it starts again.

use std::time::{Duration, Instant};

use arshif::dispatch;
use arshif::ingest::upload_files::{self, Received};
use arshif::store::{Db, Location, jobs};
use arshif_testkit::postgres::TestDatabase;

use crate::live::{self, Live};
use crate::support::{SEED, Scratch, TestApp};

/// Rows of `table` in `db`.
async fn rows(db: &Db, table: &str) -> i64 {
    dispatch!(db.read, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        format!("SELECT count(*) FROM {table}")
    ))
    .fetch_one(c)
    .await)
    .unwrap()
}

/// Waits until `table` is empty (a dropped upload deletes in the
/// background); whether it became so.
async fn emptied(db: &Db, table: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while rows(db, table).await > 0 {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}

/// Bytes that differ from chunk to chunk (a swapped or repeated chunk shows).
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// The databases to run on: a SQLite file, and PostgreSQL when set.
async fn backends(s: &Scratch) -> Vec<(Db, Option<TestDatabase>)> {
    let mut all = vec![(Db::connect(&Location::Sqlite(s.db())).await.unwrap(), None)];
    if let Some(pg) = TestDatabase::create().await {
        all.push((Db::open_postgres(pg.url()).await.unwrap(), Some(pg)));
    } else {
        eprintln!("upload files: PostgreSQL skipped, ARSHIF_TEST_POSTGRES is not set");
    }
    all
}

/// Catches chunks stored out of order, lost at a chunk's edge, a file's
/// tail left in the buffer, files of a job read in another order, and
/// chunks that outlive their job or an upload that never became one.
#[tokio::test]
async fn uploaded_files_come_back_whole_and_go_with_their_job() {
    let s = Scratch::new();
    for (db, _pg) in backends(&s).await {
        let big = noise((5 << 20) / 2 + 7);
        let mut files = Received::new(&db);
        files.start_file("big.zip").await.unwrap();
        for piece in big.chunks(64 << 10) {
            files.write(piece).await.unwrap();
        }
        files.start_file("empty.txt").await.unwrap();
        files.start_file("small.txt").await.unwrap();
        files.write(b"small").await.unwrap();
        files.end_file().await.unwrap();
        assert_eq!(files.bytes(), big.len() as u64 + 5);
        let import_id = jobs::queue(&db, "upload", "admin", &files.into_ids())
            .await
            .unwrap();

        let dir = s.path("copies");
        std::fs::create_dir_all(&dir).unwrap();
        let fetched = upload_files::fetch(&db, import_id, &dir).await.unwrap();
        let names: Vec<&str> = fetched.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["big.zip", "empty.txt", "small.txt"]);
        assert!(std::fs::read(&fetched[0].path).unwrap() == big, "big.zip");
        assert!(std::fs::read(&fetched[1].path).unwrap().is_empty());
        assert_eq!(std::fs::read(&fetched[2].path).unwrap(), b"small");

        let mut abandoned = Received::new(&db);
        abandoned.start_file("cut-off.txt").await.unwrap();
        abandoned.write(&big[..2 << 20]).await.unwrap();
        drop(abandoned);
        jobs::finish(&mut db.write.acquire().await.unwrap(), import_id)
            .await
            .unwrap();
        assert!(emptied(&db, "upload_files").await, "files outlive the job");
        assert!(
            emptied(&db, "upload_chunks").await,
            "chunks outlive the job"
        );
        db.close().await;
    }
}

/// Catches a refused upload whose received part stays in the database.
#[tokio::test]
async fn a_refused_upload_leaves_no_file_behind() {
    let app = TestApp::configured(|c| c.max_upload_bytes = 2 << 20).await;
    let token = live::token(&app.scratch.db());
    let big = noise(3 << 20);
    let (content_type, body) = live::multipart(&[("file", Some("big.txt"), &big)]);
    let request = axum::http::Request::post("/api/imports")
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", content_type)
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(app.send(request).await.status, 413);
    assert!(emptied(&app.db, "upload_files").await);
    assert!(emptied(&app.db, "upload_chunks").await);
}

/// Catches a queued job lost with the server that received it (its files
/// are in the database, so the next start runs it), e.g. dropped at start
/// as a job that was running is.
#[tokio::test(flavor = "multi_thread")]
async fn a_job_queued_when_the_server_stopped_runs_when_it_starts() {
    let s = Scratch::new();
    let token = live::token(&s.db());
    let db = Db::open(&s.db()).await.unwrap();
    let mut files = Received::new(&db);
    files.start_file("seed.txt").await.unwrap();
    files.write(&std::fs::read(SEED).unwrap()).await.unwrap();
    files.end_file().await.unwrap();
    let import_id = jobs::queue(&db, "api", "admin", &files.into_ids())
        .await
        .unwrap();
    db.close().await;

    let server = Live::start(&s, &[], &[]);
    let bearer = format!("Bearer {token}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        let answer = server.get_with(
            &format!("/api/imports/{import_id}"),
            &[("Authorization", &bearer)],
        );
        let json = answer.json();
        if json["status"] != "queued" && json["status"] != "running" {
            break json;
        }
        assert!(Instant::now() < deadline, "{json}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status["status"], "done", "{status}");
    assert_eq!(status["report"]["articles_new"], 2, "{status}");
}
