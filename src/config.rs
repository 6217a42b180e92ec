//! The command line: every command, option and environment variable of
//! `interfaces.md`, with a doc line each (clap turns them into `--help`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::arabic::numbers::Digits;
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
    Reparse(ReparseArgs),
    /// Rebuild the search index from the articles (after an analyzer change).
    Reindex(DbArgs),
    /// Recompute same-story and similar relations (only if their rules changed, unless --all).
    Relate(RelateArgs),
    /// Write a consistent copy of the archive to FILE, even while it serves and imports.
    Backup(BackupArgs),
    /// Copy a whole archive, ids kept, into an empty database (SQLite to PostgreSQL or back);
    /// not copied: sign-in sessions and the search change log (the copy's index is rebuilt).
    Copy(CopyArgs),
    /// Put a backup in the archive's place (refuses an archive that holds anything without --force).
    Restore(RestoreArgs),
    /// Take articles down: each permalink then answers 410 Gone with the reason.
    Remove(RemoveArgs),
    /// Bring back a taken-down article whose original was kept (--keep-original).
    RestoreArticle(RestoreArticleArgs),
    /// Past imports: list them, or undo one.
    #[command(subcommand)]
    Imports(ImportsCommand),
    /// Administrator account.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// API tokens for scripts (`POST /api/imports`).
    #[command(subcommand)]
    Token(TokenCommand),
    /// User accounts: add, list, remove, change a role.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from stdin (one line).
    Add {
        #[command(flatten)]
        db: DbArgs,
        name: String,
        /// admin (everything), editor (upload, take down, undo own
        /// imports) or reader (read only).
        #[arg(long, value_parser = parse_role)]
        role: crate::auth::Role,
    },
    /// List users: name, role, when added.
    List(DbArgs),
    /// Remove a user with its sessions and API tokens (never the last admin).
    Remove {
        #[command(flatten)]
        db: DbArgs,
        name: String,
    },
    /// Change a user's role (never the last admin's to another).
    Role {
        #[command(flatten)]
        db: DbArgs,
        name: String,
        #[arg(value_parser = parse_role)]
        role: crate::auth::Role,
    },
}

fn parse_role(text: &str) -> Result<crate::auth::Role, String> {
    text.parse()
        .map_err(|e: crate::auth::roles::UnknownRole| e.to_string())
}

#[derive(Debug, Args)]
pub struct RelateArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Recompute every relation even if the rules did not change.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The archive to copy: a SQLite file or a `postgres://` URL.
    #[arg(long, value_name = "DB")]
    pub from: PathBuf,
    /// Where to copy it: a new SQLite file or an empty PostgreSQL database.
    #[arg(long, value_name = "DB")]
    pub to: PathBuf,
    /// The copy's search index folder (default: beside the target).
    #[arg(long)]
    pub index_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The backup file to write (an existing one is replaced once the new copy is complete).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Replace an archive that already holds articles or imports.
    #[arg(long)]
    pub force: bool,
    /// The backup to restore (written by `arshif backup`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Why (shown on the article's 410 page and kept in the audit log).
    #[arg(long, required = true)]
    pub reason: String,
    /// Keep the original files (hidden), so `restore-article` can bring it back.
    #[arg(long)]
    pub keep_original: bool,
    /// Print the report as JSON on stdout instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Permalink ids (the `ID` of `/a/ID/…`).
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RestoreArticleArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The taken-down article's permalink id.
    #[arg(value_name = "ID")]
    pub id: String,
}

#[derive(Debug, Subcommand)]
pub enum ImportsCommand {
    /// List past imports, newest first.
    List(DbArgs),
    /// Remove what an import brought: articles no other import supplied go
    /// (404, no tombstone); older articles it enriched are read again from
    /// the remaining files.
    Undo {
        #[command(flatten)]
        db: DbArgs,
        /// Print the report as JSON on stdout instead of a summary.
        #[arg(long)]
        json: bool,
        /// The import's number (see `imports list`).
        #[arg(value_name = "ID")]
        id: i64,
    },
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
        /// The account the token acts for, with that account's role.
        #[arg(long, default_value = "admin")]
        user: String,
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
    /// The archive database (created with its folder when missing), or a
    /// PostgreSQL database's `postgres://` URL.
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
    /// Seconds a client has to send a request's headers, counted from when
    /// its connection opens or its previous answer was sent (so an idle
    /// keep-alive connection closes after it too).
    #[arg(long, env = "ARSHIF_HEADER_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_secs: u64,
    /// Most client connections open at once; further ones wait until one closes.
    #[arg(long, env = "ARSHIF_MAX_CONNECTIONS", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Database connections for reading pages (1–64). On PostgreSQL a node opens at most
    /// 2 × this + 1 (writers, the upload worker): keep all nodes' sum under the server's
    /// `max_connections` (100 by default).
    #[arg(long, env = "ARSHIF_DB_CONNECTIONS", default_value_t = crate::store::DEFAULT_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub db_connections: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed: addresses or
    /// CIDR ranges, comma-separated (e.g. `127.0.0.1,10.0.0.0/8`).
    #[arg(long = "trusted-proxy", env = "ARSHIF_TRUSTED_PROXY", value_name = "ADDR|CIDR",
          value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Longest a page may take to answer before the reader gets a 408, in
    /// seconds (uploads have their own, longer limit).
    #[arg(long, env = "ARSHIF_PAGE_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub page_timeout_secs: u64,
    /// Digits of dates and counts on the pages: latn (0123, grouped
    /// 1,250,000) or arab (٠١٢٣, grouped ١٬٢٥٠٬٠٠٠).
    #[arg(
        long,
        env = "ARSHIF_DIGITS",
        default_value = "latn",
        value_name = "latn|arab"
    )]
    pub digits: Digits,
    /// A private archive: every page, feed, API route and article needs
    /// an account (readers included); robots are kept out, the sitemap is
    /// off, and feed readers use a per-user feed URL.
    #[arg(long, env = "ARSHIF_PRIVATE")]
    pub private: bool,
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
    /// Files (.txt, .html, .jsonl, .warc, .warc.gz), archives (.zip, .tar,
    /// .tar.gz, .tgz) or folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Store articles without relating them (faster for a first bulk load);
    /// the next `serve` or `arshif relate` recomputes every relation.
    #[arg(long)]
    pub defer_relations: bool,
    /// Documents per write transaction (default 4,096); for crash tests.
    #[arg(long, hide = true, default_value_t = 0)]
    pub batch_docs: usize,
}

#[derive(Debug, Clone, Args)]
pub struct ReparseArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Print the report as JSON on stdout instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Largest page file, in MiB (a stored original past it is named in the
    /// warnings and its articles are kept as they were).
    #[arg(long, env = "ARSHIF_MAX_FILE_MIB")]
    pub max_file_mib: Option<u64>,
    /// Longest line of a page or JSONL record, in KiB (likewise).
    #[arg(long, env = "ARSHIF_MAX_LINE_KIB")]
    pub max_line_kib: Option<usize>,
}

impl ReparseArgs {
    /// The import limits a stored original is read under again; those of
    /// archives were applied when it was unpacked.
    pub fn limits(&self) -> Limits {
        LimitArgs {
            max_file_mib: self.max_file_mib,
            max_line_kib: self.max_line_kib,
            max_members: None,
            max_expanded_mib: None,
            max_ratio: None,
        }
        .limits()
    }
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

/// An address (`10.0.0.1`, `::1`) or a CIDR range (`10.0.0.0/8`).
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("not an IP address or CIDR range: {text:?}"))
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
