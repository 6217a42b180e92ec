//! Following the change log in a running process: every second, the index
//! applies what other transactions logged (an upload's import, an `arshif
//! import` in another process) and commits, or, where another process holds
//! the writer, reloads that process's commits. So a server never answers
//! from an index more than a couple of seconds behind the database; on
//! PostgreSQL with several nodes (issue 17), each node follows the shared
//! log into its own index the same way.

use std::time::Duration;

use super::Slot;
use crate::priority::Background;

/// How often the log is looked at.
pub const EVERY: Duration = Duration::from_secs(1);

/// Stops the follower when dropped.
pub struct Follower {
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// Starts following the log for `slot`'s index (opened beside the database
/// if nothing opened it yet) every `every`. It runs lowered, on a thread
/// of its own (tantivy's merge threads, started from it, inherit that):
/// taking in thousands of removals or an import is background work beside
/// the pages being served.
pub fn follow(slot: &Slot, every: Duration) -> Follower {
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let slot = slot.clone();
    crate::priority::spawn_lowered("search-follower", Background::Steady, async move {
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                _ = tokio::time::sleep(every) => {}
            }
            let caught_up = async {
                let index = super::of(&slot).await?;
                super::apply::catch_up(&index, slot.db()).await
            };
            if let Err(err) = caught_up.await {
                tracing::warn!(%err, "the search index could not follow the database");
            }
        }
    });
    Follower { _stop: stop }
}
