//! A story's timeline: its versions oldest first, the first marked, each
//! other one with how long after the first it was published ("بعد ٣
//! ساعات", or in days when a version has no time of day) and how its
//! length differs from the first's.

use std::collections::HashMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::arabic::numbers::{Digits, count, plain};
use crate::store::lists::Card;

use super::cards::CardView;
use super::{format, nouns};

/// One version on the timeline.
#[derive(Debug, Clone)]
pub struct Step {
    pub card: CardView,
    /// The first published (the one the others followed).
    pub first: bool,
    /// `بعد ٣ ساعات` (none for the first, or when either is undated).
    pub after: Option<String>,
    /// `أطول منها بنسبة ١٢٪` (none for the first).
    pub length: Option<String>,
}

/// The steps of `cards` (oldest first, as the store reads a story);
/// `lengths`: body characters by article id.
pub fn steps(cards: &[Card], lengths: &HashMap<i64, i64>, digits: Digits) -> Vec<Step> {
    let Some(first) = cards.first() else {
        return Vec::new();
    };
    let first_length = lengths.get(&first.id).copied().unwrap_or(0);
    cards
        .iter()
        .enumerate()
        .map(|(i, c)| Step {
            card: CardView::new(c, digits),
            first: i == 0,
            after: (i > 0)
                .then(|| after(first.published.as_deref()?, c.published.as_deref()?, digits))
                .flatten(),
            length: (i > 0).then(|| {
                let mine = lengths.get(&c.id).copied().unwrap_or(0);
                length_change(first_length, mine, digits)
            }),
        })
        .collect()
}

/// How long after `first` (both RFC 3339) `later` was published: minutes
/// and hours when both carry a time of day, days otherwise.
pub fn after(first: &str, later: &str, digits: Digits) -> Option<String> {
    if let (Ok(a), Ok(b)) = (
        OffsetDateTime::parse(first, &Rfc3339),
        OffsetDateTime::parse(later, &Rfc3339),
    ) {
        let minutes = (b - a).whole_minutes().max(0) as u64;
        return Some(match minutes {
            0 => "في الوقت نفسه".to_owned(),
            1..60 => format!("بعد {}", count(minutes, &nouns::MINUTES_AFTER, digits)),
            60..2880 => format!("بعد {}", count(minutes / 60, &nouns::HOURS_AFTER, digits)),
            _ => format!("بعد {}", count(minutes / 1440, &nouns::DAYS_AFTER, digits)),
        });
    }
    let days = (format::parse_date(later)? - format::parse_date(first)?)
        .whole_days()
        .max(0) as u64;
    Some(match days {
        0 => "في اليوم نفسه".to_owned(),
        _ => format!("بعد {}", count(days, &nouns::DAYS_AFTER, digits)),
    })
}

/// How a version's length compares with the first's, in percent.
pub fn length_change(first: i64, mine: i64, digits: Digits) -> String {
    if first <= 0 {
        return "لا يُقارن طولها بالأولى".to_owned();
    }
    let percent = ((mine - first) as f64 * 100.0 / first as f64).round() as i64;
    match percent {
        0 => "بطول الأولى تقريبًا".to_owned(),
        p if p > 0 => format!("أطول من الأولى بنسبة {}٪", plain(p, digits)),
        p => format!("أقصر من الأولى بنسبة {}٪", plain(-p, digits)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_read_in_minutes_hours_or_days_with_the_right_plural() {
        let a = "2025-07-13T10:00:00Z";
        let at = |later: &str| after(a, later, Digits::Arab).unwrap();
        assert_eq!(at("2025-07-13T10:00:00Z"), "في الوقت نفسه");
        assert_eq!(at("2025-07-13T10:02:00Z"), "بعد دقيقتين");
        assert_eq!(at("2025-07-13T13:10:00Z"), "بعد ٣ ساعات");
        assert_eq!(at("2025-07-13T23:00:00+02:00"), "بعد ١١ ساعة");
        assert_eq!(at("2025-07-16T10:00:00Z"), "بعد ٣ أيام");
        assert_eq!(
            after("2025-07-13", "2025-07-15", Digits::Latn).unwrap(),
            "بعد يومين"
        );
        assert_eq!(
            after("2025-07-13", "2025-07-13T09:00:00Z", Digits::Latn).unwrap(),
            "في اليوم نفسه"
        );
        assert_eq!(after("", "2025-07-13", Digits::Latn), None);
    }

    #[test]
    fn lengths_compare_with_the_first_version() {
        assert_eq!(
            length_change(1000, 1120, Digits::Arab),
            "أطول من الأولى بنسبة ١٢٪"
        );
        assert_eq!(
            length_change(1000, 800, Digits::Latn),
            "أقصر من الأولى بنسبة 20٪"
        );
        assert_eq!(length_change(1000, 1003, Digits::Latn), "بطول الأولى تقريبًا");
    }
}
