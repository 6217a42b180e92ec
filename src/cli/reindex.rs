//! `arshif reindex`, and the index check every command that writes runs
//! first: the search index (beside the database, or `--index-dir`) is
//! opened, rebuilt when missing or made by another analyzer, and caught up
//! with the database's change log.

use std::path::Path;

use crate::archive::Archive;
use crate::config::DbArgs;
use crate::search::index;

use super::CliError;
use super::progress::Progress;

pub async fn run(args: DbArgs) -> Result<(), CliError> {
    let archive = Archive::open_for_batch(&args.db).await?;
    let progress = Progress::new("indexing", "search index");
    let indexed = index::rebuild(
        &archive.search,
        args.index_dir.as_deref(),
        &|done, total| progress.show(done, total),
    )
    .await;
    progress.finish();
    archive.close().await;
    eprintln!("search index rebuilt: {} articles", indexed?);
    Ok(())
}

/// Opens the index and brings it up to date, with a progress bar on a
/// terminal (a log line otherwise) when it has to be built.
pub async fn ensure(archive: &Archive, dir: Option<&Path>) -> Result<(), CliError> {
    let progress = Progress::new("indexing", "search index");
    let opened = index::open(&archive.search, dir, &|done, total| {
        progress.show(done, total)
    })
    .await;
    progress.finish();
    let opened = opened?;
    tracing::debug!(dir = %opened.dir().display(), writer = opened.is_writer().await, "search index open");
    Ok(())
}
