//! The date archive: `/archive` (years, Gregorian and Hijri),
//! `/archive/{yyyy}` (months), `/archive/{yyyy}/{mm}` (days and the
//! month's articles) and `/archive/{yyyy}/{mm}/{dd}` (the day's articles),
//! each linking the same time in the Hijri calendar (`hijri_archive`).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::arabic::numbers::{Digits, number, plain};
use crate::store::lists::{self, Scope};
use crate::store::periods;
use crate::web::error::AppError;

use super::AppState;
use super::cards::{Listing, PAGE_SIZE, PageQuery};
use super::extract::{Path, Query};
use super::format;
use super::hijri_archive::{hijri_months, hijri_years};
use super::layout::Layout;
use super::render::Page;
use super::story_cards::story_cards;

/// A page of the date archive, in either calendar.
#[derive(Template)]
#[template(path = "archive.html")]
pub struct ArchivePage {
    pub layout: Layout,
    pub heading: String,
    /// Under the heading: the same time in the other calendar.
    pub note: Option<String>,
    /// Links up the hierarchy, outermost first: (url, label).
    pub trail: Vec<(String, String)>,
    /// The periods one level down: (url, label, articles as written).
    pub periods: Vec<(String, String, String)>,
    pub periods_label: &'static str,
    /// The same time in the other calendar: what it is called and its
    /// periods that hold articles, (url, label).
    pub other_label: &'static str,
    pub other_calendar: Vec<(String, String)>,
    /// The nearest periods with articles before and after: (url, label).
    pub previous: Option<(String, String)>,
    pub next: Option<(String, String)>,
    pub listing: Option<Listing>,
}

impl ArchivePage {
    /// A page with a heading and its frame; the rest is filled in by the caller.
    pub fn new(layout: Layout, heading: String) -> ArchivePage {
        ArchivePage {
            layout,
            heading,
            note: None,
            trail: Vec::new(),
            periods: Vec::new(),
            periods_label: "",
            other_label: "",
            other_calendar: Vec::new(),
            previous: None,
            next: None,
            listing: None,
        }
    }
}

/// `(url, label, count)` of a period, its count in the archive's digits.
pub fn period(url: String, label: String, n: i64, digits: Digits) -> (String, String, String) {
    (url, label, number(n.max(0) as u64, digits))
}

pub async fn years(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    let counts = lists::date_counts(&mut conn, 4, "").await?;
    let days = periods::days(&mut conn, "0000", "9999").await?;
    drop(conn);
    let mut page = ArchivePage::new(
        Layout::new(&state, "/archive", "archive").await?,
        "الأرشيف الزمني".to_owned(),
    );
    let digits = page.layout.digits;
    page.periods = counts
        .into_iter()
        .map(|(y, n)| period(format!("/archive/{y}"), y.clone(), n, digits))
        .collect();
    page.periods_label = "السنوات";
    page.other_label = "السنوات الهجرية";
    page.other_calendar = hijri_years(&days, digits);
    Ok(Page(page).into_response())
}

pub async fn year(
    State(state): State<AppState>,
    Path(year): Path<String>,
) -> Result<Response, AppError> {
    let y = parse_year(&year)?;
    let mut conn = state.db.read.acquire().await?;
    let counts = lists::date_counts(&mut conn, 7, &y).await?;
    if counts.is_empty() {
        return Err(AppError::NotFound);
    }
    let days = periods::days(&mut conn, &y, &format!("{y}~")).await?;
    drop(conn);
    let layout = Layout::new(&state, &format!("/archive/{y}"), "archive").await?;
    let digits = layout.digits;
    let year_text = plain(y.parse().unwrap_or(0), digits);
    let mut page = ArchivePage::new(layout, format!("أرشيف {year_text}"));
    page.trail = vec![("/archive".to_owned(), "الأرشيف الزمني".to_owned())];
    page.periods = counts
        .into_iter()
        .rev()
        .map(|(ym, n)| {
            let month: u8 = ym[5..7].parse().unwrap_or(1);
            let url = format!("/archive/{y}/{month:02}");
            period(url, format::month_name(month).to_owned(), n, digits)
        })
        .collect();
    page.periods_label = "الأشهر";
    page.other_label = "السنوات الهجرية";
    page.other_calendar = hijri_years(&days, digits);
    Ok(Page(page).into_response())
}

