//! The date histogram of a list (a source's or tag's page; any list that
//! can count its articles per year and month): server-rendered bars for
//! the years, and for the months of a chosen year, each a link that
//! narrows the list to its period (`?year=2025&month=7`); the search page
//! shows its matches' spread the same way. Rendered by
//! `macros.html`'s `histogram`.

use serde::Deserialize;

use crate::arabic::numbers::{Digits, count, number, plain};
use crate::web::error::AppError;

use super::{format, nouns};

/// Steps of a bar's height (CSS classes `l0`…`l20`, 5% each): pages
/// allow no inline styles.
const LEVELS: i64 = 20;

/// `?year=` and `?month=` of a list page.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PeriodQuery {
    pub year: Option<String>,
    pub month: Option<String>,
}

/// The part of a list a reader chose: all of it, a year, or a month of a
/// year (the search engine's type: search results narrow the same way).
pub use crate::search::Period;

impl Period {
    /// The period asked for; a malformed year or month is a bad request
    /// (empty fields count as absent).
    pub fn parse(q: &PeriodQuery) -> Result<Period, AppError> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let year = match given(&q.year) {
            None => None,
            Some(y) => Some(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1..=9999).contains(y))
                    .ok_or_else(|| bad(format!("السنة «{y}» غير صالحة: اكتبها هكذا 2025.")))?,
            ),
        };
        let month = match given(&q.month) {
            None => None,
            Some(m) => Some(
                m.parse::<u8>()
                    .ok()
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(|| bad(format!("الشهر «{m}» غير صالح: اكتبه رقمًا من 1 إلى 12.")))?,
            ),
        };
        if month.is_some() && year.is_none() {
            return Err(bad("اختر السنة مع الشهر (year مع month).".to_owned()));
        }
        Ok(Period { year, month })
    }

    /// `sort_key` bounds `[from, to)` of the period; `None` for all time.
    pub fn range(&self) -> Option<(String, String)> {
        let year = self.year?;
        let prefix = match self.month {
            Some(m) => format!("{year:04}-{m:02}"),
            None => format!("{year:04}"),
        };
        Some((prefix.clone(), format!("{prefix}~")))
    }

    /// `يوليو 2025` or `2025`; `None` for all time.
    pub fn label(&self, digits: Digits) -> Option<String> {
        let year = self.year?;
        Some(match self.month {
            Some(m) => format::month_year(year, m, digits),
            None => plain(i64::from(year), digits),
        })
    }

    /// `path` narrowed to this period (`/tags/x?year=2025&month=7`).
    pub fn url(&self, path: &str) -> String {
        match (self.year, self.month) {
            (Some(y), Some(m)) => format!("{path}?year={y}&month={m}"),
            (Some(y), None) => format!("{path}?year={y}"),
            _ => path.to_owned(),
        }
    }
}

fn bad(why: String) -> AppError {
    AppError::BadRequest(why)
}

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Under the bar: `2025`, `يوليو`.
    pub label: String,
    /// The list narrowed to this period; none for an empty period.
    pub url: Option<String>,
    /// Above the bar: the count, grouped (empty for none).
    pub count: String,
    /// What a screen reader says and a tooltip shows: `2025: 12 مقالًا`.
    pub spoken: String,
    /// Height step, 0–20.
    pub level: i64,
    /// The period the list is narrowed to.
    pub current: bool,
}

/// The bars of a list's years and, when a year is chosen, its months.
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    /// Every year from the first to the last with articles, oldest first.
    pub years: Vec<Bar>,
    /// The twelve months of the chosen year (empty when none is chosen).
    pub months: Vec<Bar>,
    /// The chosen year, as written (`2025`).
    pub year_label: Option<String>,
    /// The whole list again, when a period is chosen.
    pub all_url: Option<String>,
}

