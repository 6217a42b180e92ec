//! The Hijri calendar as the Umm al-Qura tables of ICU4X `icu_calendar`
//! give it (KACST's month lengths for 1300–1600 AH), with the Arabic month
//! names: a Gregorian day's Hijri date, and a Hijri month's span of days.

use icu_calendar::Date as IcuDate;
use icu_calendar::cal::Hijri;
use time::{Date, Month};

/// Hijri month names as Arabic news sites print them.
const MONTHS: [&str; 12] = [
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
];

/// A day of the Umm al-Qura calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HijriDate {
    /// Year of the Hijra (AH).
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–30.
    pub day: u8,
}

impl HijriDate {
    /// The Hijri date of a Gregorian day.
    pub fn from_gregorian(date: Date) -> HijriDate {
        let hijri = iso(date).to_calendar(Hijri::new_umm_al_qura());
        HijriDate {
            year: hijri.year().extended_year(),
            month: hijri.month().ordinal,
            day: hijri.day_of_month().0,
        }
    }
}

/// The Arabic name of a Hijri month (1–12).
pub fn month_name(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month.clamp(1, 12)) - 1)
        .copied()
        .unwrap_or("")
}

/// The Gregorian days `[first, last]` of Hijri month `month` of `year`;
/// `None` for a month that does not exist (13, 0) or a year outside the
/// range the archive can date (before 1 AH or past 9999 CE).
pub fn month_span(year: i32, month: u8) -> Option<(Date, Date)> {
    if year < 1 {
        return None;
    }
    let first =
        IcuDate::try_new_hijri_with_calendar(year, month, 1, Hijri::new_umm_al_qura()).ok()?;
    let length = first.days_in_month();
    let start = gregorian(first.to_calendar(icu_calendar::Iso))?;
    let end = start.checked_add(time::Duration::days(i64::from(length) - 1))?;
    Some((start, end))
}

/// The Hijri month before (`-1`) or after (`1`) `year`/`month`.
pub fn step_month(year: i32, month: u8, by: i8) -> (i32, u8) {
    let index = year * 12 + i32::from(month) - 1 + i32::from(by);
    (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8)
}

fn iso(date: Date) -> IcuDate<icu_calendar::Iso> {
    IcuDate::try_new_iso(date.year(), u8::from(date.month()), date.day())
        .expect("time::Date is always a valid ISO date")
}

fn gregorian(date: IcuDate<icu_calendar::Iso>) -> Option<Date> {
    let month = Month::try_from(date.month().ordinal).ok()?;
    Date::from_calendar_date(date.year().extended_year(), month, date.day_of_month().0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn new_years_and_ramadan_fall_on_the_published_days() {
        assert_eq!(
            HijriDate::from_gregorian(date!(2025 - 06 - 26)),
            HijriDate {
                year: 1447,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            HijriDate::from_gregorian(date!(2025 - 03 - 01)),
            HijriDate {
                year: 1446,
                month: 9,
                day: 1
            }
        );
        assert_eq!(
            HijriDate::from_gregorian(date!(2025 - 07 - 13)),
            HijriDate {
                year: 1447,
                month: 1,
                day: 18
            }
        );
    }

    #[test]
    fn a_month_spans_its_gregorian_days() {
        let (first, last) = month_span(1447, 1).unwrap();
        assert_eq!(first, date!(2025 - 06 - 26));
        assert_eq!(HijriDate::from_gregorian(last).month, 1);
        let next = last.next_day().unwrap();
        assert_eq!(HijriDate::from_gregorian(next).month, 2);
        let (ramadan, _) = month_span(1446, 9).unwrap();
        assert_eq!(ramadan, date!(2025 - 03 - 01));
        assert_eq!(month_span(1447, 13), None);
        assert_eq!(month_span(0, 1), None);
    }

    #[test]
    fn steps_across_years() {
        assert_eq!(step_month(1447, 1, -1), (1446, 12));
        assert_eq!(step_month(1446, 12, 1), (1447, 1));
        assert_eq!(step_month(1447, 5, 1), (1447, 6));
    }

    #[test]
    fn names_months_in_arabic() {
        assert_eq!(month_name(1), "محرم");
        assert_eq!(month_name(9), "رمضان");
        assert_eq!(month_name(12), "ذو الحجة");
    }
}
