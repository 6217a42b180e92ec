//! `arshif reparse`: re-reads every stored original with the current
//! parser, under the import limits given; permalinks stay.

use crate::config::ReparseArgs;
use crate::ingest::reparse;
use crate::store::{Db, imports};

use super::CliError;

pub async fn run(args: ReparseArgs) -> Result<(), CliError> {
    let db = Db::open(&args.db.db).await?;
    let import_id = imports::create(&mut *db.write.acquire().await?, "reparse", "running").await?;
    let report = reparse::run(&db, import_id, &args.limits()).await;
    db.close().await;
    let report = report?;
    if args.json {
        let json = serde_json::to_string_pretty(&report).expect("report serializes");
        println!("{json}");
    } else {
        eprint!("{}", report.summary(20));
    }
    Ok(())
}
