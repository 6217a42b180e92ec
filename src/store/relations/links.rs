//! Reads and writes of the computed rows of `relations` (`same_story`,
//! `similar`) and the lists they form.

use crate::store::{Conn, per_backend};
use sqlx::QueryBuilder;

use super::RelationKind;
use crate::store::Result;
use crate::store::relating::by_ids;

/// (article, other) of the relations of `kind` that start at `ids`.
pub async fn links_from(
    conn: &mut Conn,
    ids: &[i64],
    kind: RelationKind,
) -> Result<Vec<(i64, i64)>> {
    let head = format!(
        "SELECT article_id, other_id FROM relations WHERE kind = '{}' AND article_id IN (",
        kind.as_str()
    );
    by_ids(conn, &head, ")", ids).await
}

/// (owner, other, score) of the `similar` lists of `owners`.
pub async fn similar_lists(conn: &mut Conn, owners: &[i64]) -> Result<Vec<(i64, i64, f64)>> {
    by_ids(
        conn,
        "SELECT article_id, other_id, score FROM relations \
         WHERE kind = 'similar' AND article_id IN (",
        ")",
        owners,
    )
    .await
}

/// The owners of the `similar` lists that hold any of `others`, sorted,
/// at most `limit` (the `relations_to` index finds them).
pub async fn similar_holders(conn: &mut Conn, others: &[i64], limit: usize) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = by_ids(
        conn,
        "SELECT article_id FROM relations WHERE kind = 'similar' AND other_id IN (",
        ")",
        others,
    )
    .await?;
    let mut owners: Vec<i64> = rows.into_iter().map(|r| r.0).collect();
    owners.sort_unstable();
    owners.dedup();
    owners.truncate(limit);
    Ok(owners)
}

/// (article, other) of the `read_also` links that touch `ids` either way:
/// the page that names an item and the item named by a page already link
/// to each other, so neither lists the other again as `similar`.
pub async fn read_also_either_way(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    let mut pairs = links_from(conn, ids, RelationKind::ReadAlso).await?;
    pairs.extend(
        by_ids::<(i64, i64)>(
            conn,
            "SELECT other_id, article_id FROM relations \
             WHERE kind = 'read_also' AND other_id IN (",
            ")",
            ids,
        )
        .await?,
    );
    Ok(pairs)
}

/// Deletes the relations of `kind` from `a` to `b` for each (a, b).
#[per_backend]
pub async fn remove_links(conn: &mut Conn, pairs: &[(i64, i64)], kind: RelationKind) -> Result<()> {
    for chunk in pairs.chunks(1000) {
        let mut q = QueryBuilder::new("DELETE FROM relations WHERE kind = ");
        q.push_bind(kind.as_str())
            .push(" AND (article_id, other_id) IN (SELECT column1, column2 FROM (");
        q.push_values(chunk, |mut b, (a, o)| {
            b.push_bind(*a).push_bind(*o);
        });
        q.push(") AS pairs)");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Deletes every relation of `kind` starting at one of `ids`.
#[per_backend]
pub async fn clear_links_from(conn: &mut Conn, ids: &[i64], kind: RelationKind) -> Result<()> {
    for chunk in ids.chunks(500) {
        let mut q = QueryBuilder::new("DELETE FROM relations WHERE kind = ");
        q.push_bind(kind.as_str()).push(" AND article_id IN (");
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        q.push(")");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}
