//! Folding the WAL into the database file beside a long write, from a
//! connection of its own.

use std::time::Duration;

use sqlx::{ConnectOptions, Connection};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::{Db, Pool, Result, StoreError, connect_options};

/// How often a long write (an import, `relate --all`) has its WAL copied
/// into the database beside it.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// The background checkpointer of [`Db::spawn_checkpointer`]: stops when
/// dropped; [`stop`](Checkpointer::stop) also waits for it.
pub struct Checkpointer {
    /// `None` on PostgreSQL, which checkpoints by itself.
    running: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

impl Db {
    /// Starts copying the WAL into the database file from a connection of
    /// its own, every `every`, until the returned guard is stopped or
    /// dropped.
    ///
    /// A checkpoint run by the writer itself (SQLite's automatic one) stalls
    /// every write behind it; run beside it, on the other core, it keeps the
    /// WAL short while imports write at full speed.
    pub async fn spawn_checkpointer(&self, every: Duration) -> Result<Checkpointer> {
        if matches!(self.write, Pool::Postgres(_)) {
            return Ok(Checkpointer { running: None });
        }
        // A checkpoint beside a bulk import takes a second or more by
        // design: not a slow statement to warn the user about.
        let mut conn = connect_options(&self.path)
            .disable_statement_logging()
            .connect()
            .await
            .map_err(|source| StoreError::Open {
                path: self.path.display().to_string(),
                source,
            })?;
        let (stop, mut stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = tokio::time::sleep(every) => {}
                }
                if let Err(err) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&mut conn)
                    .await
                {
                    tracing::warn!(%err, "background checkpoint failed");
                }
            }
            let _ = conn.close().await;
        });
        Ok(Checkpointer {
            running: Some((stop, task)),
        })
    }
}

impl Checkpointer {
    /// Stops the checkpointer and waits until its last checkpoint has
    /// ended and its connection is closed. A checkpoint still running
    /// holds SQLite's checkpoint lock: [`Db::close`]'s own checkpoint,
    /// which empties the WAL, would find it busy and leave the WAL (at the
    /// end of a 1M import, 660 MB) for the next open to take in.
    pub async fn stop(mut self) {
        if let Some((stop, task)) = self.running.take() {
            drop(stop);
            let _ = task.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Catches a `stop` that only signals: the checkpointer, looping
    /// without pause over a WAL that each round grows by 8 MB, is then
    /// still copying it when the caller empties the WAL, which answers
    /// busy.
    #[tokio::test(flavor = "multi_thread")]
    async fn a_stopped_checkpointer_has_let_go_of_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("a.db")).await.unwrap();
        let pool = db.write.as_sqlite().unwrap().clone();
        sqlx::query("CREATE TABLE filler (b BLOB)")
            .execute(&pool)
            .await
            .unwrap();
        for round in 0..8 {
            let checkpointer = db.spawn_checkpointer(Duration::ZERO).await.unwrap();
            sqlx::query(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8) \
                 INSERT INTO filler SELECT randomblob(1000000) FROM n",
            )
            .execute(&pool)
            .await
            .unwrap();
            checkpointer.stop().await;
            let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(busy, 0, "round {round}: the WAL is still being copied");
        }
        db.close().await;
    }
}
