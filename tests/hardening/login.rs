//! Guessing the password: attempts count before they are checked, a few
//! verifications run at once, each client and the account as a whole are
//! slowed, the client behind a trusted proxy is the right-most untrusted
//! `X-Forwarded-For` entry, and the administrator's own browser is never
//! locked out by someone else's guesses.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;

use crate::support::{Reply, Scratch, TestApp};

use super::server::Server;

const PASSWORD: &str = "the-right-password";

async fn archive(trusted_proxies: &[&str]) -> TestApp {
    let proxies: Vec<ipnet::IpNet> = trusted_proxies.iter().map(|p| p.parse().unwrap()).collect();
    let app = TestApp::configured(move |c| c.trusted_proxies = proxies).await;
    let hash = arshif::auth::password::hash(PASSWORD).unwrap();
    let mut conn = app.db.write.acquire().await.unwrap();
    arshif::store::auth::set_admin_password(&mut conn, &hash)
        .await
        .unwrap();
    app
}

/// A sign-in attempt from the proxy at 127.0.0.1, for `forwarded` when
/// given, with extra cookies (a device cookie).
fn attempt(password: &str, forwarded: Option<&str>, cookies: &str) -> Request<Body> {
    let mut request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("arshif_login_csrf=t; {cookies}"));
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    let mut request = request
        .body(Body::from(format!("csrf=t&password={password}")))
        .unwrap();
    let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

fn device_cookie(reply: &Reply) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("arshif_device="))
        .and_then(|v| v.split(';').next())
        .expect("a device cookie after signing in")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_passwords_are_counted_before_they_are_checked() {
    let app = archive(&[]).await;
    let burst = (0..30).map(|_| app.send(attempt("wrong", None, "")));
    let statuses: Vec<u16> = futures_util::future::join_all(burst)
        .await
        .into_iter()
        .map(|r| r.status)
        .collect();
    let checked = statuses.iter().filter(|&&s| s == 401).count();
    let refused = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!((checked, refused), (5, 25), "{statuses:?}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_reader_has_a_budget_of_their_own() {
    let app = archive(&["127.0.0.1/32", "10.0.0.0/8"]).await;
    for _ in 0..5 {
        let r = app
            .send(attempt("wrong", Some("198.51.100.7, 10.0.0.2"), ""))
            .await;
        assert_eq!(r.status, 401);
    }
    let spoofed = app
        .send(attempt("wrong", Some("192.0.2.55, 198.51.100.7"), ""))
        .await;
    assert_eq!(
        spoofed.status, 429,
        "a forged left entry gives no new budget"
    );
    let other_reader = app.send(attempt("wrong", Some("203.0.113.4"), "")).await;
    assert_eq!(
        other_reader.status, 401,
        "another reader behind the proxy is not slowed"
    );
    let admin = app.send(attempt(PASSWORD, Some("203.0.113.9"), "")).await;
    assert_eq!(admin.status, 303);
}

#[tokio::test]
async fn without_a_trusted_proxy_the_forwarded_header_is_not_believed() {
    let app = archive(&[]).await;
    for n in 0..5 {
        let forged = format!("198.51.100.{n}");
        let r = app.send(attempt("wrong", Some(&forged), "")).await;
        assert_eq!(r.status, 401);
    }
    let r = app.send(attempt("wrong", Some("198.51.100.99"), "")).await;
    assert_eq!(r.status, 429);
}

#[tokio::test]
async fn guessing_from_many_addresses_slows_strangers_but_not_the_admins_browser() {
    let app = archive(&["127.0.0.1/32"]).await;
    let first = app.send(attempt(PASSWORD, Some("203.0.113.9"), "")).await;
    assert_eq!(first.status, 303);
    let device = device_cookie(&first);
    let mut slowed = 0;
    for n in 0..40 {
        let address = format!("198.51.100.{n}");
        if app.send(attempt("wrong", Some(&address), "")).await.status == 429 {
            slowed += 1;
        }
    }
    assert!(
        slowed >= 15,
        "the account's budget slows guesses from many addresses: {slowed}"
    );
    let stranger = app.send(attempt(PASSWORD, Some("192.0.2.1"), "")).await;
    assert_eq!(stranger.status, 429, "a new browser waits its turn");
    assert!(stranger.header("retry-after").parse::<u64>().unwrap() <= 60);
    let admin = app
        .send(attempt(PASSWORD, Some("192.0.2.1"), &device))
        .await;
    assert_eq!(
        admin.status, 303,
        "the admin's own browser is let in: {}",
        admin.body
    );
    let forged = app
        .send(attempt(PASSWORD, Some("192.0.2.1"), "arshif_device=00ff"))
        .await;
    assert_eq!(forged.status, 429, "a made-up device cookie is no device");
}

/// 200 wrong passwords sent at once to the real server, (a) from one
/// address, (b) each from its own address behind a trusted proxy (so no
/// per-client budget stops them): the server's peak memory stays far
/// below what 200 argon2 verifications at once would take (19 MiB each).
#[test]
fn two_hundred_parallel_sign_ins_stay_within_200_mib() {
    let one_address = burst(&[], |_| None);
    assert_eq!(
        one_address.0, 5,
        "one client: five checked, the rest refused"
    );
    let many = burst(&["--trusted-proxy", "127.0.0.1"], |n| {
        Some(format!("198.51.{}.{}", n / 100, n % 100))
    });
    // Twenty free, then one more after 1 s, 2 s, 4 s… of the burst.
    assert!(many.0 <= 24, "the account's budget let {} through", many.0);
}

/// (checked, peak RSS in KiB) of a burst of 200 attempts against a new
/// server started with `args`; `forwarded(n)` is attempt n's
/// X-Forwarded-For.
fn burst(args: &[&str], forwarded: impl Fn(usize) -> Option<String> + Sync) -> (usize, u64) {
    let s = Scratch::new();
    let server = Server::start(&s.db(), args, &[("ARSHIF_ADMIN_PASSWORD", PASSWORD)]);
    let before = server.peak_rss_kib();
    let barrier = std::sync::Barrier::new(200);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..200)
            .map(|n| {
                let (server, barrier, forwarded) = (&server, &barrier, &forwarded);
                scope.spawn(move || {
                    let address = forwarded(n);
                    let mut headers = vec![
                        ("Content-Type", "application/x-www-form-urlencoded"),
                        ("Cookie", "arshif_login_csrf=t"),
                    ];
                    if let Some(address) = &address {
                        headers.push(("X-Forwarded-For", address));
                    }
                    barrier.wait();
                    server
                        .request("POST", "/login", &headers, "csrf=t&password=wrong-guess")
                        .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let peak = server.peak_rss_kib();
    let checked = statuses.iter().filter(|&&s| s == 401).count();
    let refused = statuses.iter().filter(|&&s| s == 429).count();
    println!(
        "200 parallel sign-ins ({args:?}): {checked} checked, {refused} refused; \
         peak RSS {} MiB (before the burst {} MiB)",
        peak / 1024,
        before / 1024
    );
    assert_eq!(checked + refused, 200, "{statuses:?}");
    assert!(peak < 200 * 1024, "peak RSS {} MiB", peak / 1024);
    server.stop();
    (checked, peak)
}
