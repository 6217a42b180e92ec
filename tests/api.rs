//! The server's remaining untested paths: the articles API walked page by
//! page, `serve --import`, the `/imports` list and its pages, and the
//! middleware that answers when a handler is stuck (the page timeout) or
//! panics (the panic page).

use std::time::Duration;

use serde_json::Value;

use crate::live::{self, Live};
use crate::support::{SEED, Scratch, TestApp, on_postgres, pages};

const PASSWORD: &str = "a-long-test-password";

/// Every article reached by following `next` from `/api/articles?limit=N`.
fn walk(server: &Live, limit: usize) -> Vec<Value> {
    let mut articles = Vec::new();
    let mut after = String::new();
    for _ in 0..100 {
        let answer = server.get(&format!("/api/articles?limit={limit}&after={after}"));
        assert_eq!(answer.status, 200, "{}", answer.body);
        let page = answer.json();
        let got = page["articles"].as_array().unwrap();
        assert!(got.len() <= limit);
        articles.extend(got.iter().cloned());
        match page["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => return articles,
        }
    }
    panic!("`next` never ended");
}

/// Catches a page that repeats or skips its boundary article (`>=`
/// instead of `>` in the keyset), a `next` missing from a full page
/// (checked by comparing `page.len() > limit`), and an article answer that
/// is not its export line.
#[test]
fn walking_the_articles_api_by_next_returns_every_exported_article_once() {
    let s = Scratch::new();
    s.import(&[&pages(&s, None)]);
    let exported = s.export();
    let server = Live::start(&s, &[], &[]);
    for limit in [1, 5, exported.len(), exported.len() + 1, 500] {
        let walked = walk(&server, limit);
        assert_eq!(
            walked, exported,
            "limit {limit}: in export order, each once"
        );
    }
    for article in &exported {
        let id = article["id"].as_str().unwrap();
        let one = server.get(&format!("/api/articles/{id}"));
        assert_eq!(&one.json(), article);
    }
    let missing = server.get("/api/articles/nosucharticle");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["status"], 404);
    server.stop();
}

/// Catches `serve --import` serving before (or without) importing (checked
/// by skipping the import), and a second start importing the files again.
#[tokio::test(flavor = "multi_thread")]
async fn serve_import_imports_the_files_then_serves_them() {
    let s = Scratch::new();
    let folder = pages(&s, None).display().to_string();
    let server = Live::start(&s, &["--import", &folder], &[]);
    let home = server.get("/");
    let exported = s.export();
    assert_eq!(exported.len(), 23, "imported before serving");
    let newest = exported
        .iter()
        .max_by_key(|a| a["published"].as_str().unwrap_or(""))
        .unwrap();
    assert!(
        home.body.contains(newest["title"].as_str().unwrap()),
        "{}",
        home.body
    );
    server.stop();

    let again = Live::start(&s, &["--import", &folder], &[]);
    assert_eq!(again.get("/healthz").status, 200);
    again.stop();
    let db = s.db();
    assert_eq!(live::scalar(&db, "SELECT count(*) FROM articles").await, 23);
    let runs = format!(
        "SELECT count(*) FROM imports WHERE origin = 'cli' AND status = 'done' \
         AND CAST({} AS BIGINT) = 0",
        live::json_text("report", "articles_new")
    );
    assert_eq!(
        live::scalar(&db, &runs).await,
        1,
        "the second start found nothing new"
    );
}

