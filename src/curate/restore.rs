//! `restore-article`: undoes a takedown whose original was kept. The kept
//! files are read again as a reparse reads them; the article comes back
//! under the same permalink (derived from its identity), relations are
//! worked out for it, and the other articles of those files keep exactly
//! what they had.

use std::collections::HashSet;

use crate::archive::Archive;
use crate::dump::Limits;
use crate::ingest::reparse;
use crate::related;
use crate::store::audit::{self, Change};
use crate::store::{browse, removal, takedowns};

use super::CurateError;

pub async fn restore(
    archive: &Archive,
    permalink: &str,
    actor: &str,
    limits: &Limits,
) -> Result<(), CurateError> {
    let mut run = archive.relating.hold().await;
    let mut tx = run.begin(&archive.db).await?;
    let Some(stone) = takedowns::get(&mut tx, permalink).await? else {
        let back = browse::article(&mut tx, permalink).await?.is_some();
        return Err(match back {
            true => CurateError::AlreadyBack(permalink.to_owned()),
            false => CurateError::NotRemoved(permalink.to_owned()),
        });
    };
    let mut files: Vec<i64> = takedowns::kept_files(&mut tx, permalink)
        .await?
        .into_iter()
        .map(|(file, _)| file)
        .collect();
    files.dedup();
    if !stone.kept_original || files.is_empty() {
        return Err(CurateError::OriginalGone(permalink.to_owned()));
    }
    takedowns::delete(&mut tx, permalink).await?;
    let none = HashSet::new();
    reparse::reread_files(&mut tx, stone.created_import, &files, &none, limits).await?;
    let back = removal::by_permalinks(&mut tx, &[permalink.to_owned()]).await?;
    let Some(article) = back.first() else {
        // The parser of today reads the kept file as another article.
        tx.rollback().await?;
        return Err(CurateError::OriginalGone(permalink.to_owned()));
    };
    related::relate_batch(&mut tx, &[article.id]).await?;
    super::recount(&mut tx).await?;
    let change = Change {
        actor,
        action: "article.restore",
        subject: permalink,
        detail: &stone.reason,
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    run.release();
    drop(run);
    super::refresh_search(archive).await;
    Ok(())
}
