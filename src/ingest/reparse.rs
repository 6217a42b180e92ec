//! Reparse: read every stored original again with the current parser and
//! bring the articles up to date, keeping their permalinks.
//!
//! Each file finds its articles again through its provenance links (the
//! page itself, its n-th read-also item), so an article keeps its id even
//! when a better parser changes its identity. The first file that touches
//! an article in a run rewrites it from scratch; later files enrich it, as
//! they did when they were first imported.

use std::collections::{HashMap, HashSet};

use sqlx::SqliteConnection;

use crate::dump::Limits;
use crate::dump::container::{DocKind, Document};
use crate::related;
use crate::store::articles::{self, ArticleRow};
use crate::store::files::{self, FileLink, StoredFile};
use crate::store::names::{self, NameTable};
use crate::store::relations::{self, Relation, RelationKind};
use crate::store::{self, Db, day_counts, imports, search};

use super::article::NewArticle;
use super::merge::{Draft, NameIds, enrich, unique};
use super::prepare::{decompress, prepare};
use super::report::{Problem, Report};

const FILES_PER_TRANSACTION: i64 = 100;

/// Articles already rewritten in this run, pages whose read-also links
/// were already cleared, and what every touched article looked like before
/// the run (`None`: new in this run), so that relations are redone only
/// for articles whose text really changed.
#[derive(Default)]
struct Seen {
    rewritten: HashSet<i64>,
    links_cleared: HashSet<i64>,
    before: HashMap<i64, Option<u64>>,
}

/// Articles related again per transaction after the files are re-read.
const RELATE_PER_TRANSACTION: usize = 1024;

