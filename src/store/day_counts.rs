//! The `day_counts` table: articles per publication day, for the date
//! archive, kept current by the importer.

use crate::store::{Conn, per_backend};
use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::Result;

/// Adds `counts` (YYYY-MM-DD → articles gained) to the day counts.
#[per_backend]
pub async fn add(conn: &mut Conn, counts: &HashMap<String, i64>) -> Result<()> {
    let rows: Vec<(&String, &i64)> = counts.iter().collect();
    for chunk in rows.chunks(1000) {
        let mut q = QueryBuilder::new("INSERT INTO day_counts (day, article_count) ");
        q.push_values(chunk, |mut b, (day, n)| {
            b.push_bind((*day).clone()).push_bind(**n);
        });
        q.push(
            " ON CONFLICT (day) DO UPDATE SET article_count = day_counts.article_count + excluded.article_count",
        );
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Recomputes every day count from the articles (after reparse).
#[per_backend]
pub async fn recount_all(conn: &mut Conn) -> Result<()> {
    sqlx::query("DELETE FROM day_counts")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO day_counts (day, article_count) SELECT substr(sort_key, 1, 10), COUNT(*) \
         FROM articles WHERE sort_key <> '' GROUP BY 1",
    )
    .execute(conn)
    .await?;
    Ok(())
}
