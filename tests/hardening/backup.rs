//! `arshif backup` while imports write, and `arshif restore`: every backup
//! holds whole imports only (each import here is one batch, one
//! transaction), the restored archive exports exactly what an archive
//! built from those imports alone exports, and `serve` serves it. A
//! restore refuses an archive that holds articles without `--force`, and
//! any archive another process has open.

use std::path::{Path, PathBuf};
use std::process::Output;

use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::support::{Scratch, arshif_db, only_on_sqlite};

use super::pages;
use super::server::Server;

const PARTS: usize = 4;
/// Pages per import: under one batch (4,096), so an import is one commit.
const PAGES: usize = 300;

async fn read_only(db: &Path) -> sqlx::SqliteConnection {
    SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .unwrap()
}

async fn articles_in(db: &Path) -> i64 {
    let mut conn = read_only(db).await;
    sqlx::query_scalar("SELECT COUNT(*) FROM articles")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

fn succeeded(out: Output, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{what} failed: {stderr}");
    stderr
}

fn export_lines(db: &Path) -> Vec<String> {
    let out = arshif_db(db, &["export"]);
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_taken_during_imports_restores_whole_imports_and_serves() {
    if only_on_sqlite(
        "backup",
        "`arshif backup`/`restore` copy a SQLite file; a PostgreSQL archive is backed up with pg_dump",
    ) {
        return;
    }
    let s = Scratch::new();
    let parts: Vec<PathBuf> = (0..PARTS)
        .map(|p| pages::part(s.dir.path(), p, PAGES))
        .collect();
    let source = s.db();
    let importer = {
        let (parts, source) = (parts.clone(), source.clone());
        std::thread::spawn(move || {
            for part in &parts {
                succeeded(
                    arshif_db(&source, &["import", part.to_str().unwrap()]),
                    "import",
                );
            }
        })
    };
    let mut mid_run = None;
    let mut n = 0;
    while !importer.is_finished() {
        if !source.exists() {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            continue;
        }
        n += 1;
        let file = s.path(&format!("backup-{n}.db"));
        let out = arshif_db(&source, &["backup", file.to_str().unwrap()]);
        if !out.status.success() {
            // The first import may not have made the archive yet.
            continue;
        }
        let count = articles_in(&file).await;
        assert_eq!(
            count % PAGES as i64,
            0,
            "backup {n} holds part of an import: {count}"
        );
        if count > 0 && count < (PARTS * PAGES) as i64 && mid_run.is_none() {
            mid_run = Some((file, count as usize / PAGES));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    importer.join().unwrap();
    let (backup, imports) = mid_run.expect("a backup taken while the imports ran");
    println!("{n} backups during the imports; restoring one with {imports} of {PARTS} imports");

    let restored = s.path("restored/archive.db");
    let restore = arshif_db(&restored, &["restore", backup.to_str().unwrap()]);
    succeeded(restore, "restore into a new archive");
    let reference = Scratch::new();
    for part in &parts[..imports] {
        reference.import(&[part]);
    }
    let restored_articles: Vec<serde_json::Value> = export_lines(&restored)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected = reference.export();
    assert_eq!(restored_articles.len(), expected.len());
    let differing = restored_articles
        .iter()
        .zip(&expected)
        .position(|(a, b)| a != b);
    assert!(
        differing.is_none(),
        "the restored archive is not the archive of its whole imports: article {differing:?}"
    );
    serves_and_refuses_to_be_overwritten(&restored, &backup);
}

fn serves_and_refuses_to_be_overwritten(restored: &Path, backup: &Path) {
    let server = Server::start(restored, &[], &[]);
    assert_eq!(server.get("/").status, 200);
    let first = export_lines(restored).remove(0);
    let url: serde_json::Value = serde_json::from_str(&first).unwrap();
    let article = server.get(&arshif::urls::article_encoded(
        url["id"].as_str().unwrap(),
        url["url"].as_str().unwrap().rsplit('/').next().unwrap(),
    ));
    assert_eq!(article.status, 200);
    let busy = arshif_db(restored, &["restore", "--force", backup.to_str().unwrap()]);
    assert_eq!(busy.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&busy.stderr).contains("open in another process"));
    server.stop();
    let unforced = arshif_db(restored, &["restore", backup.to_str().unwrap()]);
    assert_eq!(unforced.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unforced.stderr);
    assert!(
        stderr.contains("--force") && stderr.lines().count() == 1,
        "{stderr}"
    );
    succeeded(
        arshif_db(restored, &["restore", "--force", backup.to_str().unwrap()]),
        "a forced restore",
    );
}

#[test]
fn a_backup_refuses_to_overwrite_its_own_archive_and_a_restore_checks_its_file() {
    if only_on_sqlite(
        "backup",
        "`arshif backup`/`restore` copy a SQLite file; a PostgreSQL archive is backed up with pg_dump",
    ) {
        return;
    }
    let s = Scratch::new();
    s.import(&[Path::new(crate::support::SEED)]);
    let onto_itself = s.arshif(&["backup", s.db().to_str().unwrap()]);
    assert_eq!(onto_itself.status.code(), Some(1));
    assert_eq!(s.export().len(), 2, "the archive is untouched");
    let not_a_backup = s.file("notes.db", "not a database at all, just text");
    let out = arshif_db(
        &s.path("new.db"),
        &["restore", not_a_backup.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an Arshif backup"));
    assert!(!s.path("new.db").exists());
}

async fn page_size(db: &Path) -> i64 {
    let mut conn = read_only(db).await;
    sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// Catches new archives made in SQLite's default 4 KiB pages (an article
/// row or an original of a few kilobytes then fills a page alone: a
/// quarter of the file stays empty) and a backup that keeps an older
/// archive's small pages, which would leave it no way to the new size.
#[tokio::test(flavor = "multi_thread")]
async fn new_archives_and_backups_are_in_16_kib_pages() {
    if only_on_sqlite("page size", "pages of a SQLite file") {
        return;
    }
    let s = Scratch::new();
    s.import(&[Path::new(crate::support::SEED)]);
    assert_eq!(page_size(&s.db()).await, 16_384, "a new archive");

    // An archive from before, in 4 KiB pages.
    let old = s.path("old.db");
    {
        let mut conn = read_only(&s.db()).await;
        sqlx::query("PRAGMA page_size = 4096")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("VACUUM INTO $1")
            .bind(old.to_str().unwrap())
            .execute(&mut conn)
            .await
            .unwrap();
    }
    assert_eq!(page_size(&old).await, 4096);
    let backup = s.path("old-backup.db");
    succeeded(
        arshif_db(&old, &["backup", backup.to_str().unwrap()]),
        "backup",
    );
    let restored = s.path("restored/archive.db");
    succeeded(
        arshif_db(&restored, &["restore", backup.to_str().unwrap()]),
        "restore",
    );
    assert_eq!(page_size(&restored).await, 16_384, "backed up and restored");
    assert_eq!(export_lines(&restored), export_lines(&s.db()));
}
