//! Arabic dates: month names of every region and their spelling variants,
//! Arabic-Indic digits, times with صباحًا and مساءً, the era letter م, and
//! bidi marks and harakat around a date.

use super::{month_of, rfc};

#[test]
fn reads_arabic_month_date() {
    assert_eq!(rfc("13 يوليو 2025").as_deref(), Some("2025-07-13"));
}

#[test]
fn reads_arabic_date_with_weekday() {
    assert_eq!(rfc("الأحد 13 يوليو 2025").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("الأحد، 13 يوليو 2025").as_deref(), Some("2025-07-13"));
    assert_eq!(
        rfc("يوم الإثنين 14 يوليو 2025").as_deref(),
        Some("2025-07-14")
    );
}

#[test]
fn reads_arabic_indic_digits() {
    assert_eq!(rfc("١٣ يوليو ٢٠٢٥").as_deref(), Some("2025-07-13"));
    assert_eq!(
        rfc("١٣/٠٧/٢٠٢٥ ١٠:٣٠").as_deref(),
        Some("2025-07-13T10:30:00")
    );
}

#[test]
fn reads_extended_arabic_indic_digits() {
    assert_eq!(rfc("۱۳ يوليو ۲۰۲۵").as_deref(), Some("2025-07-13"));
}

#[test]
fn reads_egyptian_and_gulf_months_with_spelling_variants() {
    let names: [&[&str]; 12] = [
        &["يناير"],
        &["فبراير"],
        &["مارس"],
        &["أبريل", "إبريل", "ابريل"],
        &["مايو"],
        &["يونيو", "يونية", "يونيه"],
        &["يوليو", "يولية", "يوليه"],
        &["أغسطس", "اغسطس"],
        &["سبتمبر"],
        &["أكتوبر", "اكتوبر"],
        &["نوفمبر"],
        &["ديسمبر"],
    ];
    for (n, variants) in (1..).zip(names) {
        for name in variants {
            assert_eq!(month_of(&format!("1 {name} 2025")), Some(n), "{name}");
        }
    }
}

#[test]
fn reads_levantine_and_iraqi_months() {
    let names = [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ];
    for (n, name) in (1..).zip(names) {
        assert_eq!(month_of(&format!("1 {name} 2025")), Some(n), "{name}");
    }
    assert_eq!(month_of("1 تشرين اول 2025"), Some(10));
    assert_eq!(month_of("1 كانون ثاني 2025"), Some(1));
}

#[test]
fn reads_algerian_and_tunisian_months() {
    let names = [
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ];
    for (n, name) in (1..).zip(names) {
        assert_eq!(month_of(&format!("1 {name} 2025")), Some(n), "{name}");
    }
}

#[test]
fn reads_moroccan_months() {
    let names = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ];
    for (n, name) in (1..).zip(names) {
        assert_eq!(month_of(&format!("1 {name} 2025")), Some(n), "{name}");
    }
}

#[test]
fn reads_paired_month_names_that_agree() {
    assert_eq!(rfc("13 تموز/يوليو 2025").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("13 يوليو (تموز) 2025").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("13 تموز/أغسطس 2025"), None);
}

#[test]
fn reads_arabic_time_with_sabahan_and_masaan() {
    assert_eq!(
        rfc("13 يوليو 2025 الساعة 10:30 ص").as_deref(),
        Some("2025-07-13T10:30:00")
    );
    assert_eq!(
        rfc("13 يوليو 2025 الساعة 10:30 م").as_deref(),
        Some("2025-07-13T22:30:00")
    );
    assert_eq!(
        rfc("الأحد ١٣ يوليو ٢٠٢٥ - ٠٩:١٥ مساءً").as_deref(),
        Some("2025-07-13T21:15:00")
    );
    assert_eq!(
        rfc("13 يوليو 2025 على الساعة 09:15 صباحاً").as_deref(),
        Some("2025-07-13T09:15:00")
    );
}

#[test]
fn reads_mim_after_year_as_common_era() {
    assert_eq!(rfc("13 يوليو 2025 م").as_deref(), Some("2025-07-13"));
    assert_eq!(rfc("13 يوليو 2025م").as_deref(), Some("2025-07-13"));
    assert_eq!(
        rfc("13 يوليو 2025م الساعة 10:30 م").as_deref(),
        Some("2025-07-13T22:30:00")
    );
    assert_eq!(
        rfc("13 يوليو 2025 م 10:30").as_deref(),
        Some("2025-07-13T10:30:00")
    );
}

#[test]
fn reads_time_written_before_the_date() {
    assert_eq!(
        rfc("10:30 م - الأحد 13 يوليو 2025").as_deref(),
        Some("2025-07-13T22:30:00")
    );
}

#[test]
fn ignores_bidi_marks_and_harakat() {
    assert_eq!(
        rfc("\u{200F}13 يُولْيُو 2025\u{200F}").as_deref(),
        Some("2025-07-13")
    );
}
