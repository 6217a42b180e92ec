//! The one fault-injection hook, for crash tests: with
//! `ARSHIF_FAULT_KILL_AFTER_BATCH=N` in its environment, the process kills
//! itself (SIGKILL, as `kill -9` or a lost machine would) right after its
//! N-th import transaction commits, so a test can stop an import at a
//! known point instead of racing it. The variable is read once; unset — as
//! it always is outside tests — the hook is one load per batch.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

const VARIABLE: &str = "ARSHIF_FAULT_KILL_AFTER_BATCH";

/// Called by the importer after each import transaction commits.
pub fn batch_committed() {
    static KILL_AFTER: OnceLock<Option<u64>> = OnceLock::new();
    static COMMITTED: AtomicU64 = AtomicU64::new(0);
    let kill_after =
        KILL_AFTER.get_or_init(|| std::env::var(VARIABLE).ok().and_then(|v| v.parse().ok()));
    let Some(kill_after) = *kill_after else {
        return;
    };
    if COMMITTED.fetch_add(1, Ordering::SeqCst) + 1 >= kill_after {
        tracing::warn!("{VARIABLE}={kill_after}: killing the process now");
        // SAFETY: sends SIGKILL to this very process; nothing is shared.
        #[cfg(unix)]
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}
