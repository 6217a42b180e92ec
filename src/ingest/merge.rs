//! Merging a later copy of an article into what is known of it (or, the
//! first time a reparse meets it, replacing what is known), and resolving
//! source and tag names to ids: the rules of the one batch writer that
//! import and reparse share.

use std::collections::{HashMap, HashSet};

use crate::store::Conn;

use crate::store::Result;
use crate::store::articles::{ArticleRow, ArticleTag};
use crate::store::names::{self, NameTable, NewName};

use super::article::NewArticle;

/// An article's state while a batch is merged.
pub struct Draft {
    pub row: ArticleRow,
    pub is_new: bool,
    pub changed: bool,
    pub tag_ids: Vec<i64>,
    pub added_tags: Vec<i64>,
    pub other_sources: Vec<i64>,
    pub added_sources: Vec<i64>,
    /// The article had no source and this merge gave it one.
    pub source_filled: bool,
    /// The article row itself must be rewritten (not only its links).
    pub row_changed: bool,
    /// The article had no date and this merge gave it one.
    pub date_filled: bool,
    /// The article's text is new (related articles are worked out again,
    /// and the search index takes it from the change log).
    pub text_changed: bool,
    /// Rewritten from scratch by a reparse: its tags and further sources
    /// are replaced, and its row is stored whether or not it changed.
    pub rewritten: bool,
}

impl Draft {
    /// An article row holding exactly what `a` says, under `id` and
    /// `permalink`; every tag counts as added.
    pub fn fresh(
        id: i64,
        permalink: String,
        created_import: i64,
        a: &NewArticle,
        source_id: Option<i64>,
        tag_ids: Vec<i64>,
    ) -> Draft {
        Draft {
            row: ArticleRow {
                id,
                permalink,
                identity: a.identity.clone(),
                slug: a.slug.clone(),
                title: a.title.clone(),
                body: a.body(),
                published: a.published_rfc3339(),
                published_raw: a.published_raw.clone(),
                sort_key: a.sort_key(),
                source_id,
                url: a.url.clone(),
                embedded: a.embedded,
                created_import,
            },
            is_new: false,
            changed: false,
            added_tags: tag_ids.clone(),
            tag_ids,
            other_sources: Vec::new(),
            added_sources: Vec::new(),
            source_filled: false,
            row_changed: false,
            date_filled: false,
            text_changed: true,
            rewritten: false,
        }
    }

    /// A stored article as it is, with its tags (page order) and further
    /// sources, ready to be enriched.
    pub fn stored(row: ArticleRow, tag_ids: Vec<i64>, other_sources: Vec<i64>) -> Draft {
        Draft {
            row,
            is_new: false,
            changed: false,
            tag_ids,
            added_tags: Vec::new(),
            other_sources,
            added_sources: Vec::new(),
            source_filled: false,
            row_changed: false,
            date_filled: false,
            text_changed: false,
            rewritten: false,
        }
    }

    /// Rows of `article_tags` for the tags this merge added.
    pub fn added_tag_rows(&self) -> impl Iterator<Item = ArticleTag> + '_ {
        let first_new = self.tag_ids.len() - self.added_tags.len();
        self.added_tags
            .iter()
            .enumerate()
            .map(move |(i, &tag_id)| ArticleTag {
                article_id: self.row.id,
                tag_id,
                position: (first_new + i) as i64,
                sort_key: self.row.sort_key.clone(),
            })
    }
}

/// Folds a later copy into an article; true when it added anything.
///
/// A full page replaces the text of an article known only as a read-also
/// item; otherwise only what is missing is filled in (date, source, URL)
/// and tags and further sources are added. Nothing is ever overwritten.
pub fn enrich(d: &mut Draft, a: &NewArticle, source_id: Option<i64>, tag_ids: &[i64]) -> bool {
    let row_changed = enrich_row(d, a, source_id);
    d.row_changed |= row_changed;
    let mut linked = false;
    let further =
        source_id.filter(|&s| d.row.source_id != Some(s) && !d.other_sources.contains(&s));
    if let Some(s) = further {
        d.other_sources.push(s);
        d.added_sources.push(s);
        linked = true;
    }
    for &tag in tag_ids {
        if !d.tag_ids.contains(&tag) {
            d.tag_ids.push(tag);
            d.added_tags.push(tag);
            linked = true;
        }
    }
    row_changed || linked
}

