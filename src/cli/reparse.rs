//! `arshif reparse`: re-reads every stored original with the current
//! parser; permalinks stay.

use crate::config::DbArgs;
use crate::dump::Limits;
use crate::ingest::reparse;
use crate::store::{Db, imports};

use super::CliError;

pub async fn run(args: DbArgs) -> Result<(), CliError> {
    let db = Db::open(&args.db).await?;
    super::reindex::ensure(&db, args.index_dir.as_deref()).await?;
    let import_id = imports::create(&mut *db.write.acquire().await?, "reparse", "running").await?;
    let report = reparse::run(&db, import_id, &Limits::default()).await;
    db.close().await;
    eprint!("{}", report?.summary(20));
    Ok(())
}
