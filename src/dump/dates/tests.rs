//! Dates: every written form, every month name, digits of three kinds,
//! AM/PM and zones, and the dates that must not be read.

use super::*;

mod arabic;

fn rfc(raw: &str) -> Option<String> {
    Published::parse(raw).map(|p| p.rfc3339())
}

fn month_of(raw: &str) -> Option<u8> {
    Published::parse(raw).map(|p| u8::from(p.date().month()))
}

#[test]
fn reads_english_ordinal_date_with_zone_as_date_alone() {
    assert_eq!(rfc("13th, July 2025 GMT").as_deref(), Some("2025-07-13"));
}

#[test]
fn reads_every_english_ordinal_suffix() {
    assert_eq!(rfc("1st, August 2025 GMT").as_deref(), Some("2025-08-01"));
    assert_eq!(rfc("2nd, August 2025 GMT").as_deref(), Some("2025-08-02"));
    assert_eq!(rfc("3rd, August 2025").as_deref(), Some("2025-08-03"));
    assert_eq!(rfc("24th August 2025").as_deref(), Some("2025-08-24"));
}

#[test]
fn reads_month_first_english_date() {
    assert_eq!(rfc("July 13, 2025").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("Jul. 13 2025").as_deref(), Some("2025-07-13"));
}

#[test]
fn reads_day_first_english_date() {
    assert_eq!(rfc("13 July 2025").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("13 jul 2025").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("Sunday, 13 July 2025").as_deref(), Some("2025-07-13"));
}

#[test]
fn reads_every_english_month() {
    let names = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    for (n, name) in (1..).zip(names) {
        assert_eq!(month_of(&format!("1 {name} 2025")), Some(n), "{name}");
        assert_eq!(
            month_of(&format!("1 {} 2025", &name[..3])),
            Some(n),
            "{name} abbreviated"
        );
    }
    assert_eq!(month_of("1 Sept 2025"), Some(9));
}

#[test]
fn reads_twenty_four_hour_time_without_zone() {
    assert_eq!(
        rfc("13 July 2025 10:30").as_deref(),
        Some("2025-07-13T10:30:00")
    );
}

#[test]
fn reads_am_and_pm() {
    assert_eq!(
        rfc("July 13, 2025 10:30 AM").as_deref(),
        Some("2025-07-13T10:30:00")
    );
    assert_eq!(
        rfc("July 13, 2025 10:30 PM").as_deref(),
        Some("2025-07-13T22:30:00")
    );
    assert_eq!(
        rfc("July 13, 2025 12:05 AM").as_deref(),
        Some("2025-07-13T00:05:00")
    );
    assert_eq!(
        rfc("July 13, 2025 12:05 pm").as_deref(),
        Some("2025-07-13T12:05:00")
    );
    assert_eq!(
        rfc("July 13, 2025 10:30 p.m.").as_deref(),
        Some("2025-07-13T22:30:00")
    );
}

#[test]
fn reads_gmt_and_utc_as_z() {
    assert_eq!(
        rfc("13 July 2025 10:30 GMT").as_deref(),
        Some("2025-07-13T10:30:00Z")
    );
    assert_eq!(
        rfc("13th, July 2025 10:30 AM UTC").as_deref(),
        Some("2025-07-13T10:30:00Z")
    );
    assert_eq!(
        rfc("13 يوليو 2025 الساعة 10:30 بتوقيت غرينتش").as_deref(),
        Some("2025-07-13T10:30:00Z")
    );
}

#[test]
fn keeps_offset_as_written() {
    assert_eq!(
        rfc("13 July 2025 10:30 +03:00").as_deref(),
        Some("2025-07-13T10:30:00+03:00")
    );
    assert_eq!(
        rfc("13 July 2025 10:30 -0500").as_deref(),
        Some("2025-07-13T10:30:00-05:00")
    );
    assert_eq!(
        rfc("13 July 2025 10:30 GMT+3").as_deref(),
        Some("2025-07-13T10:30:00+03:00")
    );
    assert_eq!(
        rfc("13 July 2025 10:30 +05:30").as_deref(),
        Some("2025-07-13T10:30:00+05:30")
    );
}

#[test]
fn reads_iso_date() {
    assert_eq!(rfc("2025-07-13").as_deref(), Some("2025-07-13"));
}

