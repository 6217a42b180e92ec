//! `arshif import`: imports files, archives and folders from the command
//! line, with a progress bar on a terminal and a summary (or `--json`).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::archive::Archive;
use crate::config::ImportArgs;
use crate::ingest::error::IngestError;
use crate::ingest::pipeline::{self, ImportOptions, Input, Progress};
use crate::search;
use crate::store::{StoreError, imports};

use super::CliError;

/// Rejections and warnings shown in the terminal summary.
const SUMMARY_PROBLEMS: usize = 20;

pub async fn run(args: ImportArgs) -> Result<(), CliError> {
    let archive = Archive::open_for_batch(&args.db.db).await?;
    let db = archive.db.clone();
    super::reindex::ensure(&archive, args.db.index_dir.as_deref()).await?;
    // Indexes batches as they are stored, if no server holds the index
    // (then only the log is written, and the server indexes it).
    let follower = search::index::follow(&archive.search, search::index::follow::EVERY);
    if !args.defer_relations {
        super::relate::ensure(&archive).await?;
    }
    let inputs = args.paths.iter().cloned().map(Input::Path).collect();
    let options = ImportOptions {
        limits: args.limits.limits(),
        defer_relations: args.defer_relations,
        batch_docs: args.batch_docs,
        ..ImportOptions::default()
    };
    let bar = TerminalProgress::new();
    let import_id = imports::create(&mut *db.write.acquire().await?, "cli", "running").await?;
    let report = pipeline::run(&archive, import_id, inputs, options, &bar).await;
    drop(follower);
    bar.finish();
    archive.close().await;
    let report = match report {
        Err(IngestError::Store(err @ StoreError::WriteFailed { .. })) => {
            return Err(CliError::Message(format!(
                "import stopped: {err}; the archive keeps what was stored before, and the same import completes it once there is room"
            )));
        }
        other => other?,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("report serializes")
        );
    } else {
        eprint!("{}", report.summary(SUMMARY_PROBLEMS));
    }
    if args.defer_relations {
        eprintln!(
            "related articles not computed yet: `arshif relate` (or the next `serve`) computes them"
        );
    }
    if report.articles_seen() == 0 && !report.rejected.is_empty() {
        return Err(CliError::Message(format!(
            "nothing imported: {} file(s) rejected",
            report.rejected.len()
        )));
    }
    Ok(())
}

/// An indicatif bar on stderr when it is a terminal; silent otherwise
/// (logs and CI output stay clean).
struct TerminalProgress {
    bar: Option<ProgressBar>,
}

impl TerminalProgress {
    fn new() -> TerminalProgress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} files {pos} · {msg}")
                    .expect("valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        TerminalProgress { bar }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for TerminalProgress {
    fn total(&self, files: u64) {
        if let Some(bar) = self.bar.as_ref().filter(|b| b.length() != Some(files)) {
            bar.set_length(files);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} files · {msg} · {elapsed} (eta {eta})",
                )
                .expect("valid template"),
            );
        }
    }

    fn advanced(&self, files_done: u64, articles_done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(files_done);
            bar.set_message(format!("{articles_done} articles"));
        }
    }
}
