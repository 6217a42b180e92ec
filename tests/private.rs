//! A private archive on the real router: nothing of it reaches a visitor
//! without an account — pages send them to sign in and back to the page
//! (a shared permalink included), the API and feeds answer 401 — while
//! readers read, scripts use their API token, feed readers their feed
//! token until it is revoked, robots are kept out, the sitemap is gone,
//! and a permalink's Open Graph tags name only the site. Also against a
//! running `arshif serve` with `ARSHIF_PRIVATE=true`.

use arshif::dispatch;
use std::path::Path;

use axum::body::Body;
use axum::http::Request;

use crate::accounts::{add_user, get_as, session, set_cookie, sign_in_attempt};
use crate::live::Live;
use crate::support::{SEED, SEED_TITLE, Scratch, TestApp};

const PASSWORD: &str = "a-long-test-password";

async fn private_archive() -> TestApp {
    let app = TestApp::configured(|c| c.private = true).await;
    app.import(&[Path::new(SEED)]).await;
    add_user(&app, "omar", arshif::auth::Role::Reader).await;
    app
}

/// Catches a guard that leaves any kind of route open (each path below
/// was reachable anonymously before the guard existed).
#[tokio::test]
async fn a_visitor_without_an_account_sees_nothing_but_the_sign_in_page() {
    let app = private_archive().await;
    let permalink = app.url_of(SEED_TITLE).await;
    for page in [
        "/",
        permalink.as_str(),
        "/sources",
        "/tags",
        "/archive",
        "/search?q=%D8%B1%D9%88%D8%B3%D9%8A%D8%A7",
        "/opensearch.xml",
        "/no-such-page",
    ] {
        let reply = app.get(page).await;
        assert_eq!(reply.status, 303, "{page}");
        assert!(
            reply.header("location").starts_with("/login?next="),
            "{page}: {}",
            reply.header("location")
        );
    }
    for api in ["/api/articles", "/api/search?q=x", "/api/imports/1"] {
        let reply = app.get(api).await;
        assert_eq!(reply.status, 401, "{api}");
        assert!(
            reply.body.contains("\"status\":401"),
            "{api}: {}",
            reply.body
        );
    }
    for feed in ["/feed.xml", "/feed.xml?token=guess", "/tags/x/feed.xml"] {
        let reply = app.get(feed).await;
        assert_eq!(reply.status, 401, "{feed}");
        assert!(!reply.body.contains(SEED_TITLE));
    }
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.body, "User-agent: *\nDisallow: /\n");
    assert_eq!(app.get("/sitemap.xml").await.status, 404);
    assert_eq!(app.get("/sitemap/1.xml").await.status, 404);
    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/static/favicon.svg").await.status, 200);
    let login = app.get("/login").await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("هذا الأرشيف خاص"));
}

