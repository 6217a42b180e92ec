//! From parsed pages to stored articles: `article` builds what is stored,
//! `identity` gives it its permalink, `prepare` does the CPU work per
//! document, `writer` and `merge` store batches, `pipeline` runs a whole
//! import and `reparse` re-reads stored originals; `fault` is the crash
//! tests' hook.

pub mod article;
mod fault;
pub mod identity;
pub mod merge;
pub mod pipeline;
pub mod prepare;
mod priority;
pub mod queue;
pub mod reparse;
pub mod report;
pub mod writer;
