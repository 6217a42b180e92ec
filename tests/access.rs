//! Who gets in, against a running server: a revoked API token is refused
//! at once, an expired session sends the browser to sign in (and is
//! forgotten at the next start), and a throttled client that waits as long
//! as `Retry-After` says signs in with the right password.

use std::time::Duration;

use crate::live::{self, Live};
use crate::support::{SEED, Scratch};

const PASSWORD: &str = "a-long-test-password";

fn serve(s: &Scratch) -> Live {
    Live::start(s, &[], &[("ARSHIF_ADMIN_PASSWORD", PASSWORD)])
}

/// Catches token checks that stop filtering `revoked_at` (checked by
/// dropping the condition from `find_token`): the revoked token would
/// still import.
#[test]
fn a_revoked_token_is_refused_by_the_running_server() {
    let s = Scratch::new();
    let token = live::token(&s.db());
    let server = serve(&s);
    let seed = std::fs::read(SEED).unwrap();
    let first = server.api_import(&token, "seed.txt", &seed);
    assert_eq!(first.status, 200, "{}", first.body);
    let bearer = format!("Bearer {token}");
    assert_eq!(
        server
            .get_with("/api/imports/1", &[("Authorization", &bearer)])
            .status,
        200
    );

    let revoke = std::process::Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["token", "revoke", "--db"])
        .arg(s.db())
        .arg("1")
        .output()
        .unwrap();
    assert!(revoke.status.success());
    let refused = server.api_import(&token, "seed.txt", &seed);
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
    assert_eq!(refused.json()["status"], 401);
    let status = server.get_with("/api/imports/1", &[("Authorization", &bearer)]);
    assert_eq!(status.status, 401);
    server.stop();
}

/// Catches session checks that stop comparing `expires_at` (checked by
/// dropping the condition from `store::auth::session`), and a start-up
/// clean-up that forgets live sessions or keeps expired ones (checked by
/// not calling it).
#[tokio::test(flavor = "multi_thread")]
async fn an_expired_session_sends_the_browser_to_sign_in() {
    let s = Scratch::new();
    let server = serve(&s);
    let kept = server.session(PASSWORD);
    let expiring = server.session(PASSWORD);
    let upload = |cookie: &str| server.get_with("/upload", &[("Cookie", cookie)]);
    assert_eq!(upload(&expiring).status, 200);

    let token = expiring.trim_start_matches("arshif_session=");
    let hash: String = sha256_hex(token);
    live::execute(
        &s.db(),
        &format!(
            "UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE token_hash = {}",
            live::blob(&hash)
        ),
    )
    .await;
    let sent_away = upload(&expiring);
    assert_eq!(sent_away.status, 303);
    assert_eq!(sent_away.header("location"), Some("/login?next=%2Fupload"));
    let login = server.get_with("/login", &[("Cookie", &expiring)]);
    assert_eq!(login.status, 200, "the sign-in form, not a redirect");
    assert!(login.body.contains(r#"name="password""#));
    assert_eq!(upload(&kept).status, 200, "the other session lives on");
    server.stop();

    let server = serve(&s);
    assert_eq!(
        live::scalar(&s.db(), "SELECT count(*) FROM sessions").await,
        1
    );
    assert_eq!(server.get_with("/upload", &[("Cookie", &kept)]).status, 200);
    server.stop();
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Catches a wait that never ends or is longer than the client is told
/// (checked with `Retry-After` rounded down, as it was: 1.6 s said as 1),
/// and a throttle that lets the right password through while it holds.
#[test]
fn a_throttled_client_that_waits_as_told_signs_in() {
    let s = Scratch::new();
    let server = serve(&s);
    let mut answer = server.sign_in("wrong-password");
    for _ in 0..20 {
        if answer.status == 429 {
            break;
        }
        assert_eq!(answer.status, 401);
        answer = server.sign_in("wrong-password");
    }
    assert_eq!(answer.status, 429, "failures are slowed down");
    let told: u64 = answer.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=10).contains(&told), "Retry-After: {told}");
    assert_eq!(
        server.sign_in(PASSWORD).status,
        429,
        "not even the right password"
    );

    std::thread::sleep(Duration::from_secs(told));
    let signed_in = server.sign_in(PASSWORD);
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let cookie = format!(
        "arshif_session={}",
        signed_in.cookie("arshif_session").unwrap()
    );
    assert_eq!(
        server.get_with("/upload", &[("Cookie", &cookie)]).status,
        200
    );
    server.stop();
}
