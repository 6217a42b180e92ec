//! `arshif serve`: open the archive, optionally import first, and serve
//! it until Ctrl-C or SIGTERM.

use crate::config::ServeArgs;
use crate::ingest::pipeline::{self, ImportOptions, Input, Quiet};
use crate::store::{Db, StoreError, imports};
use crate::web::{self, AppState, Site};

use super::CliError;

pub async fn run(args: ServeArgs) -> Result<(), CliError> {
    let db = Db::open(&args.db.db).await?;
    if !args.import.is_empty() {
        let import_id = imports::create(
            &mut *db.write.acquire().await.map_err(StoreError::from)?,
            "cli",
            "running",
        )
        .await?;
        let inputs = args.import.iter().cloned().map(Input::Path).collect();
        let options = ImportOptions {
            limits: args.limits.limits(),
            ..ImportOptions::default()
        };
        let report = pipeline::run(&db, import_id, inputs, options, &Quiet).await?;
        tracing::info!("{}", report.summary(10).trim_end());
    }
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.addr));
    let static_dir = web::assets::default_dir();
    let state = AppState::new(db.clone(), Site::new(&public_url), &static_dir);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| CliError::Message(format!("cannot listen on {}: {e}", args.addr)))?;
    tracing::info!(
        "serving the archive at {public_url} (database {})",
        args.db.db.display()
    );
    axum::serve(listener, web::app(state, &static_dir))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopped");
    db.close().await;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish first.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
