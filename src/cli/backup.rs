//! `arshif backup FILE` and `arshif restore [--force] FILE`.
//!
//! A backup is a consistent copy of the archive taken while it serves and
//! imports (`store::backup`), written beside FILE and renamed onto it only
//! once complete, so a cron job never leaves half a backup under the real
//! name. A restore checks the backup, brings its schema up to date in a
//! staging file beside the archive, and then puts it in the archive's
//! place; it refuses while another process has the archive open, and
//! refuses to replace an archive that holds anything without `--force`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::{BackupArgs, RestoreArgs};
use crate::store::{Db, Location, backup};

use super::CliError;

pub async fn backup(args: BackupArgs) -> Result<(), CliError> {
    let source = &args.db.db;
    refuse_postgres(source)?;
    if !source.is_file() {
        return Err(message(format!(
            "there is no archive at {}",
            source.display()
        )));
    }
    if same_file(source, &args.file) {
        return Err(message(
            "the backup cannot be written over the archive itself".into(),
        ));
    }
    let started = Instant::now();
    let mut conn = backup::open_read_only(source).await?;
    let contents = backup::contents(&mut conn).await.map_err(|e| {
        message(format!(
            "{} is not an Arshif archive: {e}",
            source.display()
        ))
    })?;
    let total = backup::used_bytes(&mut conn).await?;
    let partial = with_suffix(&args.file, ".partial");
    remove_database_files(&partial)?;
    let bar = ByteProgress::start(&partial, total);
    let copied = backup::copy_into(&mut conn, &partial).await;
    bar.finish();
    drop(conn);
    if let Err(err) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(message(format!(
            "backup failed, nothing was written to {}: {err}",
            args.file.display()
        )));
    }
    put_in_place(&partial, &args.file)?;
    let size = std::fs::metadata(&args.file).map_or(0, |m| m.len());
    eprintln!(
        "backup of {} articles ({:.1} MiB) written to {} in {:.1} s",
        contents.articles,
        size as f64 / f64::from(1 << 20),
        args.file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn restore(args: RestoreArgs) -> Result<(), CliError> {
    let target = &args.db.db;
    refuse_postgres(target)?;
    let from = check_backup(&args.file).await?;
    if backup::in_use(target) {
        return Err(message(format!(
            "{} is open in another process (is `arshif serve` running?): stop it before restoring",
            target.display()
        )));
    }
    if target.exists() && !args.force {
        refuse_unless_empty(target).await?;
    }
    let staging = target.with_file_name(format!(
        ".{}.restoring",
        target
            .file_name()
            .map_or("archive".into(), |n| n.to_string_lossy())
    ));
    if let Some(folder) = staging.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| message(format!("cannot create {}: {e}", folder.display())))?;
    }
    remove_database_files(&staging)?;
    std::fs::copy(&args.file, &staging)
        .map_err(|e| message(format!("cannot copy {}: {e}", args.file.display())))?;
    // Opening applies the migrations a backup from an older version lacks.
    let db = Db::open(&staging).await?;
    db.close().await;
    for suffix in ["-wal", "-shm"] {
        remove_file(&with_suffix(target, suffix))?;
        remove_file(&with_suffix(&staging, suffix))?;
    }
    put_in_place(&staging, target)?;
    eprintln!(
        "restored {} articles from {} into {}",
        from.articles,
        args.file.display(),
        target.display()
    );
    Ok(())
}

/// What a backup holds, after checking that it is a sound archive.
async fn check_backup(file: &Path) -> Result<backup::Contents, CliError> {
    if !file.is_file() {
        return Err(message(format!("there is no backup at {}", file.display())));
    }
    let not_archive = |e: &dyn std::fmt::Display| {
        message(format!("{} is not an Arshif backup: {e}", file.display()))
    };
    let mut conn = backup::open_read_only(file)
        .await
        .map_err(|e| not_archive(&e))?;
    let check = backup::quick_check(&mut conn)
        .await
        .map_err(|e| not_archive(&e))?;
    if check != "ok" {
        return Err(message(format!(
            "the backup {} is damaged: {check}",
            file.display()
        )));
    }
    backup::contents(&mut conn)
        .await
        .map_err(|e| not_archive(&e))
}

/// An error unless the archive at `target` holds no articles and no imports.
async fn refuse_unless_empty(target: &Path) -> Result<(), CliError> {
    let found = match backup::open_read_only(target).await {
        Ok(mut conn) => backup::contents(&mut conn).await.ok(),
        Err(_) => None,
    };
    match found {
        Some(contents) if contents.is_empty() => Ok(()),
        Some(contents) => Err(message(format!(
            "{} holds {} articles and {} imports; restoring replaces them: add --force to do so",
            target.display(),
            contents.articles,
            contents.imports
        ))),
        None => Err(message(format!(
            "{} exists and is not an empty archive; restoring replaces it: add --force to do so",
            target.display()
        ))),
    }
}

/// Renames `from` onto `to` once its bytes are on disk, then makes the
/// rename itself durable.
fn put_in_place(from: &Path, to: &Path) -> Result<(), CliError> {
    let failed = |e: std::io::Error| message(format!("cannot write {}: {e}", to.display()));
    std::fs::File::open(from)
        .and_then(|f| f.sync_all())
        .map_err(failed)?;
    std::fs::rename(from, to).map_err(failed)?;
    if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(folder)
            .and_then(|f| f.sync_all())
            .map_err(failed)?;
    }
    Ok(())
}

/// Removes a database file and its WAL and shared-memory files.
fn remove_database_files(path: &Path) -> Result<(), CliError> {
    for suffix in ["", "-wal", "-shm"] {
        remove_file(&with_suffix(path, suffix))?;
    }
    Ok(())
}

fn remove_file(path: &Path) -> Result<(), CliError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(message(format!("cannot remove {}: {e}", path.display())))
        }
        _ => Ok(()),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn message(text: String) -> CliError {
    CliError::Message(text)
}

/// A bar of bytes written on a terminal, following the size of the file
/// `VACUUM INTO` writes; nothing otherwise.
struct ByteProgress {
    bar: Option<ProgressBar>,
    poll: Option<tokio::task::JoinHandle<()>>,
}

impl ByteProgress {
    fn start(file: &Path, total: u64) -> ByteProgress {
        if !std::io::stderr().is_terminal() {
            return ByteProgress {
                bar: None,
                poll: None,
            };
        }
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("backing up {bar:30} {bytes}/{total_bytes} (eta {eta})")
                .expect("valid template"),
        );
        let (polled, file) = (bar.clone(), file.to_owned());
        let poll = tokio::spawn(async move {
            loop {
                if let Ok(meta) = std::fs::metadata(&file) {
                    polled.set_position(meta.len().min(total));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        ByteProgress {
            bar: Some(bar),
            poll: Some(poll),
        }
    }

    fn finish(&self) {
        if let Some(poll) = &self.poll {
            poll.abort();
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Backups of a PostgreSQL archive are the server's own tools' job.
fn refuse_postgres(db: &Path) -> Result<(), CliError> {
    match Location::of(db) {
        Location::Postgres(_) => Err(message(format!(
            "{} is a PostgreSQL database: back it up with pg_dump and restore it with \
             pg_restore (or psql), which copy it consistently while it serves",
            Location::of(db)
        ))),
        Location::Sqlite(_) => Ok(()),
    }
}