/// Catches a sign-in that forgets where the shared link pointed, and
/// article pages of a private archive whose link previews tell the title
/// or text.
#[tokio::test]
async fn a_shared_permalink_leads_through_sign_in_back_to_the_article() {
    let app = private_archive().await;
    let permalink = app.url_of(SEED_TITLE).await;
    let sent = app.get(&permalink).await;
    let location = sent.header("location").to_owned();
    assert_eq!(
        location,
        format!("/login?next={}", arshif::urls::query_value(&permalink))
    );
    let signed_in = sign_in_attempt(&app, Some("omar"), PASSWORD, &permalink).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert_eq!(signed_in.header("location"), permalink);
    let cookie = format!(
        "arshif_session={}",
        set_cookie(&signed_in, "arshif_session").unwrap()
    );
    let article = get_as(&app, &permalink, &cookie).await;
    assert_eq!(article.status, 200);
    assert!(article.body.contains(SEED_TITLE));
    assert!(
        article
            .body
            .contains(r#"<meta property="og:site_name" content="أرشيف">"#)
    );
    for hidden in [
        "og:title",
        "og:description",
        "og:url",
        "twitter:title",
        "ld+json",
    ] {
        assert!(
            !article.body.contains(hidden),
            "{hidden} on a private archive"
        );
    }
    assert!(!article.body.contains("/sitemap.xml"));
    assert_eq!(
        get_as(&app, "/upload", &cookie).await.status,
        403,
        "a reader reads only"
    );

    let public = TestApp::with(&[Path::new(SEED)]).await;
    let shown = public.get(&public.url_of(SEED_TITLE).await).await;
    assert!(
        shown.body.contains("og:title"),
        "public archives keep their previews"
    );
}

/// Catches feed tokens that are not checked, not tied to a live account,
/// or that keep working after they were revoked or renewed.
#[tokio::test]
async fn feed_readers_use_a_revocable_feed_token() {
    let app = private_archive().await;
    let reader = session(&app, Some("omar"), PASSWORD).await;
    let account = get_as(&app, "/account", &reader).await;
    let csrf = crate::live::hidden(&account.body, "csrf");
    let renew = |action: &'static str| {
        Request::post("/account/feed-token")
            .header("cookie", &reader)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={csrf}&action={action}")))
            .unwrap()
    };
    assert_eq!(app.send(renew("renew")).await.status, 303);
    let page = get_as(&app, "/account", &reader).await.body;
    let url = page
        .split("http://archive.test/feed.xml")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(|query| format!("/feed.xml{query}"))
        .expect("the feed URL on the account page");
    assert!(url.starts_with("/feed.xml?token="), "{url}");
    let feed = app.get(&url).await;
    assert_eq!(feed.status, 200);
    assert!(feed.body.contains(SEED_TITLE));
    let token = url.trim_start_matches("/feed.xml?token=");
    let tag_feed = app
        .get(&format!("/tags/no-such-tag/feed.xml?token={token}"))
        .await;
    assert_ne!(tag_feed.status, 401, "the token opens every feed");

    assert_eq!(app.send(renew("renew")).await.status, 303);
    assert_eq!(app.get(&url).await.status, 401, "the old token stops");
    assert_eq!(app.send(renew("revoke")).await.status, 303);
    let after = get_as(&app, "/account", &reader).await.body;
    assert!(after.contains("ليس لك رابط خلاصة بعد"));
    let actions: Vec<String> = dispatch!(app.db.read, |c| sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'user.feed_token'"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    assert_eq!(actions, ["renewed", "renewed", "revoked"]);
}

/// Catches an API that a private archive closes to its own scripts.
#[tokio::test]
async fn scripts_with_an_api_token_read_a_private_archive() {
    let app = private_archive().await;
    let token = arshif::auth::tokens::generate();
    let mut conn = app.db.write.acquire().await.unwrap();
    arshif::store::auth::create_token_for(
        &mut conn,
        "reader",
        &arshif::auth::tokens::hash(&token),
        "omar",
    )
    .await
    .unwrap();
    drop(conn);
    let request = Request::get("/api/articles")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains(SEED_TITLE));
}

/// Catches `ARSHIF_PRIVATE` not reaching the server (the variable is how
/// deployments set it), and a private server that still serves pages.
#[test]
fn a_server_started_with_arshif_private_keeps_visitors_out() {
    let s = Scratch::new();
    let server = Live::start(
        &s,
        &["--import", SEED],
        &[
            ("ARSHIF_PRIVATE", "true"),
            ("ARSHIF_ADMIN_PASSWORD", PASSWORD),
        ],
    );
    let home = server.get("/");
    assert_eq!(home.status, 303, "{}", home.body);
    assert_eq!(home.header("location"), Some("/login?next=%2F"));
    assert_eq!(
        server.get("/robots.txt").body,
        "User-agent: *\nDisallow: /\n"
    );
    let cookie = server.session(PASSWORD);
    let signed_in = server.get_with("/", &[("Cookie", &cookie)]);
    assert_eq!(signed_in.status, 200);
    assert!(signed_in.body.contains(SEED_TITLE));
    server.stop();

    let public = Live::start(&s, &[], &[("ARSHIF_PRIVATE", "false")]);
    assert_eq!(public.get("/").status, 200, "false means a public archive");
    public.stop();
}
