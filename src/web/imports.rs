//! `/imports` (past imports) and `/imports/{id}` (one import: live
//! progress while it runs, then its report), for the administrator.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::arabic::numbers::{Digits, digits_in};
use crate::auth::Permission;
use crate::curate::undo::UndoReport;
use crate::ingest::report::{Problem, Report};
use crate::store::imports::{self, ImportRow};
use crate::web::error::AppError;

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{Path, Query};
use super::format;
use super::layout::Layout;
#[allow(unused_imports)] // named by the templates
use super::nouns;
use super::render::Page;

const IMPORTS_PER_PAGE: i64 = 50;

/// An import as listed and shown.
pub struct ImportView {
    pub id: i64,
    pub status: &'static str,
    pub running: bool,
    pub origin: &'static str,
    pub created: String,
    pub files_total: Option<i64>,
    pub files_done: i64,
    pub articles_done: i64,
    pub report: Option<Report>,
    /// What undoing it did, once it was undone.
    pub undo: Option<UndoReport>,
    /// Whether it can be undone now (finished, not undone).
    pub can_undo: bool,
}

impl ImportView {
    /// The view of `row`, its date in `digits`.
    pub fn new(row: ImportRow, digits: Digits) -> Self {
        ImportView {
            id: row.id,
            status: status_text(&row.status),
            running: matches!(row.status.as_str(), "queued" | "running" | "undoing"),
            can_undo: !matches!(row.status.as_str(), "queued" | "running" | "undone"),
            origin: match row.origin.as_str() {
                "upload" => "رفع من المتصفح",
                "api" => "واجهة برمجية",
                "reparse" => "إعادة تحليل",
                _ => "سطر الأوامر",
            },
            created: created_text(&row.created_at, digits),
            files_total: row.files_total,
            files_done: row.files_done,
            articles_done: row.articles_done,
            undo: row
                .undo_report
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok()),
            report: row
                .report
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok()),
        }
    }
}

/// `29 نوفمبر 2026، الساعة 02:29` (UTC, as stored).
fn created_text(rfc3339: &str, digits: Digits) -> String {
    let date = format::parse_date(rfc3339)
        .map(|d| format::date_short(d, digits))
        .unwrap_or_default();
    match rfc3339.get(11..16).map(|t| digits_in(t, digits)) {
        Some(time) => format!("{date}، الساعة {time}"),
        None => date,
    }
}

fn status_text(status: &str) -> &'static str {
    match status {
        "queued" => "في الانتظار",
        "running" => "جارٍ",
        "done" => "اكتمل",
        "failed" => "فشل",
        "interrupted" => "توقف قبل أن يكتمل",
        "undoing" => "جارٍ التراجع عنه",
        "undone" => "تم التراجع عنه",
        _ => "غير معروف",
    }
}

/// The Arabic reason for a rejection or warning code.
pub fn reason_text(p: &Problem) -> &'static str {
    match p.code.as_str() {
        "empty" => "ملف فارغ",
        "no_title" => "لا عنوان في الصفحة",
        "binary" => "محتوى ثنائي وليس نصًا",
        "undecodable" => "ترميز نص غير مقروء",
        "too_large" => "الملف أكبر من الحد المسموح",
        "line_too_long" => "سطر أطول من الحد المسموح",
        "expanded_too_large" => "يتجاوز الحجم المسموح بعد فك الضغط",
        "ratio_too_high" => "نسبة ضغط مريبة (قنبلة ضغط)",
        "too_many_members" => "عدد الملفات في الأرشيف أكبر من الحد",
        "archive_too_large" => "الأرشيف يتجاوز الحجم الإجمالي المسموح",
        "bad_archive" => "أرشيف تالف أو غير مقروء",
        "malformed_json" => "سطر JSON غير صالح",
        "unsupported" => "نوع ملف غير مدعوم",
        "revisit_unresolved" => "تسجيل زيارة متكررة لم يُعثر على أصله في ملف WARC",
        "not_article" => "ليست صفحة مقال (قسم أو وسم أو بحث أو صفحة بلا نص)",
        "storage" => "تعذّر حفظه في قاعدة البيانات",
        "warning" => "تنبيه",
        _ => "تعذّرت قراءة الملف",
    }
}

#[derive(Template)]
#[template(path = "imports.html")]
pub struct ImportsPage {
    pub layout: Layout,
    pub imports: Vec<ImportView>,
    pub older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ImportsQuery {
    pub before: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ImportsQuery>,
) -> Result<Response, AppError> {
    user.require(Permission::Upload)?;
    let before = q.before.unwrap_or(i64::MAX);
    let rows = imports::list(
        &mut *state.db.read.acquire().await?,
        before,
        IMPORTS_PER_PAGE + 1,
    )
    .await?;
    let older = (rows.len() as i64 > IMPORTS_PER_PAGE)
        .then(|| format!("/imports?before={}", rows[IMPORTS_PER_PAGE as usize - 1].id));
    let imports = rows
        .into_iter()
        .take(IMPORTS_PER_PAGE as usize)
        .map(|row| ImportView::new(row, state.config.digits))
        .collect();
    let layout = Layout::new(&state, "/imports", "imports").await?;
    Ok(Page(ImportsPage {
        layout,
        imports,
        older,
    })
    .into_response())
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub import: ImportView,
    pub csrf: String,
}

impl ImportPage {
    /// The Arabic reason of a rejection, for the report table.
    pub fn reason(&self, p: &Problem) -> &'static str {
        reason_text(p)
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    user.require(Permission::Upload)?;
    let row = imports::get(&mut *state.db.read.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let layout = Layout::new(&state, &format!("/imports/{id}"), "imports").await?;
    Ok(Page(ImportPage {
        import: ImportView::new(row, layout.digits),
        layout,
        csrf: user.csrf,
    })
    .into_response())
}
