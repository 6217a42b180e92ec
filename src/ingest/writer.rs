//! Writes prepared documents to the database, a batch per transaction.
//!
//! For each article it decides: new (stored), enriched (a stored article
//! gained a date, tags, a source or its full text) or duplicate (nothing
//! new). Ids are handed out here, inside the write transaction, so whole
//! batches go to SQLite as multi-row statements (per-row statements cost
//! ~0.1 ms each through sqlx; see `field-notes.md`).

use std::collections::{HashMap, HashSet};

use sqlx::SqliteConnection;

use crate::related;
use crate::store::articles::{self, ArticleRow};
use crate::store::files::{self, FileLink, FileRow};
use crate::store::names::{self, NameTable};
use crate::store::related::TextRow;
use crate::store::relations::{self, Relation, RelationKind};
use crate::store::{self, Result, day_counts, search};
use crate::urls;

use super::article::NewArticle;
use super::merge::{Draft, NameIds, enrich, unique};
use super::prepare::PreparedDoc;
use super::report::{ArticleLink, LISTED_NEW_ARTICLES};

/// What one committed batch did, merged into the report by the caller
/// only after the transaction committed.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub articles_new: u64,
    pub articles_enriched: u64,
    pub articles_duplicate: u64,
    pub related_links: u64,
    pub new_articles: Vec<ArticleLink>,
    /// Ids of every article this batch created or changed.
    pub touched_ids: Vec<i64>,
    /// The articles whose text this batch stored, for related-article
    /// detection (the others among `touched_ids` kept their text).
    pub texts: Vec<TextRow>,
}

