//! `arshif reindex`, and the index check every command that writes runs
//! first: the search index is rebuilt when the Arabic analyzer changed.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::DbArgs;
use crate::search::reindex;
use crate::store::Db;

use super::CliError;

pub async fn run(args: DbArgs) -> Result<(), CliError> {
    let db = Db::open(&args.db).await?;
    let bar = bar();
    let indexed = reindex::reindex(&db, &|done, total| show(&bar, done, total)).await;
    finish(&bar);
    db.close().await;
    eprintln!("search index rebuilt: {} articles", indexed?);
    Ok(())
}

/// Rebuilds the index if the analyzer changed since it was built, with a
/// progress bar on a terminal (a log line otherwise).
pub async fn ensure(db: &Db) -> Result<(), CliError> {
    let bar = bar();
    let rebuilt = reindex::ensure_index(db, &|done, total| show(&bar, done, total)).await;
    finish(&bar);
    if rebuilt? {
        tracing::info!(
            "search index rebuilt for analyzer {}",
            crate::arabic::ANALYZER_VERSION
        );
    }
    Ok(())
}

fn bar() -> Option<ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("indexing {bar:30} {pos}/{len} articles (eta {eta})")
                .expect("valid template"),
        );
        bar
    })
}

fn show(bar: &Option<ProgressBar>, done: u64, total: u64) {
    match bar {
        Some(bar) => {
            bar.set_length(total);
            bar.set_position(done);
        }
        None if done == total || done % 20_000 < 400 => {
            tracing::info!("search index: {done}/{total} articles")
        }
        None => {}
    }
}

fn finish(bar: &Option<ProgressBar>) {
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}
