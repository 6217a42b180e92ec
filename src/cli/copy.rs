//! `arshif copy --from DB --to DB`: a whole archive into a new database of
//! either backend (`store::copy` moves the rows), with a progress bar per
//! table, then the copy's search index built from its articles and a
//! summary of what was copied.

use std::sync::Mutex;
use std::time::Instant;

use crate::archive::Archive;
use crate::config::CopyArgs;
use crate::search::index;
use crate::store::{Db, Location, copy};

use super::CliError;
use super::progress::Progress;

pub async fn run(args: CopyArgs) -> Result<(), CliError> {
    let (from, to) = (Location::of(&args.from), Location::of(&args.to));
    if from == to {
        return Err(CliError::Message(
            "--from and --to name the same database".into(),
        ));
    }
    if let Location::Sqlite(path) = &from
        && !path.is_file()
    {
        return Err(CliError::Message(format!(
            "there is no archive at {}",
            path.display()
        )));
    }
    let started = Instant::now();
    let source = Db::connect(&from).await?;
    let target = Archive::new(Db::connect(&to).await?);
    let bars = TableBars::default();
    let copied = copy::copy(&source, &target.db, &|table, done, total| {
        bars.show(table, done, total)
    })
    .await;
    bars.finish();
    source.close().await;
    let copied = match copied {
        Ok(copied) => copied,
        Err(err) => {
            target.close().await;
            return Err(err.into());
        }
    };
    let progress = Progress::new("indexing", "search index");
    let indexed = index::rebuild(&target.search, args.index_dir.as_deref(), &|done, total| {
        progress.show(done, total)
    })
    .await;
    progress.finish();
    target.close().await;
    let indexed = indexed?;
    for row in &copied {
        eprintln!("{:>24} {:>10}", row.table, row.rows);
    }
    for (table, why) in copy::NOT_COPIED {
        eprintln!("{table:>24} not copied: {why}");
    }
    eprintln!(
        "copied {from} to {to} in {:.1} s; search index built: {indexed} articles",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One progress bar (or log line) per table, the next one replacing the last.
#[derive(Default)]
struct TableBars {
    current: Mutex<Option<(&'static str, Progress)>>,
}

impl TableBars {
    fn show(&self, table: &'static str, done: u64, total: u64) {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.as_ref().is_none_or(|(shown, _)| *shown != table) {
            if let Some((_, bar)) = current.take() {
                bar.finish();
            }
            *current = Some((table, Progress::new(&format!("copying {table:<22}"), table)));
        }
        if let Some((_, bar)) = current.as_ref() {
            bar.show(done, total);
        }
    }

    fn finish(&self) {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, bar)) = current.as_ref() {
            bar.finish();
        }
    }
}
