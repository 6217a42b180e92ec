//! Accounts and roles on the real router: signing in with a user name (or
//! the password alone, as `admin`), what each role may do, roles and
//! removals taking effect at once, API tokens acting with their user's
//! role, the `/users` page with its confirmation and CSRF, the last admin
//! kept, and every change listed on `/audit` with who made it.

use arshif::dispatch;
use axum::body::Body;
use axum::http::Request;

use crate::live::hidden;
use crate::support::{Reply, TestApp};

const PASSWORD: &str = "a-long-test-password";

/// The value of `name=` in a response's Set-Cookie headers.
pub fn set_cookie(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|rest| rest.split(';').next().unwrap().to_owned())
        })
}

fn encode(text: &str) -> String {
    arshif::urls::query_value(text)
}

/// Posts the sign-in form: `username` as given (`None`: no such field).
pub async fn sign_in_attempt(
    app: &TestApp,
    username: Option<&str>,
    password: &str,
    next: &str,
) -> Reply {
    let form = app.get(&format!("/login?next={}", encode(next))).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf_cookie = set_cookie(&form, "arshif_login_csrf").expect("a form token cookie");
    let mut body = format!(
        "csrf={}&password={}&next={}",
        hidden(&form.body, "csrf"),
        encode(password),
        encode(&hidden(&form.body, "next"))
    );
    if let Some(name) = username {
        body.push_str(&format!("&username={}", encode(name)));
    }
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("arshif_login_csrf={csrf_cookie}"))
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// Signs in and returns the `Cookie` header value of the session.
pub async fn session(app: &TestApp, username: Option<&str>, password: &str) -> String {
    let reply = sign_in_attempt(app, username, password, "/").await;
    assert_eq!(reply.status, 303, "signed in: {}", reply.body);
    format!(
        "arshif_session={}",
        set_cookie(&reply, "arshif_session").unwrap()
    )
}

pub async fn set_admin_password(app: &TestApp) {
    let hash = arshif::auth::password::hash(PASSWORD).unwrap();
    let mut conn = app.db.write.acquire().await.unwrap();
    arshif::store::auth::set_admin_password(&mut conn, &hash)
        .await
        .unwrap();
}

pub async fn add_user(app: &TestApp, name: &str, role: arshif::auth::Role) {
    arshif::accounts::add(&app.db, "cli", name, PASSWORD, role)
        .await
        .unwrap();
}

