//! Uploading from the browser and from scripts: signing in, sessions that
//! survive a restart, CSRF, limits, the background import and its report.

use arshif::dispatch;
use std::path::Path;

use axum::body::Body;
use axum::http::Request;

use crate::accounts::set_cookie;
use crate::live::hidden;
use crate::support::{Reply, SEED, SEED_TITLE, TestApp};

const PASSWORD: &str = "a-long-test-password";

async fn set_password(app: &TestApp) {
    let hash = arshif::auth::password::hash(PASSWORD).unwrap();
    let mut conn = app.db.write.acquire().await.unwrap();
    arshif::store::auth::set_admin_password(&mut conn, &hash)
        .await
        .unwrap();
}

async fn login_attempt(app: &TestApp, password: &str) -> Reply {
    let form = app.get("/login?next=/upload").await;
    let csrf_cookie = set_cookie(&form, "arshif_login_csrf").expect("a login form token cookie");
    let body = format!(
        "csrf={}&password={}&next=%2Fupload",
        hidden(&form.body, "csrf"),
        password
    );
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("arshif_login_csrf={csrf_cookie}"))
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// Signs in and returns the session cookie header value.
async fn sign_in(app: &TestApp) -> String {
    set_password(app).await;
    let reply = login_attempt(app, PASSWORD).await;
    assert_eq!(reply.status, 303, "signed in: {}", reply.body);
    assert_eq!(reply.header("location"), "/upload");
    let cookie = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("arshif_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    format!(
        "arshif_session={}",
        set_cookie(&reply, "arshif_session").unwrap()
    )
}

async fn get_with(app: &TestApp, uri: &str, cookie: &str) -> Reply {
    app.send(
        Request::get(uri)
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// A multipart body as a browser sends it: `(field, file name, bytes)`.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----arshif-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (field, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(name) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{field}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn post(
    uri: &str,
    cookie: Option<&str>,
    parts: &[(&str, Option<&str>, &[u8])],
    with_length: bool,
) -> Request<Body> {
    let (content_type, body) = multipart(parts);
    let mut request = Request::post(uri).header("content-type", content_type);
    if with_length {
        request = request.header("content-length", body.len());
    }
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Body::from(body)).unwrap()
}

async fn csrf_of(app: &TestApp, cookie: &str) -> String {
    hidden(&get_with(app, "/upload", cookie).await.body, "csrf")
}

