//! `arshif serve`: open the archive, make sure an admin password exists,
//! optionally import first, and serve until Ctrl-C or SIGTERM.

use std::time::Duration;

use crate::archive::Archive;
use crate::auth::password;
use crate::config::ServeArgs;
use crate::ingest::pipeline::{self, ImportOptions, Input, Quiet};
use crate::search;
use crate::store::{Db, auth, imports};
use crate::web::server::ServerSettings;
use crate::web::{self, AppState, WebConfig};

use super::CliError;

pub async fn run(args: ServeArgs) -> Result<(), CliError> {
    let archive = Archive::open_with(&args.db.db, args.db_connections).await?;
    let db = archive.db.clone();
    prepare(&db).await?;
    super::reindex::ensure(&archive, args.db.index_dir.as_deref()).await?;
    // Follows the log: imports by other processes become searchable here.
    let follower = search::index::follow(&archive.search, search::index::follow::EVERY);
    super::relate::ensure(&archive).await?;
    let options = ImportOptions {
        limits: args.limits.limits(),
        ..ImportOptions::default()
    };
    if !args.import.is_empty() {
        let import_id = imports::create(&mut *db.write.acquire().await?, "cli", "running").await?;
        let inputs = args.import.iter().cloned().map(Input::Path).collect();
        let report = pipeline::run(&archive, import_id, inputs, options.clone(), &Quiet).await?;
        tracing::info!("{}", report.summary(10).trim_end());
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| CliError::Message(format!("cannot listen on {}: {e}", args.addr)))?;
    // Port 0 asks the system for a free port: the log says which it is.
    let bound = listener
        .local_addr()
        .map_err(|e| CliError::Message(format!("cannot listen on {}: {e}", args.addr)))?;
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{bound}"));
    // Beside the database file; for PostgreSQL, under `data/`.
    let data_dir = archive
        .db
        .path()
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| ".".into(), ToOwned::to_owned);
    let upload_dir = data_dir.join("uploads");
    std::fs::create_dir_all(&upload_dir)
        .map_err(|e| CliError::Message(format!("cannot create {}: {e}", upload_dir.display())))?;
    let config = WebConfig {
        public_url: public_url.clone(),
        static_dir: web::assets::default_dir(),
        upload_dir,
        max_upload_bytes: args.max_upload_mib << 20,
        import: options,
        trusted_proxies: args.trusted_proxies.clone(),
        page_timeout: std::time::Duration::from_secs(args.page_timeout_secs),
        digits: args.digits,
        private: args.private,
    };
    let state = AppState::new(archive.clone(), config);
    let stop = shutdown_signal();
    tracing::info!(
        "serving the archive at {public_url}: listening on {bound} (database {})",
        crate::store::Location::of(&args.db.db)
    );
    let settings = ServerSettings {
        header_timeout: Duration::from_secs(args.header_timeout_secs),
        max_connections: args.max_connections as usize,
    };
    web::server::serve(listener, web::app(state), settings, stop).await;
    tracing::info!("stopped");
    drop(follower);
    archive.close().await;
    Ok(())
}

/// Start-of-day housekeeping: upload jobs a stopped process left unfinished,
/// expired sessions, and the admin password.
async fn prepare(db: &Db) -> Result<(), CliError> {
    crate::ingest::queue::recover(db).await?;
    auth::delete_expired_sessions(&mut *db.write.acquire().await?).await?;
    admin_password(db).await
}

/// Applies `ARSHIF_ADMIN_PASSWORD` (the same password again signs nobody
/// out), or, when no password was ever set, generates one and prints it
/// once.
async fn admin_password(db: &Db) -> Result<(), CliError> {
    let stored = auth::admin_password(&mut *db.read.acquire().await?).await?;
    let from_env = std::env::var("ARSHIF_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    if let Some(short) = from_env
        .as_deref()
        .filter(|p| p.chars().count() < password::MIN_LEN)
    {
        return Err(CliError::Message(format!(
            "ARSHIF_ADMIN_PASSWORD is too short ({} characters): it needs at least {}",
            short.chars().count(),
            password::MIN_LEN
        )));
    }
    let (new, generated) = match (from_env, &stored) {
        (Some(p), Some(hash)) if verify(&p, hash).await => return Ok(()),
        (Some(p), _) => (p, false),
        (None, Some(_)) => return Ok(()),
        (None, None) => (password::generate(), true),
    };
    let hash = tokio::task::spawn_blocking({
        let new = new.clone();
        move || password::hash(&new)
    })
    .await
    .map_err(|e| CliError::Message(e.to_string()))?
    .map_err(CliError::Message)?;
    auth::set_admin_password(&mut *db.write.acquire().await?, &hash).await?;
    if generated {
        tracing::warn!(
            "no admin password was set, so one was generated: {new}  (sign in at /login; it is shown only this once; change it with `arshif admin set-password`)"
        );
    } else {
        tracing::info!("admin password set from ARSHIF_ADMIN_PASSWORD");
    }
    Ok(())
}

async fn verify(password: &str, hash: &str) -> bool {
    let (p, h) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || password::verify(&p, &h))
        .await
        .unwrap_or(false)
}

/// Resolves when `sig` arrives (never, if its handler could not be installed).
#[cfg(unix)]
async fn received(sig: Option<&mut tokio::signal::unix::Signal>) {
    match sig {
        Some(sig) => drop(sig.recv().await),
        None => std::future::pending::<()>().await,
    }
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish first. The
/// handlers are installed when this is called, not when it is first
/// polled: a signal that comes as soon as the port answers (before the
/// accept loop polls this) still stops the server gracefully instead of
/// killing it.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = received(interrupt.as_mut()) => {},
                _ = received(terminate.as_mut()) => {},
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}
