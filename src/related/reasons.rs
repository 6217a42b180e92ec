//! Why a similar article is related, for the article page ("shared topics:
//! <tags or words>"): the tags both carry come with the page's related
//! query; when there are none, the strongest terms both vectors share,
//! named as first written in the archive — one indexed query per page.

use sqlx::SqliteConnection;

use crate::store::StoreError;
use crate::store::related as db;

use super::terms;

/// Words or tags shown per reason.
pub const SHOWN: usize = 3;

/// For each of `others` (stored term vectors, `None` when not related
/// yet), up to [`SHOWN`] words it shares with `mine`, strongest first.
pub async fn topic_words(
    conn: &mut SqliteConnection,
    mine: Option<&[u8]>,
    others: &[Option<&[u8]>],
) -> Result<Vec<Vec<String>>, StoreError> {
    let Some(mine) = mine.map(terms::from_bytes) else {
        return Ok(vec![Vec::new(); others.len()]);
    };
    let shared: Vec<Vec<terms::TermKey>> = others
        .iter()
        .map(|other| match other {
            Some(bytes) => terms::shared(&mine, &terms::from_bytes(bytes))
                .into_iter()
                .take(SHOWN)
                .collect(),
            None => Vec::new(),
        })
        .collect();
    let mut keys: Vec<terms::TermKey> = shared.iter().flatten().copied().collect();
    if keys.is_empty() {
        return Ok(vec![Vec::new(); others.len()]);
    }
    keys.sort_unstable();
    keys.dedup();
    let words = db::displays(conn, &keys).await?;
    Ok(shared
        .iter()
        .map(|keys| keys.iter().filter_map(|k| words.get(k).cloned()).collect())
        .collect())
}