#[test]
fn reads_iso_date_time() {
    assert_eq!(
        rfc("2025-07-13T10:30:00Z").as_deref(),
        Some("2025-07-13T10:30:00Z")
    );
    assert_eq!(
        rfc("2025-07-13T10:30:00+03:00").as_deref(),
        Some("2025-07-13T10:30:00+03:00")
    );
    assert_eq!(
        rfc("2025-07-13 10:30:45").as_deref(),
        Some("2025-07-13T10:30:45")
    );
    assert_eq!(
        rfc("2025-07-13T10:30:00.123Z").as_deref(),
        Some("2025-07-13T10:30:00Z")
    );
}

#[test]
fn reads_slashed_year_first_date() {
    assert_eq!(rfc("2025/07/13").as_deref(), Some("2025-07-13"));
}

#[test]
fn reads_numeric_dates_day_first() {
    assert_eq!(rfc("13/07/2025").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("13-07-2025").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("3/7/2025").as_deref(), Some("2025-07-03"));
    assert_eq!(
        rfc("13/07/2025 - 10:30").as_deref(),
        Some("2025-07-13T10:30:00")
    );
}

#[test]
fn does_not_swap_day_and_month() {
    assert_eq!(rfc("07/13/2025"), None);
}

#[test]
fn rejects_invalid_calendar_dates() {
    assert_eq!(rfc("31 فبراير 2025"), None);
    assert_eq!(rfc("29 February 2025"), None);
    assert_eq!(rfc("2025-13-01"), None);
    assert_eq!(rfc("32/07/2025"), None);
    assert_eq!(rfc("0 يوليو 2025"), None);
    assert_eq!(rfc("29 فبراير 2024").as_deref(), Some("2024-02-29"));
}

#[test]
fn rejects_invalid_times() {
    assert_eq!(rfc("13 July 2025 24:00"), None);
    assert_eq!(rfc("13 July 2025 10:60"), None);
    assert_eq!(rfc("13 July 2025 13:00 PM"), None);
    assert_eq!(rfc("13 July 2025 10:30 +15:00"), None);
}

#[test]
fn never_invents_missing_parts() {
    assert_eq!(rfc("يوليو 2025"), None, "no day");
    assert_eq!(rfc("13 يوليو"), None, "no year");
    assert_eq!(rfc("13/07/25"), None, "two-digit year");
    assert_eq!(rfc("الساعة 10:30 ص"), None, "no date");
    assert_eq!(rfc("منذ ساعتين"), None);
    assert_eq!(rfc(""), None);
}

#[test]
fn rejects_text_around_a_date() {
    assert_eq!(rfc("17 محرم 1447 هـ"), None);
    assert_eq!(rfc("13 يوليو 2025 بتوقيت مكة"), None);
    assert_eq!(rfc("آخر تحديث 13 يوليو 2025"), None);
}

#[test]
fn keeps_time_and_zone_apart_from_date() {
    let p = Published::parse("2025-07-13T10:30:00+03:00").unwrap();
    assert_eq!(p.date(), time::macros::date!(2025 - 07 - 13));
    assert_eq!(p.time(), Some(time::macros::time!(10:30)));
    assert_eq!(p.zone(), Some(Zone::Offset(180)));
}

#[test]
fn builds_sort_key_from_date_and_time() {
    assert_eq!(
        Published::parse("13 July 2025").unwrap().sort_key(),
        "2025-07-13T00:00:00"
    );
    assert_eq!(
        Published::parse("13 July 2025 10:30 GMT")
            .unwrap()
            .sort_key(),
        "2025-07-13T10:30:00"
    );
}

#[test]
fn sort_keys_order_chronologically() {
    let raws = [
        "1 يناير 2025",
        "13/07/2025",
        "13 July 2025 09:05",
        "13 July 2025 10:30 PM",
        "2025-12-01",
    ];
    let keys: Vec<String> = raws
        .iter()
        .map(|r| Published::parse(r).unwrap().sort_key())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn formats_date_alone_without_time_or_zone() {
    let p = Published::new(time::macros::date!(2025 - 07 - 13), None);
    assert_eq!(
        (p.rfc3339(), p.time(), p.zone()),
        ("2025-07-13".to_string(), None, None)
    );
}