pub async fn get_as(app: &TestApp, uri: &str, cookie: &str) -> Reply {
    let request = Request::get(uri)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

async fn post_as(app: &TestApp, uri: &str, cookie: &str, body: &str) -> Reply {
    let request = Request::post(uri)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap();
    app.send(request).await
}

/// The session's form token, read from a page that carries it.
async fn csrf(app: &TestApp, cookie: &str) -> String {
    hidden(&get_as(app, "/account", cookie).await.body, "csrf")
}

async fn audit_rows(app: &TestApp) -> Vec<(String, String, String, String)> {
    dispatch!(app.db.read, |c| sqlx::query_as(
        "SELECT actor, action, subject, detail FROM audit_log ORDER BY id"
    )
    .fetch_all(c)
    .await)
    .unwrap()
}

/// Catches a sign-in that ignores the user name (salma would get admin's
/// pages, or could not sign in), one that no longer treats an empty name
/// as `admin`, and role checks dropped from /upload or /users.
#[tokio::test]
async fn each_account_signs_in_by_name_and_gets_its_roles_pages() {
    use arshif::auth::Role;
    let app = TestApp::empty().await;
    set_admin_password(&app).await;
    add_user(&app, "salma", Role::Editor).await;
    add_user(&app, "omar", Role::Reader).await;

    let admin_alone = session(&app, None, PASSWORD).await;
    let admin_empty = session(&app, Some(""), PASSWORD).await;
    let editor = session(&app, Some("salma"), PASSWORD).await;
    let reader = session(&app, Some("omar"), PASSWORD).await;
    for (cookie, upload, users) in [
        (&admin_alone, 200, 200),
        (&admin_empty, 200, 200),
        (&editor, 200, 403),
        (&reader, 403, 403),
    ] {
        assert_eq!(get_as(&app, "/upload", cookie).await.status, upload);
        assert_eq!(get_as(&app, "/users", cookie).await.status, users);
        assert_eq!(get_as(&app, "/audit", cookie).await.status, users);
    }
    let account = get_as(&app, "/account", &editor).await;
    assert!(
        account.body.contains("<bdi>salma</bdi>"),
        "{}",
        account.body
    );
    let refused = get_as(&app, "/upload", &reader).await;
    assert!(
        refused.body.contains("حسابك لا يملك صلاحية"),
        "{}",
        refused.body
    );

    let wrong_name = sign_in_attempt(&app, Some("nobody"), PASSWORD, "/").await;
    assert_eq!(wrong_name.status, 401);
    assert!(
        wrong_name
            .body
            .contains("اسم المستخدم أو كلمة المرور غير صحيحة")
    );
    let form = app.get("/login").await;
    assert!(form.body.contains(r#"name="username""#));
}

/// Catches sessions that keep the role they signed in with (a demoted
/// editor could still upload) and a removal that leaves sessions alive.
#[tokio::test]
async fn a_new_role_or_a_removal_applies_to_live_sessions_at_once() {
    use arshif::auth::Role;
    let app = TestApp::empty().await;
    add_user(&app, "salma", Role::Editor).await;
    let editor = session(&app, Some("salma"), PASSWORD).await;
    assert_eq!(get_as(&app, "/upload", &editor).await.status, 200);
    arshif::accounts::set_role(&app.db, "cli", "salma", Role::Reader)
        .await
        .unwrap();
    assert_eq!(get_as(&app, "/upload", &editor).await.status, 403);
    arshif::accounts::remove(&app.db, "cli", "salma")
        .await
        .unwrap();
    let gone = get_as(&app, "/upload", &editor).await;
    assert_eq!(gone.status, 303);
    assert_eq!(gone.header("location"), "/login?next=%2Fupload");
}

/// Catches API tokens that act as admin whoever they belong to.
#[tokio::test]
async fn an_api_token_acts_with_its_users_role() {
    use arshif::auth::{Role, tokens};
    let app = TestApp::empty().await;
    add_user(&app, "salma", Role::Editor).await;
    add_user(&app, "omar", Role::Reader).await;
    let mut conn = app.db.write.acquire().await.unwrap();
    let (editor, reader) = (tokens::generate(), tokens::generate());
    arshif::store::auth::create_token_for(&mut conn, "e", &tokens::hash(&editor), "salma")
        .await
        .unwrap();
    arshif::store::auth::create_token_for(&mut conn, "r", &tokens::hash(&reader), "omar")
        .await
        .unwrap();
    drop(conn);
    let post = |token: String| {
        Request::post("/api/imports")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "multipart/form-data; boundary=XX")
            .body(Body::from("--XX--\r\n"))
            .unwrap()
    };
    let refused = app.send(post(reader)).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("\"status\":403"), "{}", refused.body);
    let allowed = app.send(post(editor)).await;
    assert_eq!(allowed.status, 400, "past the role check: {}", allowed.body);
}

/// Catches a /users page that changes accounts without the form token, a
/// removal without its confirmation page, a last admin that can be
/// demoted, and changes that leave no audit entry naming who made them.
#[tokio::test]
async fn admins_manage_users_on_the_page_and_every_change_is_audited() {
    let app = TestApp::empty().await;
    set_admin_password(&app).await;
    let admin = session(&app, None, PASSWORD).await;
    let token = csrf(&app, &admin).await;

    let forged = post_as(
        &app,
        "/users",
        &admin,
        "name=x&password=a-long-password&role=reader",
    )
    .await;
    assert_eq!(forged.status, 403);
    let body = format!("csrf={token}&name=salma&password={PASSWORD}&role=editor");
    let added = post_as(&app, "/users", &admin, &body).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let list = get_as(&app, "/users", &admin).await;
    assert!(
        list.body.contains(r#"<bdi class="whole">salma</bdi>"#),
        "{}",
        list.body
    );
    let again = post_as(&app, "/users", &admin, &body).await;
    assert_eq!(again.status, 409);
    assert!(
        again.body.contains("يوجد مستخدم باسم «salma»"),
        "{}",
        again.body
    );

    let demote = format!("csrf={token}&role=reader");
    let last = post_as(&app, "/users/admin/role", &admin, &demote).await;
    assert_eq!(last.status, 409);
    assert!(last.body.contains("المشرف الوحيد"), "{}", last.body);
    let promote = format!("csrf={token}&role=admin");
    assert_eq!(
        post_as(&app, "/users/salma/role", &admin, &promote)
            .await
            .status,
        303
    );

    let confirm = get_as(&app, "/users/salma/remove", &admin).await;
    assert_eq!(confirm.status, 200);
    assert!(
        confirm.body.contains("حذف المستخدم <bdi>salma</bdi>؟"),
        "{}",
        confirm.body
    );
    let without = post_as(&app, "/users/salma/remove", &admin, "csrf=wrong").await;
    assert_eq!(without.status, 403);
    let removed = post_as(
        &app,
        "/users/salma/remove",
        &admin,
        &format!("csrf={token}"),
    )
    .await;
    assert_eq!(removed.status, 303);
    assert!(
        !get_as(&app, "/users", &admin)
            .await
            .body
            .contains(r#"<bdi class="whole">salma</bdi>"#)
    );

    let admin = |action: &str, detail: &str| {
        (
            "admin".to_owned(),
            action.to_owned(),
            "salma".to_owned(),
            detail.to_owned(),
        )
    };
    assert_eq!(
        audit_rows(&app).await,
        [
            admin("user.add", "editor"),
            admin("user.role", "editor → admin"),
            admin("user.remove", "admin"),
        ]
    );
}

/// Catches an audit page that shows everything at once or loses entries
/// between its pages.
#[tokio::test]
async fn the_audit_page_lists_changes_newest_first_a_page_at_a_time() {
    let app = TestApp::empty().await;
    set_admin_password(&app).await;
    let mut conn = app.db.write.acquire().await.unwrap();
    for n in 1..=55 {
        let subject = format!("subject-{n}");
        let change = arshif::store::audit::Change {
            actor: "admin",
            action: "article.remove",
            subject: &subject,
            detail: "طلب الناشر",
        };
        arshif::store::audit::record(&mut conn, change)
            .await
            .unwrap();
    }
    drop(conn);
    let admin = session(&app, None, PASSWORD).await;
    let first = get_as(&app, "/audit", &admin).await;
    assert_eq!(first.status, 200);
    assert!(first.body.contains("subject-55") && first.body.contains("subject-6<"));
    assert!(!first.body.contains("subject-5<"), "fifty to a page");
    assert!(first.body.find("subject-55").unwrap() < first.body.find("subject-54").unwrap());
    assert!(first.body.contains("حذف مقال"));
    let older = first
        .body
        .split(r#"class="older" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to older entries")
        .to_owned();
    let second = get_as(&app, &older, &admin).await;
    for n in 1..=5 {
        assert!(second.body.contains(&format!("subject-{n}<")), "{n}");
    }
    assert!(!second.body.contains("subject-6<"));
    let account = get_as(&app, "/account", &admin).await;
    assert!(
        account.body.contains(r#"href="/audit""#),
        "linked for admins"
    );
}
