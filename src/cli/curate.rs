//! `arshif remove`, `arshif restore-article` and `arshif imports list|undo`:
//! taking things out of the archive from the command line (the audit log
//! names the actor `cli`).

use crate::archive::Archive;
use crate::config::{DbArgs, ImportsCommand, LimitArgs, RemoveArgs, RestoreArticleArgs};
use crate::curate::takedown::{self, Takedown};
use crate::curate::{CLI_ACTOR, restore as restoring, undo};
use crate::dump::Limits;
use crate::quoted::Quoted;
use crate::store::imports;

use super::CliError;

/// An archive with its search index open and caught up, so what is taken
/// out leaves it too. Taking out thousands of articles is minutes of
/// work beside a site that may be serving: this process yields to it.
async fn open(db: &DbArgs) -> Result<Archive, CliError> {
    crate::priority::lower_this_process(crate::priority::Background::Bulk);
    let archive = Archive::open_for_batch(&db.db).await?;
    super::reindex::ensure(&archive, db.index_dir.as_deref()).await?;
    Ok(archive)
}

pub async fn remove(args: RemoveArgs) -> Result<(), CliError> {
    let archive = open(&args.db).await?;
    let how = Takedown {
        reason: &args.reason,
        keep_original: args.keep_original,
        actor: CLI_ACTOR,
    };
    let report = takedown::take_down(&archive, &args.ids, how).await;
    archive.close().await;
    let report = report?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("report serializes")
        );
    } else {
        eprintln!(
            "{} taken down ({} files deleted, {} read-also items only they named removed, \
             {} related articles worked out again)",
            report.removed.len(),
            report.files_deleted,
            report.items_removed,
            report.related_again
        );
        for id in &report.already_removed {
            eprintln!("  {}: taken down before", Quoted(id));
        }
        for id in &report.unknown {
            eprintln!("  {}: no such article", Quoted(id));
        }
    }
    if !report.unknown.is_empty() {
        return Err(CliError::Message(format!(
            "{} of the ids name no article",
            report.unknown.len()
        )));
    }
    Ok(())
}

pub async fn restore(args: RestoreArticleArgs) -> Result<(), CliError> {
    let archive = open(&args.db).await?;
    let done = restoring::restore(&archive, &args.id, CLI_ACTOR, &limits()).await;
    archive.close().await;
    done?;
    eprintln!("article {} restored", Quoted(&args.id));
    Ok(())
}

pub async fn imports(command: ImportsCommand) -> Result<(), CliError> {
    match command {
        ImportsCommand::List(db) => list(db).await,
        ImportsCommand::Undo { db, json, id } => {
            let archive = open(&db).await?;
            let report = undo::undo(&archive, id, CLI_ACTOR, &limits()).await;
            archive.close().await;
            let report = report?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("report serializes")
                );
            } else {
                eprint!("{}", report.summary());
            }
            Ok(())
        }
    }
}

async fn list(db: DbArgs) -> Result<(), CliError> {
    let archive = Archive::open(&db.db).await?;
    let rows = imports::list(&mut *archive.db.read.acquire().await?, i64::MAX, i64::MAX).await;
    archive.close().await;
    println!("id\tstatus\torigin\tcreated\tfiles\tarticles");
    for row in rows? {
        let files = row.files_total.unwrap_or(row.files_done);
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            row.id, row.status, row.origin, row.created_at, files, row.articles_done
        );
    }
    Ok(())
}

/// The limits kept originals are read again under (those of an import).
fn limits() -> Limits {
    LimitArgs {
        max_file_mib: None,
        max_line_kib: None,
        max_members: None,
        max_expanded_mib: None,
        max_ratio: None,
    }
    .limits()
}