/// The part of [`enrich`] that changes the article row itself (text, date,
/// URL, first source); tags and further sources live in other tables, and
/// adding them leaves the (large) row untouched.
fn enrich_row(d: &mut Draft, a: &NewArticle, source_id: Option<i64>) -> bool {
    let mut changed = false;
    let row = &mut d.row;
    if row.embedded && !a.embedded {
        row.title = a.title.clone();
        row.slug = a.slug.clone();
        row.body = a.body();
        row.embedded = false;
        d.text_changed = true;
        changed = true;
    }
    if row.published.is_none() && a.published.is_some() {
        row.published = a.published_rfc3339();
        row.published_raw = a.published_raw.clone();
        row.sort_key = a.sort_key();
        d.date_filled = true;
        changed = true;
    } else if row.published_raw.is_none() && a.published_raw.is_some() {
        row.published_raw = a.published_raw.clone();
        changed = true;
    }
    if row.url.is_none() && a.url.is_some() {
        row.url = a.url.clone();
        changed = true;
    }
    if row.source_id.is_none() && source_id.is_some() {
        row.source_id = source_id;
        d.source_filled = true;
        changed = true;
    }
    changed
}

/// What a reparse run knows across its batches: the articles it already
/// rewrote (later copies only enrich them, as they did when first
/// imported), the pages whose read-also links it already cleared, and what
/// every article it touched looked like before the run (`None`: new in
/// this run), so that only articles whose text, date or tags changed are
/// related again.
#[derive(Debug, Default)]
pub struct Rewrites {
    pub rewritten: HashSet<i64>,
    pub links_cleared: HashSet<i64>,
    pub before: HashMap<i64, Option<u64>>,
}

/// What relations are computed from: title, body, date and tags (sorted).
pub fn fingerprint(row: &ArticleRow, sorted_tags: &[i64]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    (&row.title, &row.body, &row.sort_key, sorted_tags).hash(&mut hasher);
    hasher.finish()
}

/// Whether a rewritten row says what the stored one said.
pub fn same_content(a: &ArticleRow, b: &ArticleRow) -> bool {
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

/// Ids of the sources or tags a batch names, creating the missing ones.
pub struct NameIds {
    table: NameTable,
    ids: HashMap<String, i64>,
    created: Vec<NewName>,
}

impl NameIds {
    /// Resolves the (key, spelling) pairs a batch names; keys not stored
    /// yet get new ids, written by [`NameIds::write`].
    pub async fn load<'a>(
        conn: &mut Conn,
        table: NameTable,
        names_in_batch: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Result<NameIds> {
        let mut spelled: Vec<(&str, &str)> = Vec::new();
        let mut seen = HashSet::new();
        for (key, name) in names_in_batch {
            if seen.insert(key) {
                spelled.push((key, name));
            }
        }
        let keys: Vec<String> = spelled.iter().map(|(k, _)| (*k).to_owned()).collect();
        let mut ids = names::ids_by_key(conn, table, &keys).await?;
        let mut next = names::max_id(conn, table).await? + 1;
        let mut created = Vec::new();
        for (key, name) in spelled {
            if !ids.contains_key(key) {
                ids.insert(key.to_owned(), next);
                created.push(NewName {
                    id: next,
                    key: key.to_owned(),
                    name: name.trim().to_owned(),
                });
                next += 1;
            }
        }
        Ok(NameIds {
            table,
            ids,
            created,
        })
    }

    /// The id of a normalized name.
    pub fn id(&self, key: &str) -> Option<i64> {
        self.ids.get(key).copied()
    }

    pub async fn write(&self, conn: &mut Conn) -> Result<()> {
        names::insert(conn, self.table, &self.created).await
    }
}

/// The distinct items of `items`, in first-seen order.
pub fn unique<T: Clone + Eq + std::hash::Hash>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items.filter(|i| seen.insert(i.clone())).collect()
}