impl Histogram {
    /// Bars for `years` (year, articles) and, when `chosen` has a year,
    /// that year's `months` (month, articles); `link` gives a period's URL.
    pub fn new(
        years: &[(i32, i64)],
        months: &[(u8, i64)],
        chosen: Period,
        link: impl Fn(Period) -> String,
        digits: Digits,
    ) -> Histogram {
        let (Some(first), Some(last)) = (
            years.iter().map(|y| y.0).min(),
            years.iter().map(|y| y.0).max(),
        ) else {
            return Histogram::default();
        };
        let of_year = |y: i32| years.iter().find(|c| c.0 == y).map_or(0, |c| c.1);
        let year_max = years.iter().map(|c| c.1).max().unwrap_or(0);
        let year_bars = (first..=last)
            .map(|y| {
                let period = Period {
                    year: Some(y),
                    month: None,
                };
                let label = plain(i64::from(y), digits);
                bar(label, of_year(y), year_max, link(period), digits)
                    .current_if(chosen.year == Some(y) && chosen.month.is_none())
            })
            .collect();
        let month_bars = match chosen.year {
            None => Vec::new(),
            Some(year) => {
                let of_month = |m: u8| months.iter().find(|c| c.0 == m).map_or(0, |c| c.1);
                let month_max = months.iter().map(|c| c.1).max().unwrap_or(0);
                (1..=12u8)
                    .map(|m| {
                        let period = Period {
                            year: Some(year),
                            month: Some(m),
                        };
                        let label = format::month_name(m).to_owned();
                        bar(label, of_month(m), month_max, link(period), digits)
                            .current_if(chosen.month == Some(m))
                    })
                    .collect()
            }
        };
        Histogram {
            years: year_bars,
            months: month_bars,
            year_label: chosen.year.map(|y| plain(i64::from(y), digits)),
            all_url: chosen.year.map(|_| link(Period::default())),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.years.is_empty()
    }
}

fn bar(label: String, n: i64, max: i64, url: String, digits: Digits) -> Bar {
    let articles = n.max(0) as u64;
    Bar {
        spoken: format!("{label}: {}", count(articles, &nouns::ARTICLES, digits)),
        count: if articles == 0 {
            String::new()
        } else {
            number(articles, digits)
        },
        url: (articles > 0).then_some(url),
        // A period with any article shows at least one step.
        level: if max <= 0 || n <= 0 {
            0
        } else {
            ((n * LEVELS + max - 1) / max).clamp(1, LEVELS)
        },
        label,
        current: false,
    }
}

impl Bar {
    fn current_if(mut self, current: bool) -> Bar {
        self.current = current;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(p: Period) -> String {
        p.url("/tags/x")
    }

    #[test]
    fn years_run_from_first_to_last_with_empty_gaps() {
        let h = Histogram::new(
            &[(2019, 4), (2021, 2)],
            &[],
            Period::default(),
            link,
            Digits::Latn,
        );
        let labels: Vec<&str> = h.years.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["2019", "2020", "2021"]);
        assert_eq!(h.years[0].level, 20);
        assert_eq!(h.years[2].level, 10);
        assert_eq!(h.years[1].url, None, "an empty year links nowhere");
        assert_eq!(h.years[1].spoken, "2020: لا مقالات");
        assert_eq!(h.years[2].url.as_deref(), Some("/tags/x?year=2021"));
        assert_eq!(h.years[2].spoken, "2021: مقالان");
        assert!(h.months.is_empty() && h.all_url.is_none());
    }

    #[test]
    fn a_chosen_year_shows_its_twelve_months() {
        let chosen = Period {
            year: Some(2025),
            month: Some(7),
        };
        let h = Histogram::new(
            &[(2025, 1203)],
            &[(7, 1200), (8, 3)],
            chosen,
            link,
            Digits::Arab,
        );
        assert_eq!(h.months.len(), 12);
        let july = &h.months[6];
        assert!(july.current && july.count == "١٬٢٠٠", "{july:?}");
        assert_eq!(july.url.as_deref(), Some("/tags/x?year=2025&month=7"));
        assert_eq!(h.months[7].level, 1, "a small month stays visible");
        assert_eq!(h.year_label.as_deref(), Some("٢٠٢٥"));
        assert_eq!(h.all_url.as_deref(), Some("/tags/x"));
        assert!(!h.years[0].current, "the month is chosen, not the year");
    }

    #[test]
    fn periods_parse_and_bound_the_list() {
        let q = |y: &str, m: &str| PeriodQuery {
            year: Some(y.into()),
            month: Some(m.into()),
        };
        let july = Period::parse(&q("2025", "7")).unwrap();
        assert_eq!(
            july.range(),
            Some(("2025-07".to_owned(), "2025-07~".to_owned()))
        );
        assert_eq!(july.label(Digits::Latn).as_deref(), Some("يوليو 2025"));
        assert_eq!(Period::parse(&q("", "")).unwrap(), Period::default());
        assert!(Period::parse(&q("2025", "13")).is_err());
        assert!(Period::parse(&q("twenty", "")).is_err());
        assert!(
            Period::parse(&q("", "7")).is_err(),
            "a month needs its year"
        );
    }
}
