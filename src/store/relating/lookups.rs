//! Term statistics (document frequencies and spellings) and the names
//! reasons show.

use crate::store::{Conn, per_backend};
use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::{PER_INSERT, by_ids, map_by_ids};
use crate::store::Result;

/// Adds to the document frequency of terms: (term, articles gained, how
/// it is written). A new term keeps the first spelling it is given.
#[per_backend]
pub async fn add_df(conn: &mut Conn, rows: &[(i64, i64, String)]) -> Result<()> {
    // A term given twice adds both counts and keeps its first spelling.
    let given = rows.iter().map(|(t, n, d)| (*t, *n, d.as_str())).collect();
    let rows = crate::store::upsert::merged(given, |r| r.0, |(t, a, d), (_, b, _)| (t, a + b, d));
    for chunk in rows.chunks(PER_INSERT) {
        let mut q = QueryBuilder::new("INSERT INTO related_terms (term_key, df, display) ");
        q.push_values(chunk, |mut b, (t, n, display)| {
            b.push_bind(*t).push_bind(*n).push_bind(display.to_owned());
        });
        q.push(" ON CONFLICT (term_key) DO UPDATE SET df = related_terms.df + excluded.df");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// How the given terms are written, for reasons.
pub async fn displays(conn: &mut Conn, terms: &[i64]) -> Result<HashMap<i64, String>> {
    let head = "SELECT term_key, display FROM related_terms WHERE term_key IN (";
    map_by_ids(conn, head, terms).await
}

/// The names of the given tags, for reasons.
pub async fn tag_names(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, String>> {
    map_by_ids(conn, "SELECT id, name FROM tags WHERE id IN (", ids).await
}

/// The tag ids of the given articles, each article's in its page order.
pub async fn tags_of(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Vec<i64>>> {
    let rows = by_ids(
        conn,
        "SELECT article_id, tag_id FROM article_tags WHERE article_id IN (",
        ") ORDER BY article_id, position",
        ids,
    )
    .await?;
    Ok(super::group_tags(rows))
}
