//! `arshif reindex`, and the index check every command that writes runs
//! first: the search index is rebuilt when the Arabic analyzer changed.

use crate::config::DbArgs;
use crate::search::reindex;
use crate::store::Db;

use super::CliError;
use super::progress::Progress;

pub async fn run(args: DbArgs) -> Result<(), CliError> {
    let db = Db::open(&args.db).await?;
    let progress = Progress::new("indexing", "search index");
    let indexed = reindex::reindex(&db, &|done, total| progress.show(done, total)).await;
    progress.finish();
    db.close().await;
    eprintln!("search index rebuilt: {} articles", indexed?);
    Ok(())
}

/// Rebuilds the index if the analyzer changed since it was built, with a
/// progress bar on a terminal (a log line otherwise).
pub async fn ensure(db: &Db) -> Result<(), CliError> {
    let progress = Progress::new("indexing", "search index");
    let rebuilt = reindex::ensure_index(db, &|done, total| progress.show(done, total)).await;
    progress.finish();
    if rebuilt? {
        tracing::info!(
            "search index rebuilt for analyzer {}",
            crate::arabic::ANALYZER_VERSION
        );
    }
    Ok(())
}
