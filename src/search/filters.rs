//! Search filters: the query parameters merged with the filters typed in the text,
//! dates validated (`YYYY-MM-DD`, ASCII or Arabic-Indic digits), and names resolved
//! to ids through their normalized keys, as sources and tags are stored.

use sqlx::SqliteConnection;
use time::{Date, Month};

use crate::arabic;
use crate::store::search as db;

use super::SearchError;
use super::query::{Filters, MAX_TAGS};

/// Filters after merging and validation, as the result page shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Applied {
    pub fn is_empty(&self) -> bool {
        self.source.is_none() && self.tags.is_empty() && self.from.is_none() && self.to.is_none()
    }
}

/// Merges the request's parameters with the text's filters: a source or date
/// typed in the text overrides the parameter; tags add up (all must match).
pub fn merge(
    source: Option<&str>,
    tag: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    text: &Filters,
) -> Result<Applied, SearchError> {
    let given = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut tags: Vec<String> = given(tag).into_iter().chain(text.tags.clone()).collect();
    tags.truncate(MAX_TAGS);
    let from_text = given(text.from.as_deref()).or_else(|| given(from));
    let to_text = given(text.to.as_deref()).or_else(|| given(to));
    let applied = Applied {
        source: given(text.source.as_deref()).or_else(|| given(source)),
        tags,
        from: from_text.as_deref().map(|v| date("from", v)).transpose()?,
        to: to_text.as_deref().map(|v| date("to", v)).transpose()?,
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
    pub source_id: Option<i64>,
    /// The article must carry every one of these tags.
    pub tag_ids: Vec<i64>,
    /// Inclusive bounds on the publication day (`YYYYMMDD`).
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
}

/// The scope of `applied`; `None` when a named source or tag does not exist
/// (nothing can match, and no index query needs to run).
pub async fn resolve(
    conn: &mut SqliteConnection,
    applied: &Applied,
) -> Result<Option<Scope>, SearchError> {
    let mut scope = Scope {
        from_day: applied.from.map(day),
        to_day: applied.to.map(day),
        ..Scope::default()
    };
    if let Some(source) = &applied.source {
        match db::source_id(conn, &arabic::normalize(source)).await? {
            Some(id) => scope.source_id = Some(id),
            None => return Ok(None),
        }
    }
    for tag in &applied.tags {
        match db::tag_id(conn, &arabic::normalize(tag)).await? {
            Some(id) if !scope.tag_ids.contains(&id) => scope.tag_ids.push(id),
            Some(_) => {}
            None => return Ok(None),
        }
    }
    Ok(Some(scope))
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
            source: Some("الأهرام".into()),
            tags: vec!["مصر".into()],
            from: Some("2024-01-01".into()),
            to: None,
        };
        let a = merge(
            Some("الشروق"),
            Some("غزة"),
            Some("2020-01-01"),
            Some("2024-12-31"),
            &text,
        )
        .unwrap();
        assert_eq!(a.source.as_deref(), Some("الأهرام"));
        assert_eq!(a.tags, vec!["غزة".to_owned(), "مصر".to_owned()]);
        assert_eq!(a.from, Some(date!(2024 - 01 - 01)));
        assert_eq!(a.to, Some(date!(2024 - 12 - 31)));
    }

    #[test]
    fn invalid_or_inverted_dates_are_errors() {
        let none = Filters::default();
        let err = merge(None, None, Some("2024-99-01"), None, &none).unwrap_err();
        assert!(
            matches!(err, SearchError::InvalidDate { field: "from", .. }),
            "{err}"
        );
        let err = merge(None, None, Some("2024-02-01"), Some("2024-01-01"), &none).unwrap_err();
        assert!(matches!(err, SearchError::EmptyDateRange { .. }), "{err}");
    }

    #[test]
    fn blank_parameters_are_no_filter() {
        let a = merge(Some(" "), Some(""), Some(""), None, &Filters::default()).unwrap();
        assert!(a.is_empty());
    }
}
