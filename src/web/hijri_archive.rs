//! The date archive by the Hijri (Umm al-Qura) calendar:
//! `/archive/hijri/{yyyy}` (its months with their articles) and
//! `/archive/hijri/{yyyy}/{mm}` (its days and articles), counted from the
//! Gregorian days each Hijri month spans; and the links from Gregorian
//! periods to the Hijri ones that hold their articles.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use time::Date;

use crate::arabic::hijri::{self, HijriDate};
use crate::arabic::numbers::{Digits, plain};
use crate::store::lists::Scope;
use crate::store::periods;
use crate::web::error::AppError;

use super::AppState;
use super::archive::{ArchivePage, parse_month, period};
use super::cards::{Listing, PAGE_SIZE, PageQuery};
use super::extract::{Path, Query};
use super::format;
use super::layout::Layout;
use super::render::Page;
use super::story_cards::story_cards;

pub async fn year(
    State(state): State<AppState>,
    Path(year): Path<String>,
) -> Result<Response, AppError> {
    let y = parse_hijri_year(&year)?;
    let first = hijri::month_span(y, 1).ok_or(AppError::NotFound)?.0;
    let last = hijri::month_span(y, 12).ok_or(AppError::NotFound)?.1;
    let mut conn = state.db.read.acquire().await?;
    let days = periods::days(&mut conn, &iso(first), &iso(last)).await?;
    if days.is_empty() {
        return Err(AppError::NotFound);
    }
    let around = periods::neighbours(&mut conn, &iso(first), &iso(last)).await?;
    drop(conn);
    let layout = Layout::new(&state, &format!("/archive/hijri/{y}"), "archive").await?;
    let digits = layout.digits;
    let mut page = ArchivePage::new(layout, format!("أرشيف {} هـ", plain(i64::from(y), digits)));
    page.note = Some(span_text(first, last, digits));
    page.trail = vec![("/archive".to_owned(), "الأرشيف الزمني".to_owned())];
    page.periods = by_month(&days)
        .into_iter()
        .map(|((_, m), n)| {
            let url = format!("/archive/hijri/{y}/{m:02}");
            period(url, hijri::month_name(m).to_owned(), n, digits)
        })
        .collect();
    page.periods_label = "الأشهر الهجرية";
    page.other_label = "بالتقويم الميلادي";
    page.other_calendar = gregorian_years(&days, digits);
    let year_link = |day: Option<String>| {
        let h = hijri_of(&day?)?;
        let url = format!("/archive/hijri/{}", h.year);
        Some((url, format!("{} هـ", plain(i64::from(h.year), digits))))
    };
    page.previous = year_link(around.0);
    page.next = year_link(around.1);
    Ok(Page(page).into_response())
}

