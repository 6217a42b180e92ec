//! Keeping the search index in step with the analyzer: the index stores shadow
//! text made by one version of `crate::arabic`, so when `ANALYZER_VERSION` changes
//! (or after migration 0002, on an archive that was never indexed) the whole
//! index is rebuilt from the articles. Also the row-making helpers the importer
//! uses to index what a batch stored.

use sqlx::SqliteConnection;

use crate::arabic;
use crate::store::search::{self as db, ArticleText, IndexRow};
use crate::store::{Db, StoreError, settings};

/// The settings key holding the analyzer version the index was built with
/// (`store::search::clear` forgets it).
pub const VERSION_KEY: &str = "analyzer_version";
/// Articles per write transaction: small enough that the single writer is never
/// held for long (imports and uploads wait behind it), big enough that the
/// per-statement and per-commit costs stay small.
const BATCH: u32 = 400;

/// The index row of one article.
pub fn index_row(id: i64, title: &str, body: &str) -> IndexRow {
    let (title_norm, title_stem) = arabic::index_strings(title);
    let (body_norm, body_stem) = arabic::index_strings(body);
    IndexRow {
        id,
        title_norm,
        body_norm,
        title_stem,
        body_stem,
    }
}

/// (Re)indexes the stored articles `ids` inside the caller's transaction,
/// reading their title and body back (the importer's batches may keep a stored
/// body without loading it).
pub async fn index_articles(conn: &mut SqliteConnection, ids: &[i64]) -> Result<(), StoreError> {
    let texts = db::texts(conn, ids).await?;
    db::index(conn, rows_of(texts)).await
}

/// Rebuilds the index if it was built by another analyzer version (or never);
/// returns whether it did. `progress(done, total)` is called after each batch.
pub async fn ensure_index(db: &Db, progress: &dyn Fn(u64, u64)) -> Result<bool, StoreError> {
    let stored = settings::get(&mut *db.write.acquire().await?, VERSION_KEY).await?;
    if stored.as_deref() == Some(arabic::ANALYZER_VERSION) {
        return Ok(false);
    }
    tracing::info!(
        stored = stored.as_deref().unwrap_or("none"),
        current = arabic::ANALYZER_VERSION,
        "rebuilding the search index"
    );
    reindex(db, progress).await?;
    Ok(true)
}

/// Rebuilds the whole index (`arshif reindex`): clears it, walks every article
/// in id order, batch by batch, then records the analyzer version. Interrupted,
/// it leaves no version recorded, so the next start rebuilds again.
pub async fn reindex(db: &Db, progress: &dyn Fn(u64, u64)) -> Result<u64, StoreError> {
    let total = {
        let mut tx = db.write.begin_with("BEGIN IMMEDIATE").await?;
        db::clear(&mut tx).await?;
        let total = db::article_count(&mut tx).await?;
        tx.commit().await?;
        total
    };
    let (mut done, mut after) = (0u64, 0i64);
    progress(0, total);
    loop {
        let mut tx = db.write.begin_with("BEGIN IMMEDIATE").await?;
        let texts = db::texts_after(&mut tx, after, BATCH).await?;
        let Some(last) = texts.last().map(|t| t.id) else {
            break;
        };
        let count = texts.len() as u64;
        // Analysis is CPU work: keep it off the async workers.
        let rows = match tokio::task::spawn_blocking(move || rows_of(texts)).await {
            Ok(rows) => rows,
            Err(err) => std::panic::resume_unwind(err.into_panic()),
        };
        db::insert(&mut tx, rows).await?;
        tx.commit().await?;
        (done, after) = (done + count, last);
        progress(done, total.max(done));
    }
    let mut conn = db.write.acquire().await?;
    db::optimize(&mut conn).await?;
    super::tidy::mark_tidy(&mut conn, done).await?;
    settings::set(&mut conn, VERSION_KEY, arabic::ANALYZER_VERSION).await?;
    Ok(done)
}

fn rows_of(texts: Vec<ArticleText>) -> Vec<IndexRow> {
    texts
        .into_iter()
        .map(|t| index_row(t.id, &t.title, &t.body))
        .collect()
}
