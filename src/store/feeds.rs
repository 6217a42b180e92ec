//! What feeds read besides their cards: when their entries last changed
//! (a feed's `Last-Modified`).

use sqlx::SqliteConnection;

use super::Result;

/// When any of the articles `ids` was last stored or changed (RFC 3339),
/// for a feed's `Last-Modified`.
pub async fn last_updated(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Option<String>> {
    if ids.is_empty() {
        return Ok(None);
    }
    Ok(sqlx::query_scalar(
        "SELECT max(a.updated_at) FROM json_each(?) j CROSS JOIN articles a ON a.id = j.value",
    )
    .bind(super::json_ids(ids))
    .fetch_one(conn)
    .await?)
}
