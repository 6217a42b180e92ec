//! End to end in a real browser: Debian's headless Chromium, driven through
//! chromedriver with fantoccini, reads the archive as a visitor would —
//! home page, click through to the seed article, follow its read-also link,
//! and the page is laid out right to left.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::{SEED, SEED_ITEM_TITLE, SEED_TITLE, TestApp};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver process, killed on drop.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver on a port of its own choosing (`--port=0`) and reads
/// it back from its start line: a port picked here and handed over could
/// be taken meanwhile by a test server binding port 0.
fn start_chromedriver() -> Driver {
    let mut child = Command::new(CHROMEDRIVER)
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let stdout = child.stdout.take().expect("chromedriver's stdout");
    let (found, port) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref().map_while(Result::ok) {
            if let Some(rest) = line.split("started successfully on port ").nth(1) {
                let _ = found.send(rest.trim_end_matches('.').parse::<u16>().ok());
                break;
            }
        }
        // Drained to the end, so that chromedriver never blocks on a full pipe.
        lines.for_each(drop);
    });
    let mut driver = Driver {
        child,
        url: String::new(),
    };
    match port.recv_timeout(Duration::from_secs(60)) {
        Ok(Some(port)) => driver.url = format!("http://127.0.0.1:{port}"),
        other => panic!("chromedriver did not say which port it listens on: {other:?}"),
    }
    driver
}

/// Starts chromedriver and a headless Chromium session in a fresh profile.
pub async fn browser() -> (Driver, Client, tempfile::TempDir) {
    assert!(
        Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
        "the browser test needs Debian's chromium and chromium-driver: apt install chromium chromium-driver (or run .ci/run)"
    );
    let driver = start_chromedriver();
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display())]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut last_error = None;
    for _ in 0..100 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&driver.url)
            .await
        {
            Ok(client) => return (driver, client, profile),
            Err(err) => last_error = Some(err),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no WebDriver session: {last_error:?}");
}

/// Fills the sign-in form on the current page (the user name left empty
/// means `admin`) and sends it.
pub async fn sign_in(client: &Client, username: Option<&str>, password: &str) {
    if let Some(name) = username {
        let field = client.find(Locator::Id("username")).await.unwrap();
        field.send_keys(name).await.unwrap();
    }
    let field = client.find(Locator::Id("password")).await.unwrap();
    field.send_keys(password).await.unwrap();
    let send = client.find(Locator::Css("form[action='/login'] button"));
    send.await.unwrap().click().await.unwrap();
}

/// Waits until the browser has arrived at a page whose path starts with
/// `prefix`: a click that submits a form can return before the navigation
/// it starts has finished, most of all on a busy CI machine. On timeout the
/// panic shows where the browser is and what it shows, so a failure says why.
pub async fn arrive(client: &Client, prefix: &str) {
    for _ in 0..200 {
        if let Ok(url) = client.current_url().await
            && url.path().starts_with(prefix)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = client.current_url().await.map(|u| u.to_string());
    let text = match client.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    panic!("never arrived at {prefix}: browser is at {url:?} showing:\n{text}");
}

/// Waits until the page's `article h1` reads `expected`: the same race as
/// [`arrive`], for links between two pages under the same path prefix.
pub async fn heading_becomes(client: &Client, expected: &str) {
    let mut seen = String::new();
    for _ in 0..200 {
        if let Ok(h1) = client.find(Locator::Css("article h1")).await {
            seen = h1.text().await.unwrap_or_default();
            if seen == expected {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the article heading stayed {seen:?}, expected {expected:?}");
}

/// Serves `app` on a free loopback port; returns its base URL.
pub async fn serve(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

#[tokio::test(flavor = "multi_thread")]
async fn visitor_clicks_from_home_to_article_to_read_also_in_rtl() {
    let app = TestApp::with(&[Path::new(SEED)]).await;
    let base = serve(&app).await;
    let (_driver, client, _profile) = browser().await;

    client.goto(&format!("{base}/")).await.unwrap();
    let direction = client
        .execute("return getComputedStyle(document.body).direction", vec![])
        .await
        .unwrap();
    assert_eq!(direction, "rtl", "the home page lays out right to left");

    client
        .find(Locator::LinkText(SEED_TITLE))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(&client, "/a/").await;
    heading_becomes(&client, SEED_TITLE).await;
    let direction = client
        .execute(
            "return getComputedStyle(document.querySelector('article')).direction",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(direction, "rtl", "the article reads right to left");

    client
        .find(Locator::LinkText(SEED_ITEM_TITLE))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The read-also link leads to its article.
    heading_becomes(&client, SEED_ITEM_TITLE).await;
    let back = client
        .find(Locator::Css("section.related"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        back.contains(SEED_TITLE),
        "and that article names the page that mentions it"
    );

    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn administrator_signs_in_uploads_the_seed_and_opens_the_new_article() {
    let app = TestApp::empty().await;
    let hash = arshif::auth::password::hash("browser-test-password").unwrap();
    arshif::store::auth::set_admin_password(&mut app.db.write.acquire().await.unwrap(), &hash)
        .await
        .unwrap();
    let base = serve(&app).await;
    let (_driver, client, _profile) = browser().await;

    client.goto(&format!("{base}/upload")).await.unwrap();
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/login"),
        "sent to sign in first"
    );
    sign_in(&client, None, "browser-test-password").await;
    // And back to the upload form.
    arrive(&client, "/upload").await;

    let seed = std::fs::canonicalize(SEED).unwrap();
    client
        .find(Locator::Id("files"))
        .await
        .unwrap()
        .send_keys(seed.to_str().unwrap())
        .await
        .unwrap();
    client
        .find(Locator::Css("form.upload button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(&client, "/imports/").await;

    // The report replaces the progress when the import is done.
    let mut link = None;
    for _ in 0..300 {
        if let Ok(found) = client.find(Locator::LinkText(SEED_TITLE)).await {
            link = Some(found);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let report = client
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(report.contains("اكتمل"), "{report}");
    link.expect("the report links the new article")
        .click()
        .await
        .unwrap();
    heading_becomes(&client, SEED_TITLE).await;
    client.close().await.unwrap();
}

/// A colleague opens a permalink shared from a private archive: the
/// browser lands on the sign-in form, and after signing in with a user
/// name and password, on the article itself.
#[tokio::test(flavor = "multi_thread")]
async fn reader_opens_a_shared_permalink_of_a_private_archive_and_signs_in() {
    let app = TestApp::configured(|c| c.private = true).await;
    app.import(&[Path::new(SEED)]).await;
    arshif::accounts::add(
        &app.db,
        "cli",
        "omar",
        "browser-test-password",
        arshif::auth::Role::Reader,
    )
    .await
    .unwrap();
    let permalink = app.url_of(SEED_TITLE).await;
    let base = serve(&app).await;
    let (_driver, client, _profile) = browser().await;

    client.goto(&format!("{base}{permalink}")).await.unwrap();
    arrive(&client, "/login").await;
    let form = client.find(Locator::Css("main")).await.unwrap();
    assert!(
        form.text().await.unwrap().contains("هذا الأرشيف خاص"),
        "the sign-in page says why"
    );
    sign_in(&client, Some("omar"), "browser-test-password").await;
    arrive(&client, "/a/").await;
    heading_becomes(&client, SEED_TITLE).await;
    client.close().await.unwrap();
}
