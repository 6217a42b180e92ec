//! Writes prepared documents to the database, a batch per transaction: the
//! one write path of import and reparse.
//!
//! For each article it decides: new (stored), enriched (a stored article
//! gained a date, tags, a source or its full text, or a reparse changed
//! it) or duplicate (nothing new). Ids are handed out here, inside the
//! write transaction, so whole batches go to SQLite as multi-row statements
//! (every statement is a round trip to sqlx's worker thread; see
//! `field-notes.md`).

use std::collections::HashSet;

use crate::store::Conn;

use crate::store::files::{self, FileLink, FileRow};
use crate::store::relating::TextRow;
use crate::store::relations::{self, Relation, RelationKind};
use crate::store::{self, Result};

use super::article::NewArticle;
use super::batch::{Batch, Counts, Find};
use super::merge::Rewrites;
use super::prepare::PreparedDoc;
use super::report::ArticleLink;
use super::web::{self, StoredPage};

/// What one committed batch did, merged into the report by the caller
/// only after the transaction committed.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub articles_new: u64,
    pub articles_enriched: u64,
    pub articles_duplicate: u64,
    /// Articles left out because they were taken down before.
    pub articles_removed_earlier: u64,
    pub related_links: u64,
    pub new_articles: Vec<ArticleLink>,
    /// Ids of every article this batch created or changed.
    pub touched_ids: Vec<i64>,
    /// The articles whose text this batch stored, for related-article
    /// detection (the others among `touched_ids` kept their text).
    pub texts: Vec<TextRow>,
}

/// Writes `docs`, new documents of import `import_id`, inside the caller's
/// transaction: each file stored once (by hash), each article merged by
/// identity.
pub async fn write_batch(
    conn: &mut Conn,
    import_id: i64,
    docs: &[PreparedDoc],
) -> Result<BatchOutcome> {
    let now = store::now();
    let hashes: Vec<Vec<u8>> = docs.iter().map(|d| d.sha256.clone()).collect();
    let mut stored_files: HashSet<Vec<u8>> = files::existing_hashes(conn, &hashes).await?;
    let mut next_file = files::max_id(conn).await? + 1;
    let mut file_rows = Vec::new();
    let mut batch = Batch::load(conn, import_id, docs, Find::Identity).await?;
    // A file already stored adds nothing: its articles count as duplicates.
    // The page of a taken-down article is not stored again either.
    let file_ids: Vec<Option<i64>> = docs
        .iter()
        .map(|doc| {
            let taken_down = doc.articles.first().is_some_and(|a| batch.is_removed(a));
            if taken_down || !stored_files.insert(doc.sha256.clone()) {
                return None;
            }
            next_file += 1;
            file_rows.push(file_row(next_file - 1, import_id, doc));
            Some(next_file - 1)
        })
        .collect();
    let placed = place(&mut batch, docs, &file_ids);
    batch.write(conn, &now, Counts::Add).await?;
    files::insert(conn, &file_rows).await?;
    files::link(conn, &placed.links).await?;
    batch.outcome.related_links += relations::add(conn, &placed.read_also).await?;
    batch.outcome.related_links += web::store(conn, &placed.web_pages).await?;
    Ok(batch.outcome)
}

/// Writes `docs`, the stored files `file_ids` read again by a reparse run,
/// inside the caller's transaction: articles found through the files'
/// provenance, the first copy a run meets rewriting its article. Name and
/// day counts are left for the run to recount; read-also links are not
/// counted in the outcome (the files brought them before).
pub async fn reparse_batch(
    conn: &mut Conn,
    import_id: i64,
    docs: &[PreparedDoc],
    file_ids: &[i64],
    rewrites: &mut Rewrites,
) -> Result<BatchOutcome> {
    let now = store::now();
    let links = Batch::links_of(conn, file_ids).await?;
    let find = Find::Provenance { links, rewrites };
    let mut batch = Batch::load(conn, import_id, docs, find).await?;
    let file_ids: Vec<Option<i64>> = file_ids.iter().copied().map(Some).collect();
    let placed = place(&mut batch, docs, &file_ids);
    batch.write(conn, &now, Counts::Recount).await?;
    files::link(conn, &placed.links).await?;
    for &page in &placed.cleared {
        relations::clear_from(conn, page, RelationKind::ReadAlso).await?;
    }
    relations::add(conn, &placed.read_also).await?;
    batch.outcome.related_links += web::store(conn, &placed.web_pages).await?;
    Ok(batch.outcome)
}

/// Where a batch's articles came from, and the read-also links between them.
#[derive(Default)]
struct Placed<'d> {
    links: Vec<FileLink>,
    read_also: Vec<Relation>,
    /// Pages whose read-also links are replaced by this batch's.
    cleared: Vec<i64>,
    /// Saved web pages stored by this batch, with their captures.
    web_pages: Vec<StoredPage<'d>>,
}

/// Merges every article of `docs` (the i-th brought by file `file_ids[i]`,
/// when it has one), in order.
fn place<'d>(
    batch: &mut Batch<'_>,
    docs: &'d [PreparedDoc],
    file_ids: &[Option<i64>],
) -> Placed<'d> {
    let mut placed = Placed::default();
    for (doc, &file_id) in docs.iter().zip(file_ids) {
        if doc.articles.first().is_some_and(|a| batch.is_removed(a)) {
            batch.outcome.articles_removed_earlier += 1;
            continue;
        }
        // Items that were taken down are left out of the page's list.
        let kept: Vec<(usize, &NewArticle)> = (doc.articles.iter().enumerate())
            .filter(|(_, a)| !batch.is_removed(a))
            .collect();
        let ids: Vec<(usize, i64)> = (kept.into_iter())
            .map(|(pos, a)| (pos, batch.article(a, file_id.map(|f| (f, pos as i64)))))
            .collect();
        let page = ids[0].1;
        if let (Some(file_id), Some(capture)) = (file_id, &doc.capture) {
            placed.web_pages.push(StoredPage {
                file_id,
                article_id: page,
                capture,
            });
        }
        if let Some(file_id) = file_id {
            placed
                .links
                .extend(ids.iter().map(|&(pos, article_id)| FileLink {
                    article_id,
                    file_id,
                    position: pos as i64,
                }));
        }
        if batch.replaces_read_also(page) {
            placed.cleared.push(page);
        }
        placed
            .read_also
            .extend(
                ids.iter()
                    .skip(1)
                    .filter(|(_, id)| *id != page)
                    .map(|&(pos, other_id)| Relation {
                        article_id: page,
                        other_id,
                        kind: RelationKind::ReadAlso,
                        score: pos as f64,
                        reason: None,
                    }),
            );
    }
    placed
}

fn file_row(id: i64, import_id: i64, doc: &PreparedDoc) -> FileRow {
    FileRow {
        id,
        import_id,
        name: doc.name.clone(),
        kind: doc.kind,
        size: doc.size as i64,
        sha256: doc.sha256.clone(),
        content: doc.compressed.clone(),
    }
}
