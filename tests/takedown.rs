//! Takedowns on a real server and from the command line: the article
//! leaves every list, count, feed, sitemap, search result, story and
//! related list; its permalink answers 410 with when and why; a re-import
//! does not bring it back; a kept original restores it (issue 19).

use std::time::Duration;

use arshif::dispatch;
use serde_json::Value;

use crate::live::{Live, hidden, scalar};
use crate::support::{Scratch, pages};

const PASSWORD: &str = "a-long-test-password";
const REASON: &str = "طلب الناشر إزالة المقال";

/// The exported article whose first file is `file` (a name in `pages/`).
fn from_file<'a>(articles: &'a [Value], file: &str) -> &'a Value {
    articles
        .iter()
        .find(|a| a["files"][0].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no article from {file}"))
}

fn related_ids(article: &Value, kind: &str) -> Vec<String> {
    (article["related"].as_array().unwrap().iter())
        .filter(|r| r["relation"] == kind)
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The ids of `/api/search?q=…` hits.
fn search_ids(server: &Live, query: &str) -> Vec<String> {
    let answer = server.get(&format!("/api/search?q={}", crate::live::form_value(query)));
    assert_eq!(answer.status, 200, "{}", answer.body);
    (answer.json()["hits"].as_array().unwrap().iter())
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Counts the importer keeps, checked against a count from scratch.
async fn assert_counts_agree(db: &std::path::Path) {
    for (kept, counted) in [
        (
            "SELECT string_agg(id || ':' || article_count, ',' ORDER BY id) FROM sources",
            "SELECT string_agg(s.id || ':' || (SELECT count(*) FROM articles a WHERE a.source_id = s.id), ',' ORDER BY s.id) FROM sources s",
        ),
        (
            "SELECT string_agg(id || ':' || article_count, ',' ORDER BY id) FROM tags",
            "SELECT string_agg(t.id || ':' || (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id), ',' ORDER BY t.id) FROM tags t",
        ),
        (
            "SELECT string_agg(day || ':' || article_count, ',' ORDER BY day) FROM day_counts",
            "SELECT string_agg(d || ':' || n, ',' ORDER BY d) FROM (SELECT substr(sort_key, 1, 10) AS d, count(*) AS n FROM articles WHERE sort_key <> '' GROUP BY 1) AS counted",
        ),
    ] {
        let db = crate::live::connect(db).await;
        let a: Option<String> =
            dispatch!(db.read, |c| sqlx::query_scalar(kept).fetch_one(c).await).unwrap();
        let b: Option<String> =
            dispatch!(db.read, |c| sqlx::query_scalar(counted).fetch_one(c).await).unwrap();
        assert_eq!(a, b, "{kept}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_takedown_on_the_article_page_leaves_everything_and_the_permalink_answers_410() {
    let s = Scratch::new();
    let folder = pages(&s, None);
    s.import(&[&folder]);
    let before = s.export();
    let gone = from_file(&before, "000002_3.txt");
    let id = gone["id"].as_str().unwrap().to_owned();
    let title = gone["title"].as_str().unwrap().to_owned();
    let mates = related_ids(gone, "same_story");
    assert!(
        !mates.is_empty(),
        "the article is told by other sources too"
    );
    let holders: Vec<&Value> = (before.iter())
        .filter(|a| related_ids(a, "similar").contains(&id))
        .collect();
    let body_line = gone["paragraphs"][0].as_str().unwrap().to_owned();

    let server = Live::start(&s, &[], &[("ARSHIF_ADMIN_PASSWORD", PASSWORD)]);
    let web: &crate::live::Client = &server;
    let listed = |web: &crate::live::Client| {
        let answer = web.get("/api/articles?limit=100");
        (answer.json()["articles"].as_array().unwrap().iter()).any(|a| a["id"] == id.as_str())
    };
    assert!(listed(web));
    let total = format!("{} مقالًا", before.len());
    assert!(web.get("/").body.contains(&total), "the footer counts it");
    assert!(web.get("/feed.xml").body.contains(&format!("/a/{id}/")));
    assert!(
        web.get("/sitemap/1.xml")
            .body
            .contains(&format!("/a/{id}/"))
    );
    assert!(search_ids(&server, &title).contains(&id));
    let total_before = scalar(&s.db(), "SELECT count(*) FROM articles").await;

    // Anonymous: sent to sign in; no form token: refused.
    assert_eq!(web.get(&format!("/a/{id}/remove")).status, 303);
    let cookie = web.session(PASSWORD);
    let page = web.get_with(&format!("/a/{}", mates[0]), &[("Cookie", &cookie)]);
    let page = web.get_with(page.header("location").unwrap(), &[("Cookie", &cookie)]);
    assert!(
        page.body.contains(&format!("/a/{}/remove", mates[0])),
        "an admin sees the button"
    );
    let article = web.get(&format!("/a/{id}"));
    let article = web.get(article.header("location").unwrap());
    assert!(!article.body.contains("/remove"), "a reader does not");
    let confirm = web.get_with(&format!("/a/{id}/remove"), &[("Cookie", &cookie)]);
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains(&title) && confirm.body.contains("name=\"reason\""));
    let form = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Cookie", &cookie),
    ];
    let post =
        |body: String| web.request("POST", &format!("/a/{id}/remove"), &form, body.as_bytes());
    assert_eq!(
        post(format!("reason={}", crate::live::form_value(REASON))).status,
        403
    );
    let csrf = hidden(&confirm.body, "csrf");
    assert_eq!(
        post(format!("csrf={csrf}&reason=")).status,
        400,
        "a reason is asked for"
    );
    let done = post(format!(
        "csrf={csrf}&reason={}",
        crate::live::form_value(REASON)
    ));
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some(format!("/a/{id}").as_str()));

    for path in [format!("/a/{id}"), format!("/a/{id}/any-slug")] {
        let tomb = web.get(&path);
        assert_eq!(tomb.status, 410, "{path}");
        assert!(
            tomb.body.contains(REASON) && tomb.body.contains("أُزيل"),
            "{}",
            tomb.body
        );
        assert!(!tomb.body.contains(&title) && !tomb.body.contains(&body_line));
        assert!(tomb.body.contains("lang=\"ar\"") && tomb.body.contains("dir=\"rtl\""));
    }
    assert!(!listed(web));
    let total = format!("{} مقالًا", before.len() - 1);
    assert!(
        web.get("/").body.contains(&total),
        "the footer counts one less"
    );
    assert!(!web.get("/feed.xml").body.contains(&format!("/a/{id}/")));
    assert!(
        !web.get("/sitemap/1.xml")
            .body
            .contains(&format!("/a/{id}/"))
    );
    assert!(
        !search_ids(&server, &title).contains(&id),
        "search forgets it at once"
    );
    for mate in &mates {
        let story = web.get(&format!("/stories/{mate}"));
        assert!(
            !story.body.contains(&format!("/a/{id}/")),
            "story of {mate}"
        );
    }
    let after = s.export();
    assert_eq!(after.len(), before.len() - 1);
    for a in &after {
        assert!(
            !related_ids(a, "same_story").contains(&id) && !related_ids(a, "similar").contains(&id)
        );
    }
    for h in &holders {
        let now = after.iter().find(|a| a["id"] == h["id"]).unwrap();
        assert!(
            !related_ids(now, "similar").is_empty(),
            "{} got a new list",
            h["id"]
        );
    }
    assert_eq!(
        scalar(&s.db(), "SELECT count(*) FROM articles").await,
        total_before - 1
    );
    assert_eq!(
        scalar(
            &s.db(),
            "SELECT count(*) FROM files WHERE name LIKE '%000002_3.txt'"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &s.db(),
            "SELECT count(*) FROM audit_log WHERE actor = 'admin' AND action = 'article.remove'"
        )
        .await,
        1
    );
    assert_counts_agree(&s.db()).await;

    // From the command line while the server runs: its index follows the log.
    let other = from_file(&before, "000016_0.txt");
    let (other_id, other_title) = (
        other["id"].as_str().unwrap(),
        other["title"].as_str().unwrap(),
    );
    let out = s.arshif(&["remove", "--reason", REASON, other_id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut found = true;
    for _ in 0..50 {
        found = search_ids(&server, other_title)
            .iter()
            .any(|i| i == other_id);
        if !found {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !found,
        "the server's index followed the command line's takedown"
    );
    assert_eq!(web.get(&format!("/a/{other_id}")).status, 410);
    server.stop();
    crate::live::assert_sound(&s.db()).await;
}

#[test]
fn a_reimport_counts_removed_articles_and_a_kept_original_restores_one() {
    let s = Scratch::new();
    let folder = pages(&s, None);
    s.import(&[&folder]);
    let before = s.export();
    let dropped = from_file(&before, "000030_1.txt")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let kept = from_file(&before, "000072_1.txt").clone();
    let kept_id = kept["id"].as_str().unwrap();

    let out = s.arshif(&["remove", "--reason", REASON, &dropped, "no-such-id"]);
    assert!(!out.status.success(), "an unknown id is an error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-id"));
    let out = s.arshif(&["remove", "--reason", REASON, "--keep-original", kept_id]);
    assert!(out.status.success());
    assert_eq!(s.export().len(), before.len() - 2);

    let out = s.arshif(&["restore-article", &dropped]);
    assert!(!out.status.success(), "its original was deleted");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--keep-original"));
    let out = s.arshif(&["restore-article", kept_id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = s.export();
    let back = restored
        .iter()
        .find(|a| a["id"] == kept["id"])
        .expect("back under its permalink");
    assert_eq!(back, &kept, "as it was, relations included");

    let report = s.import(&[&folder]);
    assert_eq!(report["articles_removed_earlier"], 1, "{report}");
    assert_eq!(report["articles_new"], 0);
    assert!(s.export().iter().all(|a| a["id"] != dropped.as_str()));
    let mut entries = audit_entries(&s);
    entries.sort();
    assert_eq!(
        entries,
        [
            (
                "cli".to_owned(),
                "article.remove".to_owned(),
                dropped.clone()
            ),
            (
                "cli".to_owned(),
                "article.remove".to_owned(),
                kept_id.to_owned()
            ),
            (
                "cli".to_owned(),
                "article.restore".to_owned(),
                kept_id.to_owned()
            ),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(crate::live::assert_sound(&s.db()));
}

/// (actor, action, subject) of every audit entry.
fn audit_entries(s: &Scratch) -> Vec<(String, String, String)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = crate::live::connect(&s.db()).await;
        dispatch!(db.read, |c| sqlx::query_as(
            "SELECT actor, action, subject FROM audit_log"
        )
        .fetch_all(c)
        .await)
        .unwrap()
    })
}

/// A takedown of more articles than one transaction holds, read-also items
/// listed after the pages that named them (as when every article of an
/// import is taken down): each id is taken down and answered for, even an
/// item that went with its page's files earlier in the same run.
#[test]
fn a_takedown_larger_than_a_transaction_answers_for_every_id() {
    use arshif_testkit::synth::{Corpus, CorpusSpec, Vocabulary};
    let s = Scratch::new();
    let dir = s.path("pages");
    Corpus::new(CorpusSpec::new(400), &Vocabulary::builtin())
        .write_dir(&dir)
        .unwrap();
    s.import(&[&dir]);
    let all = s.export();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let items: Vec<String> = rt.block_on(async {
        let db = crate::live::connect(&s.db()).await;
        dispatch!(db.read, |c| sqlx::query_scalar(
            "SELECT permalink FROM articles WHERE embedded"
        )
        .fetch_all(c)
        .await)
        .unwrap()
    });
    let mut ids: Vec<&str> = all
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .filter(|id| !items.iter().any(|i| i == id))
        .collect();
    assert!(
        ids.len() > 256,
        "the pages fill more than one transaction: {}",
        ids.len()
    );
    assert!(!items.is_empty());
    ids.extend(items.iter().map(String::as_str));

    let mut args = vec!["remove", "--reason", REASON];
    args.extend(&ids);
    let out = s.arshif(&args);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(&format!("{} taken down", all.len())),
        "{said}"
    );
    assert!(s.export().is_empty());
    let tombstones: i64 = rt.block_on(async {
        let db = crate::live::connect(&s.db()).await;
        dispatch!(db.read, |c| sqlx::query_scalar(
            "SELECT count(*) FROM removed_articles"
        )
        .fetch_one(c)
        .await)
        .unwrap()
    });
    assert_eq!(
        tombstones as usize,
        all.len(),
        "every id asked for answers 410"
    );
}
