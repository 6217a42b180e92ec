//! Search filters: the query parameters merged with the filters typed in the text,
//! dates validated (`YYYY-MM-DD`, ASCII or Arabic-Indic digits), and names resolved
//! to ids through their normalized keys, as sources and tags are stored.

use crate::store::Conn;
use time::{Date, Month};

use crate::arabic;
use crate::store::search as db;

use super::SearchError;
use super::query::{Filters, MAX_TAGS};

/// Filters after merging and validation, as the result page shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// A hit comes from any one of these.
    pub sources: Vec<String>,
    /// A hit carries every one of these.
    pub tags: Vec<String>,
    /// No hit comes from these or carries these.
    pub not_sources: Vec<String>,
    pub not_tags: Vec<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The year (and month) a histogram bar narrowed the results to.
    pub period: Period,
}

/// A year, or a month of a year (`?year=2025&month=7`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub year: Option<i32>,
    /// 1–12; only with a year.
    pub month: Option<u8>,
}

impl Period {
    /// Inclusive `YYYYMMDD` bounds; `None` for all time.
    pub fn days(&self) -> Option<(i64, i64)> {
        let year = i64::from(self.year?);
        Some(match self.month {
            Some(m) => {
                let m = i64::from(m);
                (year * 10_000 + m * 100 + 1, year * 10_000 + m * 100 + 31)
            }
            None => (year * 10_000 + 101, year * 10_000 + 1231),
        })
    }
}

impl Applied {
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.tags.is_empty()
            && self.not_sources.is_empty()
            && self.not_tags.is_empty()
            && self.from.is_none()
            && self.to.is_none()
            && self.period.year.is_none()
    }
}

/// Merges the request's parameters with the text's filters: sources or a
/// date typed in the text override the parameter; tags add up (all must
/// match); the period narrows whatever dates are given.
pub fn merge(
    source: Option<&str>,
    tag: Option<&str>,
    (from, to): (Option<&str>, Option<&str>),
    period: Period,
    text: &Filters,
) -> Result<Applied, SearchError> {
    let given = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut tags: Vec<String> = given(tag).into_iter().chain(text.tags.clone()).collect();
    tags.truncate(MAX_TAGS);
    let sources = if text.sources.is_empty() {
        given(source).into_iter().collect()
    } else {
        text.sources.clone()
    };
    let from_text = given(text.from.as_deref()).or_else(|| given(from));
    let to_text = given(text.to.as_deref()).or_else(|| given(to));
    let applied = Applied {
        sources,
        tags,
        not_sources: text.not_sources.clone(),
        not_tags: text.not_tags.clone(),
        from: from_text.as_deref().map(|v| date("from", v)).transpose()?,
        to: to_text.as_deref().map(|v| date("to", v)).transpose()?,
        period,
    };
    match (applied.from, applied.to) {
        (Some(from), Some(to)) if from > to => Err(SearchError::EmptyDateRange { from, to }),
        _ => Ok(applied),
    }
}

/// Parses `YYYY-MM-DD`, with any decimal digits the archive folds (٠–٩, ۰–۹).
pub fn parse_date(text: &str) -> Option<Date> {
    let ascii: String = text.trim().chars().map(fold_digit).collect();
    let mut parts = ascii.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn date(field: &'static str, value: &str) -> Result<Date, SearchError> {
    parse_date(value).ok_or_else(|| SearchError::InvalidDate {
        field,
        value: value.chars().take(40).collect(),
    })
}

fn fold_digit(c: char) -> char {
    match c {
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => c,
    }
}

/// `YYYYMMDD` of a date, as the index's `day` field holds it.
pub fn day(date: Date) -> i64 {
    i64::from(date.year()) * 10_000
        + i64::from(u8::from(date.month())) * 100
        + i64::from(date.day())
}

/// Resolved filters: which articles a search may return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The article comes from one of these (any, when empty).
    pub source_ids: Vec<i64>,
    /// The article must carry every one of these tags.
    pub tag_ids: Vec<i64>,
    /// The article comes from none of these and carries none of these.
    pub not_source_ids: Vec<i64>,
    pub not_tag_ids: Vec<i64>,
    /// Inclusive bounds on the publication day (`YYYYMMDD`), from `from:`/`to:`.
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
    /// Inclusive day bounds of the chosen period: the results lie within,
    /// the histogram's years (and the chosen year's months) are counted
    /// without it.
    pub period: Option<(i64, i64)>,
}

impl Scope {
    /// The scope without its period (what the histogram counts).
    pub fn without_period(&self) -> Scope {
        Scope {
            period: None,
            ..self.clone()
        }
    }

