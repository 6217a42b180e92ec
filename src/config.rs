//! The command line: every command, option and environment variable of
//! `interfaces.md`, with a doc line each (clap turns them into `--help`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::dump::Limits;

#[derive(Debug, Parser)]
#[command(
    name = "arshif",
    version,
    about = "Arshif (أرشيف): a self-hosted archive of Arabic news"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the archive over HTTP.
    Serve(ServeArgs),
    /// Import dump files, archives (zip, tar, tar.gz) and folders.
    Import(ImportArgs),
    /// Write every article as JSON lines, in permalink-id order.
    Export(ExportArgs),
    /// Re-parse every stored original with the current parser; permalinks stay.
    Reparse(DbArgs),
    /// Rebuild the search index from the articles (after an analyzer change).
    Reindex(DbArgs),
    /// Recompute same-story and similar relations (only if their rules changed, unless --all).
    Relate(RelateArgs),
    /// Administrator account.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// API tokens for scripts (`POST /api/imports`).
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Args)]
pub struct RelateArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Recompute every relation even if the rules did not change.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Read a new admin password from stdin (signs every session out).
    SetPassword(DbArgs),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (only the token) on stdout; it is stored hashed.
    Create {
        #[command(flatten)]
        db: DbArgs,
        /// A name to recognize the token by.
        #[arg(long, default_value = "api")]
        name: String,
    },
    /// List tokens (ids, names, dates; never the tokens).
    List(DbArgs),
    /// Revoke a token by id.
    Revoke {
        #[command(flatten)]
        db: DbArgs,
        id: i64,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// The archive database (created with its folder when missing).
    #[arg(long, env = "ARSHIF_DB", default_value = "data/arshif.db")]
    pub db: PathBuf,
    /// The search index's folder (default: beside the database,
    /// `data/arshif.db` → `data/arshif.search`); derived, rebuilt when missing.
    #[arg(long, env = "ARSHIF_INDEX_DIR")]
    pub index_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "ARSHIF_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The archive's public base URL, for canonical links, feeds and cookies
    /// (default: http://<addr>).
    #[arg(long, env = "ARSHIF_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Files, archives or folders to import before serving.
    #[arg(long = "import", value_name = "PATH")]
    pub import: Vec<PathBuf>,
    /// Largest upload (one request, all its files), in MiB.
    #[arg(long, env = "ARSHIF_MAX_UPLOAD_MIB", default_value_t = 512)]
    pub max_upload_mib: u64,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Print the import report as JSON on stdout instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Files, archives (.zip, .tar, .tar.gz, .tgz), JSONL files or folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Store articles without relating them (faster for a first bulk load);
    /// the next `serve` or `arshif relate` recomputes every relation.
    #[arg(long)]
    pub defer_relations: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Output format (only jsonl for now).
    #[arg(long, default_value = "jsonl", value_parser = ["jsonl"])]
    pub format: String,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Import limits a user can change; defaults in `dump::Limits`.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Largest page file or archive member, in MiB.
    #[arg(long, env = "ARSHIF_MAX_FILE_MIB")]
    pub max_file_mib: Option<u64>,
    /// Longest line of a page or JSONL file, in KiB.
    #[arg(long, env = "ARSHIF_MAX_LINE_KIB")]
    pub max_line_kib: Option<usize>,
    /// Most members read from one archive.
    #[arg(long, env = "ARSHIF_MAX_MEMBERS")]
    pub max_members: Option<u64>,
    /// Most bytes one archive may expand to, in MiB.
    #[arg(long, env = "ARSHIF_MAX_EXPANDED_MIB")]
    pub max_expanded_mib: Option<u64>,
    /// Highest expansion ratio of an archive member (zip-bomb guard).
    #[arg(long, env = "ARSHIF_MAX_RATIO")]
    pub max_ratio: Option<u64>,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        if let Some(mib) = self.max_file_mib {
            limits.max_file_bytes = mib << 20;
        }
        if let Some(kib) = self.max_line_kib {
            limits.max_line_bytes = kib << 10;
        }
        if let Some(n) = self.max_members {
            limits.max_archive_members = n;
        }
        if let Some(mib) = self.max_expanded_mib {
            limits.max_archive_expanded_bytes = mib << 20;
        }
        if let Some(ratio) = self.max_ratio {
            limits.max_expansion_ratio = ratio;
        }
        limits
    }
}