pub async fn month(
    State(state): State<AppState>,
    Path((year, month)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let (y, m) = (parse_hijri_year(&year)?, parse_month(&month)?);
    let (first, last) = hijri::month_span(y, m).ok_or(AppError::NotFound)?;
    let mut conn = state.db.read.acquire().await?;
    let days = periods::days(&mut conn, &iso(first), &iso(last)).await?;
    if days.is_empty() {
        return Err(AppError::NotFound);
    }
    let around = periods::neighbours(&mut conn, &iso(first), &iso(last)).await?;
    let scope = Scope::Dates {
        from: iso(first),
        to: format!("{}~", iso(last)),
    };
    let cards = story_cards(&mut conn, &scope, &q.direction(), PAGE_SIZE).await?;
    drop(conn);
    let path = format!("/archive/hijri/{y}/{m:02}");
    let layout = Layout::new(&state, &path, "archive").await?;
    let digits = layout.digits;
    let mut page = ArchivePage::new(layout, format::hijri_month(y, m, digits));
    page.note = Some(span_text(first, last, digits));
    page.trail = vec![
        ("/archive".to_owned(), "الأرشيف الزمني".to_owned()),
        (
            format!("/archive/hijri/{y}"),
            format!("{} هـ", plain(i64::from(y), digits)),
        ),
    ];
    page.periods = days
        .iter()
        .filter_map(|(day, n)| {
            let h = hijri_of(day)?;
            let url = format!("/archive/{}/{}/{}", &day[..4], &day[5..7], &day[8..10]);
            Some(period(url, plain(i64::from(h.day), digits), *n, digits))
        })
        .collect();
    page.periods_label = "الأيام";
    page.other_label = "بالتقويم الميلادي";
    page.other_calendar = gregorian_months(&days, digits);
    let month_link = |day: Option<String>| {
        let h = hijri_of(&day?)?;
        let url = format!("/archive/hijri/{}/{:02}", h.year, h.month);
        Some((url, format::hijri_month(h.year, h.month, digits)))
    };
    page.previous = month_link(around.0);
    page.next = month_link(around.1);
    page.listing = Some(Listing::new(&cards, &path, digits));
    Ok(Page(page).into_response())
}

/// Links to the Hijri years that hold articles of `days` (`YYYY-MM-DD`,
/// articles), oldest first.
pub fn hijri_years(days: &[(String, i64)], digits: Digits) -> Vec<(String, String)> {
    let mut years: Vec<i32> = by_month(days).into_iter().map(|((y, _), _)| y).collect();
    years.dedup();
    years
        .into_iter()
        .map(|y| {
            let label = format!("{} هـ", plain(i64::from(y), digits));
            (format!("/archive/hijri/{y}"), label)
        })
        .collect()
}

/// Links to the Hijri months that hold articles of `days`, oldest first.
pub fn hijri_months(days: &[(String, i64)], digits: Digits) -> Vec<(String, String)> {
    by_month(days)
        .into_iter()
        .map(|((y, m), _)| {
            let url = format!("/archive/hijri/{y}/{m:02}");
            (url, format::hijri_month(y, m, digits))
        })
        .collect()
}

/// Articles per Hijri (year, month) of `days`, in calendar order.
fn by_month(days: &[(String, i64)]) -> Vec<((i32, u8), i64)> {
    let mut months: Vec<((i32, u8), i64)> = Vec::new();
    for (day, n) in days {
        let Some(h) = hijri_of(day) else { continue };
        match months.last_mut() {
            Some((key, total)) if *key == (h.year, h.month) => *total += n,
            _ => months.push(((h.year, h.month), *n)),
        }
    }
    months.sort_by_key(|(key, _)| *key);
    months
}

fn gregorian_years(days: &[(String, i64)], digits: Digits) -> Vec<(String, String)> {
    let mut years: Vec<&str> = days.iter().filter_map(|(d, _)| d.get(..4)).collect();
    years.dedup();
    years
        .into_iter()
        .map(|y| {
            let label = plain(y.parse().unwrap_or(0), digits);
            (format!("/archive/{y}"), label)
        })
        .collect()
}

fn gregorian_months(days: &[(String, i64)], digits: Digits) -> Vec<(String, String)> {
    let mut months: Vec<&str> = days.iter().filter_map(|(d, _)| d.get(..7)).collect();
    months.dedup();
    months
        .into_iter()
        .filter_map(|ym| {
            let (y, m) = (ym[..4].parse().ok()?, ym[5..7].parse().ok()?);
            let url = format!("/archive/{}/{}", &ym[..4], &ym[5..7]);
            Some((url, format::month_year(y, m, digits)))
        })
        .collect()
}

/// `من 26 يونيو 2025 إلى 25 يوليو 2025`.
fn span_text(first: Date, last: Date, digits: Digits) -> String {
    format!(
        "من {} إلى {}",
        format::date_short(first, digits),
        format::date_short(last, digits)
    )
}

fn hijri_of(day: &str) -> Option<HijriDate> {
    format::parse_date(day).map(HijriDate::from_gregorian)
}

fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn parse_hijri_year(s: &str) -> Result<i32, AppError> {
    s.parse::<i32>()
        .ok()
        .filter(|y| (1..=9999).contains(y) && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(list: &[(&str, i64)]) -> Vec<(String, i64)> {
        list.iter().map(|(d, n)| (d.to_string(), *n)).collect()
    }

    #[test]
    fn counts_articles_per_hijri_month() {
        // 25 June 2025 is 29 Dhu al-Hijjah 1446; 26 June is 1 Muharram 1447.
        let d = days(&[("2025-06-25", 2), ("2025-06-26", 3), ("2025-07-13", 4)]);
        assert_eq!(by_month(&d), vec![((1446, 12), 2), ((1447, 1), 7)]);
        let links = hijri_months(&d, Digits::Latn);
        assert_eq!(links[1].0, "/archive/hijri/1447/01");
        assert_eq!(links[1].1, "محرم 1447 هـ");
        assert_eq!(hijri_years(&d, Digits::Latn).len(), 2);
    }

    #[test]
    fn links_back_to_gregorian_months() {
        let d = days(&[("2025-06-26", 1), ("2025-07-01", 1), ("2025-07-13", 1)]);
        let links = gregorian_months(&d, Digits::Latn);
        assert_eq!(
            links,
            vec![
                ("/archive/2025/06".to_owned(), "يونيو 2025".to_owned()),
                ("/archive/2025/07".to_owned(), "يوليو 2025".to_owned()),
            ]
        );
    }
}