    /// The chosen year's own bounds (its months are counted within them).
    pub fn year_days(&self) -> Option<(i64, i64)> {
        self.period.map(|(from, _)| {
            let year = from / 10_000;
            (year * 10_000 + 101, year * 10_000 + 1231)
        })
    }
}

/// The scope of `applied`; `None` when a named tag does not exist, or none
/// of the named sources does (nothing can match, and no index query needs
/// to run). Excluded names that do not exist exclude nothing.
pub async fn resolve(conn: &mut Conn, applied: &Applied) -> Result<Option<Scope>, SearchError> {
    let mut scope = Scope {
        from_day: applied.from.map(day),
        to_day: applied.to.map(day),
        period: applied.period.days(),
        ..Scope::default()
    };
    scope.source_ids = source_ids(conn, &applied.sources).await?;
    if scope.source_ids.is_empty() && !applied.sources.is_empty() {
        return Ok(None);
    }
    for tag in &applied.tags {
        match db::tag_id(conn, &arabic::normalize(tag)).await? {
            Some(id) if !scope.tag_ids.contains(&id) => scope.tag_ids.push(id),
            Some(_) => {}
            None => return Ok(None),
        }
    }
    scope.not_source_ids = source_ids(conn, &applied.not_sources).await?;
    for tag in &applied.not_tags {
        if let Some(id) = db::tag_id(conn, &arabic::normalize(tag)).await? {
            scope.not_tag_ids.push(id);
        }
    }
    Ok(Some(scope))
}

/// The ids of those of `names` that are sources.
async fn source_ids(conn: &mut Conn, names: &[String]) -> Result<Vec<i64>, SearchError> {
    let mut ids = Vec::new();
    for name in names {
        let found = db::source_id(conn, &arabic::normalize(name)).await?;
        if let Some(id) = found.filter(|id| !ids.contains(id)) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reads_ascii_and_arabic_indic_dates() {
        assert_eq!(parse_date("2024-02-29"), Some(date!(2024 - 02 - 29)));
        assert_eq!(parse_date("٢٠٢٤-٠١-٠٥"), Some(date!(2024 - 01 - 05)));
        assert_eq!(parse_date("۱۴۰۳-۰۱-۰۱"), Some(date!(1403 - 01 - 01)));
    }

    #[test]
    fn rejects_malformed_and_impossible_dates() {
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "24-01-01",
            "2024-1-1",
            "yesterday",
            "",
            "2024-01-01-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn text_filters_override_parameters_and_tags_add_up() {
        let text = Filters {
            sources: vec!["الأهرام".into(), "الشروق".into()],
            tags: vec!["مصر".into()],
            not_tags: vec!["رياضة".into()],
            from: Some("2024-01-01".into()),
            ..Filters::default()
        };
        let a = merge(
            Some("المصري اليوم"),
            Some("غزة"),
            (Some("2020-01-01"), Some("2024-12-31")),
            Period::default(),
            &text,
        )
        .unwrap();
        assert_eq!(a.sources, vec!["الأهرام".to_owned(), "الشروق".to_owned()]);
        assert_eq!(a.not_tags, vec!["رياضة".to_owned()]);
        assert_eq!(a.tags, vec!["غزة".to_owned(), "مصر".to_owned()]);
        assert_eq!(a.from, Some(date!(2024 - 01 - 01)));
        assert_eq!(a.to, Some(date!(2024 - 12 - 31)));
    }

    #[test]
    fn invalid_or_inverted_dates_are_errors() {
        let none = Filters::default();
        let err = merge(
            None,
            None,
            (Some("2024-99-01"), None),
            Period::default(),
            &none,
        )
        .unwrap_err();
        assert!(
            matches!(err, SearchError::InvalidDate { field: "from", .. }),
            "{err}"
        );
        let err = merge(
            None,
            None,
            (Some("2024-02-01"), Some("2024-01-01")),
            Period::default(),
            &none,
        )
        .unwrap_err();
        assert!(matches!(err, SearchError::EmptyDateRange { .. }), "{err}");
    }

    #[test]
    fn a_period_bounds_its_days_and_the_year_holds_its_months() {
        let july = Period {
            year: Some(2025),
            month: Some(7),
        };
        assert_eq!(july.days(), Some((20250701, 20250731)));
        let scope = Scope {
            period: july.days(),
            ..Scope::default()
        };
        assert_eq!(scope.year_days(), Some((20250101, 20251231)));
        assert_eq!(scope.without_period().period, None);
        assert_eq!(Period::default().days(), None);
    }

    #[test]
    fn blank_parameters_are_no_filter() {
        let a = merge(
            Some(" "),
            Some(""),
            (Some(""), None),
            Period::default(),
            &Filters::default(),
        )
        .unwrap();
        assert!(a.is_empty());
    }
}
