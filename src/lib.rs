//! Arshif (أرشيف): a self-hosted web archive for Arabic news.
//!
//! The modules follow the data: a dump is read and parsed (`dump`), its
//! text normalized (`arabic`), turned into articles and stored (`ingest`,
//! `store`), indexed for search (`search`), related to each other
//! (`related`) and served as pages (`web`). An `archive` is the database
//! of one archive with what a process keeps beside it in memory. No module
//! imports one that imports it back (README: "How it is built").

/// Command line: every command and option, with environment variables.
pub mod config;
/// Reading dumps: containers, decoding, the page parser, dates, tags.
pub mod dump;
/// Pure Arabic text functions: normalization, tokens, stems, slugs.
pub mod arabic;
/// From parsed pages to stored articles: identity, merge, batches, reports.
pub mod ingest;
/// All SQL: pools, migrations, one file per table family.
pub mod store;
/// Full-text search: query parsing, the tantivy index fed by the Arabic analyzer, ranking.
pub mod search;
/// Related articles: same story (MinHash/LSH clusters) and similar (tf-idf), computed at import.
pub mod related;
/// One open archive: its database and the relating engine's state beside it.
pub mod archive;
/// Taking things out by hand: takedowns, restores, undone imports.
pub mod curate;
/// The export schema: articles as the JSONL export and the API give them.
pub mod export;
/// Signing in: password hashes, roles, tokens, throttling failed attempts.
pub mod auth;
/// Changing accounts (add, remove, role), each with its audit-log entry.
pub mod accounts;
/// The shapes of the archive's URLs.
pub mod urls;
/// Untrusted text quoted and escaped for logs and terminals.
pub mod quoted;
/// How long each step of a long job took, for debug logs.
pub mod stages;
/// Background work yields the processor to the site (nice, idle class).
pub mod priority;
/// The web archive: router, middleware, pages.
pub mod web;
/// One file per command.
pub mod cli;