/// Writes `docs` inside the caller's transaction.
pub async fn write_batch(
    conn: &mut SqliteConnection,
    import_id: i64,
    docs: &[PreparedDoc],
) -> Result<BatchOutcome> {
    let now = store::now();
    let mut merge = Merge::load(conn, import_id, docs).await?;
    let mut file_rows = Vec::new();
    let mut links = Vec::new();
    let mut read_also = Vec::new();
    for doc in docs {
        let file_id = merge.file_id(doc);
        if let Some(id) = file_id {
            file_rows.push(file_row(id, import_id, doc));
        }
        let ids: Vec<i64> = doc.articles.iter().map(|a| merge.article(a)).collect();
        if let Some(file_id) = file_id {
            links.extend(ids.iter().enumerate().map(|(pos, &article_id)| FileLink {
                article_id,
                file_id,
                position: pos as i64,
            }));
        }
        read_also.extend(
            ids.iter()
                .enumerate()
                .skip(1)
                .filter(|(_, id)| **id != ids[0])
                .map(|(pos, &other_id)| Relation {
                    article_id: ids[0],
                    other_id,
                    kind: RelationKind::ReadAlso,
                    score: pos as f64,
                    reason: None,
                }),
        );
    }
    merge.write(conn, &now).await?;
    files::insert(conn, &file_rows).await?;
    files::link(conn, &links).await?;
    merge.outcome.related_links += relations::add(conn, &read_also).await?;
    Ok(merge.outcome)
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

/// The merge of one batch against what is stored.
struct Merge {
    import_id: i64,
    stored_files: HashSet<Vec<u8>>,
    next_file: i64,
    next_article: i64,
    stored: HashMap<Vec<u8>, ArticleRow>,
    stored_tags: HashMap<i64, Vec<i64>>,
    stored_sources: HashMap<i64, Vec<i64>>,
    drafts: HashMap<Vec<u8>, Draft>,
    order: Vec<Vec<u8>>,
    sources: NameIds,
    tags: NameIds,
    outcome: BatchOutcome,
}

impl Merge {
    async fn load(
        conn: &mut SqliteConnection,
        import_id: i64,
        docs: &[PreparedDoc],
    ) -> Result<Merge> {
        let hashes: Vec<Vec<u8>> = docs.iter().map(|d| d.sha256.clone()).collect();
        let identities: Vec<Vec<u8>> = unique(
            docs.iter()
                .flat_map(|d| d.articles.iter().map(|a| a.identity.clone())),
        );
        let stored: HashMap<Vec<u8>, ArticleRow> = articles::find_by_identity(conn, &identities)
            .await?
            .into_iter()
            .map(|a| (a.identity.clone(), a))
            .collect();
        let stored_ids: Vec<i64> = stored.values().map(|a| a.id).collect();
        let all = || docs.iter().flat_map(|d| d.articles.iter());
        Ok(Merge {
            import_id,
            stored_files: files::existing_hashes(conn, &hashes).await?,
            next_file: files::max_id(conn).await? + 1,
            next_article: articles::max_id(conn).await? + 1,
            stored_tags: articles::tag_ids(conn, &stored_ids).await?,
            stored_sources: articles::other_source_ids(conn, &stored_ids).await?,
            stored,
            drafts: HashMap::new(),
            order: Vec::new(),
            sources: NameIds::load(conn, NameTable::Sources, all().filter_map(|a| a.names().0))
                .await?,
            tags: NameIds::load(conn, NameTable::Tags, all().flat_map(|a| a.names().1)).await?,
            outcome: BatchOutcome::default(),
        })
    }

    /// The id the document's file gets, or `None` when it is already stored
    /// (a re-import: the file adds nothing, its articles count as duplicates).
    fn file_id(&mut self, doc: &PreparedDoc) -> Option<i64> {
        if !self.stored_files.insert(doc.sha256.clone()) {
            return None;
        }
        self.next_file += 1;
        Some(self.next_file - 1)
    }

    /// Merges one incoming article; returns its id.
    fn article(&mut self, incoming: &NewArticle) -> i64 {
        let source_id = incoming
            .source_key
            .as_deref()
            .and_then(|k| self.sources.id(k));
        let tag_ids: Vec<i64> = unique(incoming.tag_keys.iter().filter_map(|k| self.tags.id(k)));
        if !self.drafts.contains_key(&incoming.identity) {
            let draft = match self.stored.remove(&incoming.identity) {
                Some(row) => Draft {
                    tag_ids: self.stored_tags.remove(&row.id).unwrap_or_default(),
                    other_sources: self.stored_sources.remove(&row.id).unwrap_or_default(),
                    row,
                    is_new: false,
                    changed: false,
                    added_tags: Vec::new(),
                    added_sources: Vec::new(),
                    source_filled: false,
                    row_changed: false,
                    date_filled: false,
                    text_changed: false,
                },
                None => {
                    let draft = self.new_draft(incoming, source_id, tag_ids);
                    self.outcome.articles_new += 1;
                    let id = draft.row.id;
                    self.order.push(incoming.identity.clone());
                    self.drafts.insert(incoming.identity.clone(), draft);
                    return id;
                }
            };
            self.order.push(incoming.identity.clone());
            self.drafts.insert(incoming.identity.clone(), draft);
        }
        let draft = self
            .drafts
            .get_mut(&incoming.identity)
            .expect("inserted above");
        if enrich(draft, incoming, source_id, &tag_ids) {
            draft.changed = true;
            self.outcome.articles_enriched += 1;
        } else {
            self.outcome.articles_duplicate += 1;
        }
        draft.row.id
    }

    fn new_draft(&mut self, a: &NewArticle, source_id: Option<i64>, tag_ids: Vec<i64>) -> Draft {
        let id = self.next_article;
        self.next_article += 1;
        let mut draft = Draft::fresh(
            id,
            a.permalink.clone(),
            self.import_id,
            a,
            source_id,
            tag_ids,
        );
        draft.is_new = true;
        draft
    }

    /// Writes every draft: inserts, updates, tags, sources, counts.
    async fn write(&mut self, conn: &mut SqliteConnection, now: &str) -> Result<()> {
        self.sources.write(conn).await?;
        self.tags.write(conn).await?;
        let mut saved = Vec::new();
        let mut tag_rows = Vec::new();
        let mut source_rows = Vec::new();
        let mut source_counts: HashMap<i64, i64> = HashMap::new();
        let mut tag_counts: HashMap<i64, i64> = HashMap::new();
        let mut day_counts: HashMap<String, i64> = HashMap::new();
        for identity in std::mem::take(&mut self.order) {
            let d = self
                .drafts
                .remove(&identity)
                .expect("every ordered draft exists");
            if !d.is_new && !d.changed {
                continue;
            }
            if d.is_new && self.outcome.new_articles.len() < LISTED_NEW_ARTICLES {
                self.outcome.new_articles.push(ArticleLink {
                    id: d.row.permalink.clone(),
                    url: urls::article(&d.row.permalink, &d.row.slug),
                    title: d.row.title.clone(),
                });
            }
            if let Some(source) = d.row.source_id.filter(|_| d.is_new || d.source_filled) {
                *source_counts.entry(source).or_default() += 1;
            }
            if (d.is_new || d.date_filled) && !d.row.sort_key.is_empty() {
                let day = d.row.sort_key.get(..10).unwrap_or_default().to_owned();
                *day_counts.entry(day).or_default() += 1;
            }
            for &tag in &d.added_tags {
                *tag_counts.entry(tag).or_default() += 1;
            }
            self.outcome.touched_ids.push(d.row.id);
            tag_rows.extend(d.added_tag_rows());
            source_rows.extend(d.added_sources.iter().map(|&s| (d.row.id, s)));
            if d.text_changed {
                self.outcome.texts.push(TextRow {
                    id: d.row.id,
                    title: d.row.title.clone(),
                    body: d.row.body.clone(),
                    day: related::day_of(&d.row.sort_key),
                });
            }
            if d.is_new || d.row_changed {
                saved.push(d.row);
            }
        }
        articles::save(conn, saved, now).await?;
        search::log_changes(conn, &self.outcome.touched_ids).await?;
        articles::add_tags(conn, &tag_rows).await?;
        articles::add_other_sources(conn, &source_rows).await?;
        names::add_counts(conn, NameTable::Sources, &source_counts).await?;
        names::add_counts(conn, NameTable::Tags, &tag_counts).await?;
        day_counts::add(conn, &day_counts).await?;
        Ok(())
    }
}
