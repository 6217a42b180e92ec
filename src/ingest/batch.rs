//! The merge of one batch of documents against what is stored, for import
//! and reparse alike: each incoming article finds what is stored of it, is
//! merged into its draft, and every draft is written at the end with
//! multi-row statements.
//!
//! An import finds articles by identity. A reparse finds them through the
//! provenance of the file it re-reads (the page itself, its n-th read-also
//! item), so an article keeps its id even when a better parser changes its
//! identity, and the first time a run meets an article it rewrites it from
//! scratch; identity is the fallback for items the old parser missed.

use std::collections::{HashMap, HashSet};

use crate::store::Conn;

use crate::related;
use crate::store::articles::{self, ArticleRow};
use crate::store::names::{self, NameTable};
use crate::store::relating::TextRow;
use crate::store::{Result, day_counts, files, search, takedowns};
use crate::urls;

use super::article::NewArticle;
use super::merge::{Draft, NameIds, Rewrites, enrich, fingerprint, same_content, unique};
use super::prepare::PreparedDoc;
use super::report::{ArticleLink, LISTED_NEW_ARTICLES};
use super::writer::BatchOutcome;

/// How a batch's articles find what is stored of them.
pub(super) enum Find<'r> {
    /// By identity (an import).
    Identity,
    /// Through (file, position) provenance links first (a reparse).
    Provenance {
        links: HashMap<(i64, i64), i64>,
        rewrites: &'r mut Rewrites,
    },
}

/// Whether writing a batch adds to the name and day counts (an import), or
/// leaves them to be recounted (a reparse, which also removes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Counts {
    Add,
    Recount,
}

pub(super) struct Batch<'r> {
    import_id: i64,
    find: Find<'r>,
    next_article: i64,
    /// Stored articles not drafted yet, by id.
    stored: HashMap<i64, ArticleRow>,
    /// The article holding each identity (stored, or drafted here).
    by_identity: HashMap<Vec<u8>, i64>,
    stored_tags: HashMap<i64, Vec<i64>>,
    stored_sources: HashMap<i64, Vec<i64>>,
    drafts: HashMap<i64, Draft>,
    /// Identities of taken-down articles among the batch's: never stored again.
    removed: HashSet<Vec<u8>>,
    /// Drafted ids in the order first met: the order rows are written in.
    order: Vec<i64>,
    sources: NameIds,
    tags: NameIds,
    pub outcome: BatchOutcome,
}

impl<'r> Batch<'r> {
    /// Reads what the batch's articles may merge into. On import, stored
    /// rows come without their bodies (an empty body is kept as stored).
    pub async fn load(
        conn: &mut Conn,
        import_id: i64,
        docs: &[PreparedDoc],
        find: Find<'r>,
    ) -> Result<Batch<'r>> {
        let all = || docs.iter().flat_map(|d| d.articles.iter());
        let identities: Vec<Vec<u8>> = unique(all().map(|a| a.identity.clone()));
        let mut rows = articles::find_by_identity(conn, &identities).await?;
        if let Find::Provenance { links, .. } = &find {
            // Whole rows, bodies included: a rewrite compares them.
            let mut ids: Vec<i64> = links.values().copied().collect();
            ids.extend(rows.iter().map(|r| r.id));
            rows = articles::find_by_ids(conn, &unique(ids.into_iter())).await?;
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let removed = takedowns::removed_identities(conn, &identities).await?;
        Ok(Batch {
            removed,
            import_id,
            find,
            next_article: articles::max_id(conn).await? + 1,
            by_identity: rows.iter().map(|r| (r.identity.clone(), r.id)).collect(),
            stored: rows.into_iter().map(|r| (r.id, r)).collect(),
            stored_tags: articles::tag_ids(conn, &ids).await?,
            stored_sources: articles::other_source_ids(conn, &ids).await?,
            drafts: HashMap::new(),
            order: Vec::new(),
            sources: NameIds::load(conn, NameTable::Sources, all().filter_map(|a| a.names().0))
                .await?,
            tags: NameIds::load(conn, NameTable::Tags, all().flat_map(|a| a.names().1)).await?,
            outcome: BatchOutcome::default(),
        })
    }

