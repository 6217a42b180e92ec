//! How a list's articles spread over time, for the date histograms: the
//! articles of the whole archive, a source or a tag per year, or per month
//! of one year, and per day between two dates (the Hijri archive). The
//! periods that exist come from `day_counts` (a few hundred rows a year);
//! a source's or tag's count in each is one range of its date index
//! (`articles_by_source`, `article_tags_by_tag`), counted exactly.

use crate::dispatch;
use crate::store::{Conn, per_backend};
use sqlx::AssertSqlSafe;

use super::Result;
use super::lists;

/// Whose articles are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counted {
    All,
    Source(i64),
    Tag(i64),
}

/// Articles per year, oldest first; years without articles left out.
pub async fn years(conn: &mut Conn, of: Counted) -> Result<Vec<(i32, i64)>> {
    let rows = per_period(conn, of, 4, "").await?;
    Ok(rows
        .into_iter()
        .filter_map(|(period, n)| Some((period.parse().ok()?, n)))
        .collect())
}

/// Articles per month (1–12) of `year`, in month order; months without
/// articles left out.
pub async fn months(conn: &mut Conn, of: Counted, year: i32) -> Result<Vec<(u8, i64)>> {
    let rows = per_period(conn, of, 7, &format!("{year:04}")).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(period, n)| Some((period.get(5..7)?.parse().ok()?, n)))
        .collect())
}

/// Articles per day (`YYYY-MM-DD`) from `first` to `last`, both included,
/// oldest first (the whole archive's, from `day_counts`).
#[per_backend]
pub async fn days(conn: &mut Conn, first: &str, last: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT day, article_count FROM day_counts WHERE day >= $1 AND day <= $2 \
         AND article_count > 0 ORDER BY day",
    )
    .bind(first)
    .bind(last)
    .fetch_all(conn)
    .await?)
}

/// The newest day with articles before `day`, and the oldest after it
/// (where the Hijri archive's previous and next links lead).
#[per_backend]
pub async fn neighbours(
    conn: &mut Conn,
    before: &str,
    after: &str,
) -> Result<(Option<String>, Option<String>)> {
    Ok(sqlx::query_as(
        "SELECT (SELECT max(day) FROM day_counts WHERE day < $1 AND article_count > 0), \
                (SELECT min(day) FROM day_counts WHERE day > $2 AND article_count > 0)",
    )
    .bind(before)
    .bind(after)
    .fetch_one(conn)
    .await?)
}

/// `(period, articles)` for the periods of `len` characters (4: years, 7:
/// months) under `prefix`, oldest first, empty ones left out.
async fn per_period(
    conn: &mut Conn,
    of: Counted,
    len: i64,
    prefix: &str,
) -> Result<Vec<(String, i64)>> {
    let (id, count) = match of {
        Counted::All => {
            let mut rows = lists::date_counts(conn, len, prefix).await?;
            rows.reverse();
            return Ok(rows);
        }
        Counted::Source(id) => (
            id,
            "SELECT count(*) FROM articles a WHERE a.source_id = $1 \
             AND a.sort_key >= p.period AND a.sort_key < p.period || '~'",
        ),
        Counted::Tag(id) => (
            id,
            "SELECT count(*) FROM article_tags t WHERE t.tag_id = $1 \
             AND t.sort_key >= p.period AND t.sort_key < p.period || '~'",
        ),
    };
    let sql = format!(
        "SELECT period, n FROM (SELECT p.period, ({count}) AS n FROM \
           (SELECT DISTINCT substr(day, 1, CAST($2 AS INTEGER)) AS period FROM day_counts \
            WHERE day >= $3 AND day < $3 || '~') p) AS counted \
         WHERE n > 0 ORDER BY period"
    );
    Ok(dispatch!(conn, |c| {
        sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .bind(len)
            .bind(prefix)
            .fetch_all(c)
            .await
    })?)
}
