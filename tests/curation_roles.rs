//! Who may take articles down and undo imports on the web: admins and
//! editors take down, readers never; an editor undoes only an import they
//! started, and the audit log names the account that acted (issue 19).

use arshif::auth::Role;
use arshif::dispatch;

use crate::accounts::{add_user, get_as, session, set_admin_password};
use crate::live::hidden;
use crate::support::{Scratch, TestApp, pages};

const PASSWORD: &str = "a-long-test-password";

async fn first_article(app: &TestApp) -> String {
    dispatch!(app.db.read, |c| sqlx::query_scalar(
        "SELECT permalink FROM articles ORDER BY id LIMIT 1"
    )
    .fetch_one(c)
    .await)
    .unwrap()
}

async fn post_as(app: &TestApp, uri: &str, cookie: &str, body: String) -> crate::support::Reply {
    let request = axum::http::Request::post(uri)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(request).await
}

/// Catches the takedown and undo handlers going back to "admins only" (the
/// editor would get 403), or losing their role check (the reader would
/// see the form), or an audit entry naming someone other than the actor.
#[tokio::test]
async fn editors_take_down_readers_cannot_and_undo_is_for_the_import_s_owner() {
    let scratch = Scratch::new();
    let app = TestApp::with(&[pages(&scratch, Some(6)).as_path()]).await;
    set_admin_password(&app).await;
    add_user(&app, "hala", Role::Editor).await;
    add_user(&app, "omar", Role::Reader).await;
    let (editor, reader) = (
        session(&app, Some("hala"), PASSWORD).await,
        session(&app, Some("omar"), PASSWORD).await,
    );
    let id = first_article(&app).await;
    let remove = format!("/a/{id}/remove");

    let page = get_as(&app, &format!("/a/{id}"), &reader).await;
    let page = get_as(&app, page.header("location"), &reader).await;
    assert!(
        !page.body.contains(&remove),
        "a reader sees no takedown button"
    );
    assert_eq!(get_as(&app, &remove, &reader).await.status, 403);
    let form = format!("csrf=x&reason={}", arshif::urls::query_value("سبب"));
    assert_eq!(post_as(&app, &remove, &reader, form).await.status, 403);

    let page = get_as(&app, &format!("/a/{id}"), &editor).await;
    let page = get_as(&app, page.header("location"), &editor).await;
    assert!(page.body.contains(&remove), "an editor sees the button");
    let confirm = get_as(&app, &remove, &editor).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let body = format!(
        "csrf={}&reason={}",
        hidden(&confirm.body, "csrf"),
        arshif::urls::query_value("طلب الناشر")
    );
    assert_eq!(post_as(&app, &remove, &editor, body).await.status, 303);
    assert_eq!(app.get(&format!("/a/{id}")).await.status, 410);
    let (actor, action): (String, String) = dispatch!(app.db.read, |c| sqlx::query_as(
        "SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 1"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    assert_eq!(
        (actor.as_str(), action.as_str()),
        ("hala", "article.remove")
    );

    // The import was made on the command line: only an admin may undo it,
    // until it is hala's own.
    let import: i64 = dispatch!(app.db.read, |c| sqlx::query_scalar(
        "SELECT max(id) FROM imports"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    let undo = format!("/imports/{import}/undo");
    assert_eq!(get_as(&app, &undo, &editor).await.status, 403);
    assert_eq!(get_as(&app, &undo, &reader).await.status, 403);
    let mut conn = app.db.write.acquire().await.unwrap();
    arshif::store::imports::set_started_by(&mut conn, import, "hala")
        .await
        .unwrap();
    drop(conn);
    assert_eq!(get_as(&app, &undo, &editor).await.status, 200);
    assert_eq!(get_as(&app, &undo, &reader).await.status, 403);
}
