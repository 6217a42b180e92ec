//! Presentation helpers shared by pages: dates in Arabic words (with the
//! Hijri date beside them), reading time, first lines of an article.
//! Numbers go through `arabic::numbers` (the archive's digits; counts in
//! their plural forms, see `nouns`).

use time::{Date, Weekday};

use crate::arabic::hijri::{self, HijriDate};
use crate::arabic::numbers::{Digits, count, plain};

use super::nouns;

const MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// The Arabic month name of a month number (1–12).
pub fn month_name(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month.clamp(1, 12)) - 1)
        .copied()
        .unwrap_or("")
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Saturday => "السبت",
        Weekday::Sunday => "الأحد",
        Weekday::Monday => "الاثنين",
        Weekday::Tuesday => "الثلاثاء",
        Weekday::Wednesday => "الأربعاء",
        Weekday::Thursday => "الخميس",
        Weekday::Friday => "الجمعة",
    }
}

/// The calendar date at the start of an RFC 3339 value (`2025-07-13…`).
pub fn parse_date(rfc3339: &str) -> Option<Date> {
    let day = rfc3339.get(..10)?;
    Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// An RFC 3339 date-time for feeds: a date alone becomes midnight UTC, a
/// time without zone is taken as UTC.
pub fn feed_time(published: &str) -> String {
    match published.len() {
        10 => format!("{published}T00:00:00Z"),
        19 => format!("{published}Z"),
        _ => published.to_owned(),
    }
}

/// `13 يوليو 2025` (`١٣ يوليو ٢٠٢٥` with Arabic-Indic digits).
pub fn date_short(date: Date, digits: Digits) -> String {
    format!(
        "{} {} {}",
        plain(i64::from(date.day()), digits),
        month_name(u8::from(date.month())),
        plain(i64::from(date.year()), digits)
    )
}

/// `الأحد 13 يوليو 2025`.
pub fn date_long(date: Date, digits: Digits) -> String {
    format!(
        "{} {}",
        weekday_name(date.weekday()),
        date_short(date, digits)
    )
}

/// The Hijri (Umm al-Qura) date of a day: `18 محرم 1447 هـ`.
pub fn hijri_date(date: Date, digits: Digits) -> String {
    let h = HijriDate::from_gregorian(date);
    format!(
        "{} {}",
        plain(i64::from(h.day), digits),
        hijri_month(h.year, h.month, digits)
    )
}

/// A Hijri month with its year: `محرم 1447 هـ`.
pub fn hijri_month(year: i32, month: u8, digits: Digits) -> String {
    format!(
        "{} {} هـ",
        hijri::month_name(month),
        plain(i64::from(year), digits)
    )
}

/// A Gregorian month with its year: `يوليو 2025`.
pub fn month_year(year: i32, month: u8, digits: Digits) -> String {
    format!("{} {}", month_name(month), plain(i64::from(year), digits))
}

/// Minutes to read `words` words at a calm Arabic reading pace.
pub fn reading_minutes(words: usize) -> usize {
    const WORDS_PER_MINUTE: usize = 180;
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// Reading time in words, with Arabic number agreement: `دقيقة واحدة`,
/// `دقيقتان`, `3 دقائق`, `11 دقيقة`.
pub fn reading_time(words: usize, digits: Digits) -> String {
    let minutes = reading_minutes(words) as u64;
    format!("{} للقراءة", count(minutes, &nouns::MINUTES, digits))
}

/// At most `max_chars` characters of `text`, cut at a space, with "…".
pub fn excerpt(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let at_space = cut
        .rfind(' ')
        .filter(|&i| i > cut.len() / 2)
        .unwrap_or(cut.len());
    format!("{}…", cut[..at_space].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_dates_in_arabic_words() {
        let date = parse_date("2025-07-13").unwrap();
        assert_eq!(date_short(date, Digits::Latn), "13 يوليو 2025");
        assert_eq!(date_long(date, Digits::Latn), "الأحد 13 يوليو 2025");
        assert_eq!(date_long(date, Digits::Arab), "الأحد ١٣ يوليو ٢٠٢٥");
        assert_eq!(parse_date("2025-07-13T10:30:00+03:00"), Some(date));
        assert_eq!(parse_date("bad"), None);
    }

    #[test]
    fn writes_the_hijri_date_beside() {
        let date = parse_date("2025-07-13").unwrap();
        assert_eq!(hijri_date(date, Digits::Latn), "18 محرم 1447 هـ");
        assert_eq!(hijri_date(date, Digits::Arab), "١٨ محرم ١٤٤٧ هـ");
        let ramadan = parse_date("2025-03-01").unwrap();
        assert_eq!(hijri_date(ramadan, Digits::Latn), "1 رمضان 1446 هـ");
    }

    #[test]
    fn agrees_minutes_with_their_number() {
        let d = Digits::Latn;
        assert_eq!(reading_time(10, d), "دقيقة واحدة للقراءة");
        assert_eq!(reading_time(300, d), "دقيقتان للقراءة");
        assert_eq!(reading_time(900, d), "5 دقائق للقراءة");
        assert_eq!(reading_time(180 * 12, d), "12 دقيقة للقراءة");
        assert_eq!(reading_time(180 * 100, d), "100 دقيقة للقراءة");
        assert_eq!(reading_time(900, Digits::Arab), "٥ دقائق للقراءة");
    }

    #[test]
    fn cuts_excerpts_at_a_space() {
        assert_eq!(excerpt("قصير", 10), "قصير");
        assert_eq!(excerpt("كلمة أولى ثانية ثالثة", 12), "كلمة أولى…");
    }
}
