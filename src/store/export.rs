//! The reads behind the export (the JSONL export and `/api/articles`):
//! articles with their tags, relations and files, page by page in
//! permalink order. The documented shape is made from them in `export`.

use crate::dispatch;
use crate::store::{Conn, per_backend};
use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::Result;

/// One article with everything the export shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub permalink: String,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub published: Option<String>,
    pub published_raw: Option<String>,
    pub source: Option<String>,
    /// Tag names in page order.
    pub tags: Vec<String>,
    /// (other article's permalink, relation kind), in the documented order.
    pub related: Vec<(String, String)>,
    /// Names of the files that brought it, oldest first, each once.
    pub files: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct Head {
    id: i64,
    permalink: String,
    slug: String,
    title: String,
    body: String,
    published: Option<String>,
    published_raw: Option<String>,
    source: Option<String>,
}

const HEAD: &str = "SELECT a.id, a.permalink, a.slug, a.title, a.body, a.published, \
    a.published_raw, s.name AS source FROM articles a LEFT JOIN sources s ON s.id = a.source_id ";

/// Up to `limit` articles whose permalink sorts after `after`.
pub async fn page_after(conn: &mut Conn, after: &str, limit: i64) -> Result<Vec<ExportRow>> {
    let heads: Vec<Head> = dispatch!(conn, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{HEAD} WHERE a.permalink > $1 ORDER BY a.permalink LIMIT $2"
        )))
        .bind(after)
        .bind(limit)
        .fetch_all(c)
        .await
    })?;
    complete(conn, heads).await
}

/// One article by permalink.
pub async fn by_permalink(conn: &mut Conn, permalink: &str) -> Result<Option<ExportRow>> {
    let heads: Vec<Head> = dispatch!(conn, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{HEAD} WHERE a.permalink = $1"
        )))
        .bind(permalink)
        .fetch_all(c)
        .await
    })?;
    Ok(complete(conn, heads).await?.pop())
}

async fn complete(conn: &mut Conn, heads: Vec<Head>) -> Result<Vec<ExportRow>> {
    let ids: Vec<i64> = heads.iter().map(|h| h.id).collect();
    let mut tags = grouped(
        conn,
        "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id \
         WHERE at.article_id IN (",
        ") ORDER BY at.article_id, at.position",
        &ids,
    )
    .await?;
    let mut related = grouped(
        conn,
        "SELECT r.article_id, o.permalink || ' ' || r.kind FROM relations r \
         JOIN articles o ON o.id = r.other_id WHERE r.article_id IN (",
        ") ORDER BY r.article_id, CASE r.kind WHEN 'read_also' THEN 0 WHEN 'same_story' THEN 1 ELSE 2 END, \
         CASE r.kind WHEN 'read_also' THEN r.score ELSE -r.score END, o.permalink",
        &ids,
    )
    .await?;
    let mut files = grouped(
        conn,
        "SELECT af.article_id, f.name FROM article_files af JOIN files f ON f.id = af.file_id \
         WHERE af.article_id IN (",
        ") ORDER BY af.article_id, f.id",
        &ids,
    )
    .await?;
    Ok(heads
        .into_iter()
        .map(|h| ExportRow {
            tags: tags.remove(&h.id).unwrap_or_default(),
            related: related
                .remove(&h.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|pair| {
                    let (id, relation) = pair.split_once(' ')?;
                    Some((id.to_owned(), relation.to_owned()))
                })
                .collect(),
            files: {
                // A file that brought the article twice (page and item) is listed once.
                let mut names = files.remove(&h.id).unwrap_or_default();
                names.dedup();
                names
            },
            permalink: h.permalink,
            slug: h.slug,
            title: h.title,
            body: h.body,
            published: h.published,
            published_raw: h.published_raw,
            source: h.source,
        })
        .collect())
}

/// Runs `head ids tail` and groups the second column by article id.
#[per_backend]
async fn grouped(
    conn: &mut Conn,
    head: &str,
    tail: &str,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut q = QueryBuilder::new(head);
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(tail);
    let rows: Vec<(i64, String)> = q.build_query_as().fetch_all(conn).await?;
    for (id, value) in rows {
        out.entry(id).or_default().push(value);
    }
    Ok(out)
}