pub async fn month(
    State(state): State<AppState>,
    Path((year, month)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let (y, m) = (parse_year(&year)?, parse_month(&month)?);
    let prefix = format!("{y}-{m:02}");
    let mut conn = state.db.read.acquire().await?;
    let counts = lists::date_counts(&mut conn, 10, &prefix).await?;
    if counts.is_empty() {
        return Err(AppError::NotFound);
    }
    let scope = Scope::Dates {
        from: prefix.clone(),
        to: format!("{prefix}~"),
    };
    let cards = story_cards(&mut conn, &scope, &q.direction(), PAGE_SIZE).await?;
    drop(conn);
    let path = format!("/archive/{y}/{m:02}");
    let layout = Layout::new(&state, &path, "archive").await?;
    let digits = layout.digits;
    let year_number: i32 = y.parse().unwrap_or(0);
    let mut page = ArchivePage::new(layout, format::month_year(year_number, m, digits));
    page.trail = vec![
        ("/archive".to_owned(), "الأرشيف الزمني".to_owned()),
        (
            format!("/archive/{y}"),
            plain(i64::from(year_number), digits),
        ),
    ];
    let mut days = counts;
    days.reverse();
    page.other_label = "بالتقويم الهجري";
    page.other_calendar = hijri_months(&days, digits);
    page.periods = days
        .into_iter()
        .map(|(day, n)| {
            let d: i64 = day[8..10].parse().unwrap_or(0);
            period(format!("{path}/{:02}", d), plain(d, digits), n, digits)
        })
        .collect();
    page.periods_label = "الأيام";
    page.listing = Some(Listing::new(&cards, &path, digits));
    Ok(Page(page).into_response())
}

pub async fn day(
    State(state): State<AppState>,
    Path((year, month, day)): Path<(String, String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let (y, m) = (parse_year(&year)?, parse_month(&month)?);
    let d: u8 = day.parse().map_err(|_| AppError::NotFound)?;
    let date = time::Date::from_calendar_date(
        y.parse().unwrap_or(0),
        time::Month::try_from(m).map_err(|_| AppError::NotFound)?,
        d,
    )
    .map_err(|_| AppError::NotFound)?;
    let prefix = format!("{y}-{m:02}-{d:02}");
    let scope = Scope::Dates {
        from: prefix.clone(),
        to: format!("{prefix}~"),
    };
    let cards = story_cards(
        &mut *state.db.read.acquire().await?,
        &scope,
        &q.direction(),
        PAGE_SIZE,
    )
    .await?;
    if cards.cards.is_empty() {
        return Err(AppError::NotFound);
    }
    let path = format!("/archive/{y}/{m:02}/{d:02}");
    let layout = Layout::new(&state, &path, "archive").await?;
    let digits = layout.digits;
    let mut page = ArchivePage::new(layout, format::date_long(date, digits));
    page.note = Some(format::hijri_date(date, digits));
    page.trail = vec![
        ("/archive".to_owned(), "الأرشيف الزمني".to_owned()),
        (
            format!("/archive/{y}"),
            plain(i64::from(date.year()), digits),
        ),
        (
            format!("/archive/{y}/{m:02}"),
            format::month_name(m).to_owned(),
        ),
    ];
    page.other_label = "بالتقويم الهجري";
    page.other_calendar = hijri_months(&[(prefix, 1)], digits);
    page.listing = Some(Listing::new(&cards, &path, digits));
    Ok(Page(page).into_response())
}

fn parse_year(s: &str) -> Result<String, AppError> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.to_owned())
        .ok_or(AppError::NotFound)
}

pub(super) fn parse_month(s: &str) -> Result<u8, AppError> {
    s.parse::<u8>()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or(AppError::NotFound)
}
