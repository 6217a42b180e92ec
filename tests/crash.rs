//! Crash safety, at known points: an import killed right after its third
//! batch commits (the importer's `ARSHIF_FAULT_KILL_AFTER_BATCH` hook, with
//! batches of four documents) leaves a sound database holding exactly what
//! a clean import of those twelve documents holds, and the same import run
//! again completes it to exactly what a clean import holds. A server killed
//! during an upload's import marks it interrupted when it starts again.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use crate::live::{self, Live};
use crate::support::{SEED, Scratch, pages};

const BATCH_DOCS: &str = "4";
const KILLED_AFTER_BATCHES: usize = 3;

/// `arshif import --batch-docs 4 PATH`, killed by the hook after `batches`
/// commits.
fn import_killed_after(s: &Scratch, path: &Path, batches: usize) {
    let status = s
        .command("import")
        .args(["--batch-docs", BATCH_DOCS])
        .arg(path)
        .env("ARSHIF_FAULT_KILL_AFTER_BATCH", batches.to_string())
        .env("RUST_LOG", "error")
        .status()
        .unwrap();
    assert_eq!(status.signal(), Some(libc::SIGKILL), "killed: {status:?}");
}

/// Catches a batch whose articles, files, provenance, search rows or
/// relations do not commit together (the killed archive would then differ
/// from the clean import of the same twelve documents, or hold orphans),
/// and a resumed import that leaves the documents of the killed run
/// unrelated or half-merged (it would differ from the clean import).
/// Checked by relating in a second transaction after the batch's commit:
/// the killed archive then lacks the third batch's relations.
#[tokio::test(flavor = "multi_thread")]
async fn an_import_killed_after_a_batch_keeps_exactly_the_committed_batches_and_resumes() {
    let s = Scratch::new();
    let all = pages(&s, None);
    import_killed_after(&s, &all, KILLED_AFTER_BATCHES);

    live::assert_sound(&s.db()).await;
    let orphans = live::scalar(
        &s.db(),
        "SELECT (SELECT count(*) FROM articles a WHERE NOT EXISTS \
           (SELECT 1 FROM article_files f WHERE f.article_id = a.id)) \
         + (SELECT count(*) FROM files f WHERE NOT EXISTS \
           (SELECT 1 FROM article_files l WHERE l.file_id = f.id)) \
         + (SELECT count(*) FROM articles a WHERE NOT EXISTS \
           (SELECT 1 FROM search_log l WHERE l.article_id = a.id))",
    )
    .await;
    assert_eq!(
        orphans, 0,
        "articles without files or search log rows, files without articles"
    );
    let running = live::scalar(
        &s.db(),
        "SELECT count(*) FROM imports WHERE status = 'running'",
    )
    .await;
    assert_eq!(running, 1, "the killed run never finished");

    let prefix = Scratch::new();
    let committed = KILLED_AFTER_BATCHES * BATCH_DOCS.parse::<usize>().unwrap();
    prefix.import_with(
        &[&pages(&prefix, Some(committed))],
        &["--batch-docs", BATCH_DOCS],
    );
    assert_eq!(
        s.export(),
        prefix.export(),
        "the killed archive holds the first {committed} documents, related"
    );

    let resumed = s.import_with(&[&all], &["--batch-docs", BATCH_DOCS]);
    assert!(resumed["articles_new"].as_u64().unwrap() > 0, "{resumed}");
    let clean = Scratch::new();
    clean.import_with(&[&pages(&clean, None)], &["--batch-docs", BATCH_DOCS]);
    assert_eq!(
        s.export(),
        clean.export(),
        "the resumed archive equals a clean import"
    );
    live::assert_sound(&s.db()).await;
}

/// A server killed while an upload's import runs leaves that import
/// `running`; the next start marks it interrupted (shown so on `/imports`
/// and to scripts) and keeps what it committed, while a command-line
/// import left running — possibly still running in another process — is
/// left alone. Catches `mark_interrupted` not being called at start, and
/// it marking command-line imports too (checked by dropping its origin
/// condition).
#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_during_an_upload_marks_it_interrupted_when_it_starts_again() {
    let s = Scratch::new();
    let token = live::token(&s.db());
    live::execute(
        &s.db(),
        "INSERT INTO imports (origin, status, created_at) VALUES ('cli', 'running', '2026-01-01T00:00:00Z')",
    )
    .await;
    let server = Live::start(&s, &[], &[("ARSHIF_FAULT_KILL_AFTER_BATCH", "1")]);
    let seed = std::fs::read(SEED).unwrap();
    let upload = {
        let (content_type, body) = live::multipart(&[("file", Some("seed.txt"), &seed)]);
        let port = server.port;
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            let head = format!(
                "POST /api/imports HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
                 Authorization: Bearer {token}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(&body).unwrap();
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
            answer
        })
    };
    let status = server.wait_for_exit();
    assert_eq!(status.signal(), Some(libc::SIGKILL), "{status:?}");
    assert!(
        upload.join().unwrap().is_empty(),
        "the upload got no answer"
    );
    let upload_id = live::scalar(&s.db(), "SELECT id FROM imports WHERE origin = 'api'").await;
    let stored = live::scalar(&s.db(), "SELECT count(*) FROM articles").await;
    assert_eq!(stored, 2, "the committed batch is kept");

    let server = Live::start(
        &s,
        &[],
        &[("ARSHIF_ADMIN_PASSWORD", "a-long-test-password")],
    );
    let db = s.db();
    let interrupted = "SELECT count(*) FROM imports \
        WHERE origin = 'api' AND status = 'interrupted' AND finished_at IS NOT NULL";
    assert_eq!(live::scalar(&db, interrupted).await, 1);
    assert_eq!(
        live::scalar(
            &db,
            "SELECT count(*) FROM imports WHERE origin = 'cli' AND status = 'running'"
        )
        .await,
        1,
        "a command-line import is not the server's to end"
    );
    let cookie = server.session("a-long-test-password");
    let list = server.get_with("/imports", &[("Cookie", &cookie)]);
    assert!(list.body.contains("توقف قبل أن يكتمل"), "{}", list.body);
    let bearer = format!("Bearer {}", live::token(&db));
    let api = server.get_with(
        &format!("/api/imports/{upload_id}"),
        &[("Authorization", &bearer)],
    );
    assert_eq!(api.json()["status"], "interrupted");
    assert_eq!(server.get("/").status, 200);
    let log = server.stop();
    assert!(log.contains("marked interrupted"), "{log}");
}
