//! The date archive: `/archive` (years), `/archive/{yyyy}` (months),
//! `/archive/{yyyy}/{mm}` (days and the month's articles) and
//! `/archive/{yyyy}/{mm}/{dd}` (the day's articles).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::store::lists::{self, Scope};
use crate::web::error::AppError;

use super::AppState;
use super::cards::{Listing, PAGE_SIZE, PageQuery};
use super::extract::{Path, Query};
use super::format;
use super::layout::Layout;
use super::render::Page;
use super::story_cards::story_cards;

#[derive(Template)]
#[template(path = "archive.html")]
pub struct ArchivePage {
    pub layout: Layout,
    pub heading: String,
    /// Links up the hierarchy, outermost first: (url, label).
    pub trail: Vec<(String, String)>,
    /// The periods one level down: (url, label, articles).
    pub periods: Vec<(String, String, i64)>,
    pub periods_label: &'static str,
    pub listing: Option<Listing>,
}

pub async fn years(State(state): State<AppState>) -> Result<Response, AppError> {
    let counts = lists::date_counts(&mut *state.db.read.acquire().await?, 4, "").await?;
    let periods = counts
        .into_iter()
        .map(|(y, n)| (format!("/archive/{y}"), y, n))
        .collect();
    let page = ArchivePage {
        layout: Layout::new(&state, "/archive", "archive").await?,
        heading: "الأرشيف الزمني".to_owned(),
        trail: Vec::new(),
        periods,
        periods_label: "السنوات",
        listing: None,
    };
    Ok(Page(page).into_response())
}

pub async fn year(
    State(state): State<AppState>,
    Path(year): Path<String>,
) -> Result<Response, AppError> {
    let y = parse_year(&year)?;
    let counts = lists::date_counts(&mut *state.db.read.acquire().await?, 7, &y).await?;
    if counts.is_empty() {
        return Err(AppError::NotFound);
    }
    let periods = counts
        .into_iter()
        .map(|(ym, n)| {
            let month: u8 = ym[5..7].parse().unwrap_or(1);
            (
                format!("/archive/{y}/{:02}", month),
                format::month_name(month).to_owned(),
                n,
            )
        })
        .collect();
    let page = ArchivePage {
        layout: Layout::new(&state, &format!("/archive/{y}"), "archive").await?,
        heading: format!("أرشيف {y}"),
        trail: vec![("/archive".to_owned(), "الأرشيف الزمني".to_owned())],
        periods,
        periods_label: "الأشهر",
        listing: None,
    };
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
    let periods = counts
        .into_iter()
        .rev()
        .map(|(day, n)| {
            (
                format!("/archive/{y}/{m:02}/{}", &day[8..10]),
                day[8..10].trim_start_matches('0').to_owned(),
                n,
            )
        })
        .collect();
    let page = ArchivePage {
        layout: Layout::new(&state, &path, "archive").await?,
        heading: format!("{} {y}", format::month_name(m)),
        trail: vec![
            ("/archive".to_owned(), "الأرشيف الزمني".to_owned()),
            (format!("/archive/{y}"), y.clone()),
        ],
        periods,
        periods_label: "الأيام",
        listing: Some(Listing::new(&cards, &path)),
    };
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
    let page = ArchivePage {
        layout: Layout::new(&state, &path, "archive").await?,
        heading: format::date_long(date),
        trail: vec![
            ("/archive".to_owned(), "الأرشيف الزمني".to_owned()),
            (format!("/archive/{y}"), y.clone()),
            (
                format!("/archive/{y}/{m:02}"),
                format::month_name(m).to_owned(),
            ),
        ],
        periods: Vec::new(),
        periods_label: "",
        listing: Some(Listing::new(&cards, &path)),
    };
    Ok(Page(page).into_response())
}

fn parse_year(s: &str) -> Result<String, AppError> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.to_owned())
        .ok_or(AppError::NotFound)
}

fn parse_month(s: &str) -> Result<u8, AppError> {
    s.parse::<u8>()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or(AppError::NotFound)
}
