//! Password verifications, a few at a time, on threads of their own.
//! Each argon2id verification works in about 19 MiB: run one per request
//! on the blocking pool, a burst of sign-in attempts asks for gigabytes.
//! Here [`AT_ONCE`] threads do all of them, each in working memory it
//! keeps (allocating it anew for every attempt fragmented the heap until
//! it grew by that much per attempt); attempts beyond those wait for a
//! moment, then are told the server is busy.

use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use super::password;

/// Verifications running at once (the work is CPU-bound: more than the
/// cores only costs memory).
pub const AT_ONCE: usize = 2;
/// How long an attempt waits for its turn before it is turned away.
const QUEUE_WAIT: Duration = Duration::from_secs(3);

/// Too many verifications were waiting: try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// One verification for a verifying thread: the attempt, the stored hash,
/// the turn it holds until done, and where the answer goes.
type Job = (
    String,
    Option<String>,
    OwnedSemaphorePermit,
    oneshot::Sender<bool>,
);

#[derive(Debug)]
pub struct Verifications {
    turns: Arc<Semaphore>,
    jobs: SyncSender<Job>,
}

impl Default for Verifications {
    /// Starts the verifying threads; they end when this is dropped.
    fn default() -> Self {
        let (jobs, queue) = sync_channel::<Job>(AT_ONCE);
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..AT_ONCE {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name("arshif-verify".into())
                .spawn(move || {
                    // The thread's working memory, reused by every verification.
                    let mut memory = Vec::new();
                    while let Ok(Ok((attempt, stored, turn, answer))) =
                        queue.lock().map(|q| q.recv())
                    {
                        let matched = stored
                            .is_some_and(|hash| password::verify_in(&attempt, &hash, &mut memory));
                        drop(turn);
                        let _ = answer.send(matched);
                    }
                })
                .expect("a verifying thread starts");
        }
        Verifications {
            turns: Arc::new(Semaphore::new(AT_ONCE)),
            jobs,
        }
    }
}

impl Verifications {
    /// Whether `attempt` matches the stored hash (false when none is
    /// stored), once a turn is free.
    pub async fn verify(&self, attempt: String, stored: Option<String>) -> Result<bool, Busy> {
        let turn = tokio::time::timeout(QUEUE_WAIT, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .expect("the semaphore is never closed");
        // The turn goes with the work: a client that hangs up does not free
        // it while the verification still runs. Holding a turn, there is
        // room to send (as many slots as turns).
        let (answer, answered) = oneshot::channel();
        self.jobs
            .try_send((attempt, stored, turn, answer))
            .map_err(|_| Busy)?;
        answered.await.map_err(|_| Busy)
    }

    /// Verifications running or handed to a thread now.
    pub fn running(&self) -> usize {
        AT_ONCE - self.turns.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn never_more_than_a_few_run_at_once() {
        let verifications = Arc::new(Verifications::default());
        let stored = password::hash("the right password").unwrap();
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let watcher = {
            let (v, most) = (verifications.clone(), most.clone());
            tokio::spawn(async move {
                loop {
                    most.fetch_max(v.running(), std::sync::atomic::Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            })
        };
        let attempts: Vec<_> = (0..12)
            .map(|_| {
                let (v, s) = (verifications.clone(), stored.clone());
                tokio::spawn(async move { v.verify("wrong".into(), Some(s)).await })
            })
            .collect();
        let mut answered = 0;
        for attempt in attempts {
            if attempt.await.unwrap() == Ok(false) {
                answered += 1;
            }
        }
        watcher.abort();
        assert!(answered > 0);
        let most = most.load(std::sync::atomic::Ordering::Relaxed);
        assert!((1..=AT_ONCE).contains(&most), "{most} ran at once");
    }
}
