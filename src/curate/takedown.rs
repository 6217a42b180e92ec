//! Taking articles down: each leaves every list, count, feed, sitemap,
//! search result and related list at once; its permalink keeps a tombstone
//! (410 Gone: when and why, never the text); its original files are deleted
//! unless kept, and read-also items only those files knew go with them.

use std::collections::HashSet;

use serde::Serialize;

use crate::archive::Archive;
use crate::related::RelatingTx;
use crate::store;
use crate::store::audit::{self, Change};
use crate::store::removal::{self, Doomed};
use crate::store::takedowns::{self, Tombstone};

use super::CurateError;
use super::remove::{PER_TRANSACTION, remove};

/// How a takedown is made.
#[derive(Debug, Clone, Copy)]
pub struct Takedown<'a> {
    pub reason: &'a str,
    /// Keep the original files (hidden, but `restore-article` can use them).
    pub keep_original: bool,
    /// Who asks (the audit log's actor).
    pub actor: &'a str,
}

/// What a takedown did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TakedownReport {
    /// Permalinks taken down now.
    pub removed: Vec<String>,
    /// Permalinks that had been taken down before.
    pub already_removed: Vec<String>,
    /// Permalinks the archive does not know.
    pub unknown: Vec<String>,
    /// Read-also items that only the deleted files named, removed with them.
    pub items_removed: u64,
    pub files_deleted: u64,
    /// Other articles whose relations were worked out again.
    pub related_again: u64,
}

pub async fn take_down(
    archive: &Archive,
    permalinks: &[String],
    how: Takedown<'_>,
) -> Result<TakedownReport, CurateError> {
    let mut report = TakedownReport::default();
    let asked: HashSet<&str> = permalinks.iter().map(String::as_str).collect();
    let mut gone: HashSet<String> = HashSet::new();
    let mut run = archive.relating.hold().await;
    for chunk in permalinks.chunks(PER_TRANSACTION) {
        // An id asked for may have gone already in this run, as a read-also
        // item only an earlier page's files named.
        let chunk: Vec<String> = chunk
            .iter()
            .filter(|p| !gone.contains(*p))
            .cloned()
            .collect();
        let before = report.removed.len();
        let mut tx = run.begin(&archive.db).await?;
        take_down_chunk(&mut tx, &chunk, &asked, how, &mut report).await?;
        tx.commit().await?;
        gone.extend(report.removed[before..].iter().cloned());
    }
    run.release();
    drop(run);
    super::refresh_search(archive).await;
    Ok(report)
}

/// Takes down the articles `chunk` names, in one transaction, and adds
/// what it did to `report`.
async fn take_down_chunk(
    tx: &mut RelatingTx<'_>,
    chunk: &[String],
    asked: &HashSet<&str>,
    how: Takedown<'_>,
    report: &mut TakedownReport,
) -> Result<(), CurateError> {
    let doomed = removal::by_permalinks(tx, chunk).await?;
    for permalink in chunk
        .iter()
        .filter(|p| !doomed.iter().any(|d| &d.permalink == *p))
    {
        match takedowns::get(tx, permalink).await? {
            Some(_) => report.already_removed.push(permalink.clone()),
            None => report.unknown.push(permalink.clone()),
        }
    }
    let ids: Vec<i64> = doomed.iter().map(|d| d.id).collect();
    let mut provenance = removal::provenance(tx, &ids).await?;
    let (files, items) = if how.keep_original {
        (Vec::new(), Vec::new())
    } else {
        let files = removal::page_files(tx, &ids).await?;
        let mut items = removal::only_from(tx, &files).await?;
        items.retain(|id| !ids.contains(id));
        (files, removal::by_ids_doomed(tx, &items).await?)
    };
    // Items asked for by name are taken down as asked (with a tombstone);
    // the others go silently with the files that named them.
    let (items_asked, items): (Vec<Doomed>, Vec<Doomed>) = items
        .into_iter()
        .partition(|d| asked.contains(d.permalink.as_str()));
    let taken: Vec<Doomed> = doomed.into_iter().chain(items_asked).collect();
    for d in &taken {
        let kept = match how.keep_original {
            true => provenance.remove(&d.id).unwrap_or_default(),
            false => Vec::new(),
        };
        tombstone(tx, d, &kept, how).await?;
    }
    report.items_removed += items.len() as u64;
    report.files_deleted += files.len() as u64;
    let all: Vec<Doomed> = taken.iter().cloned().chain(items).collect();
    report.related_again += remove(tx, &all, &files).await?;
    report
        .removed
        .extend(taken.into_iter().map(|d| d.permalink));
    Ok(())
}

/// Writes an article's tombstone and the audit entry of its takedown.
async fn tombstone(
    conn: &mut crate::store::Conn,
    d: &Doomed,
    kept: &[(i64, i64)],
    how: Takedown<'_>,
) -> Result<(), CurateError> {
    let stone = Tombstone {
        permalink: d.permalink.clone(),
        identity: d.identity.clone(),
        removed_at: store::now(),
        reason: how.reason.to_owned(),
        created_import: d.created_import,
        kept_original: how.keep_original,
    };
    takedowns::insert(conn, &stone, kept).await?;
    let detail = match how.keep_original {
        true => format!("{} (original kept)", how.reason),
        false => how.reason.to_owned(),
    };
    let change = Change {
        actor: how.actor,
        action: "article.remove",
        subject: &d.permalink,
        detail: &detail,
    };
    Ok(audit::record(conn, change).await?)
}
