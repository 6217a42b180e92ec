//! What every page's frame shows (`templates/base.html`): the asset URLs,
//! the search box's query, the canonical URL, and the archive's totals for
//! the footer, read at most every few seconds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::RwLock;

use super::AppState;
use super::assets::Assets;
use crate::store::lists;
use crate::web::error::AppError;

/// How long footer totals may be stale; they change only with imports.
const TOTALS_TTL: Duration = Duration::from_secs(10);

/// Assets and public URL for pages rendered without state (error pages).
static FRAME: std::sync::OnceLock<(Arc<Assets>, String)> = std::sync::OnceLock::new();

/// Makes the assets and public URL known to error pages; called once at
/// start (later calls are ignored: one server per process).
pub fn install(assets: Arc<Assets>, public_url: &str) {
    let _ = FRAME.set((assets, public_url.to_owned()));
}

/// The shared part of every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub assets: Arc<Assets>,
    /// Absolute canonical URL of the page.
    pub canonical: String,
    /// The search box's content (the query, on search pages).
    pub query: String,
    /// Articles and sources in the archive, for the footer (absent on
    /// error pages, which must not touch the database).
    pub totals: Option<(i64, i64)>,
    /// Which top-level section the page belongs to, for `aria-current`.
    pub section: &'static str,
}

/// Footer totals with the time they were read.
#[derive(Debug, Default)]
pub struct TotalsCache {
    inner: RwLock<Option<(Instant, (i64, i64))>>,
}

impl TotalsCache {
    async fn get(&self, state: &AppState) -> Result<(i64, i64), AppError> {
        if let Some((_, totals)) = self
            .inner
            .read()
            .await
            .filter(|(at, _)| at.elapsed() < TOTALS_TTL)
        {
            return Ok(totals);
        }
        let totals = lists::totals(&mut *state.db.read.acquire().await?).await?;
        *self.inner.write().await = Some((Instant::now(), totals));
        Ok(totals)
    }

    /// Forgets the totals (after an import, so the footer is current);
    /// callable from synchronous code.
    pub fn clear_now(&self) {
        if let Ok(mut totals) = self.inner.try_write() {
            *totals = None;
        }
    }
}

impl Layout {
    /// The frame of a page at `path` (root-relative, as linked).
    pub async fn new(
        state: &AppState,
        path: &str,
        section: &'static str,
    ) -> Result<Layout, AppError> {
        Ok(Layout {
            assets: state.assets.clone(),
            canonical: state.site.absolute(path),
            query: String::new(),
            totals: Some(state.totals.get(state).await?),
            section,
        })
    }

    /// The frame of an error page: no database, the assets installed at
    /// start (see [`install`]).
    pub fn bare(canonical: &str) -> Layout {
        let frame = FRAME.get();
        Layout {
            assets: frame.map_or_else(|| Arc::new(Assets::unversioned()), |f| f.0.clone()),
            canonical: frame
                .map_or_else(|| canonical.to_owned(), |f| format!("{}{canonical}", f.1)),
            query: String::new(),
            totals: None,
            section: "",
        }
    }

    pub fn with_query(mut self, query: &str) -> Layout {
        self.query = query.to_owned();
        self
    }
}
