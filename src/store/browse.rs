//! Reads for the reading pages: one article with everything its page
//! shows, and the lists (home, sources, tags, dates).

use sqlx::SqliteConnection;

use super::Result;

/// An article with its source, as every page shows it.
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
}

/// A link to another article.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRef {
    pub permalink: String,
    pub slug: String,
    pub title: String,
    pub source: Option<String>,
}

pub async fn article(
    conn: &mut SqliteConnection,
    permalink: &str,
) -> Result<Option<ArticleRecord>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.permalink, a.slug, a.title, a.body, a.published, a.published_raw, \
         s.name AS source, a.embedded, a.created_at \
         FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.permalink = ?",
    )
    .bind(permalink)
    .fetch_optional(conn)
    .await?)
}

/// Tag names of an article, in the dump's order.
pub async fn tags_of(conn: &mut SqliteConnection, article_id: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id \
         WHERE at.article_id = ? ORDER BY at.position",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// Articles this one links to as "read also", in the page's order.
pub async fn read_also_of(conn: &mut SqliteConnection, article_id: i64) -> Result<Vec<ArticleRef>> {
    Ok(sqlx::query_as(
        "SELECT o.permalink, o.slug, o.title, s.name AS source FROM relations r \
         JOIN articles o ON o.id = r.other_id LEFT JOIN sources s ON s.id = o.source_id \
         WHERE r.article_id = ? AND r.kind = 'read_also' ORDER BY r.score LIMIT 20",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?)
}

/// Pages that list this article under "read also" ("mentioned in").
pub async fn mentioned_in(conn: &mut SqliteConnection, article_id: i64) -> Result<Vec<ArticleRef>> {
    Ok(sqlx::query_as(
        "SELECT o.permalink, o.slug, o.title, s.name AS source FROM relations r \
         JOIN articles o ON o.id = r.article_id LEFT JOIN sources s ON s.id = o.source_id \
         WHERE r.other_id = ? AND r.kind = 'read_also' ORDER BY o.sort_key DESC, o.id DESC LIMIT 20",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?)
}

/// Names of the files that brought an article, oldest first.
pub async fn files_of(conn: &mut SqliteConnection, article_id: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT f.name FROM article_files af JOIN files f ON f.id = af.file_id \
         WHERE af.article_id = ? GROUP BY f.id ORDER BY f.id LIMIT 50",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// Further sources that published the article ("also published by").
pub async fn other_sources_of(conn: &mut SqliteConnection, article_id: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT s.name FROM article_sources x JOIN sources s ON s.id = x.source_id \
         WHERE x.article_id = ? ORDER BY s.name",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}