/// Waits for import `id` and returns its report.
async fn report(app: &TestApp, id: &str) -> serde_json::Value {
    for _ in 0..600 {
        let row: (String, Option<String>) = dispatch!(app.db.read, |c| sqlx::query_as(
            "SELECT status, report FROM imports WHERE id = $1"
        )
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(c)
        .await)
        .unwrap();
        if row.0 != "queued" && row.0 != "running" {
            return serde_json::from_str(&row.1.expect("a finished import has a report")).unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("import {id} never finished");
}

async fn article_count(app: &TestApp) -> i64 {
    dispatch!(app.db.read, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM articles"
    )
    .fetch_one(c)
    .await)
    .unwrap()
}

#[tokio::test]
async fn anonymous_upload_page_redirects_to_sign_in_and_back() {
    let app = TestApp::empty().await;
    let r = app.get("/upload").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/login?next=%2Fupload");
    assert_eq!(app.get("/imports").await.status, 303);
}

#[tokio::test]
async fn anonymous_post_to_upload_imports_nothing() {
    let app = TestApp::empty().await;
    let seed = std::fs::read(SEED).unwrap();
    let r = app
        .send(post(
            "/upload",
            None,
            &[("files", Some("seed.txt"), &seed)],
            true,
        ))
        .await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").starts_with("/login"));
    assert_eq!(article_count(&app).await, 0);
    let imports: i64 = dispatch!(app.db.read, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM imports"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    assert_eq!(imports, 0);
}

#[tokio::test]
async fn api_import_without_a_good_token_is_401() {
    let app = TestApp::empty().await;
    let seed = std::fs::read(SEED).unwrap();
    let anonymous = app
        .send(post(
            "/api/imports",
            None,
            &[("file", Some("seed.txt"), &seed)],
            true,
        ))
        .await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.header("www-authenticate"), "Bearer");
    let json: serde_json::Value = serde_json::from_str(&anonymous.body).unwrap();
    assert_eq!(json["status"], 401);
    let mut bad = post(
        "/api/imports",
        None,
        &[("file", Some("seed.txt"), &seed)],
        true,
    );
    bad.headers_mut()
        .insert("authorization", "Bearer not-a-token".parse().unwrap());
    assert_eq!(app.send(bad).await.status, 401);
    assert_eq!(article_count(&app).await, 0);
}

#[tokio::test]
async fn missing_or_wrong_csrf_token_is_403() {
    let app = TestApp::empty().await;
    let cookie = sign_in(&app).await;
    let seed = std::fs::read(SEED).unwrap();
    let without = app
        .send(post(
            "/upload",
            Some(&cookie),
            &[("files", Some("seed.txt"), &seed)],
            true,
        ))
        .await;
    assert_eq!(without.status, 403);
    let wrong = app
        .send(post(
            "/upload",
            Some(&cookie),
            &[("csrf", None, b"0000"), ("files", Some("seed.txt"), &seed)],
            true,
        ))
        .await;
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.contains("انتهت صلاحية النموذج"));
    let logout = app
        .send(
            Request::post("/logout")
                .header("cookie", &cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("csrf=nope"))
                .unwrap(),
        )
        .await;
    assert_eq!(logout.status, 403);
    let login_without_cookie = app
        .send(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf=x&password={PASSWORD}")))
                .unwrap(),
        )
        .await;
    assert_eq!(login_without_cookie.status, 403);
    assert_eq!(article_count(&app).await, 0);
}