pub async fn run(db: &Db, import_id: i64, limits: &Limits) -> store::Result<Report> {
    let mut report = Report {
        import_id,
        ..Report::default()
    };
    let mut seen = Seen::default();
    let mut after = 0;
    loop {
        let mut tx = db.write.begin_with("BEGIN IMMEDIATE").await?;
        let batch = files::page_after(&mut tx, after, FILES_PER_TRANSACTION).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for file in batch {
            report.files += 1;
            reparse_file(&mut tx, import_id, file, limits, &mut seen, &mut report).await?;
        }
        imports::set_progress(
            &mut tx,
            import_id,
            report.files as i64,
            report.articles_seen() as i64,
        )
        .await?;
        tx.commit().await?;
    }
    report.related_links += relate_changed(db, seen.before).await?;
    if let Err(err) = crate::search::index::refresh(db).await {
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

/// Relates the articles whose text, date or tags differ from before the
/// run. This waits until every file is re-read: an item is first rewritten
/// from the excerpt that names it and then enriched by its own page, and
/// relating the passing excerpt would leave traces in other lists. With
/// the same parser nothing differs and the relations stay exactly as they
/// were.
async fn relate_changed(db: &Db, before: HashMap<i64, Option<u64>>) -> store::Result<u64> {
    let mut ids: Vec<i64> = before.keys().copied().collect();
    ids.sort_unstable();
    let mut links = 0;
    for chunk in ids.chunks(RELATE_PER_TRANSACTION) {
        // Before the write connection, as `relate --all` takes them.
        let mut resident = db.related.lock().await;
        let mut tx = db.write.begin_with("BEGIN IMMEDIATE").await?;
        let now = fingerprints(&mut tx, chunk).await?;
        let changed: Vec<i64> = chunk
            .iter()
            .copied()
            .filter(|id| before[id].is_none() || before[id] != now.get(id).copied())
            .collect();
        if !changed.is_empty() {
            links += related::relate_batch(&mut tx, &mut resident, &changed)
                .await?
                .links_added;
        }
        tx.commit().await?;
    }
    db.related.lock().await.release();
    Ok(links)
}

/// What relations are computed from: title, body, date and tags.
fn fingerprint(row: &ArticleRow, tags: &[i64]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    (&row.title, &row.body, &row.sort_key, tags).hash(&mut hasher);
    hasher.finish()
}

async fn fingerprints(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> store::Result<HashMap<i64, u64>> {
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

async fn reparse_file(
    conn: &mut SqliteConnection,
    import_id: i64,
    file: StoredFile,
    limits: &Limits,
    seen: &mut Seen,
    report: &mut Report,
) -> store::Result<()> {
    let kind = if file.kind == "jsonl" {
        DocKind::JsonLine { line: 0 }
    } else {
        DocKind::Page
    };
    let parsed = decompress(&file.content)
        .map_err(|e| crate::dump::Reject::Io(e.to_string()))
        .and_then(|bytes| {
            prepare(
                Document {
                    name: file.name.clone(),
                    kind,
                    bytes,
                },
                limits,
            )
        });
    let doc = match parsed {
        Ok(doc) => doc,
        Err(reason) => {
            report.warnings.push(Problem::warning(
                file.name,
                format!("no longer parses ({reason}); its articles are kept as they were"),
            ));
            return Ok(());
        }
    };
    report.warnings.extend(
        doc.warnings
            .iter()
            .map(|w| Problem::warning(file.name.clone(), w.clone())),
    );
    let links: HashMap<i64, i64> = files::links_of(conn, file.id).await?.into_iter().collect();
    let mut ids = Vec::new();
    for (position, article) in doc.articles.iter().enumerate() {
        let linked = links.get(&(position as i64)).copied();
        let id = reparse_article(conn, import_id, article, linked, seen, report).await?;
        files::link(
            conn,
            &[FileLink {
                article_id: id,
                file_id: file.id,
                position: position as i64,
            }],
        )
        .await?;
        ids.push(id);
    }
    if seen.links_cleared.insert(ids[0]) {
        relations::clear_from(conn, ids[0], RelationKind::ReadAlso).await?;
    }
    let read_also: Vec<Relation> = ids
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, id)| **id != ids[0])
        .map(|(pos, &other_id)| Relation {
            article_id: ids[0],
            other_id,
            kind: RelationKind::ReadAlso,
            score: pos as f64,
            reason: None,
        })
        .collect();
    relations::add(conn, &read_also).await?;
    Ok(())
}

/// Brings one article up to date; returns its id.
async fn reparse_article(
    conn: &mut SqliteConnection,
    import_id: i64,
    a: &NewArticle,
    linked: Option<i64>,
    seen: &mut Seen,
    report: &mut Report,
) -> store::Result<i64> {
    let now = store::now();
    let sources = NameIds::load(conn, NameTable::Sources, a.names().0.into_iter()).await?;
    let tags = NameIds::load(conn, NameTable::Tags, a.names().1).await?;
    sources.write(conn).await?;
    tags.write(conn).await?;
    let source_id = a.source_key.as_deref().and_then(|k| sources.id(k));
    let tag_ids = unique(a.tag_keys.iter().filter_map(|k| tags.id(k)));
    let by_identity = articles::find_by_identity(conn, std::slice::from_ref(&a.identity))
        .await?
        .pop();
    let stored = match linked {
        Some(id) => articles::find_by_ids(conn, &[id]).await?.pop(),
        None => by_identity.clone(),
    };
    let Some(stored) = stored else {
        let id = articles::max_id(conn).await? + 1;
        let draft = Draft::fresh(id, a.permalink.clone(), import_id, a, source_id, tag_ids);
        save(conn, &draft, &now).await?;
        articles::add_tags(conn, &draft.added_tag_rows().collect::<Vec<_>>()).await?;
        seen.rewritten.insert(id);
        seen.before.insert(id, None);
        search::log_changes(conn, &[id]).await?;
        report.articles_new += 1;
        return Ok(id);
    };
    let id = stored.id;
    let old_tags = articles::tag_ids(conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let changed = if seen.rewritten.insert(id) {
        let mut sorted_tags = old_tags.clone();
        sorted_tags.sort_unstable();
        seen.before
            .insert(id, Some(fingerprint(&stored, &sorted_tags)));
        let mut draft = Draft::fresh(
            id,
            stored.permalink.clone(),
            stored.created_import,
            a,
            source_id,
            tag_ids,
        );
        // Another article already holds the new identity: keep the old one
        // rather than break the unique key (the two stay separate).
        if by_identity.is_some_and(|other| other.id != id) {
            draft.row.identity = stored.identity.clone();
        }
        let changed = !same_content(&draft.row, &stored) || draft.tag_ids != old_tags;
        articles::clear_tags(conn, id).await?;
        save(conn, &draft, &now).await?;
        articles::add_tags(conn, &draft.added_tag_rows().collect::<Vec<_>>()).await?;
        changed
    } else {
        let other_sources = articles::other_source_ids(conn, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let mut draft = Draft {
            row: stored,
            is_new: false,
            changed: false,
            tag_ids: old_tags,
            added_tags: Vec::new(),
            other_sources,
            added_sources: Vec::new(),
            source_filled: false,
            row_changed: false,
            date_filled: false,
            text_changed: false,
        };
        let changed = enrich(&mut draft, a, source_id, &tag_ids);
        if draft.row_changed {
            save(conn, &draft, &now).await?;
        }
        if changed {
            articles::add_tags(conn, &draft.added_tag_rows().collect::<Vec<_>>()).await?;
            let rows: Vec<(i64, i64)> = draft.added_sources.iter().map(|&s| (id, s)).collect();
            articles::add_other_sources(conn, &rows).await?;
        }
        changed
    };
    if changed {
        search::log_changes(conn, &[id]).await?;
        report.articles_enriched += 1
    } else {
        report.articles_duplicate += 1
    }
    Ok(id)
}

/// Stores a draft's row.
async fn save(conn: &mut SqliteConnection, draft: &Draft, now: &str) -> store::Result<()> {
    articles::save(conn, vec![draft.row.clone()], now).await
}

fn same_content(a: &ArticleRow, b: &ArticleRow) -> bool {
    (
        &a.identity,
        &a.slug,
        &a.title,
        &a.body,
        &a.published,
        &a.published_raw,
        a.source_id,
        &a.url,
        a.embedded,
    ) == (
        &b.identity,
        &b.slug,
        &b.title,
        &b.body,
        &b.published,
        &b.published_raw,
        b.source_id,
        &b.url,
        b.embedded,
    )
}
