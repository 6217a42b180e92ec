//! The tombstones of taken-down articles (`removed_articles`, migration
//! 0013): what the 410 page says, which identities an import skips, and
//! where a kept original held the article, for a restore.

use crate::store::{Conn, per_backend};
use std::collections::HashSet;

use sqlx::QueryBuilder;

use super::Result;

/// A taken-down article as its permalink still tells it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Tombstone {
    pub permalink: String,
    pub identity: Vec<u8>,
    pub removed_at: String,
    pub reason: String,
    pub created_import: i64,
    pub kept_original: bool,
}

/// Records a takedown, with the kept files' (file, position) provenance.
#[per_backend]
pub async fn insert(conn: &mut Conn, tombstone: &Tombstone, kept: &[(i64, i64)]) -> Result<()> {
    sqlx::query(
        "INSERT INTO removed_articles (permalink, identity, removed_at, reason, created_import, \
         kept_original) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&tombstone.permalink)
    .bind(&tombstone.identity)
    .bind(&tombstone.removed_at)
    .bind(&tombstone.reason)
    .bind(tombstone.created_import)
    .bind(tombstone.kept_original)
    .execute(&mut *conn)
    .await?;
    for chunk in kept.chunks(1000) {
        let mut q =
            QueryBuilder::new("INSERT INTO removed_article_files (permalink, file_id, position) ");
        q.push_values(chunk, |mut b, (file, position)| {
            b.push_bind(&tombstone.permalink)
                .push_bind(*file)
                .push_bind(*position);
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

#[per_backend]
pub async fn get(conn: &mut Conn, permalink: &str) -> Result<Option<Tombstone>> {
    Ok(sqlx::query_as(
        "SELECT permalink, identity, removed_at, reason, created_import, kept_original \
         FROM removed_articles WHERE permalink = $1",
    )
    .bind(permalink)
    .fetch_optional(conn)
    .await?)
}

/// The kept files that held a removed article, as (file, position).
#[per_backend]
pub async fn kept_files(conn: &mut Conn, permalink: &str) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT file_id, position FROM removed_article_files WHERE permalink = $1 \
         ORDER BY file_id, position",
    )
    .bind(permalink)
    .fetch_all(conn)
    .await?)
}

/// Forgets a takedown (the article is being restored).
#[per_backend]
pub async fn delete(conn: &mut Conn, permalink: &str) -> Result<()> {
    sqlx::query("DELETE FROM removed_articles WHERE permalink = $1")
        .bind(permalink)
        .execute(conn)
        .await?;
    Ok(())
}

/// Which of `identities` belong to taken-down articles.
#[per_backend]
pub async fn removed_identities(
    conn: &mut Conn,
    identities: &[Vec<u8>],
) -> Result<HashSet<Vec<u8>>> {
    let mut found = HashSet::new();
    for chunk in identities.chunks(1000) {
        let mut q = QueryBuilder::new("SELECT identity FROM removed_articles WHERE identity IN (");
        let mut list = q.separated(", ");
        for identity in chunk {
            list.push_bind(identity.clone());
        }
        q.push(")");
        let rows: Vec<(Vec<u8>,)> = q.build_query_as().fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().map(|(i,)| i));
    }
    Ok(found)
}
