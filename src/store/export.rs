//! Articles in the export schema of `interfaces.md` (the JSONL export and
//! the `/api/articles` JSON), read page by page in permalink order.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::Result;
use crate::urls;

/// One article, exactly the documented export shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportArticle {
    pub id: String,
    pub url: String,
    pub title: String,
    pub published: Option<String>,
    pub published_raw: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub paragraphs: Vec<String>,
    pub related: Vec<ExportRelation>,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportRelation {
    pub id: String,
    pub relation: String,
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
pub async fn page_after(
    conn: &mut SqliteConnection,
    after: &str,
    limit: i64,
) -> Result<Vec<ExportArticle>> {
    let heads: Vec<Head> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{HEAD} WHERE a.permalink > ? ORDER BY a.permalink LIMIT ?"
    )))
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    complete(conn, heads).await
}

/// One article by permalink.
pub async fn by_permalink(
    conn: &mut SqliteConnection,
    permalink: &str,
) -> Result<Option<ExportArticle>> {
    let heads: Vec<Head> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{HEAD} WHERE a.permalink = ?")))
            .bind(permalink)
            .fetch_all(&mut *conn)
            .await?;
    Ok(complete(conn, heads).await?.pop())
}

async fn complete(conn: &mut SqliteConnection, heads: Vec<Head>) -> Result<Vec<ExportArticle>> {
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
        .map(|h| ExportArticle {
            url: urls::article(&h.permalink, &h.slug),
            id: h.permalink,
            title: h.title,
            published: h.published,
            published_raw: h.published_raw,
            source: h.source,
            tags: tags.remove(&h.id).unwrap_or_default(),
            paragraphs: h.body.lines().map(str::to_owned).collect(),
            related: related
                .remove(&h.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|pair| {
                    let (id, relation) = pair.split_once(' ')?;
                    Some(ExportRelation {
                        id: id.to_owned(),
                        relation: relation.to_owned(),
                    })
                })
                .collect(),
            files: {
                // A file that brought the article twice (page and item) is listed once.
                let mut names = files.remove(&h.id).unwrap_or_default();
                names.dedup();
                names
            },
        })
        .collect())
}

/// Runs `head ids tail` and groups the second column by article id.
async fn grouped(
    conn: &mut SqliteConnection,
    head: &str,
    tail: &str,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut q = QueryBuilder::<Sqlite>::new(head);
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
