//! Reparse that really changes things: stored originals edited in the
//! archive file (as a newer parser would read them differently) or read
//! under stricter limits. Each test says which broken variant it catches.

use arshif::dispatch;
use serde_json::Value;

use crate::live::{self, Live};
use crate::support::{Scratch, by_title, pages};

/// A page of its own story, named by no other page.
const CHANGED: &str = "pages/000100_0.txt";

/// An archive of the seed and the stories.
fn archive() -> Scratch {
    let s = Scratch::new();
    s.import(&[&pages(&s, None)]);
    s
}

/// `arshif reparse --json ARGS…`: the report, after asserting success.
fn reparse(s: &Scratch, args: &[&str]) -> Value {
    let mut all = vec!["reparse", "--json"];
    all.extend_from_slice(args);
    let out = s.arshif(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("reparse --json prints JSON")
}

/// Rewrites the stored original named `name` (zstd-compressed in
/// `files.content`) with `edit`.
async fn edit_original(s: &Scratch, name: &str, edit: impl FnOnce(String) -> String) {
    let db = live::connect(&s.db()).await;
    let (id, content): (i64, Vec<u8>) = dispatch!(db.write, |c| sqlx::query_as(
        "SELECT id, content FROM files WHERE name = $1"
    )
    .bind(name)
    .fetch_one(c)
    .await)
    .unwrap();
    let text = String::from_utf8(zstd::decode_all(content.as_slice()).unwrap()).unwrap();
    let edited = zstd::encode_all(edit(text).as_bytes(), 1).unwrap();
    dispatch!(db.write, |c| sqlx::query(
        "UPDATE files SET content = $1 WHERE id = $2"
    )
    .bind(edited)
    .bind(id)
    .execute(c)
    .await
    .map(drop))
    .unwrap();
}

/// A stored original's text.
fn story(s: &Scratch, file: &str) -> String {
    std::fs::read_to_string(s.path("in").join(file)).unwrap()
}

/// The body lines of a page (between its date line and its source line).
fn body(page: &str) -> Vec<&str> {
    page.lines()
        .skip(2)
        .take_while(|l| !l.starts_with("المصدر:"))
        .collect()
}

fn related(article: &Value, relation: &str) -> Vec<String> {
    article["related"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relation"] == relation)
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Catches a reparse that ignores the limits it is given (checked by
/// passing `Limits::default()` again), one that checks a page's lines but
/// not a JSONL record's length or a page's size, and one that drops or
/// empties the articles of a file that no longer parses instead of keeping
/// them.
#[test]
fn stricter_limits_keep_the_articles_of_files_that_no_longer_fit_and_say_which() {
    let s = archive();
    let long_line = "كلمة طويلة في سطر واحد ".repeat(60);
    assert!(long_line.len() > 1024);
    let long = s.file(
        "long.txt",
        format!("صفحة بسطر طويل\nتاريخ النشر: 2025-05-05\n{long_line}\nالمصدر: مصدر الاختبار\n"),
    );
    let record = serde_json::json!({"title": "سجل طويل", "body": long_line});
    let jsonl = s.file("feed.jsonl", format!("{record}\n"));
    let short_lines = "سطر قصير من صفحة كبيرة جدا.\n".repeat(22_000);
    assert!(short_lines.len() > 1 << 20);
    let big = s.file("big.txt", format!("صفحة كبيرة\n{short_lines}"));
    s.import(&[&long, &jsonl, &big]);
    let before = s.export();

    let report = reparse(&s, &["--max-line-kib", "1", "--max-file-mib", "1"]);
    let warnings = report["warnings"].as_array().unwrap();
    let named: Vec<&str> = warnings
        .iter()
        .map(|w| w["file"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["long.txt", "feed.jsonl:1", "big.txt"], "{report}");
    for (warning, why) in
        warnings
            .iter()
            .zip(["line 3 too long", "line 1 too long", "file too large"])
    {
        let reason = warning["reason"].as_str().unwrap();
        assert!(
            reason.contains("no longer parses") && reason.contains(why),
            "{reason}"
        );
    }
    assert_eq!(report["files"], 25);
    assert_eq!(report["articles_enriched"], 0);
    assert_eq!(s.export(), before, "their articles are kept as they were");

    let relaxed = reparse(&s, &[]);
    assert_eq!(relaxed["warnings"], Value::Array(vec![]), "{relaxed}");
    assert_eq!(s.export(), before);
}

/// A stored original now reads as another story's text, with new tags and
/// an unreadable date: the article keeps its permalink, takes the new
/// text, tags and (no) date, is found by its new words, is counted as
/// enriched with the date's warning, and is related again — now a version
/// of that story. Catches a reparse that skips the search index, one that
/// does not relate what changed (checked by skipping `relate_changed`),
/// and one that counts a rewritten article as a duplicate.
#[tokio::test(flavor = "multi_thread")]
async fn a_changed_original_rewrites_its_article_reindexes_and_relates_it_again() {
    let s = archive();
    let teller = story(&s, "pages/000030_0.txt");
    let new_body = format!("{}\nوختم بذكر قرنفلستان.", body(&teller).join("\n"));
    edit_original(&s, CHANGED, |page| {
        let title = page.lines().next().unwrap().to_owned();
        format!("{title}\nتاريخ النشر: 31 فبراير 2025\n{new_body}\nالمصدر: الشروق\nكلمات دلالية: اختبار، الصحة\n")
    })
    .await;
    let before = s.export();
    let changed_title = story(&s, CHANGED).lines().next().unwrap().to_owned();
    let old = by_title(&before, &changed_title).clone();
    let server = Live::start(&s, &[], &[]);
    assert_eq!(server.get("/api/search?q=قرنفلستان").json()["total"], 0);
    server.stop();

    let report = reparse(&s, &[]);
    assert_eq!(report["articles_enriched"], 1, "{report}");
    assert_eq!(report["articles_new"], 0);
    let warned: Vec<&Value> = report["warnings"].as_array().unwrap().iter().collect();
    assert_eq!(warned.len(), 1, "{report}");
    assert_eq!(warned[0]["file"], CHANGED);
    assert!(
        warned[0]["reason"]
            .as_str()
            .unwrap()
            .contains("31 فبراير 2025")
    );

    let after = s.export();
    let new = by_title(&after, &changed_title);
    assert_eq!(new["id"], old["id"], "the permalink stays");
    let paragraphs: Vec<&str> = new["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(paragraphs.join("\n"), new_body);
    assert_eq!(new["published"], Value::Null);
    assert_eq!(new["tags"], serde_json::json!(["اختبار", "الصحة"]));
    let teller_id = by_title(&after, teller.lines().next().unwrap())["id"]
        .as_str()
        .unwrap();
    assert!(
        related(new, "same_story").contains(&teller_id.to_owned()),
        "{new}"
    );
    assert!(
        related(&old, "same_story").is_empty(),
        "it was a story of its own"
    );
    let teller_links = related(
        by_title(&after, teller.lines().next().unwrap()),
        "same_story",
    );
    assert!(teller_links.contains(&old["id"].as_str().unwrap().to_owned()));

    let server = Live::start(&s, &[], &[]);
    let found = server.get("/api/search?q=قرنفلستان").json();
    assert_eq!(found["total"], 1);
    assert_eq!(found["hits"][0]["id"], old["id"]);
    server.stop();
}

/// A stored original now carries a read-also item no file had: reparse
/// stores it as a new article, with the page's read-also link to it and
/// the file as its provenance. Catches the new-article branch forgetting
/// the provenance or the link (checked by skipping the read-also links'
/// `relations::add`).
#[tokio::test(flavor = "multi_thread")]
async fn a_read_also_item_that_appears_becomes_a_new_linked_article() {
    let s = archive();
    let page_file = "pages/000002_1.txt";
    let item = "إقرأ أيضاً:\nخبر جديد يظهر عند إعادة التحليل\nالمصدر الجديد /..\n\
                فقرة أولى من الخبر الجديد تكفي لتعريفه.\nوفقرة ثانية تكمل الخبر.";
    edit_original(&s, page_file, |page| {
        format!("{}\n{item}\n", page.trim_end())
    })
    .await;
    let count = s.export().len();

    let report = reparse(&s, &[]);
    assert_eq!(report["articles_new"], 1, "{report}");
    let after = s.export();
    assert_eq!(after.len(), count + 1);
    let new = by_title(&after, "خبر جديد يظهر عند إعادة التحليل");
    assert_eq!(new["files"], serde_json::json!([page_file]));
    assert_eq!(new["source"], "المصدر الجديد");
    let page_title = story(&s, page_file).lines().next().unwrap().to_owned();
    let page = by_title(&after, &page_title);
    assert_eq!(related(page, "read_also"), [new["id"].as_str().unwrap()]);
    live::assert_sound(&s.db()).await;
}

/// A stored original now reads as another article (same title and opening,
/// so the same identity): both articles stay, each with its permalink, the
/// changed one keeping its old identity, and the two are now one story.
/// Catches dropping the collision guard (checked: the reparse then fails
/// on the unique identity).
#[tokio::test(flavor = "multi_thread")]
async fn an_original_that_now_reads_as_another_article_keeps_both_apart() {
    let s = archive();
    let other = story(&s, "pages/000002_2.txt");
    edit_original(&s, CHANGED, |_| other.clone()).await;
    let before = s.export();
    let changed_title = story(&s, CHANGED).lines().next().unwrap().to_owned();
    let id_of = |title: &str| by_title(&before, title)["id"].as_str().unwrap().to_owned();
    let other_title = other.lines().next().unwrap();
    let mut both = vec![id_of(&changed_title), id_of(other_title)];
    both.sort();

    let report = reparse(&s, &[]);
    assert_eq!(report["articles_enriched"], 1, "{report}");
    let after = s.export();
    assert_eq!(after.len(), before.len(), "no article lost or added");
    let twins: Vec<&Value> = after.iter().filter(|a| a["title"] == other_title).collect();
    let ids: Vec<String> = twins
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, both, "both stay, each with its permalink");
    assert!(related(twins[0], "same_story").contains(&twins[1]["id"].as_str().unwrap().to_owned()));
    live::assert_sound(&s.db()).await;
}
