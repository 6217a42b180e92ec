//! The paths that only run when storing fails, forced with triggers the
//! test adds to the archive's database (SQLite's, or PostgreSQL's): a document the database refuses is
//! reported and the rest of its batch is stored one by one (nothing else
//! lost, relations as a clean import's), and a run that fails is recorded
//! as failed with its reason, keeping what it committed.

use std::path::Path;

use serde_json::Value;

use crate::live::{self, Live};
use crate::support::{Scratch, on_postgres, pages};

/// A page of the five-version story `000030`: no other page names it as a
/// read-also item, so refusing its title refuses this one document only.
const REFUSED_FILE: &str = "000030_2.txt";

/// Makes the archive's database fail, with `message`, a row of `table`
/// that `when` holds for at `event` (`INSERT`, `UPDATE OF status`): a
/// trigger named `name`.
async fn fail_when(db: &Path, name: &str, event: &str, table: &str, when: &str, message: &str) {
    let sql = if on_postgres() {
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION '{message}'; END $$; \
             CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN ({when}) \
             EXECUTE FUNCTION {name}();"
        )
    } else {
        format!(
            "CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when} \
             BEGIN SELECT RAISE(ABORT, '{message}'); END;"
        )
    };
    live::execute(db, &sql).await;
}

/// Drops the trigger `fail_when` made.
async fn stop_failing(db: &Path, name: &str, table: &str) {
    let sql = if on_postgres() {
        format!("DROP TRIGGER {name} ON {table}")
    } else {
        format!("DROP TRIGGER {name}")
    };
    live::execute(db, &sql).await;
}

/// Makes the archive's database refuse to store an article titled `title`.
async fn refuse_title(db: &Path, title: &str) {
    let when = format!("NEW.title = '{title}'");
    fail_when(
        db,
        "test_refuse",
        "INSERT",
        "articles",
        &when,
        "refused by the test",
    )
    .await;
}

/// An empty archive at the current schema.
fn create(s: &Scratch) {
    assert!(s.arshif(&["export"]).status.success());
}

/// Catches a batch failure that loses the batch's other documents (no
/// fallback), a fallback that keeps the refused document's half (its file
/// or provenance without the article), a rejection not reported as
/// `storage` with the file's name, and relating that does not start again
/// from what is stored after the failed batch rolled back (relations would
/// differ from the clean import, which stores one document per transaction
/// as the fallback does). Checked by rejecting the failed batch's documents
/// instead of storing them one by one: the whole import is then lost.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_document_is_reported_and_the_rest_of_its_batch_is_stored() {
    let s = Scratch::new();
    let folder = pages(&s, None);
    let refused = std::fs::read_to_string(folder.join(REFUSED_FILE)).unwrap();
    let title = refused.lines().next().unwrap();
    create(&s);
    refuse_title(&s.db(), title).await;

    let report = s.import(&[&folder]);
    let rejected = report["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1, "{report}");
    assert_eq!(rejected[0]["file"], format!("pages/{REFUSED_FILE}"));
    assert_eq!(rejected[0]["code"], "storage");
    let reason = rejected[0]["reason"].as_str().unwrap();
    assert!(reason.contains("refused by the test"), "{reason}");

    let others = Scratch::new();
    let other_pages = pages(&others, None);
    std::fs::remove_file(other_pages.join(REFUSED_FILE)).unwrap();
    others.import_with(&[&other_pages], &["--batch-docs", "1"]);
    assert_eq!(
        s.export(),
        others.export(),
        "all but the refused document, related"
    );
    live::assert_sound(&s.db()).await;
    let refused_files = live::scalar(
        &s.db(),
        &format!("SELECT count(*) FROM files WHERE name = 'pages/{REFUSED_FILE}'"),
    )
    .await;
    assert_eq!(
        refused_files, 0,
        "nothing of the refused document is stored"
    );
    let status = live::scalar(
        &s.db(),
        "SELECT count(*) FROM imports WHERE status = 'done'",
    )
    .await;
    assert_eq!(status, 1, "one refused document does not fail the run");

    // Once the database takes it, the same import adds just that document.
    stop_failing(&s.db(), "test_refuse", "articles").await;
    let again = s.import(&[&folder]);
    assert_eq!(again["articles_new"], 1, "{again}");
    assert_eq!(again["rejected"], Value::Array(vec![]));
}

/// Catches a failed run left `running` (or marked `done`) instead of
/// `failed` with its reason, a CLI that exits 0 after it, and committed
/// batches rolled back by the failure. Checked by deleting the failure
/// branch of the import run: the row stays `running`.
#[tokio::test(flavor = "multi_thread")]
async fn a_run_that_fails_is_recorded_as_failed_and_keeps_what_it_stored() {
    let s = Scratch::new();
    let folder = pages(&s, None);
    create(&s);
    let when = "NEW.status = 'done'";
    fail_when(
        &s.db(),
        "test_fail_finish",
        "UPDATE OF status",
        "imports",
        when,
        "the disk went away",
    )
    .await;
    let out = s.arshif(&["import", &folder.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("the disk went away"), "{said}");

    let db = s.db();
    let error = live::json_text("report", "error");
    let failed = live::scalar(
        &db,
        &format!(
            "SELECT count(*) FROM imports WHERE status = 'failed' AND finished_at IS NOT NULL \
             AND {error} LIKE '%the disk went away%'"
        ),
    )
    .await;
    assert_eq!(failed, 1, "the run is recorded as failed, with its reason");
    let stored = live::scalar(&db, "SELECT count(*) FROM articles").await;
    assert_eq!(stored, 23, "the committed batch is kept");

    let server = Live::start(
        &s,
        &[],
        &[("ARSHIF_ADMIN_PASSWORD", "a-long-test-password")],
    );
    let cookie = server.session("a-long-test-password");
    let list = server.get_with("/imports", &[("Cookie", &cookie)]).body;
    assert!(list.contains("<td>فشل</td>"), "{list}");
    let page = server.get_with("/imports/1", &[("Cookie", &cookie)]).body;
    assert!(page.contains("توقف الاستيراد بسبب خطأ") && page.contains("the disk went away"));
    server.stop();

    stop_failing(&db, "test_fail_finish", "imports").await;
    let again = s.import(&[&folder]);
    assert_eq!(again["articles_new"], 0, "{again}");
    assert_eq!(again["articles_duplicate"], 27, "{again}");
}