/// Catches a list that loses or repeats an import at a page boundary
/// (checked by starting the older page one row late), or never offers the
/// older ones (50 per page, newest first).
#[tokio::test(flavor = "multi_thread")]
async fn the_imports_list_pages_through_every_import_newest_first() {
    let s = Scratch::new();
    s.import(&[std::path::Path::new(SEED)]);
    live::execute(
        &s.db(),
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60) \
         INSERT INTO imports (origin, status, created_at, files_done, articles_done) \
         SELECT 'upload', 'done', '2026-01-02T03:04:05Z', 1, 2 FROM n",
    )
    .await;
    let server = Live::start(&s, &[], &[("ARSHIF_ADMIN_PASSWORD", PASSWORD)]);
    let cookie = server.session(PASSWORD);
    let mut listed = Vec::new();
    let mut url = "/imports".to_owned();
    for _ in 0..5 {
        let page = server.get_with(&url, &[("Cookie", &cookie)]);
        assert_eq!(page.status, 200);
        let rows: Vec<i64> = page
            .body
            .split("<td><a href=\"/imports/")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(rows.len() <= 50);
        listed.extend(rows);
        match page.body.split("class=\"older\" href=\"").nth(1) {
            Some(rest) => url = rest[..rest.find('"').unwrap()].replace("&amp;", "&"),
            None => break,
        }
    }
    assert_eq!(listed, (1..=61).rev().collect::<Vec<i64>>());
    let one = server.get_with("/imports/61", &[("Cookie", &cookie)]);
    assert!(one.body.contains("رفع من المتصفح") && one.body.contains("اكتمل"));
    assert_eq!(
        server.get("/imports").status,
        303,
        "for the administrator only"
    );
    server.stop();
}

/// A page stuck behind the database (another process holds its write lock
/// longer than `--page-timeout-secs`) answers 408 in time while other pages
/// keep answering; an upload, which has its own longer limit, waits for the
/// lock and completes. Catches the page timeout missing from the router
/// (the sign-in would wait out the lock and answer 303) and uploads put
/// under the page timeout (both checked).
#[tokio::test(flavor = "multi_thread")]
async fn a_stuck_page_times_out_while_an_upload_outlasts_the_page_timeout() {
    let s = Scratch::new();
    s.import(&[std::path::Path::new(SEED)]);
    let token = live::token(&s.db());
    let env = [("ARSHIF_ADMIN_PASSWORD", PASSWORD)];
    let server = Live::start(&s, &["--page-timeout-secs", "1"], &env);
    let other_process = live::connect(&s.db()).await;
    let mut lock = other_process.write.begin_writing().await.unwrap();
    if on_postgres() {
        // PostgreSQL locks rows and tables, not the database: a writer
        // holding the tables a sign-in and an upload write stalls them as
        // SQLite's write lock does.
        arshif::dispatch!(lock, |c| sqlx::query(
            "LOCK TABLE sessions, imports IN EXCLUSIVE MODE"
        )
        .execute(c)
        .await
        .map(drop))
        .unwrap();
    }

    let stuck = server.sign_in(PASSWORD);
    assert_eq!(stuck.status, 408, "{}", stuck.body);
    assert_eq!(server.get("/").status, 200, "reading pages do not wait");
    let client = *server;
    let seed = std::fs::read(SEED).unwrap();
    let upload = std::thread::spawn(move || client.api_import(&token, "seed.txt", &seed));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    lock.rollback().await.unwrap();
    let uploaded = upload.join().unwrap();
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    assert_eq!(uploaded.json()["articles_duplicate"], 2);
    assert_eq!(server.sign_in(PASSWORD).status, 303, "the lock is gone");
    server.stop();
}

async fn panics() -> &'static str {
    panic!("a bug in a handler")
}

/// A handler that panics answers the Arabic 500 page with the security
/// headers, and the next request is served. No shipped route panics on
/// purpose, so the test mounts one beside the real routes inside the real
/// middleware stack (`web::layers::wrap`). Catches the panic layer's
/// removal (the panic reaches the test) and its default empty answer.
#[tokio::test]
async fn a_panicking_handler_answers_the_error_page_and_the_next_request_is_served() {
    use tower::ServiceExt;
    let app = TestApp::empty().await;
    let state = arshif::web::AppState::new(app.archive.clone(), TestApp::config(&app.scratch));
    let routes = arshif::web::routes(Duration::from_secs(30))
        .route("/test-panic", axum::routing::get(panics));
    let router = arshif::web::layers::wrap(routes, false).with_state(state);
    let call = |uri: &str| {
        let request = axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        router.clone().oneshot(request)
    };
    let answer = call("/test-panic").await.unwrap();
    assert_eq!(answer.status(), 500);
    assert!(answer.headers().contains_key("content-security-policy"));
    let body = http_body_util::BodyExt::collect(answer.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains("حدث خطأ داخلي") && body.contains(r#"dir="rtl""#),
        "{body}"
    );
    assert_eq!(call("/healthz").await.unwrap().status(), 200);
}
