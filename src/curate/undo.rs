//! Undoing an import: every article it created that no other import also
//! supplied is removed silently (404, no tombstone: it was never meant to
//! be there); every other article its files held is read again from the
//! remaining files, so what the import added to it (a date, tags, its full
//! text) goes; then its files are deleted. The report says what went and
//! what stayed, and why.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::archive::Archive;
use crate::dump::Limits;
use crate::ingest::reparse;
use crate::ingest::report::Problem;
use crate::related;
use crate::store::audit::{self, Change};
use crate::store::imports;
use crate::store::removal::{self, Doomed};

use super::CurateError;
use super::remove::{PER_TRANSACTION, remove};

/// Articles named in a report or a confirmation page; counts are complete.
pub const LISTED: usize = 500;
/// Articles related again per transaction after the rollback.
const RELATE_PER_TRANSACTION: usize = 1024;

/// What undoing an import will do (the confirmation page shows it).
#[derive(Debug, Clone, Default)]
pub struct UndoPlan {
    pub import_id: i64,
    /// Articles only this import supplied.
    pub removed: Vec<Doomed>,
    /// Articles other imports supplied too, with those imports.
    pub kept: Vec<(Doomed, Vec<i64>)>,
    /// The import's original files.
    pub files: Vec<i64>,
}

/// An article named in an undo report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub title: String,
    /// Kept articles: the other imports that supplied it (why it stays).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<i64>,
}

/// What undoing an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoReport {
    pub import_id: i64,
    pub removed: u64,
    pub kept: u64,
    pub files_deleted: u64,
    /// Other articles whose relations were worked out again.
    pub related_again: u64,
    /// The first removed and kept articles (`LISTED` of each).
    pub removed_listed: Vec<Named>,
    pub kept_listed: Vec<Named>,
    /// Remaining files that no longer parse (their articles stay as they were).
    #[serde(default)]
    pub warnings: Vec<Problem>,
}

impl UndoReport {
    /// A one-screen summary for the terminal.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "import #{} undone: {} articles removed (only it supplied them), {} kept \
             (other imports supplied them too; read again from those), {} files deleted\n",
            self.import_id, self.removed, self.kept, self.files_deleted
        );
        for k in self.kept_listed.iter().take(20) {
            let others: Vec<String> = k.also_in.iter().map(|i| format!("#{i}")).collect();
            out.push_str(&format!(
                "  kept {}: also in import {}\n",
                k.id,
                others.join(", ")
            ));
        }
        out
    }
}

/// Reads what undoing `import_id` would remove and keep.
pub async fn plan(conn: &mut crate::store::Conn, import_id: i64) -> Result<UndoPlan, CurateError> {
    let supplied = removal::supplied_by(conn, import_id).await?;
    let ids: Vec<i64> = supplied.iter().map(|s| s.id).collect();
    let mut rows = removal::by_ids_doomed(conn, &ids).await?.into_iter();
    let mut plan = UndoPlan {
        import_id,
        files: removal::files_of_import(conn, import_id).await?,
        ..UndoPlan::default()
    };
    for s in supplied {
        let Some(row) = rows.next() else { break };
        debug_assert_eq!(row.id, s.id, "both in id order");
        match s.others {
            None => plan.removed.push(row),
            Some(others) => {
                let imports = others.split(',').filter_map(|i| i.parse().ok()).collect();
                plan.kept.push((row, imports));
            }
        }
    }
    Ok(plan)
}

/// Undoes import `import_id` (see the module doc).
pub async fn undo(
    archive: &Archive,
    import_id: i64,
    actor: &str,
    limits: &Limits,
) -> Result<UndoReport, CurateError> {
    let previous = start(&archive.db, import_id).await?;
    finish(archive, import_id, &previous, actor, limits).await
}

/// Marks the import as being undone, once it is known to exist and to be
/// neither running nor undone; returns its status before.
pub async fn start(db: &crate::store::Db, import_id: i64) -> Result<String, CurateError> {
    let mut conn = db.write.acquire().await?;
    let row = imports::get(&mut conn, import_id)
        .await?
        .ok_or(CurateError::UnknownImport(import_id))?;
    match row.status.as_str() {
        "queued" | "running" => return Err(CurateError::ImportRunning(import_id)),
        "undone" => return Err(CurateError::AlreadyUndone(import_id)),
        _ => {}
    }
    imports::set_status(&mut conn, import_id, "undoing").await?;
    Ok(row.status)
}

/// The work of an undo [`start`]ed before; a failure puts the import's
/// status back to `previous` (what was removed so far stays removed, and
/// undoing it again finishes the work).
pub async fn finish(
    archive: &Archive,
    import_id: i64,
    previous: &str,
    actor: &str,
    limits: &Limits,
) -> Result<UndoReport, CurateError> {
    let done = run(archive, import_id, actor, limits).await;
    if done.is_err() {
        let mut conn = archive.db.write.acquire().await?;
        imports::set_status(&mut conn, import_id, previous).await?;
    }
    done
}

async fn run(
    archive: &Archive,
    import_id: i64,
    actor: &str,
    limits: &Limits,
) -> Result<UndoReport, CurateError> {
    let db = &archive.db;
    let plan = plan(&mut *db.write.acquire().await?, import_id).await?;
    let mut report = listed(&plan);
    let mut run = archive.relating.hold().await;
    for chunk in plan.removed.chunks(PER_TRANSACTION) {
        let mut tx = run.begin(db).await?;
        report.related_again += remove(&mut tx, chunk, &[]).await?;
        tx.commit().await?;
    }
    let mut tx = run.begin(db).await?;
    let kept: Vec<i64> = plan.kept.iter().map(|(d, _)| d.id).collect();
    let files = removal::other_files(&mut tx, &kept, import_id).await?;
    let rewrite: HashSet<i64> = kept.iter().copied().collect();
    let (_, read) = reparse::reread_files(&mut tx, import_id, &files, &rewrite, limits).await?;
    report.warnings = read.warnings;
    for chunk in kept.chunks(RELATE_PER_TRANSACTION) {
        related::relate_batch(&mut tx, chunk).await?;
    }
    removal::delete_files(&mut tx, &plan.files).await?;
    super::recount(&mut tx).await?;
    let json = serde_json::to_string(&report).expect("report serializes");
    imports::set_undone(&mut tx, import_id, &json).await?;
    let detail = format!(
        "{} articles removed, {} kept (also supplied by other imports), {} files deleted",
        report.removed, report.kept, report.files_deleted
    );
    let subject = import_id.to_string();
    let change = Change {
        actor,
        action: "import.undo",
        subject: &subject,
        detail: &detail,
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    run.release();
    drop(run);
    super::refresh_search(archive).await;
    Ok(report)
}

/// The counts and named articles of a plan, as its report gives them.
pub fn listed(plan: &UndoPlan) -> UndoReport {
    let named = |d: &Doomed, also_in: Vec<i64>| Named {
        id: d.permalink.clone(),
        title: d.title.clone(),
        also_in,
    };
    UndoReport {
        import_id: plan.import_id,
        removed: plan.removed.len() as u64,
        kept: plan.kept.len() as u64,
        files_deleted: plan.files.len() as u64,
        removed_listed: plan
            .removed
            .iter()
            .take(LISTED)
            .map(|d| named(d, Vec::new()))
            .collect(),
        kept_listed: (plan.kept.iter().take(LISTED))
            .map(|(d, also)| named(d, also.clone()))
            .collect(),
        ..UndoReport::default()
    }
}
