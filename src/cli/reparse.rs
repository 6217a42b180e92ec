//! `arshif reparse`: re-reads every stored original with the current
//! parser; permalinks stay.

use crate::archive::Archive;
use crate::config::DbArgs;
use crate::dump::Limits;
use crate::ingest::reparse;
use crate::store::imports;

use super::CliError;

pub async fn run(args: DbArgs) -> Result<(), CliError> {
    let archive = Archive::open(&args.db).await?;
    let db = archive.db.clone();
    let import_id = imports::create(&mut *db.write.acquire().await?, "reparse", "running").await?;
    let report = reparse::run(&archive, import_id, &Limits::default()).await;
    db.close().await;
    eprint!("{}", report?.summary(20));
    Ok(())
}
