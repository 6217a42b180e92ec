//! Reads and writes of the computed rows of `relations` (`same_story`,
//! `similar`) and the lists they form.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::by_ids;
use crate::store::Result;
use crate::store::relations::RelationKind;

/// One entry of a `similar` list with the story cluster of its target.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListRow {
    pub article_id: i64,
    pub other_id: i64,
    pub score: f64,
    pub cluster_id: i64,
}

/// (article, other) of the relations of `kind` that start at `ids`.
pub async fn links_from(
    conn: &mut SqliteConnection,
    ids: &[i64],
    kind: RelationKind,
) -> Result<Vec<(i64, i64)>> {
    let head = format!(
        "SELECT article_id, other_id FROM relations WHERE kind = '{}' AND article_id IN (",
        kind.as_str()
    );
    by_ids(conn, &head, ")", ids).await
}

/// (article, other) of the `read_also` links that touch `ids` either way:
/// the page that names an item and the item named by a page already link
/// to each other, so neither lists the other again as `similar`.
pub async fn read_also_either_way(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> Result<Vec<(i64, i64)>> {
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

/// The `similar` lists of `ids`, with the cluster of every entry.
///
/// One row per list, its entries packed as text (`other score cluster`,
/// comma-separated): offers read the lists of thousands of owners per
/// batch, and sqlx hands each row over from its worker thread on its own.
/// Scores go through SQLite's 15-digit text form, which gives back the
/// same single-precision value the lists rank by.
pub async fn similar_lists(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<ListRow>> {
    let packed: Vec<(i64, String)> = by_ids(
        conn,
        "SELECT r.article_id, group_concat(r.other_id || ' ' || r.score || ' ' || d.cluster_id) \
         FROM relations r JOIN related_docs d ON d.article_id = r.other_id \
         WHERE r.kind = 'similar' AND r.article_id IN (",
        ") GROUP BY r.article_id",
        ids,
    )
    .await?;
    Ok(packed
        .iter()
        .flat_map(|(article_id, list)| {
            list.split(',').filter_map(move |entry| {
                let mut parts = entry.split(' ');
                Some(ListRow {
                    article_id: *article_id,
                    other_id: parts.next()?.parse().ok()?,
                    score: parts.next()?.parse().ok()?,
                    cluster_id: parts.next()?.parse().ok()?,
                })
            })
        })
        .collect())
}

/// The `similar` lists that hold any of `others` (through the reverse
/// index), with the cluster of every entry of those lists; at most `limit`
/// lists, so a very popular article cannot make the work unbounded.
pub async fn lists_holding(
    conn: &mut SqliteConnection,
    others: &[i64],
    limit: usize,
) -> Result<Vec<ListRow>> {
    let tail = format!(") LIMIT {limit}");
    let owners: Vec<(i64,)> = by_ids(
        conn,
        "SELECT DISTINCT article_id FROM relations WHERE kind = 'similar' AND other_id IN (",
        &tail,
        others,
    )
    .await?;
    let owners: Vec<i64> = owners.into_iter().map(|(a,)| a).take(limit).collect();
    similar_lists(conn, &owners).await
}

/// Deletes the relations of `kind` from `a` to `b` for each (a, b).
pub async fn remove_links(
    conn: &mut SqliteConnection,
    pairs: &[(i64, i64)],
    kind: RelationKind,
) -> Result<()> {
    for chunk in pairs.chunks(1000) {
        let mut q = QueryBuilder::<Sqlite>::new("DELETE FROM relations WHERE kind = ");
        q.push_bind(kind.as_str())
            .push(" AND (article_id, other_id) IN (SELECT column1, column2 FROM (");
        q.push_values(chunk, |mut b, (a, o)| {
            b.push_bind(*a).push_bind(*o);
        });
        q.push("))");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Deletes every relation of `kind` starting at one of `ids`.
pub async fn clear_links_from(
    conn: &mut SqliteConnection,
    ids: &[i64],
    kind: RelationKind,
) -> Result<()> {
    for chunk in ids.chunks(500) {
        let mut q = QueryBuilder::<Sqlite>::new("DELETE FROM relations WHERE kind = ");
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
