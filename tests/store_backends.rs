//! Store functions run on every backend of the run, so each behaves the
//! same on SQLite and on PostgreSQL: SQLite always, PostgreSQL when
//! `ARSHIF_TEST_POSTGRES` names a server (`.ci/run` starts one; without
//! it these run on SQLite only and say so). These are the tables several
//! serving nodes share: settings, import runs, accounts, sessions, API
//! tokens, the audit log; and how a list of relations that fails is
//! undone.

use arshif::auth::Role;
use arshif::store::audit::{self, Change};
use arshif::store::relations::{self, Relation, RelationKind};
use arshif::store::{Db, auth, imports, settings, users};
use arshif_testkit::postgres::TestDatabase;

use crate::support::Scratch;

/// One fresh archive per backend, with what keeps them alive.
pub(crate) struct Backends {
    pub dbs: Vec<(&'static str, Db)>,
    _sqlite: Scratch,
    _postgres: Option<TestDatabase>,
}

pub(crate) async fn backends(test: &str) -> Backends {
    let scratch = Scratch::sqlite();
    let mut dbs = vec![("SQLite", Db::open(&scratch.db()).await.unwrap())];
    let postgres = TestDatabase::create().await;
    match &postgres {
        Some(pg) => dbs.push(("PostgreSQL", Db::open_postgres(pg.url()).await.unwrap())),
        None => eprintln!("{test}: PostgreSQL skipped, ARSHIF_TEST_POSTGRES is not set"),
    }
    Backends {
        dbs,
        _sqlite: scratch,
        _postgres: postgres,
    }
}

/// Catches a setting that is not replaced on the second write.
#[tokio::test]
async fn settings_are_read_back_and_replaced() {
    for (backend, db) in &backends("settings").await.dbs {
        let conn = &mut *db.write.acquire().await.unwrap();
        assert_eq!(settings::get(conn, "k").await.unwrap(), None, "{backend}");
        settings::set(conn, "k", "one").await.unwrap();
        settings::set(conn, "k", "two").await.unwrap();
        assert_eq!(
            settings::get(conn, "k").await.unwrap().as_deref(),
            Some("two"),
            "{backend}"
        );
    }
}

/// Catches an import run whose progress, report, starter or undo is lost,
/// list pages in the wrong order, or running uploads left running after a
/// restart.
#[tokio::test]
async fn an_import_run_is_recorded_from_start_to_undo() {
    for (backend, db) in &backends("imports").await.dbs {
        let conn = &mut *db.write.acquire().await.unwrap();
        let cli = imports::create(conn, "cli", "running").await.unwrap();
        imports::set_total(conn, cli, 3).await.unwrap();
        imports::set_progress(conn, cli, 2, 40).await.unwrap();
        imports::set_started_by(conn, cli, "salma").await.unwrap();
        imports::finish(conn, cli, "done", r#"{"ok":true}"#)
            .await
            .unwrap();
        imports::set_undone(conn, cli, r#"{"removed":1}"#)
            .await
            .unwrap();
        let row = imports::get(conn, cli).await.unwrap().unwrap();
        assert_eq!(
            (
                row.status.as_str(),
                row.files_total,
                row.files_done,
                row.articles_done
            ),
            ("undone", Some(3), 2, 40),
            "{backend}"
        );
        assert_eq!(row.report.as_deref(), Some(r#"{"ok":true}"#), "{backend}");
        assert_eq!(
            row.undo_report.as_deref(),
            Some(r#"{"removed":1}"#),
            "{backend}"
        );
        assert!(row.finished_at.is_some(), "{backend}");
        let starter = imports::started_by(conn, cli).await.unwrap();
        assert_eq!(starter.as_deref(), Some("salma"), "{backend}");

        let upload = imports::create(conn, "upload", "queued").await.unwrap();
        assert!(upload > cli, "{backend}: ids grow");
        assert_eq!(
            imports::mark_interrupted(conn).await.unwrap(),
            1,
            "{backend}"
        );
        let upload_row = imports::get(conn, upload).await.unwrap().unwrap();
        assert_eq!(upload_row.status, "interrupted", "{backend}");
        let newest: Vec<i64> = imports::list(conn, i64::MAX, 1)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(newest, [upload], "{backend}");
        let older: Vec<i64> = imports::list(conn, upload, 10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(older, [cli], "{backend}");
    }
}

/// Catches accounts that can be added twice, roles or passwords that do
/// not change, feed tokens not found, or a removed account that keeps its
/// sessions.
#[tokio::test]
async fn accounts_keep_their_role_password_and_feed_token() {
    for (backend, db) in &backends("accounts").await.dbs {
        let conn = &mut *db.write.acquire().await.unwrap();
        assert!(
            users::add(conn, "salma", "h1", Role::Editor).await.unwrap(),
            "{backend}"
        );
        assert!(
            !users::add(conn, "salma", "h2", Role::Reader).await.unwrap(),
            "{backend}"
        );
        let found = users::find(conn, "salma").await.unwrap().unwrap();
        assert_eq!(found.role(), Role::Editor, "{backend}");
        assert!(
            users::set_role(conn, "salma", Role::Admin).await.unwrap(),
            "{backend}"
        );
        assert_eq!(
            users::other_admins(conn, "salma").await.unwrap(),
            1,
            "{backend}"
        );
        users::set_password(conn, "salma", "h3").await.unwrap();
        let hash = users::password_hash(conn, "salma").await.unwrap();
        assert_eq!(hash.as_deref(), Some("h3"), "{backend}");
        users::set_feed_token(conn, "salma", Some("feed"))
            .await
            .unwrap();
        let by_token = users::by_feed_token(conn, "feed").await.unwrap();
        assert_eq!(
            by_token,
            Some(("salma".to_owned(), Role::Admin)),
            "{backend}"
        );
        let names: Vec<String> = users::list(conn)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["admin", "salma"], "{backend}");

        auth::create_session(conn, b"s1", "csrf", "2999-01-01T00:00:00Z", "salma")
            .await
            .unwrap();
        assert!(users::remove(conn, "salma").await.unwrap(), "{backend}");
        assert!(
            auth::session(conn, b"s1").await.unwrap().is_none(),
            "{backend}"
        );
        assert!(!users::remove(conn, "salma").await.unwrap(), "{backend}");
    }
}

/// Catches sessions that outlive their expiry or their sign-out, known
/// devices not replaced when seen again, and API tokens that still work
/// once revoked.
#[tokio::test]
async fn sessions_devices_and_tokens_live_in_the_database() {
    for (backend, db) in &backends("sessions").await.dbs {
        let conn = &mut *db.write.acquire().await.unwrap();
        auth::create_session(conn, b"live", "c1", "2999-01-01T00:00:00Z", "admin")
            .await
            .unwrap();
        auth::create_session(conn, b"old", "c2", "2000-01-01T00:00:00Z", "admin")
            .await
            .unwrap();
        let live = auth::session(conn, b"live").await.unwrap().unwrap();
        assert_eq!(
            (live.csrf.as_str(), live.user.as_str()),
            ("c1", "admin"),
            "{backend}"
        );
        assert_eq!(live.role(), Role::Admin, "{backend}");
        assert!(
            auth::session(conn, b"old").await.unwrap().is_none(),
            "{backend}"
        );
        assert_eq!(
            auth::delete_expired_sessions(conn).await.unwrap(),
            1,
            "{backend}"
        );
        auth::delete_session(conn, b"live").await.unwrap();
        assert!(
            auth::session(conn, b"live").await.unwrap().is_none(),
            "{backend}"
        );

        auth::add_known_device(conn, b"d", "admin", "2000-01-01T00:00:00Z")
            .await
            .unwrap();
        assert!(
            !auth::is_known_device(conn, b"d", "admin").await.unwrap(),
            "{backend}"
        );
        auth::add_known_device(conn, b"d", "admin", "2999-01-01T00:00:00Z")
            .await
            .unwrap();
        assert!(
            auth::is_known_device(conn, b"d", "admin").await.unwrap(),
            "{backend}"
        );

        let id = auth::create_token(conn, "script", b"t").await.unwrap();
        let token = auth::find_token(conn, b"t").await.unwrap().unwrap();
        assert_eq!((token.id, token.user.as_str()), (id, "admin"), "{backend}");
        auth::mark_token_used(conn, id).await.unwrap();
        let listed = auth::list_tokens(conn).await.unwrap();
        assert!(listed[0].last_used.is_some(), "{backend}");
        assert!(auth::revoke_token(conn, id).await.unwrap(), "{backend}");
        assert!(!auth::revoke_token(conn, id).await.unwrap(), "{backend}");
        assert!(
            auth::find_token(conn, b"t").await.unwrap().is_none(),
            "{backend}"
        );
    }
}

/// Catches an audit log listed out of order or past its page.
#[tokio::test]
async fn the_audit_log_pages_newest_first() {
    for (backend, db) in &backends("audit").await.dbs {
        let conn = &mut *db.write.acquire().await.unwrap();
        for subject in ["1", "2", "3"] {
            let change = Change {
                actor: "admin",
                action: "article.remove",
                subject,
                detail: "طلب الناشر",
            };
            audit::record(conn, change).await.unwrap();
        }
        let first = audit::page(conn, None, 2).await.unwrap();
        let subjects: Vec<&str> = first.iter().map(|e| e.subject.as_str()).collect();
        assert_eq!(subjects, ["3", "2"], "{backend}");
        let rest = audit::page(conn, Some(first[1].id), 2).await.unwrap();
        let subjects: Vec<&str> = rest.iter().map(|e| e.subject.as_str()).collect();
        assert_eq!(subjects, ["1"], "{backend}");
        assert_eq!(rest[0].detail, "طلب الناشر", "{backend}");
    }
}

/// Catches a list of relations with a bad row that half-stores: on SQLite
/// the rows go in as `INSERT OR FAIL` (no statement journal), which keeps
/// the rows before a failing one until the transaction ends, so the
/// statement must fail, and the transaction it ends must leave none.
#[tokio::test]
async fn relations_with_a_bad_row_fail_and_their_transaction_keeps_none() {
    let link = |article_id, other_id| Relation {
        article_id,
        other_id,
        kind: RelationKind::Similar,
        score: 0.5,
        reason: None,
    };
    for (backend, db) in &backends("relations").await.dbs {
        let mut tx = db.write.begin_writing().await.unwrap();
        let rows = [link(1, 2), link(1, 3), link(4, 4), link(5, 6)];
        let failed = relations::add(&mut tx, &rows).await;
        assert!(failed.is_err(), "{backend}: a self-link must fail");
        drop(tx);
        let mut tx = db.write.begin_writing().await.unwrap();
        let added = relations::add(&mut tx, &[link(1, 2), link(1, 2), link(7, 8)]).await;
        assert_eq!(added.unwrap(), 2, "{backend}: a repeated link is not new");
        tx.commit().await.unwrap();
        let conn = &mut *db.read.acquire().await.unwrap();
        let mut kept = relations::similar_lists(conn, &[1, 4, 5, 7]).await.unwrap();
        kept.sort_by_key(|l| (l.0, l.1));
        assert_eq!(kept, [(1, 2, 0.5), (7, 8, 0.5)], "{backend}");
    }
}