    /// The provenance links of `files` (stored files read again).
    pub async fn links_of(conn: &mut Conn, files: &[i64]) -> Result<HashMap<(i64, i64), i64>> {
        let mut links = HashMap::new();
        for &file in files {
            for (position, article) in files::links_of(conn, file).await? {
                links.insert((file, position), article);
            }
        }
        Ok(links)
    }

    /// Whether `incoming` was taken down: an import or reparse that meets
    /// it again leaves it out (counted as removed earlier).
    pub fn is_removed(&self, incoming: &NewArticle) -> bool {
        self.removed.contains(&incoming.identity)
    }

    /// Merges one incoming article, `at` (file, position) when its file is
    /// stored; returns its id.
    pub fn article(&mut self, incoming: &NewArticle, at: Option<(i64, i64)>) -> i64 {
        let source_id = incoming
            .source_key
            .as_deref()
            .and_then(|k| self.sources.id(k));
        let tag_ids: Vec<i64> = unique(incoming.tag_keys.iter().filter_map(|k| self.tags.id(k)));
        let Some(id) = self.find(incoming, at) else {
            return self.new_article(incoming, source_id, tag_ids);
        };
        if let Find::Provenance { rewrites, .. } = &mut self.find
            && rewrites.rewritten.insert(id)
        {
            return self.rewrite(id, incoming, source_id, tag_ids);
        }
        let draft = self.draft_of(id);
        if enrich(draft, incoming, source_id, &tag_ids) {
            draft.changed = true;
            self.outcome.articles_enriched += 1;
        } else {
            self.outcome.articles_duplicate += 1;
        }
        id
    }

    /// Whether a page's stored read-also links are to be replaced by the
    /// ones its file brings now: on a reparse, the first time the run
    /// meets the page.
    pub fn replaces_read_also(&mut self, page: i64) -> bool {
        match &mut self.find {
            Find::Identity => false,
            Find::Provenance { rewrites, .. } => rewrites.links_cleared.insert(page),
        }
    }

    /// The stored or drafted article `incoming` merges into, if any. A
    /// provenance link is authoritative: a linked article that is gone
    /// makes a new one rather than merging by identity.
    fn find(&self, incoming: &NewArticle, at: Option<(i64, i64)>) -> Option<i64> {
        let exists = |id: &i64| self.stored.contains_key(id) || self.drafts.contains_key(id);
        let by_identity = || self.by_identity.get(&incoming.identity).copied();
        match &self.find {
            Find::Identity => by_identity(),
            Find::Provenance { links, .. } => match at.and_then(|k| links.get(&k)) {
                Some(id) => Some(*id).filter(exists),
                None => by_identity(),
            },
        }
    }

    /// The draft of a stored or drafted article.
    fn draft_of(&mut self, id: i64) -> &mut Draft {
        if !self.drafts.contains_key(&id) {
            let row = self.stored.remove(&id).expect("found articles are stored");
            let tags = self.stored_tags.remove(&id).unwrap_or_default();
            let sources = self.stored_sources.remove(&id).unwrap_or_default();
            self.order.push(id);
            self.drafts.insert(id, Draft::stored(row, tags, sources));
        }
        self.drafts.get_mut(&id).expect("drafted above")
    }

    fn new_article(&mut self, a: &NewArticle, source_id: Option<i64>, tag_ids: Vec<i64>) -> i64 {
        let id = self.next_article;
        self.next_article += 1;
        let permalink = a.permalink.clone();
        let mut draft = Draft::fresh(id, permalink, self.import_id, a, source_id, tag_ids);
        draft.is_new = true;
        if let Find::Provenance { rewrites, .. } = &mut self.find {
            rewrites.rewritten.insert(id);
            rewrites.before.insert(id, None);
        }
        self.outcome.articles_new += 1;
        self.by_identity.insert(a.identity.clone(), id);
        self.order.push(id);
        self.drafts.insert(id, draft);
        id
    }

