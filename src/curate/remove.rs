//! The step every removal shares, inside one relating transaction: the
//! articles leave the relating engine, their original files (when asked)
//! and rows are deleted, and the articles that named them are related again.

use crate::related::{self, RelatingTx};
use crate::store::removal::{self, Doomed};

use super::CurateError;

/// Articles removed per transaction, so pages and imports wait at most
/// one such transaction for the database.
pub const PER_TRANSACTION: usize = 256;

/// Removes `doomed` and deletes the original files `files`; returns how
/// many other articles were related again.
pub async fn remove(
    tx: &mut RelatingTx<'_>,
    doomed: &[Doomed],
    files: &[i64],
) -> Result<u64, CurateError> {
    let ids: Vec<i64> = doomed.iter().map(|d| d.id).collect();
    let again = related::forget(tx, &ids).await?;
    removal::delete_files(tx, files).await?;
    removal::delete_articles(tx, doomed).await?;
    if !again.is_empty() {
        related::relate_batch(tx, &again).await?;
    }
    Ok(again.len() as u64)
}
