//! Why a similar article is related, for the article page ("shared topics:
//! <tags or words>"): the tags both carry come with the page's related
//! query; when there are none, the strongest terms both vectors share,
//! named as first written in the archive: from the server's word cache,
//! else one indexed query (the lookup cost a seventh of the article page's
//! throughput before the cache).

use std::collections::HashMap;
use std::sync::RwLock;

use sqlx::SqliteConnection;

use crate::store::StoreError;
use crate::store::related as db;

use super::terms;

/// Words or tags shown per reason.
pub const SHOWN: usize = 3;

/// Words kept in memory before the cache starts over (about 30 bytes each).
const CACHED_WORDS: usize = 200_000;

/// How each term is written, as far as pages have asked. A term's display
/// is fixed when the term is first seen, so entries do not go stale.
#[derive(Debug, Default)]
pub struct WordCache {
    words: RwLock<HashMap<terms::TermKey, String>>,
}

impl WordCache {
    /// Cached words of `keys`, and the keys not cached.
    fn lookup(&self, keys: &[terms::TermKey]) -> (HashMap<terms::TermKey, String>, Vec<i64>) {
        let cached = self.words.read().expect("word cache lock");
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for key in keys {
            match cached.get(key) {
                Some(word) => {
                    found.insert(*key, word.clone());
                }
                None => missing.push(*key),
            }
        }
        (found, missing)
    }

    fn remember(&self, words: &HashMap<terms::TermKey, String>) {
        let mut cached = self.words.write().expect("word cache lock");
        if cached.len() + words.len() > CACHED_WORDS {
            cached.clear();
        }
        cached.extend(words.iter().map(|(k, w)| (*k, w.clone())));
    }
}

/// For each of `others` (stored term vectors, `None` when not related
/// yet), up to [`SHOWN`] words it shares with `mine`, strongest first.
pub async fn topic_words(
    conn: &mut SqliteConnection,
    cache: &WordCache,
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
    let (mut words, missing) = cache.lookup(&keys);
    if !missing.is_empty() {
        let looked_up = db::displays(conn, &missing).await?;
        cache.remember(&looked_up);
        words.extend(looked_up);
    }
    Ok(shared
        .iter()
        .map(|keys| keys.iter().filter_map(|k| words.get(k).cloned()).collect())
        .collect())
}
