//! Bounded lookups in the LSH buckets and the impact-ordered postings, and
//! the writes that keep them and the term statistics in step.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::{PER_INSERT, by_ids, map_by_ids};
use crate::store::{Result, unpack};

/// Parts per compound SELECT: lookups are padded to a multiple of this, so
/// only a few statement shapes exist and all stay prepared (SQLite allows
/// 500 parts per compound). Measured: one compound statement for a whole
/// batch's keys costs a third of one aggregated statement per article
/// (sqlx's per-statement cost dominates).
const PARTS: usize = 64;
const MAX_PARTS: usize = 256;

/// `part` once per key, joined by UNION ALL: every key reads at most its
/// LIMIT rows from one index range, whatever the bucket or posting size.
/// `part` aggregates its rows into one: (key, `a b,a b,…`), so a key's
/// rows cross from sqlx's worker thread as one (each row handed over costs
/// more than SQLite's reading it; a batch reads hundreds of thousands).
async fn per_key(
    conn: &mut SqliteConnection,
    part: &str,
    keys: &[i64],
) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(MAX_PARTS) {
        let parts = chunk.len().div_ceil(PARTS) * PARTS;
        let sql = vec![part; parts].join(" UNION ALL ");
        let mut q = sqlx::query_as::<_, (Option<i64>, Option<String>)>(sqlx::AssertSqlSafe(sql));
        for i in 0..parts {
            // Padding repeats the last key; callers ignore duplicate rows.
            q = q.bind(chunk[i.min(chunk.len() - 1)]);
        }
        // A key without rows aggregates to NULLs.
        out.extend(
            q.fetch_all(&mut *conn)
                .await?
                .into_iter()
                .filter_map(|(key, packed)| Some((key?, packed?))),
        );
    }
    Ok(out)
}

/// (band key, article) of the newest `per_bucket` members of each bucket.
pub async fn bucket_members(
    conn: &mut SqliteConnection,
    keys: &[i64],
    per_bucket: u32,
) -> Result<Vec<(i64, i64)>> {
    let part = format!(
        "SELECT band_key, group_concat(article_id) FROM (SELECT band_key, article_id \
         FROM related_bands WHERE band_key = ? ORDER BY article_id DESC LIMIT {per_bucket})"
    );
    let packed = per_key(conn, &part, keys).await?;
    Ok(packed
        .iter()
        .flat_map(|(key, ids)| unpack::<1>(ids).map(move |[id]| (*key, id)))
        .collect())
}

/// (term, weight, article) of the `per_term` strongest postings of each term.
pub async fn strongest_postings(
    conn: &mut SqliteConnection,
    terms: &[i64],
    per_term: u32,
) -> Result<Vec<(i64, i64, i64)>> {
    let part = format!(
        "SELECT term_key, group_concat(weight || ' ' || article_id) FROM (SELECT term_key, \
         weight, article_id FROM related_postings WHERE term_key = ? \
         ORDER BY weight DESC, article_id DESC LIMIT {per_term})"
    );
    let packed = per_key(conn, &part, terms).await?;
    Ok(packed
        .iter()
        .flat_map(|(term, list)| unpack::<2>(list).map(move |[w, id]| (*term, w, id)))
        .collect())
}

/// Inserts (band key, article) rows; returns nothing, duplicates are ignored.
pub async fn add_bands(conn: &mut SqliteConnection, rows: &[(i64, i64)]) -> Result<()> {
    for chunk in rows.chunks(PER_INSERT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO related_bands (band_key, article_id) ",
        );
        q.push_values(chunk, |mut b, (k, a)| {
            b.push_bind(*k).push_bind(*a);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn remove_bands(conn: &mut SqliteConnection, rows: &[(i64, i64)]) -> Result<()> {
    for chunk in rows.chunks(PER_INSERT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "DELETE FROM related_bands WHERE (band_key, article_id) IN \
             (SELECT column1, column2 FROM (",
        );
        q.push_values(chunk, |mut b, (k, a)| {
            b.push_bind(*k).push_bind(*a);
        });
        q.push("))");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Inserts (term, weight, article) postings.
pub async fn add_postings(conn: &mut SqliteConnection, rows: &[(i64, i64, i64)]) -> Result<()> {
    for chunk in rows.chunks(PER_INSERT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO related_postings (term_key, weight, article_id) ",
        );
        q.push_values(chunk, |mut b, (t, w, a)| {
            b.push_bind(*t).push_bind(*w).push_bind(*a);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn remove_postings(conn: &mut SqliteConnection, rows: &[(i64, i64, i64)]) -> Result<()> {
    for chunk in rows.chunks(PER_INSERT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "DELETE FROM related_postings WHERE (term_key, weight, article_id) IN \
             (SELECT column1, column2, column3 FROM (",
        );
        q.push_values(chunk, |mut b, (t, w, a)| {
            b.push_bind(*t).push_bind(*w).push_bind(*a);
        });
        q.push("))");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds to the document frequency of terms: (term, articles gained, how
/// it is written). A new term keeps the first spelling it is given.
pub async fn add_df(conn: &mut SqliteConnection, rows: &[(i64, i64, String)]) -> Result<()> {
    for chunk in rows.chunks(PER_INSERT) {
        let mut q =
            QueryBuilder::<Sqlite>::new("INSERT INTO related_terms (term_key, df, display) ");
        q.push_values(chunk, |mut b, (t, n, display)| {
            b.push_bind(*t).push_bind(*n).push_bind(display.clone());
        });
        q.push(" ON CONFLICT (term_key) DO UPDATE SET df = df + excluded.df");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Document frequencies of the given terms (unknown terms are absent).
pub async fn df(conn: &mut SqliteConnection, terms: &[i64]) -> Result<HashMap<i64, i64>> {
    let head = "SELECT term_key, df FROM related_terms WHERE term_key IN (";
    map_by_ids(conn, head, terms).await
}

/// How the given terms are written, for reasons.
pub async fn displays(conn: &mut SqliteConnection, terms: &[i64]) -> Result<HashMap<i64, String>> {
    let head = "SELECT term_key, display FROM related_terms WHERE term_key IN (";
    map_by_ids(conn, head, terms).await
}

/// The names of the given tags, for reasons.
pub async fn tag_names(conn: &mut SqliteConnection, ids: &[i64]) -> Result<HashMap<i64, String>> {
    map_by_ids(conn, "SELECT id, name FROM tags WHERE id IN (", ids).await
}

/// (article, tag id) of the given articles, each article's in its page order.
pub async fn tags_of(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    by_ids(
        conn,
        "SELECT article_id, tag_id FROM article_tags WHERE article_id IN (",
        ") ORDER BY article_id, position",
        ids,
    )
    .await
}

/// (article, cluster, signature) of the given articles that have a sketch.
pub async fn signatures(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> Result<Vec<(i64, i64, Vec<u8>)>> {
    by_ids(
        conn,
        "SELECT article_id, cluster_id, signature FROM related_docs WHERE article_id IN (",
        ")",
        ids,
    )
    .await
}

/// (article, cluster) of the given articles that have a sketch.
pub async fn clusters(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    by_ids(
        conn,
        "SELECT article_id, cluster_id FROM related_docs WHERE article_id IN (",
        ")",
        ids,
    )
    .await
}
