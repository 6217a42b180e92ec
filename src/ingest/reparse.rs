//! Reparse: read every stored original again with the current parser and
//! bring the articles up to date, keeping their permalinks. The files go
//! through the importer's batch writer (`writer::reparse_batch`), which
//! finds each article again through its file's provenance; the first file
//! that touches an article in a run rewrites it from scratch, later files
//! enrich it, as they did when they were first imported.

use std::collections::HashMap;

use crate::store::Conn;

use crate::archive::Archive;
use crate::dump::container::Document;
use crate::dump::{Limits, Reject};
use crate::related::{self, Relating};
use crate::store::files::StoredFile;
use crate::store::names::{self, NameTable};
use crate::store::{self, Db, articles, day_counts, imports};

use super::error::IngestError;
use super::merge::{Rewrites, fingerprint};
use super::prepare::{PreparedDoc, decompress, prepare};
use super::report::{Problem, Report};
use super::web;
use super::writer::{self, BatchOutcome};

/// Stored files re-read per write transaction.
const FILES_PER_TRANSACTION: i64 = 100;
/// Articles related again per transaction after the files are re-read.
const RELATE_PER_TRANSACTION: usize = 1024;

pub async fn run(
    archive: &Archive,
    import_id: i64,
    limits: &Limits,
) -> Result<Report, IngestError> {
    let db = &archive.db;
    let mut report = Report {
        import_id,
        ..Report::default()
    };
    let mut rewrites = Rewrites::default();
    let mut after = 0;
    loop {
        let mut tx = db.write.begin_writing().await?;
        let stored = store::files::page_after(&mut tx, after, FILES_PER_TRANSACTION).await?;
        let Some(last) = stored.last() else { break };
        after = last.id;
        report.files += stored.len() as u64;
        let (file_ids, docs) = reread(stored, limits, &mut report).await?;
        let outcome =
            writer::reparse_batch(&mut tx, import_id, &docs, &file_ids, &mut rewrites).await?;
        absorb(&mut report, outcome);
        let (files, articles) = (report.files as i64, report.articles_seen() as i64);
        imports::set_progress(&mut tx, import_id, files, articles).await?;
        tx.commit().await?;
    }
    report.related_links += relate_changed(db, &archive.relating, rewrites.before).await?;
    if let Err(err) = crate::search::index::refresh(&archive.search).await {
        // Logged, so the next catch-up applies it.
        tracing::warn!(%err, "the search index could not take the reparsed articles yet");
    }
    let mut conn = db.write.acquire().await?;
    names::recount_all(&mut conn, NameTable::Sources).await?;
    names::recount_all(&mut conn, NameTable::Tags).await?;
    day_counts::recount_all(&mut conn).await?;
    let json = serde_json::to_string(&report).expect("report serializes");
    imports::finish(&mut conn, import_id, "done", &json).await?;
    Ok(report)
}

/// Reads the stored files `file_ids` again inside the caller's transaction
/// (a restore, an undone import): the articles in `rewrite` are rewritten
/// from what these files say, the first file that holds one replacing it
/// and later ones enriching it, as a reparse would; every other article
/// the files hold only takes what they add (nothing, since they brought
/// it before), so no other article loses what other files gave it.
/// Articles new to the archive (a restored one) are created under
/// `import_id`. Name and day counts are left for the caller to recount.
pub async fn reread_files(
    conn: &mut Conn,
    import_id: i64,
    file_ids: &[i64],
    rewrite: &std::collections::HashSet<i64>,
    limits: &Limits,
) -> Result<(BatchOutcome, Report), IngestError> {
    let mut report = Report {
        import_id,
        ..Report::default()
    };
    let mut rewrites = Rewrites::default();
    let mut outcome = BatchOutcome::default();
    for chunk in file_ids.chunks(FILES_PER_TRANSACTION as usize) {
        let stored = store::files::by_ids(conn, chunk).await?;
        for (_, article) in store::files::links_of_files(conn, chunk).await? {
            if !rewrite.contains(&article) {
                rewrites.rewritten.insert(article);
                rewrites.links_cleared.insert(article);
            }
        }
        report.files += stored.len() as u64;
        let (ids, docs) = reread(stored, limits, &mut report).await?;
        let done = writer::reparse_batch(conn, import_id, &docs, &ids, &mut rewrites).await?;
        outcome.touched_ids.extend(done.touched_ids);
        outcome.articles_new += done.articles_new;
        outcome.articles_enriched += done.articles_enriched;
    }
    Ok((outcome, report))
}

