//! What feeds read besides their cards: when their entries last changed
//! (a feed's `Last-Modified`).

use super::Result;
use crate::store::{Conn, per_backend};

/// When any of the articles `ids` was last stored or changed (RFC 3339),
/// for a feed's `Last-Modified`.
#[per_backend]
pub async fn last_updated(conn: &mut Conn, ids: &[i64]) -> Result<Option<String>> {
    if ids.is_empty() {
        return Ok(None);
    }
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT max(a.updated_at) FROM {} {} articles a ON a.id = j.value",
        super::dialect::id_list(&*conn, 1),
        super::dialect::list_join(&*conn)
    )))
    .bind(super::json_ids(ids))
    .fetch_one(conn)
    .await?)
}
