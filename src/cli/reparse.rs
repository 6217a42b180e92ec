//! `arshif reparse`: re-reads every stored original with the current
//! parser, under the import limits given; permalinks stay.

use crate::archive::Archive;
use crate::config::ReparseArgs;
use crate::ingest::reparse;
use crate::store::imports;

use super::CliError;

pub async fn run(args: ReparseArgs) -> Result<(), CliError> {
    let archive = Archive::open_for_batch(&args.db.db).await?;
    let db = archive.db.clone();
    super::reindex::ensure(&archive, args.db.index_dir.as_deref()).await?;
    let import_id = imports::create(&mut *db.write.acquire().await?, "reparse", "running").await?;
    let report = reparse::run(&archive, import_id, &args.limits()).await;
    archive.close().await;
    let report = report?;
    if args.json {
        let json = serde_json::to_string_pretty(&report).expect("report serializes");
        println!("{json}");
    } else {
        eprint!("{}", report.summary(20));
    }
    Ok(())
}
