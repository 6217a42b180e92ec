//! Requests that are not what a page expects: a `next` leading off-site,
//! page numbers that would wrap, malformed queries, paths and forms (the
//! Arabic error page, JSON under `/api/`), HSTS on https archives, and a
//! too-short admin password from the environment.

use axum::body::Body;
use axum::http::Request;

use crate::support::{SEED, Scratch, TestApp};

#[tokio::test]
async fn sign_in_never_sends_the_browser_to_another_site() {
    let app = TestApp::empty().await;
    for next in [
        "/%09/evil.example.com",
        "/%0A/evil.example.com",
        "/%5Cevil.example.com",
        "//evil.example.com",
        "/%2509/evil.example.com",
    ] {
        let form = app.get(&format!("/login?next={next}")).await;
        assert_eq!(form.status, 200, "{next}");
        assert!(
            form.body.contains(r#"name="next" value="/upload""#),
            "{next} was kept as the place to return to"
        );
        assert!(!form.body.contains("evil.example.com"), "{next}");
    }
    let kept = app.get("/login?next=/imports/7").await;
    assert!(kept.body.contains(r#"name="next" value="/imports/7""#));
}

#[tokio::test]
async fn sitemap_page_numbers_that_would_wrap_are_not_found() {
    let app = TestApp::with(&[std::path::Path::new(SEED)]).await;
    assert_eq!(app.get("/sitemap/1.xml").await.status, 200);
    for n in ["922337203685477581", "9223372036854775807", "0", "-1"] {
        let r = app.get(&format!("/sitemap/{n}.xml")).await;
        assert_eq!(r.status, 404, "/sitemap/{n}.xml");
    }
}

#[tokio::test]
async fn malformed_requests_get_the_arabic_error_page_with_the_right_status() {
    let app = TestApp::empty().await;
    for uri in [
        "/search?q=x&page=4294967296",
        "/search?page=-1",
        "/tags/%FF",
        "/a/%FF%FE",
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.status, 400, "{uri}: {}", r.body);
        assert!(r.header("content-type").starts_with("text/html"), "{uri}");
        assert!(r.body.contains(r#"lang="ar""#), "{uri}");
        assert!(r.body.contains("طلب غير صالح"), "{uri}");
        assert!(
            !r.body.contains("Failed") && !r.body.contains("Invalid"),
            "{uri} speaks English: {}",
            r.body
        );
    }
    let api = app.get("/api/search?q=x&page=4294967296").await;
    assert_eq!(api.status, 400);
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("JSON under /api/");
    assert_eq!(json["status"], 400);
    let api_path = app.get("/api/imports/not-a-number").await;
    assert_eq!(api_path.status, 400);
    assert!(
        api_path
            .header("content-type")
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn unreadable_forms_and_wrong_methods_are_answered_in_arabic() {
    let app = TestApp::empty().await;
    let not_a_form = Request::post("/login")
        .header("content-type", "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let r = app.send(not_a_form).await;
    assert_eq!(r.status, 415, "{}", r.body);
    assert!(r.body.contains(r#"lang="ar""#) && r.body.contains("النموذج"));
    let missing_field = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("csrf=x"))
        .unwrap();
    let r = app.send(missing_field).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r#"lang="ar""#) && !r.body.contains("Failed"));
    let wrong_method = Request::delete("/").body(Body::empty()).unwrap();
    let r = app.send(wrong_method).await;
    assert_eq!(r.status, 405);
    assert!(r.body.contains(r#"lang="ar""#), "{}", r.body);
}

#[tokio::test]
async fn https_archives_ask_browsers_to_stay_on_https() {
    let https = TestApp::configured(|c| c.public_url = "https://archive.test".to_owned()).await;
    for uri in ["/", "/login", "/nope", "/feed.xml"] {
        let hsts = https
            .get(uri)
            .await
            .header("strict-transport-security")
            .to_owned();
        assert!(hsts.starts_with("max-age="), "{uri}: {hsts:?}");
        let age: u64 = hsts["max-age=".len()..].parse().unwrap();
        assert!(age >= 31_536_000, "{uri}: a year at least");
    }
    let http = TestApp::empty().await;
    assert_eq!(http.get("/").await.header("strict-transport-security"), "");
}

#[test]
fn a_short_admin_password_in_the_environment_stops_the_start() {
    let s = Scratch::new();
    let mut serve = std::process::Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(s.db())
        .env("ARSHIF_ADMIN_PASSWORD", "short-9ch")
        .env("RUST_LOG", "warn")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while serve.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            serve.kill().unwrap();
            panic!("serve started with a 9-character admin password");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = serve.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("ARSHIF_ADMIN_PASSWORD") && stderr.contains("at least 10"),
        "{stderr}"
    );
}
