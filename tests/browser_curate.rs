//! In a real browser (see `browser.rs`): the administrator takes an
//! article down with the button on its page, then undoes an import from
//! its page, confirming each time — no JavaScript involved.

use arshif::dispatch;
use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser::{arrive, browser, serve, sign_in};
use crate::support::{SEED, SEED_TITLE, TestApp};
use crate::undo_import::{NEW_TITLE, two_imports};

const PASSWORD: &str = "browser-test-password";
const REASON: &str = "طلب الناشر";

async fn click(client: &Client, locator: Locator<'_>) {
    client.find(locator).await.unwrap().click().await.unwrap();
}

/// Waits until the page's `h1` reads `expected`.
async fn h1_becomes(client: &Client, expected: &str) {
    let mut seen = String::new();
    for _ in 0..300 {
        if let Ok(h1) = client.find(Locator::Css("h1")).await {
            seen = h1.text().await.unwrap_or_default();
            if seen == expected {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the heading stayed {seen:?}, expected {expected:?}");
}

/// Waits until `main` shows `text` (reloading: the import page refreshes
/// itself only while the undo runs).
async fn main_shows(client: &Client, text: &str) -> String {
    let mut seen = String::new();
    for _ in 0..100 {
        if let Ok(main) = client.find(Locator::Css("main")).await {
            seen = main.text().await.unwrap_or_default();
            if seen.contains(text) {
                return seen;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let _ = client.refresh().await;
    }
    panic!("the page never showed {text:?}: {seen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn administrator_takes_an_article_down_and_undoes_an_import_by_clicking() {
    let app = TestApp::with(&[std::path::Path::new(SEED)]).await;
    let (_one, two) = two_imports(&app.scratch);
    app.import(&[&two]).await;
    let hash = arshif::auth::password::hash(PASSWORD).unwrap();
    arshif::store::auth::set_admin_password(&mut app.db.write.acquire().await.unwrap(), &hash)
        .await
        .unwrap();
    let base = serve(&app).await;
    let (_driver, client, _profile) = browser().await;
    let article = app.url_of(SEED_TITLE).await;

    let next = arshif::urls::query_value(&article);
    client
        .goto(&format!("{base}/login?next={next}"))
        .await
        .unwrap();
    sign_in(&client, None, PASSWORD).await;
    arrive(&client, "/a/").await;
    click(&client, Locator::LinkText("إزالة هذا المقال من الأرشيف…")).await;
    h1_becomes(&client, "إزالة مقال من الأرشيف").await;
    let reason = client.find(Locator::Id("reason")).await.unwrap();
    reason.send_keys(REASON).await.unwrap();
    click(&client, Locator::Css("main form button[type=submit]")).await;
    h1_becomes(&client, "أُزيل هذا المقال من الأرشيف").await;
    let tomb = main_shows(&client, REASON).await;
    assert!(!tomb.contains(SEED_TITLE), "the text is gone: {tomb}");

    client.goto(&format!("{base}/imports/2")).await.unwrap();
    click(&client, Locator::LinkText("التراجع عن هذا الاستيراد…")).await;
    let confirm = main_shows(&client, "مقالات ستُزال").await;
    assert!(
        confirm.contains(NEW_TITLE),
        "the page shows what will go: {confirm}"
    );
    click(&client, Locator::Css("main form button[type=submit]")).await;
    arrive(&client, "/imports/2").await;
    main_shows(&client, "تم التراجع عن هذا الاستيراد").await;
    let (left,): (i64,) = dispatch!(app.db.read, |c| sqlx::query_as(
        "SELECT count(*) FROM articles WHERE title = $1"
    )
    .bind(NEW_TITLE)
    .fetch_one(c)
    .await)
    .unwrap();
    assert_eq!(left, 0, "what only the import brought is gone");
    client.close().await.unwrap();
}
