//! What every page's frame shows (`templates/base.html`): the asset URLs,
//! the search box's query, the canonical URL, and the archive's totals for
//! the footer, read at most every few seconds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::RwLock;

use super::AppState;
use super::assets::Assets;
use super::nouns;
use crate::arabic::numbers::{self, Digits, Plural, count};
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
    /// The digits numbers are written with (`ARSHIF_DIGITS`).
    pub digits: Digits,
    /// A private archive: link previews get the site name only, and no
    /// sitemap is linked.
    pub private: bool,
}

/// A count as templates hand it over (any integer, often borrowed);
/// a negative one reads as 0.
pub trait Amount {
    fn amount(&self) -> u64;
}

macro_rules! amount {
    ($($t:ty),*) => {$(
        impl Amount for $t {
            fn amount(&self) -> u64 {
                u64::try_from(*self).unwrap_or(0)
            }
        }
    )*};
}
amount!(i64, u64, u32, usize);

impl<T: Amount + ?Sized> Amount for &T {
    fn amount(&self) -> u64 {
        (**self).amount()
    }
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
            digits: state.config.digits,
            private: state.config.private,
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
            digits: Digits::default(),
            private: false,
        }
    }

    pub fn with_query(mut self, query: &str) -> Layout {
        self.query = query.to_owned();
        self
    }

    /// `n` grouped, in the archive's digits (for templates' bare counts).
    pub fn number(&self, n: impl Amount) -> String {
        numbers::number(n.amount(), self.digits)
    }

    /// The BCP 47 locale of the archive's digits, for scripts that format
    /// live numbers (`Intl.NumberFormat`).
    pub fn number_locale(&self) -> &'static str {
        match self.digits {
            Digits::Latn => "ar-u-nu-latn",
            Digits::Arab => "ar-u-nu-arab",
        }
    }

    /// `n` with its noun (one of `nouns`), in the archive's digits.
    pub fn count(&self, n: impl Amount, forms: Plural) -> String {
        count(n.amount(), &forms, self.digits)
    }

    /// The footer's line about what the archive holds: `يضم مقالين من
    /// مصدرين.` (none on error pages).
    pub fn holdings(&self) -> Option<String> {
        let (articles, sources) = self.totals?;
        let (articles, sources) = (articles.max(0) as u64, sources.max(0) as u64);
        Some(match (articles, sources) {
            (0, _) => "لا يضم الأرشيف مقالات بعد.".to_owned(),
            (n, 0) => format!("يضم {}.", count(n, &nouns::ARTICLES_OBJECT, self.digits)),
            (n, s) => format!(
                "يضم {} من {}.",
                count(n, &nouns::ARTICLES_OBJECT, self.digits),
                count(s, &nouns::SOURCES_AFTER_MIN, self.digits)
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_totals(articles: i64, sources: i64, digits: Digits) -> Option<String> {
        Layout {
            totals: Some((articles, sources)),
            digits,
            ..Layout::bare("/")
        }
        .holdings()
    }

    #[test]
    fn footer_counts_agree_with_their_numbers() {
        let latn = Digits::Latn;
        assert_eq!(
            with_totals(2, 2, latn).as_deref(),
            Some("يضم مقالين من مصدرين.")
        );
        assert_eq!(
            with_totals(1_250_000, 40, latn).as_deref(),
            Some("يضم 1,250,000 مقال من 40 مصدرًا.")
        );
        assert_eq!(
            with_totals(1, 1, latn).as_deref(),
            Some("يضم مقالًا واحدًا من مصدر واحد.")
        );
        assert_eq!(
            with_totals(1_250_000, 3, Digits::Arab).as_deref(),
            Some("يضم ١٬٢٥٠٬٠٠٠ مقال من ٣ مصادر.")
        );
        assert_eq!(
            with_totals(0, 0, latn).as_deref(),
            Some("لا يضم الأرشيف مقالات بعد.")
        );
        assert_eq!(Layout::bare("/").holdings(), None);
    }
}
