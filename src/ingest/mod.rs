//! From parsed pages to stored articles: `article` builds what is stored,
//! `identity` gives it its permalink, `prepare` does the CPU work per
//! document; `merge` holds the rules of merging one article, `batch`
//! merges a batch against what is stored, and `writer` writes the
//! batches of import and reparse alike (the one write path); `pipeline`
//! runs a whole import, `reparse` re-reads stored originals, `queue` runs
//! the servers' upload jobs, `upload_files` carries their files through
//! the database; `error` says what stopped a run; `fault` is the
//! crash tests' hook; `web` is what a saved web page adds (its capture
//! and its links to other pages).

pub mod article;
mod batch;
pub mod error;
mod fault;
pub mod identity;
pub mod merge;
pub mod pipeline;
pub mod prepare;
pub mod queue;
pub mod reparse;
pub mod report;
pub mod upload_files;
pub mod web;
pub mod writer;
