//! Presentation helpers shared by pages: dates in Arabic words, reading
//! time, first lines of an article.

use time::{Date, Weekday};

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

/// `13 يوليو 2025`.
pub fn date_short(date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name(u8::from(date.month())),
        date.year()
    )
}

/// `الأحد 13 يوليو 2025`.
pub fn date_long(date: Date) -> String {
    format!("{} {}", weekday_name(date.weekday()), date_short(date))
}

/// Minutes to read `words` words at a calm Arabic reading pace.
pub fn reading_minutes(words: usize) -> usize {
    const WORDS_PER_MINUTE: usize = 180;
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// A count with its noun in Arabic number agreement: `words` are the forms
/// for zero, one, two, three to ten (plural) and eleven and more
/// (singular): `count(5, [..])` → `5 نتائج`.
pub fn count(n: u64, words: [&str; 5]) -> String {
    match n {
        0 => words[0].to_owned(),
        1 => words[1].to_owned(),
        2 => words[2].to_owned(),
        3..=10 => format!("{n} {}", words[3]),
        _ => format!("{n} {}", words[4]),
    }
}

/// Reading time in words, with Arabic number agreement: `دقيقة واحدة`,
/// `دقيقتان`, `3 دقائق`, `11 دقيقة`.
pub fn reading_time(words: usize) -> String {
    let n = reading_minutes(words);
    let amount = match n {
        1 => "دقيقة واحدة".to_owned(),
        2 => "دقيقتان".to_owned(),
        3..=10 => format!("{n} دقائق"),
        _ => format!("{n} دقيقة"),
    };
    format!("{amount} للقراءة")
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
        assert_eq!(date_short(date), "13 يوليو 2025");
        assert_eq!(date_long(date), "الأحد 13 يوليو 2025");
        assert_eq!(parse_date("2025-07-13T10:30:00+03:00"), Some(date));
        assert_eq!(parse_date("bad"), None);
    }

    #[test]
    fn agrees_counts_with_their_number() {
        let words = ["لا نتائج", "نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة"];
        assert_eq!(count(0, words), "لا نتائج");
        assert_eq!(count(2, words), "نتيجتان");
        assert_eq!(count(7, words), "7 نتائج");
        assert_eq!(count(150, words), "150 نتيجة");
    }

    #[test]
    fn agrees_minutes_with_their_number() {
        assert_eq!(reading_time(10), "دقيقة واحدة للقراءة");
        assert_eq!(reading_time(300), "دقيقتان للقراءة");
        assert_eq!(reading_time(900), "5 دقائق للقراءة");
        assert_eq!(reading_time(180 * 12), "12 دقيقة للقراءة");
    }

    #[test]
    fn cuts_excerpts_at_a_space() {
        assert_eq!(excerpt("قصير", 10), "قصير");
        assert_eq!(excerpt("كلمة أولى ثانية ثالثة", 12), "كلمة أولى…");
    }
}
