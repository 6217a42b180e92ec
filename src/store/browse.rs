//! Reads for the article page: the article with its source, tags, further
//! sources and files in one query, and every related link (with what
//! explains it, stored when the link was made) in another — a page render
//! is two indexed queries.

use super::Result;
use crate::store::{Conn, per_backend};

/// Separates list items inside one column (ASCII unit separator: never
/// part of a name, tags and sources being trimmed text without controls).
const SEP: char = '\u{1f}';

/// An article with what its page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRecord {
    pub id: i64,
    pub permalink: String,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub published: Option<String>,
    pub published_raw: Option<String>,
    pub source: Option<String>,
    pub embedded: bool,
    pub created_at: String,
    tags: Option<String>,
    other_sources: Option<String>,
    files: Option<String>,
}

impl ArticleRecord {
    /// Tag names in the dump's order.
    pub fn tags(&self) -> Vec<String> {
        split(&self.tags)
    }

    /// Further sources that published the article ("also published by").
    pub fn other_sources(&self) -> Vec<String> {
        split(&self.other_sources)
    }

    /// Names of the files that brought the article, oldest first.
    pub fn files(&self) -> Vec<String> {
        split(&self.files)
    }
}

fn split(list: &Option<String>) -> Vec<String> {
    list.as_deref()
        .map(|l| l.split(SEP).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The article at `permalink`, with its lists.
#[per_backend]
pub async fn article(conn: &mut Conn, permalink: &str) -> Result<Option<ArticleRecord>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.permalink, a.slug, a.title, a.body, a.published, a.published_raw, \
         s.name AS source, a.embedded, a.created_at, \
         (SELECT string_agg(t.name, '\u{1f}' ORDER BY at.position) FROM article_tags at \
           JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tags, \
         (SELECT string_agg(o.name, '\u{1f}' ORDER BY o.name) FROM article_sources x \
           JOIN sources o ON o.id = x.source_id WHERE x.article_id = a.id) AS other_sources, \
         (SELECT string_agg(f.name, '\u{1f}' ORDER BY f.id) FROM \
           (SELECT DISTINCT file_id FROM article_files WHERE article_id = a.id LIMIT 50) af \
           JOIN files f ON f.id = af.file_id) AS files \
         FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.permalink = $1",
    )
    .bind(permalink)
    .fetch_optional(conn)
    .await?)
}

/// A link from an article page to another article.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RelatedRow {
    /// `read_also` (this page links to it), `mentioned_in` (it links to
    /// this page), `same_story` or `similar`.
    pub kind: String,
    pub permalink: String,
    pub slug: String,
    pub title: String,
    pub source: Option<String>,
    /// `similar`: the tags, else the words, both articles share (joined by
    /// the unit separator; see [`RelatedRow::shared_names`]).
    pub reason: Option<String>,
}

impl RelatedRow {
    pub fn shared_names(&self) -> Vec<String> {
        split(&self.reason)
    }
}

/// Every related link of an article, in the order the page shows them:
/// its read-also links in the page's order; the pages that list it under
/// "read also", newest first; the other versions of its story, closest
/// first; its similar articles, best first. Ties go by article id, so
/// every backend lists them alike.
#[per_backend]
pub async fn related(conn: &mut Conn, article_id: i64) -> Result<Vec<RelatedRow>> {
    Ok(sqlx::query_as(
        "SELECT kind, permalink, slug, title, source, reason FROM ( \
           SELECT 'read_also' AS kind, 0 AS grp, r.score AS ord, o.id AS tie, o.permalink, \
             o.slug, o.title, s.name AS source, NULL AS reason \
           FROM relations r JOIN articles o ON o.id = r.other_id LEFT JOIN sources s ON s.id = o.source_id \
           WHERE r.article_id = $1 AND r.kind = 'read_also' \
           UNION ALL \
           SELECT * FROM (SELECT 'mentioned_in', 1, -o.id, o.id, o.permalink, o.slug, o.title, s.name, NULL \
           FROM relations r JOIN articles o ON o.id = r.article_id LEFT JOIN sources s ON s.id = o.source_id \
           WHERE r.other_id = $1 AND r.kind = 'read_also' ORDER BY o.sort_key DESC, o.id DESC LIMIT 20) AS mentioned \
           UNION ALL \
           SELECT 'same_story', 2, -r.score, o.id, o.permalink, o.slug, o.title, s.name, NULL \
           FROM relations r JOIN articles o ON o.id = r.other_id LEFT JOIN sources s ON s.id = o.source_id \
           WHERE r.article_id = $1 AND r.kind = 'same_story' \
           UNION ALL \
           SELECT 'similar', 3, -r.score, o.id, o.permalink, o.slug, o.title, s.name, r.reason \
           FROM relations r JOIN articles o ON o.id = r.other_id LEFT JOIN sources s ON s.id = o.source_id \
           WHERE r.article_id = $1 AND r.kind = 'similar' \
         ) AS linked ORDER BY grp, ord, tie LIMIT 100",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?)
}
