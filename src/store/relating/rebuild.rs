//! The reads that rebuild the relating engine's resident set
//! (`related::Resident`): the newest sketches' signatures, and every
//! vector handed over one at a time, so rebuilding never holds a whole
//! table in memory.

use futures_util::TryStreamExt;

use crate::store::{Conn, Result, per_backend};

/// The `limit` newest sketched articles (by id) with their signatures.
#[per_backend]
pub async fn newest_signatures(conn: &mut Conn, limit: usize) -> Result<Vec<(i64, Vec<u8>)>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(sqlx::query_as(
        "SELECT article_id, signature FROM related_docs ORDER BY article_id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Hands every stored vector to `each` (article, vector bytes).
#[per_backend]
pub async fn each_vector(conn: &mut Conn, each: &mut (dyn FnMut(i64, &[u8]) + Send)) -> Result<()> {
    let mut rows =
        sqlx::query_as::<_, (i64, Vec<u8>)>("SELECT article_id, vector FROM related_docs")
            .fetch(conn);
    while let Some((id, vector)) = rows.try_next().await? {
        each(id, &vector);
    }
    Ok(())
}
