//! How many articles one group of a query (a word with its stem, or a
//! phrase) matches in the whole archive, capped, remembered for a minute.
//! Ranking asks this of every group of every query to know which words are
//! rare enough to score (`crate::search::rank`); each answer costs a walk
//! of up to `limit` postings, and the same common words come back in query
//! after query. A count a minute old can only pick the slower or the
//! unscored path for a word whose frequency just crossed the cap; what a
//! query matches is always read fresh.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sqlx::SqliteConnection;

use super::{Scope, Window, window};
use crate::store::Result;

/// How long a count is used.
const TTL: Duration = Duration::from_secs(60);
/// Counts kept before the memory starts over (about 100 bytes each).
const MOST: usize = 20_000;

/// Counts by (MATCH expression, cap).
#[derive(Debug, Default)]
pub struct GroupCounts {
    counts: Mutex<HashMap<(String, u32), (Instant, Window)>>,
}

impl GroupCounts {
    /// [`window`] of `expr` over the whole archive, from memory when fresh.
    pub async fn window(
        &self,
        conn: &mut SqliteConnection,
        expr: &str,
        limit: u32,
    ) -> Result<Window> {
        let key = (expr.to_owned(), limit);
        if let Some(found) = self.fresh(&key) {
            return Ok(found);
        }
        let counted = window(conn, expr, &Scope::default(), limit).await?;
        let mut counts = self.counts.lock().expect("group counts lock");
        if counts.len() >= MOST {
            counts.clear();
        }
        counts.insert(key, (Instant::now(), counted));
        Ok(counted)
    }

    fn fresh(&self, key: &(String, u32)) -> Option<Window> {
        let counts = self.counts.lock().expect("group counts lock");
        counts
            .get(key)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, w)| *w)
    }
}
