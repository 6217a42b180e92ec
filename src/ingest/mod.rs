//! From parsed pages to stored articles: `article` builds what is stored,
//! `identity` gives it its permalink, `prepare` does the CPU work per
//! document, `writer` and `merge` store batches, `pipeline` runs a whole
//! import and `reparse` re-reads stored originals; `web` is what a saved
//! web page adds (its capture and its links to other pages).

pub mod article;
pub mod identity;
pub mod merge;
pub mod pipeline;
pub mod prepare;
pub mod queue;
pub mod reparse;
pub mod report;
pub mod web;
pub mod writer;