    /// A reparse's first copy of a stored article replaces what is stored
    /// of it, under its id, permalink and creation facts.
    fn rewrite(&mut self, id: i64, a: &NewArticle, source_id: Option<i64>, tags: Vec<i64>) -> i64 {
        let Some(stored) = self.stored.remove(&id) else {
            return self.new_article(a, source_id, tags);
        };
        let old_tags = self.stored_tags.remove(&id).unwrap_or_default();
        let mut sorted_tags = old_tags.clone();
        sorted_tags.sort_unstable();
        if let Find::Provenance { rewrites, .. } = &mut self.find {
            let before = fingerprint(&stored, &sorted_tags);
            rewrites.before.insert(id, Some(before));
        }
        let (permalink, created) = (stored.permalink.clone(), stored.created_import);
        let mut draft = Draft::fresh(id, permalink, created, a, source_id, tags);
        // Another article already holds the new identity: keep the old one
        // rather than break the unique key (the two stay separate).
        if self
            .by_identity
            .get(&a.identity)
            .is_some_and(|&other| other != id)
        {
            draft.row.identity = stored.identity.clone();
        } else if draft.row.identity != stored.identity {
            self.by_identity.remove(&stored.identity);
            self.by_identity.insert(draft.row.identity.clone(), id);
        }
        if !same_content(&draft.row, &stored) || draft.tag_ids != old_tags {
            self.outcome.articles_enriched += 1;
        } else {
            self.outcome.articles_duplicate += 1;
        }
        draft.rewritten = true;
        self.order.push(id);
        self.drafts.insert(id, draft);
        id
    }

    /// Writes every draft: inserts, rewrites, updates, tags, sources, the
    /// search index's change log, and the counts when `counts` says so.
    pub async fn write(&mut self, conn: &mut Conn, now: &str, counts: Counts) -> Result<()> {
        self.sources.write(conn).await?;
        self.tags.write(conn).await?;
        let mut rows = Rows::default();
        for id in std::mem::take(&mut self.order) {
            let d = self.drafts.remove(&id).expect("every ordered draft exists");
            if d.is_new || d.changed || d.rewritten {
                rows.add(d, &mut self.outcome);
            }
        }
        for &id in &rows.rewritten {
            articles::clear_tags(conn, id).await?;
        }
        articles::save(conn, rows.saved, now).await?;
        search::log_changes(conn, &rows.changed).await?;
        articles::add_tags(conn, &rows.tags).await?;
        articles::add_other_sources(conn, &rows.sources).await?;
        if counts == Counts::Add {
            names::add_counts(conn, NameTable::Sources, &rows.source_counts).await?;
            names::add_counts(conn, NameTable::Tags, &rows.tag_counts).await?;
            day_counts::add(conn, &rows.day_counts).await?;
        }
        Ok(())
    }
}

/// What the drafts of a batch write, gathered for multi-row statements.
#[derive(Default)]
struct Rows {
    saved: Vec<ArticleRow>,
    rewritten: Vec<i64>,
    tags: Vec<articles::ArticleTag>,
    sources: Vec<(i64, i64)>,
    /// Every article written, for the search index's change log (its
    /// text, date, source or tags may have changed).
    changed: Vec<i64>,
    source_counts: HashMap<i64, i64>,
    tag_counts: HashMap<i64, i64>,
    day_counts: HashMap<String, i64>,
}

impl Rows {
    fn add(&mut self, d: Draft, outcome: &mut BatchOutcome) {
        if d.is_new && outcome.new_articles.len() < LISTED_NEW_ARTICLES {
            outcome.new_articles.push(ArticleLink {
                id: d.row.permalink.clone(),
                url: urls::article(&d.row.permalink, &d.row.slug),
                title: d.row.title.clone(),
            });
        }
        if let Some(source) = d.row.source_id.filter(|_| d.is_new || d.source_filled) {
            *self.source_counts.entry(source).or_default() += 1;
        }
        if (d.is_new || d.date_filled) && !d.row.sort_key.is_empty() {
            let day = d.row.sort_key.get(..10).unwrap_or_default().to_owned();
            *self.day_counts.entry(day).or_default() += 1;
        }
        for &tag in &d.added_tags {
            *self.tag_counts.entry(tag).or_default() += 1;
        }
        outcome.touched_ids.push(d.row.id);
        self.changed.push(d.row.id);
        if d.rewritten {
            self.rewritten.push(d.row.id);
        }
        self.tags.extend(d.added_tag_rows());
        self.sources
            .extend(d.added_sources.iter().map(|&s| (d.row.id, s)));
        if d.text_changed {
            outcome.texts.push(TextRow {
                id: d.row.id,
                title: d.row.title.clone(),
                body: d.row.body.clone(),
                day: related::day_of(&d.row.sort_key),
            });
        }
        if d.is_new || d.row_changed || d.rewritten {
            self.saved.push(d.row);
        }
    }
}
