//! `arshif export`: every article as one JSON object a line, in
//! permalink-id order, streamed page by page.

use std::io::Write;

use crate::config::ExportArgs;
use crate::export;
use crate::store::Db;

use super::CliError;

const PAGE: i64 = 500;

pub async fn run(args: ExportArgs) -> Result<(), CliError> {
    let db = Db::open(&args.db.db).await?;
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| CliError::Message(format!("cannot create {}: {e}", path.display())))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    write_all(&db, &mut out).await?;
    out.flush()?;
    db.close().await;
    Ok(())
}

/// Writes every article to `out`, one JSON line each.
pub async fn write_all(db: &Db, out: &mut dyn Write) -> Result<u64, CliError> {
    let mut conn = db.read.acquire().await?;
    let mut after = String::new();
    let mut written = 0;
    loop {
        let page = export::page_after(&mut conn, &after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        for article in &page {
            serde_json::to_writer(&mut *out, article).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
            written += 1;
        }
    }
    Ok(written)
}
