//! A source's or tag's articles per year and per month, kept for a minute:
//! counting them reads one range of the name's date index per period, about
//! 10 ms of CPU for a name holding 100,000 articles (measured on a
//! generated 1M-article index), so a popular page should not pay it on
//! every view. Imports through the server clear it at once (like the
//! footer's totals); an import by another process shows within a minute.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::store::Conn;

use crate::store::Result;
use crate::store::periods::{self, Counted};

/// How long counts may be stale when another process imports.
const TTL: Duration = Duration::from_secs(60);
/// Names × periods remembered before starting afresh (a few MB at most).
const CAPACITY: usize = 4096;

/// `(year or month, articles)` rows.
type Rows = Vec<(i64, i64)>;

/// Whose counts, and of which year (`None`: the years themselves).
type Key = (Counted, Option<i32>);

/// Remembered counts with the time they were read.
#[derive(Debug, Default)]
pub struct PeriodCounts {
    inner: Mutex<HashMap<Key, (Instant, Rows)>>,
}

impl PeriodCounts {
    /// Articles per year of `of`, oldest first.
    pub async fn years(&self, conn: &mut Conn, of: Counted) -> Result<Vec<(i32, i64)>> {
        if let Some(rows) = self.get(of, None) {
            return Ok(rows.into_iter().map(|(y, n)| (y as i32, n)).collect());
        }
        let rows = periods::years(conn, of).await?;
        self.put(
            of,
            None,
            rows.iter().map(|&(y, n)| (i64::from(y), n)).collect(),
        );
        Ok(rows)
    }

    /// Articles per month of `year` of `of`, in month order.
    pub async fn months(&self, conn: &mut Conn, of: Counted, year: i32) -> Result<Vec<(u8, i64)>> {
        if let Some(rows) = self.get(of, Some(year)) {
            return Ok(rows.into_iter().map(|(m, n)| (m as u8, n)).collect());
        }
        let rows = periods::months(conn, of, year).await?;
        self.put(
            of,
            Some(year),
            rows.iter().map(|&(m, n)| (i64::from(m), n)).collect(),
        );
        Ok(rows)
    }

    /// Forgets every count (after an import).
    pub fn clear(&self) {
        if let Ok(mut map) = self.inner.lock() {
            map.clear();
        }
    }

    fn get(&self, of: Counted, year: Option<i32>) -> Option<Rows> {
        let map = self.inner.lock().ok()?;
        let (at, rows) = map.get(&(of, year))?;
        (at.elapsed() < TTL).then(|| rows.clone())
    }

    fn put(&self, of: Counted, year: Option<i32>, rows: Rows) {
        if let Ok(mut map) = self.inner.lock() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert((of, year), (Instant::now(), rows));
        }
    }
}
