//! Undoing an import, from the command line and from its page: what only
//! it brought goes (404, no tombstone), what it added to older articles is
//! rolled back to what the other files say, and the report says which and
//! why (issue 19).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::live::{Live, hidden, scalar};
use crate::support::Scratch;

const PASSWORD: &str = "a-long-test-password";
pub const OLD_TITLE: &str = "افتتاح معرض الكتاب الدولي في العاصمة بمشاركة واسعة";
pub const NEW_TITLE: &str = "انطلاق موسم الحصاد في السهول الشمالية وسط توقعات بإنتاج وفير";

fn page(title: &str, extra: &str) -> String {
    format!(
        "{title}\nتاريخ النشر: 2025-05-02\nافتتح وزير الثقافة صباح اليوم معرض الكتاب الدولي بمشاركة مئات دور النشر من البلدان العربية والأجنبية.\n\
         ويستمر المعرض عشرة أيام يقدم خلالها برنامجًا ثقافيًا يضم ندوات وأمسيات شعرية وتوقيعات كتب جديدة.\n{extra}"
    )
}

/// Import 1 holds the old article bare; import 2 holds it again with a
/// source and tags (an enrichment) and a new article of its own.
pub fn two_imports(s: &Scratch) -> (PathBuf, PathBuf) {
    s.file("one/old.txt", page(OLD_TITLE, ""));
    s.file(
        "two/old-again.txt",
        page(OLD_TITLE, "المصدر: الأهرام\nكلمات دلالية: ثقافة، كتب"),
    );
    let new = page(NEW_TITLE, "المصدر: الأهرام\nكلمات دلالية: زراعة").replace(
        "افتتح وزير الثقافة صباح اليوم معرض الكتاب",
        "بدأ المزارعون حصاد القمح في السهول الشمالية بعد موسم مطير",
    );
    s.file("two/new.txt", new);
    (s.path("one"), s.path("two"))
}

/// `arshif ARGS… --db DB` in `dir`, for commands whose `--db` follows a
/// subcommand (`imports undo`).
fn arshif_in(dir: &Path, args: &[&str], db: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(args)
        .arg("--db")
        .arg(db)
        .current_dir(dir)
        .env("ARSHIF_INDEX_DIR", dir.join("archive.search"))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn by_title<'a>(articles: &'a [Value], title: &str) -> Option<&'a Value> {
    articles.iter().find(|a| a["title"] == title)
}

#[test]
fn undoing_an_import_removes_what_only_it_brought_and_rolls_back_the_rest() {
    let s = Scratch::new();
    let (one, two) = two_imports(&s);
    s.import(&[&one]);
    let bare = s.export();
    let report = s.import(&[&two]);
    assert_eq!(
        (
            report["articles_new"].as_u64(),
            report["articles_enriched"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let enriched = s.export();
    assert_eq!(
        by_title(&enriched, OLD_TITLE).unwrap()["tags"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let new_id = by_title(&enriched, NEW_TITLE).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let list = arshif_in(s.dir.path(), &["imports", "list"], &s.db());
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.status.success() && listed.lines().count() == 3,
        "{listed}"
    );

    let out = arshif_in(s.dir.path(), &["imports", "undo", "--json", "2"], &s.db());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let undone: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (undone["removed"].as_u64(), undone["kept"].as_u64()),
        (Some(1), Some(1)),
        "{undone}"
    );
    assert_eq!(undone["removed_listed"][0]["id"], new_id.as_str());
    assert_eq!(undone["kept_listed"][0]["title"], OLD_TITLE);
    assert_eq!(
        undone["kept_listed"][0]["also_in"],
        serde_json::json!([1]),
        "why it stays"
    );
    assert_eq!(undone["files_deleted"], 2);

    assert_eq!(s.export(), bare, "as if import 2 had never run");
    let again = arshif_in(s.dir.path(), &["imports", "undo", "2"], &s.db());
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("undone already"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = s.db();
        assert_eq!(scalar(&db, "SELECT count(*) FROM removed_articles").await, 0, "no tombstone");
        assert_eq!(scalar(&db, "SELECT count(*) FROM files WHERE import_id = 2").await, 0);
        let audit = "SELECT count(*) FROM audit_log WHERE actor = 'cli' AND action = 'import.undo' AND subject = '2'";
        assert_eq!(scalar(&db, audit).await, 1);
        assert_eq!(scalar(&db, "SELECT count(*) FROM imports WHERE status = 'undone'").await, 1);
    });

    // The same dump can come back: an undone import leaves no tombstone.
    let report = s.import(&[&two]);
    assert_eq!(report["articles_new"], 1);
    assert_eq!(report["articles_removed_earlier"], 0);
}

#[test]
fn import_never_mistakes_a_file_named_undo_for_a_verb() {
    let s = Scratch::new();
    let (one, _) = two_imports(&s);
    std::fs::rename(one, s.path("undo")).unwrap();
    let out = arshif_in(s.dir.path(), &["import", "--json", "undo"], &s.db());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["articles_new"], 1,
        "the folder named undo was read: {report}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_import_page_undoes_an_import_after_showing_what_will_go() {
    let s = Scratch::new();
    let (one, two) = two_imports(&s);
    s.import(&[&one]);
    s.import(&[&two]);
    let new_id: String = {
        let db = crate::live::connect(&s.db()).await;
        arshif::dispatch!(db.read, |c| sqlx::query_scalar(
            "SELECT permalink FROM articles WHERE title = $1"
        )
        .bind(NEW_TITLE)
        .fetch_one(c)
        .await)
        .unwrap()
    };
    let server = Live::start(&s, &[], &[("ARSHIF_ADMIN_PASSWORD", PASSWORD)]);
    let web: &crate::live::Client = &server;
    assert_eq!(web.get("/imports/2/undo").status, 303, "sign in first");
    let cookie = web.session(PASSWORD);
    let page = web.get_with("/imports/2", &[("Cookie", &cookie)]);
    assert!(
        page.body.contains("/imports/2/undo"),
        "the page offers the undo"
    );
    let confirm = web.get_with("/imports/2/undo", &[("Cookie", &cookie)]);
    assert_eq!(confirm.status, 200);
    for shown in [NEW_TITLE, OLD_TITLE, "الاستيراد #1"] {
        assert!(confirm.body.contains(shown), "{shown} in {}", confirm.body);
    }
    let form = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Cookie", &cookie),
    ];
    assert_eq!(
        web.request("POST", "/imports/2/undo", &form, b"").status,
        403
    );
    let body = format!("csrf={}", hidden(&confirm.body, "csrf"));
    let done = web.request("POST", "/imports/2/undo", &form, body.as_bytes());
    assert_eq!(
        (done.status, done.header("location")),
        (303, Some("/imports/2"))
    );
    let mut status = String::new();
    for _ in 0..100 {
        status = web.get_with("/imports/2", &[("Cookie", &cookie)]).body;
        if status.contains("تم التراجع عن هذا الاستيراد") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(status.contains("تم التراجع عن هذا الاستيراد"), "{status}");
    assert!(!status.contains("/imports/2/undo"), "nothing left to undo");
    assert_eq!(
        web.get(&format!("/a/{new_id}")).status,
        404,
        "gone without a tombstone"
    );
    let audit = "SELECT count(*) FROM audit_log WHERE actor = 'admin' AND action = 'import.undo'";
    assert_eq!(scalar(&s.db(), audit).await, 1);
    server.stop();
    crate::live::assert_sound(&s.db()).await;
}
