//! The `articles` table and its per-article side tables (tags, extra
//! sources): batched writes for the importer, lookups by identity.

use crate::store::{Conn, per_backend};
use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::Result;

/// SQLite allows 32766 bound variables per statement; rows per multi-row
/// insert are chosen to stay well under it.
const ROWS_PER_INSERT: usize = 1000;

/// One article row, as the importer reads and writes it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRow {
    pub id: i64,
    pub permalink: String,
    pub identity: Vec<u8>,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub published: Option<String>,
    pub published_raw: Option<String>,
    pub sort_key: String,
    pub source_id: Option<i64>,
    pub url: Option<String>,
    pub embedded: bool,
    pub created_import: i64,
}

/// The highest article id ever handed out (0 when none): the largest in
/// use, or a larger one whose article was deleted (ids are never given
/// twice). Called inside the importer's write transaction, which holds
/// SQLite's write lock, so ids handed out from here cannot collide with
/// another writer.
#[per_backend]
pub async fn max_id(conn: &mut Conn) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(id), 0) FROM (SELECT MAX(id) AS id FROM articles UNION ALL \
         SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'article_ids_used') used",
    )
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Stored articles whose identity is among `identities`, without their
/// bodies (left empty: [`save`] keeps a stored body when given '').
#[per_backend]
pub async fn find_by_identity(conn: &mut Conn, identities: &[Vec<u8>]) -> Result<Vec<ArticleRow>> {
    let mut found = Vec::new();
    for chunk in identities.chunks(ROWS_PER_INSERT) {
        let mut q = QueryBuilder::new(
            "SELECT id, permalink, identity, slug, title, '' AS body, published, published_raw, \
             sort_key, source_id, url, embedded, created_import FROM articles WHERE identity IN (",
        );
        let mut list = q.separated(", ");
        for identity in chunk {
            list.push_bind(identity.clone());
        }
        q.push(")");
        found.extend(
            q.build_query_as::<ArticleRow>()
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(found)
}

/// Stored articles by internal id (reparse uses it to find an article again
/// through its provenance).
#[per_backend]
pub async fn find_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ArticleRow>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(ROWS_PER_INSERT) {
        let mut q = QueryBuilder::new(
            "SELECT id, permalink, identity, slug, title, body, published, published_raw, \
             sort_key, source_id, url, embedded, created_import FROM articles WHERE id IN (",
        );
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        q.push(")");
        found.extend(
            q.build_query_as::<ArticleRow>()
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(found)
}

/// Stores articles, many rows per statement: new ids are inserted, known
/// ids rewritten (enrichment, reparse); an empty body keeps the stored one
/// (the importer does not load bodies it does not replace). The permalink and creation facts of
/// a stored article never change. Tag rows follow their article's date.
#[per_backend]
pub async fn save(conn: &mut Conn, rows: Vec<ArticleRow>, now: &str) -> Result<()> {
    // An article given twice is stored as the upsert below would leave it
    // on SQLite: the later row, keeping a body it leaves empty.
    let rows = super::upsert::merged(
        rows,
        |r| r.id,
        |earlier, later| ArticleRow {
            body: match later.body.is_empty() {
                true => earlier.body,
                false => later.body,
            },
            ..later
        },
    );
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<ArticleRow> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        let ids: Vec<i64> = chunk.iter().map(|r| r.id).collect();
        let mut q = QueryBuilder::new(format!(
            "{} articles (id, permalink, identity, slug, title, body, published, \
             published_raw, sort_key, source_id, url, embedded, created_import, created_at, \
             updated_at) ",
            super::dialect::insert_many(&*conn)
        ));
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.permalink)
                .push_bind(r.identity)
                .push_bind(r.slug)
                .push_bind(r.title)
                .push_bind(r.body)
                .push_bind(r.published)
                .push_bind(r.published_raw)
                .push_bind(r.sort_key)
                .push_bind(r.source_id)
                .push_bind(r.url)
                .push_bind(r.embedded)
                .push_bind(r.created_import)
                .push_bind(now.to_owned())
                .push_bind(now.to_owned());
        });
        q.push(
            " ON CONFLICT (id) DO UPDATE SET identity = excluded.identity, slug = excluded.slug, \
             title = excluded.title, published = excluded.published, \
             body = CASE excluded.body WHEN '' THEN articles.body ELSE excluded.body END, \
             published_raw = excluded.published_raw, sort_key = excluded.sort_key, \
             source_id = excluded.source_id, url = excluded.url, embedded = excluded.embedded, \
             updated_at = excluded.updated_at",
        );
        q.build().execute(&mut *conn).await?;
        let mut sync = QueryBuilder::new(
            "UPDATE article_tags SET sort_key = (SELECT a.sort_key FROM articles a \
             WHERE a.id = article_tags.article_id) WHERE article_id IN (",
        );
        let mut list = sync.separated(", ");
        for id in ids {
            list.push_bind(id);
        }
        sync.push(")");
        sync.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// One tag on one article, in the tags line's order.
#[derive(Debug, Clone)]
pub struct ArticleTag {
    pub article_id: i64,
    pub tag_id: i64,
    pub position: i64,
    pub sort_key: String,
}

/// Tag ids of each of `article_ids`, in position order.
#[per_backend]
pub async fn tag_ids(conn: &mut Conn, article_ids: &[i64]) -> Result<HashMap<i64, Vec<i64>>> {
    let mut tags: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in article_ids.chunks(ROWS_PER_INSERT) {
        let mut q =
            QueryBuilder::new("SELECT article_id, tag_id FROM article_tags WHERE article_id IN (");
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        q.push(") ORDER BY article_id, position");
        let rows: Vec<(i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
        for (article, tag) in rows {
            tags.entry(article).or_default().push(tag);
        }
    }
    Ok(tags)
}

/// Adds tags to articles; a tag already on the article is left as it is.
#[per_backend]
pub async fn add_tags(conn: &mut Conn, rows: &[ArticleTag]) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut q = QueryBuilder::new(format!(
            "{} article_tags (article_id, tag_id, position, sort_key) ",
            super::dialect::insert_many(&*conn)
        ));
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.article_id)
                .push_bind(r.tag_id)
                .push_bind(r.position)
                .push_bind(r.sort_key.clone());
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Records further sources of articles ("also published by").
#[per_backend]
pub async fn add_other_sources(conn: &mut Conn, rows: &[(i64, i64)]) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut q = QueryBuilder::new("INSERT INTO article_sources (article_id, source_id) ");
        q.push_values(chunk, |mut b, (article, source)| {
            b.push_bind(*article).push_bind(*source);
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Removes every tag of an article (reparse rebuilds them from the files).
/// Tags are part of the profiles the relating engine keeps in memory, so
/// this moves the related generation on (see `related::Resident`).
pub async fn clear_tags(conn: &mut Conn, article_id: i64) -> Result<()> {
    super::relating::bump_generation(&mut *conn).await?;
    delete_tags(conn, article_id).await
}

#[per_backend]
async fn delete_tags(conn: &mut Conn, article_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM article_sources WHERE article_id = $1")
        .bind(article_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Further source ids of each of `article_ids`.
#[per_backend]
pub async fn other_source_ids(
    conn: &mut Conn,
    article_ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>> {
    let mut sources: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in article_ids.chunks(ROWS_PER_INSERT) {
        let mut q = QueryBuilder::new(
            "SELECT article_id, source_id FROM article_sources WHERE article_id IN (",
        );
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        q.push(")");
        let rows: Vec<(i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
        for (article, source) in rows {
            sources.entry(article).or_default().push(source);
        }
    }
    Ok(sources)
}
