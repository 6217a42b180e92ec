//! `arshif relate [--all]`, and the relations check every command that
//! writes runs first: same-story and similar relations are recomputed when
//! the rules that made them (or the analyzer) changed.

use crate::archive::Archive;
use crate::config::RelateArgs;
use crate::related;

use super::CliError;
use super::progress::Progress;

pub async fn run(args: RelateArgs) -> Result<(), CliError> {
    let archive = Archive::open_for_batch(&args.db.db).await?;
    let progress = Progress::new("relating", "related articles");
    let show = |done, total| progress.show(done, total);
    let outcome = if args.all {
        related::relate_all(&archive.db, &archive.relating, &show)
            .await
            .map(Some)
    } else {
        related::ensure(&archive.db, &archive.relating, &show).await
    };
    progress.finish();
    archive.close().await;
    match outcome? {
        Some(outcome) => eprintln!(
            "related articles recomputed: {} links (rules {})",
            outcome.links_added,
            related::rules_version()
        ),
        None => eprintln!(
            "related articles are up to date (rules {}); `arshif relate --all` recomputes them anyway",
            related::rules_version()
        ),
    }
    Ok(())
}

/// Recomputes the relations if they were made by other rules, with a
/// progress bar on a terminal (log lines otherwise).
pub async fn ensure(archive: &Archive) -> Result<(), CliError> {
    let progress = Progress::new("relating", "related articles");
    let done = related::ensure(&archive.db, &archive.relating, &|done, total| {
        progress.show(done, total)
    })
    .await;
    progress.finish();
    if let Some(outcome) = done? {
        tracing::info!(
            "related articles recomputed for rules {}: {} links",
            related::rules_version(),
            outcome.links_added
        );
    }
    Ok(())
}