/// Parses stored files again, off the async workers; returns the ids and
/// documents of those that still parse, and warns about the others (their
/// articles are kept as they were) and about what the parser noticed.
async fn reread(
    stored: Vec<StoredFile>,
    limits: &Limits,
    report: &mut Report,
) -> Result<(Vec<i64>, Vec<PreparedDoc>), IngestError> {
    let limits = limits.clone();
    let parsed = tokio::task::spawn_blocking(move || {
        stored
            .into_iter()
            .map(|file| (file.id, file.name.clone(), parse(file, &limits)))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| IngestError::Worker {
        thread: "reparse",
        source: Box::new(e),
    })?;
    let (mut ids, mut docs) = (Vec::new(), Vec::new());
    for (id, name, doc) in parsed {
        match doc {
            Ok(doc) => {
                let warnings = doc.warnings.iter().map(|w| Problem::warning(&name, w));
                report.warnings.extend(warnings);
                ids.push(id);
                docs.push(doc);
            }
            Err(reason) => report.warnings.push(Problem::warning(
                name,
                format!("no longer parses ({reason}); its articles are kept as they were"),
            )),
        }
    }
    Ok((ids, docs))
}

/// One stored original prepared again, under the limits that apply to one
/// document: a page's size and line length, a JSONL record's length (an
/// archive's own limits were applied when it was unpacked).
fn parse(file: StoredFile, limits: &Limits) -> Result<PreparedDoc, Reject> {
    let bytes = decompress(&file.content).map_err(|e| Reject::Io(e.to_string()))?;
    let (size, kind) = (bytes.len() as u64, file.kind.as_str());
    if kind == "jsonl" && bytes.len() > limits.max_line_bytes {
        let (len, limit) = (bytes.len(), limits.max_line_bytes);
        return Err(Reject::LineTooLong {
            line: 1,
            len,
            limit,
        });
    }
    if kind != "jsonl" && size > limits.max_file_bytes {
        let limit = limits.max_file_bytes;
        return Err(Reject::TooLarge { size, limit });
    }
    let kind = web::stored_kind(&file.kind, file.format.as_deref());
    let name = file.name;
    prepare(Document { name, kind, bytes }, limits)
}

fn absorb(report: &mut Report, outcome: BatchOutcome) {
    report.articles_new += outcome.articles_new;
    report.articles_enriched += outcome.articles_enriched;
    report.articles_duplicate += outcome.articles_duplicate;
    report.articles_removed_earlier += outcome.articles_removed_earlier;
}

/// Relates the articles whose text, date or tags differ from before the
/// run. This waits until every file is re-read: an item is first rewritten
/// from the excerpt that names it and then enriched by its own page, and
/// relating the passing excerpt would leave traces in other lists. With
/// the same parser nothing differs and the relations stay exactly as they
/// were.
async fn relate_changed(
    db: &Db,
    relating: &Relating,
    before: HashMap<i64, Option<u64>>,
) -> Result<u64, IngestError> {
    let mut ids: Vec<i64> = before.keys().copied().collect();
    ids.sort_unstable();
    let mut links = 0;
    for chunk in ids.chunks(RELATE_PER_TRANSACTION) {
        let mut run = relating.hold().await;
        let mut tx = run.begin(db).await?;
        let now = fingerprints(&mut tx, chunk).await?;
        let changed: Vec<i64> = chunk
            .iter()
            .copied()
            .filter(|id| before[id].is_none() || before[id] != now.get(id).copied())
            .collect();
        if !changed.is_empty() {
            links += related::relate_batch(&mut tx, &changed).await?.links_added;
        }
        tx.commit().await?;
    }
    relating.release().await;
    Ok(links)
}

async fn fingerprints(conn: &mut Conn, ids: &[i64]) -> store::Result<HashMap<i64, u64>> {
    let mut tags = articles::tag_ids(conn, ids).await?;
    Ok(articles::find_by_ids(conn, ids)
        .await?
        .iter()
        .map(|row| {
            let mut own = tags.remove(&row.id).unwrap_or_default();
            own.sort_unstable();
            (row.id, fingerprint(row, &own))
        })
        .collect())
}