#[tokio::test]
async fn wrong_password_shows_the_form_again_with_a_message() {
    let app = TestApp::empty().await;
    set_password(&app).await;
    let r = login_attempt(&app, "not-the-password").await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains("كلمة المرور غير صحيحة"));
    assert!(r.body.contains(r#"name="password""#));
    assert!(set_cookie(&r, "arshif_session").is_none());
}

#[tokio::test]
async fn repeated_failures_are_slowed_never_locked_out_for_good() {
    let app = TestApp::empty().await;
    set_password(&app).await;
    for _ in 0..5 {
        assert_eq!(login_attempt(&app, "wrong").await.status, 401);
    }
    let slowed = login_attempt(&app, "wrong").await;
    assert_eq!(slowed.status, 429);
    assert!(slowed.header("retry-after").parse::<u64>().unwrap() <= 300);
    assert!(slowed.body.contains("انتظر"));
}

#[tokio::test]
async fn session_survives_a_server_restart_and_logout_ends_it() {
    let app = TestApp::empty().await;
    let cookie = sign_in(&app).await;
    assert_eq!(get_with(&app, "/upload", &cookie).await.status, 200);
    let restarted = TestApp {
        router: app.restarted(),
        ..app
    };
    assert_eq!(
        get_with(&restarted, "/upload", &cookie).await.status,
        200,
        "a restart signs nobody out"
    );
    let csrf = csrf_of(&restarted, &cookie).await;
    let out = restarted
        .send(
            Request::post("/logout")
                .header("cookie", &cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf={csrf}")))
                .unwrap(),
        )
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(
        get_with(&restarted, "/upload", &cookie).await.status,
        303,
        "signed out"
    );
}

#[tokio::test]
async fn oversize_upload_is_413_with_an_arabic_page() {
    let app = TestApp::configured(|c| c.max_upload_bytes = 1 << 20).await;
    let cookie = sign_in(&app).await;
    let csrf = csrf_of(&app, &cookie).await;
    let big = vec![b'a'; 2 << 20];
    for with_length in [true, false] {
        let r = app
            .send(post(
                "/upload",
                Some(&cookie),
                &[
                    ("csrf", None, csrf.as_bytes()),
                    ("files", Some("big.txt"), &big),
                ],
                with_length,
            ))
            .await;
        assert_eq!(r.status, 413, "declared length: {with_length}");
        assert!(r.body.contains("أكبر من الحد المسموح"));
    }
    assert_eq!(article_count(&app).await, 0);
}

#[tokio::test]
async fn seed_uploaded_through_the_form_appears_at_its_permalink() {
    let app = TestApp::empty().await;
    let cookie = sign_in(&app).await;
    let csrf = csrf_of(&app, &cookie).await;
    let seed = std::fs::read(SEED).unwrap();
    let r = app
        .send(post(
            "/upload",
            Some(&cookie),
            &[
                ("csrf", None, csrf.as_bytes()),
                ("files", Some("000_32f10a57e3468d13.txt"), &seed),
            ],
            true,
        ))
        .await;
    assert_eq!(r.status, 303);
    let id = r
        .header("location")
        .strip_prefix("/imports/")
        .expect("lands on the import page")
        .to_owned();
    let report = report(&app, &id).await;
    assert_eq!(report["articles_new"], 2);
    let page = get_with(&app, &format!("/imports/{id}"), &cookie).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("اكتمل") && page.body.contains(SEED_TITLE),
        "the report links the new article"
    );
    let article = app.get(&app.url_of(SEED_TITLE).await).await;
    assert_eq!(article.status, 200);
    assert!(article.body.contains(SEED_TITLE));
}

#[tokio::test]
async fn mixed_upload_imports_the_good_file_and_names_the_others() {
    let app = TestApp::empty().await;
    let cookie = sign_in(&app).await;
    let csrf = csrf_of(&app, &cookie).await;
    let seed = std::fs::read(SEED).unwrap();
    let binary = [
        0x89u8, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13,
    ];
    let r = app
        .send(post(
            "/upload",
            Some(&cookie),
            &[
                ("csrf", None, csrf.as_bytes()),
                ("files", Some("good.txt"), &seed),
                ("files", Some("empty.txt"), b""),
                ("files", Some("picture.txt"), &binary),
            ],
            true,
        ))
        .await;
    let id = r
        .header("location")
        .strip_prefix("/imports/")
        .unwrap()
        .to_owned();
    let report = report(&app, &id).await;
    assert_eq!(report["articles_new"], 2);
    assert_eq!(report["files"], 3);
    let rejected = report["rejected"].as_array().unwrap();
    let reason = |file: &str| {
        rejected
            .iter()
            .find(|p| p["file"] == file)
            .map(|p| p["reason"].as_str().unwrap().to_owned())
    };
    assert!(reason("empty.txt").unwrap().contains("empty"), "{report}");
    assert!(
        reason("picture.txt").unwrap().contains("binary"),
        "{report}"
    );
    let page = get_with(&app, &format!("/imports/{id}"), &cookie)
        .await
        .body;
    assert!(page.contains("empty.txt") && page.contains("ملف فارغ"));
    assert!(page.contains("picture.txt") && page.contains("محتوى ثنائي"));
}

#[tokio::test]
async fn upload_without_a_file_explains_instead_of_failing() {
    let app = TestApp::empty().await;
    let cookie = sign_in(&app).await;
    let csrf = csrf_of(&app, &cookie).await;
    // What a browser sends when no file was chosen: a part with an empty file name.
    let r = app
        .send(post(
            "/upload",
            Some(&cookie),
            &[("csrf", None, csrf.as_bytes()), ("files", Some(""), b"")],
            true,
        ))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("لم تختر أي ملف"));
    let imports: i64 = dispatch!(app.db.read, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM imports"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    assert_eq!(imports, 0);
}

#[tokio::test]
async fn api_import_with_a_token_answers_the_report() {
    let app = TestApp::empty().await;
    let token = arshif::auth::tokens::generate();
    let mut conn = app.db.write.acquire().await.unwrap();
    arshif::store::auth::create_token(&mut conn, "test", &arshif::auth::tokens::hash(&token))
        .await
        .unwrap();
    drop(conn);
    let seed = std::fs::read(SEED).unwrap();
    let mut request = post(
        "/api/imports",
        None,
        &[
            ("file", Some("seed.txt"), &seed),
            ("file", Some("empty.txt"), b""),
        ],
        true,
    );
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let r = app.send(request).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let report: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(report["articles_new"], 2);
    assert_eq!(report["rejected"][0]["file"], "empty.txt");
    let status = app
        .get(&format!("/api/imports/{}", report["import_id"]))
        .await;
    assert_eq!(status.status, 401, "status needs a token or a session too");
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    for uri in ["/", "/login", "/nope", &app.url_of(SEED_TITLE).await] {
        let r = app.get(uri).await;
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{uri}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{uri}");
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert!(!r.header("referrer-policy").is_empty());
    }
}

/// A script polling `/api/imports/{id}` while an import writes batch after
/// batch: checking its token reads, so it never waits for the one write
/// connection; the token's last use is recorded once that is free.
#[tokio::test]
async fn token_check_does_not_wait_for_the_write_connection() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let token = arshif::auth::tokens::generate();
    let mut writer = app.db.write.acquire().await.unwrap();
    arshif::store::auth::create_token(&mut writer, "poller", &arshif::auth::tokens::hash(&token))
        .await
        .unwrap();
    let mut request = Request::get("/api/imports/1").body(Body::empty()).unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    // The write connection stays taken, as during an import's batch.
    let answer = tokio::time::timeout(std::time::Duration::from_secs(20), app.send(request))
        .await
        .expect("the status answered while the write connection was busy");
    assert_eq!(answer.status, 200, "{}", answer.body);
    drop(writer);

    for _ in 0..100 {
        let tokens = arshif::store::auth::list_tokens(&mut app.db.read.acquire().await.unwrap())
            .await
            .unwrap();
        if tokens[0].last_used.is_some() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the token's use was never recorded");
}

#[tokio::test]
async fn saved_pages_and_warc_files_upload_through_the_form_and_the_api() {
    let app = TestApp::empty().await;
    set_password(&app).await;
    let cookie = sign_in(&app).await;
    let form = get_with(&app, "/upload", &cookie).await;
    assert!(
        form.body.contains(".html,.htm,.warc,.warc.gz"),
        "accept attribute: {}",
        form.body
    );

    let token = arshif::auth::tokens::generate();
    let mut conn = app.db.write.acquire().await.unwrap();
    arshif::store::auth::create_token(&mut conn, "test", &arshif::auth::tokens::hash(&token))
        .await
        .unwrap();
    drop(conn);
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/html");
    let page = std::fs::read(format!("{fixtures}/wp-sidebar-comments.html")).unwrap();
    let other = std::fs::read(format!("{fixtures}/microdata.html")).unwrap();
    let http = [
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            other.len()
        )
        .as_bytes(),
        &other,
    ]
    .concat();
    let record = [
        format!("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bawabat-alnil.example/microdata.html\r\nWARC-Date: 2025-04-02T15:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n", http.len()).as_bytes(),
        &http,
        b"\r\n\r\n",
    ]
    .concat();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &record).unwrap();
    let warc = gz.finish().unwrap();
    let mut request = post(
        "/api/imports",
        None,
        &[
            ("file", Some("saved.html"), &page),
            ("file", Some("crawl.warc.gz"), &warc),
        ],
        true,
    );
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let r = app.send(request).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let report: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(report["articles_new"], 2, "{report:#}");
    assert_eq!(report["files"], 2);
}
