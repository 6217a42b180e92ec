//! `file_captures` (where and when a saved web page was captured) and
//! `page_links` (the addresses its article's "read also" links point to),
//! and turning those links into `read_also` relations once both pages are
//! stored, whichever came first.

use crate::store::{Conn, per_backend};
use sqlx::QueryBuilder;

use super::Result;

/// One saved page's capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureRow {
    pub file_id: i64,
    /// `html` or `warc`.
    pub format: &'static str,
    pub url: Option<String>,
    pub url_key: Option<String>,
    pub canonical_key: Option<String>,
    pub captured_at: Option<String>,
}

/// Where an article was captured from, for its page.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Provenance {
    pub url: String,
    pub captured_at: Option<String>,
}

/// Stores captures; a file's earlier row is replaced (reparse).
#[per_backend]
pub async fn save(conn: &mut Conn, rows: &[CaptureRow]) -> Result<()> {
    let rows = super::upsert::last_of_each(rows, |r| r.file_id);
    for chunk in rows.chunks(500) {
        let mut q = QueryBuilder::new(
            "INSERT INTO file_captures (file_id, format, url, url_key, canonical_key, captured_at) ",
        );
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.file_id)
                .push_bind(r.format)
                .push_bind(r.url.clone())
                .push_bind(r.url_key.clone())
                .push_bind(r.canonical_key.clone())
                .push_bind(r.captured_at.clone());
        });
        q.push(
            " ON CONFLICT (file_id) DO UPDATE SET format = excluded.format, url = excluded.url, \
             url_key = excluded.url_key, canonical_key = excluded.canonical_key, \
             captured_at = excluded.captured_at",
        );
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Sets the "read also" link keys of article `article_id`, replacing any.
#[per_backend]
pub async fn set_links(conn: &mut Conn, article_id: i64, keys: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM page_links WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    for (chunk_at, chunk) in keys.chunks(500).enumerate() {
        let mut q = QueryBuilder::new("INSERT INTO page_links (article_id, position, url_key) ");
        q.push_values(chunk.iter().enumerate(), |mut b, (i, key)| {
            b.push_bind(article_id)
                .push_bind((chunk_at * 500 + i + 1) as i64)
                .push_bind(key.clone());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds the `read_also` relations that stored links now resolve to: the
/// links of the articles `from`, and the links (from anywhere) to the
/// captures of `files`. Returns how many relations are new.
#[per_backend]
pub async fn resolve(conn: &mut Conn, from: &[i64], files: &[i64]) -> Result<u64> {
    let mut added = 0;
    // One statement per join column and filter, so each uses its index.
    for column in ["url_key", "canonical_key"] {
        for (filter, ids) in [("l.article_id", from), ("c.file_id", files)] {
            for chunk in ids.chunks(500) {
                let mut q = QueryBuilder::new(format!(
                    "INSERT INTO relations (article_id, other_id, kind, score) \
                     SELECT l.article_id, af.article_id, 'read_also', l.position \
                     FROM page_links l \
                     JOIN file_captures c ON c.{column} = l.url_key \
                     JOIN article_files af ON af.file_id = c.file_id AND af.position = 0 \
                     WHERE af.article_id <> l.article_id AND {filter} IN ("
                ));
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(") ON CONFLICT DO NOTHING");
                added += q.build().execute(&mut *conn).await?.rows_affected();
            }
        }
    }
    Ok(added)
}

/// The addresses article `article_id` was captured from, oldest capture first.
#[per_backend]
pub async fn of_article(conn: &mut Conn, article_id: i64) -> Result<Vec<Provenance>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT c.url, c.captured_at FROM article_files af \
         JOIN file_captures c ON c.file_id = af.file_id \
         WHERE af.article_id = $1 AND af.position = 0 AND c.url IS NOT NULL \
         ORDER BY c.captured_at NULLS LAST, c.url LIMIT 5",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?)
}
