//! Undoing an import from its page: `GET /imports/{id}/undo` shows what
//! will go and what will stay (and why), `POST /imports/{id}/undo` (an
//! admin, or the editor who started it; CSRF) starts it; the work runs in the background and the import's page
//! follows it until it says what was done.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::curate::CurateError;
use crate::curate::undo::{self, Named, UndoReport};
use crate::store::imports;
use crate::web::error::AppError;

use super::AppState;
use super::auth::{CsrfForm, CurrentUser};
use super::extract::{Form, Path};
use super::layout::Layout;
#[allow(unused_imports)] // named by the template
use super::nouns;
use super::render::Page;

/// Articles named on the confirmation page, of each kind.
const SHOWN: usize = 100;

#[derive(Template)]
#[template(path = "undo.html")]
pub struct UndoPage {
    pub layout: Layout,
    pub csrf: String,
    pub import_id: i64,
    /// What the plan would do, as its report would say it.
    pub plan: UndoReport,
    /// (link, title, other imports) of the first articles of each kind.
    pub removed: Vec<(String, String)>,
    pub kept: Vec<(String, String, String)>,
}

pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mut conn = state.db.read.acquire().await?;
    may_undo(&user, &mut conn, id).await?;
    let row = imports::get(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if matches!(row.status.as_str(), "undone" | "queued" | "running") {
        return Ok(super::see_other(&format!("/imports/{id}")));
    }
    let plan = undo::plan(&mut conn, id).await.map_err(curate_error)?;
    drop(conn);
    let report = undo::listed(&plan);
    let link = |n: &Named| format!("/a/{}", n.id);
    let removed = (report.removed_listed.iter().take(SHOWN))
        .map(|n| (link(n), n.title.clone()))
        .collect();
    let kept = (report.kept_listed.iter().take(SHOWN))
        .map(|n| {
            let others: Vec<String> = n.also_in.iter().map(|i| format!("#{i}")).collect();
            (link(n), n.title.clone(), others.join("، "))
        })
        .collect();
    let layout = Layout::new(&state, &format!("/imports/{id}/undo"), "imports").await?;
    Ok(Page(UndoPage {
        layout,
        csrf: user.csrf,
        import_id: id,
        plan: report,
        removed,
        kept,
    })
    .into_response())
}

pub async fn undo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    user.check(form.csrf.as_deref())?;
    may_undo(&user, &mut *state.db.read.acquire().await?, id).await?;
    let previous = match undo::start(&state.db, id).await {
        Ok(previous) => previous,
        Err(CurateError::UnknownImport(_)) => return Err(AppError::NotFound),
        // Running or undone already: its page says which.
        Err(CurateError::ImportRunning(_) | CurateError::AlreadyUndone(_)) => {
            return Ok(super::see_other(&format!("/imports/{id}")));
        }
        Err(err) => return Err(curate_error(err)),
    };
    let archive = state.archive();
    let limits = state.config.import.limits.clone();
    let (totals, periods) = (state.totals.clone(), state.periods.clone());
    crate::priority::spawn_lowered("undo-import", async move {
        let archive = archive.with_connections_opened_here().await;
        match undo::finish(&archive, id, &previous, &user.name, &limits).await {
            Ok(report) => tracing::info!(
                import = id,
                removed = report.removed,
                kept = report.kept,
                "import undone"
            ),
            Err(err) => tracing::error!(import = id, %err, "undoing the import failed"),
        }
        totals.clear_now();
        periods.clear();
    });
    Ok(super::see_other(&format!("/imports/{id}")))
}

/// Admins undo any import; editors only the ones they started.
async fn may_undo(
    user: &CurrentUser,
    conn: &mut crate::store::Conn,
    id: i64,
) -> Result<(), AppError> {
    let started_by = imports::started_by(conn, id).await?;
    match user.may_undo(started_by.as_deref()) {
        true => Ok(()),
        false => Err(AppError::NotPermitted),
    }
}

fn curate_error(err: CurateError) -> AppError {
    AppError::internal("undoing an import", err)
}
