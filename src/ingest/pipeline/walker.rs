//! The reading side of an import run: a walker thread reads every input
//! (archives member by member, never written to disk) and hands documents
//! to the workers in input order; a counting thread finds the total for
//! progress meanwhile.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use crate::dump::Limits;
use crate::dump::container::{self, Event};

use super::super::error::Panicked;
use super::workers::{Handed, lower_priority, work};
use super::{ImportOptions, Input};

/// What the walker hands to the workers, numbered in input order.
pub(super) enum Job {
    Read(Event),
    /// The walker stopped here (it panicked): nothing follows.
    Stopped(Panicked),
}

/// Documents waiting for a worker; enough that the walker rarely sleeps.
const JOB_QUEUE: usize = 64;
/// `total` before the counting thread is done.
pub(super) const UNKNOWN: u64 = u64::MAX;

/// The total from the counting thread, once it is done.
pub(super) fn known(total: &AtomicU64) -> Option<u64> {
    Some(total.load(Ordering::Relaxed)).filter(|&n| n != UNKNOWN)
}

/// Walks every input on its own thread, handing documents to workers;
/// fails only when the threads cannot be started.
pub(super) fn spawn_walker(
    inputs: Vec<Input>,
    options: ImportOptions,
    tokens: Receiver<()>,
    steps: mpsc::Sender<Handed>,
) -> std::io::Result<()> {
    let workers = match options.workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1)),
        n => n,
    };
    let (jobs_tx, jobs_rx) = sync_channel::<(u64, Job)>(JOB_QUEUE);
    let jobs_rx = Arc::new(Mutex::new(jobs_rx));
    let background = options.background;
    for _ in 0..workers {
        let jobs = jobs_rx.clone();
        let steps = steps.clone();
        let limits = options.limits.clone();
        std::thread::Builder::new()
            .name("arshif-worker".to_owned())
            .spawn(move || {
                lower_priority(background);
                work(&jobs, &steps, &limits)
            })?;
    }
    std::thread::Builder::new()
        .name("arshif-walker".to_owned())
        .spawn(move || {
            lower_priority(background);
            let mut seq = 0u64;
            let walked = catch_unwind(AssertUnwindSafe(|| {
                walk(&inputs, &options.limits, &tokens, &jobs_tx, &mut seq)
            }));
            if let Err(payload) = walked {
                let _ = jobs_tx.send((seq, Job::Stopped(Panicked::from_payload(&*payload))));
            }
        })?;
    Ok(())
}

/// Reads every input, numbering what it hands on from `seq`.
fn walk(
    inputs: &[Input],
    limits: &Limits,
    tokens: &Receiver<()>,
    jobs: &SyncSender<(u64, Job)>,
    seq: &mut u64,
) {
    let mut stopped = false;
    let mut sink = |event: Event| {
        if stopped || tokens.recv().is_err() || jobs.send((*seq, Job::Read(event))).is_err() {
            stopped = true;
            return;
        }
        *seq += 1;
    };
    for input in inputs {
        match input {
            Input::Path(path) => {
                if let Err(err) = container::walk_path(path, limits, &mut sink) {
                    sink(Event::Rejected {
                        name: path.display().to_string(),
                        reason: crate::dump::Reject::Io(err.to_string()),
                    });
                }
            }
            Input::Upload { path, name } => container::walk_file(path, name, limits, &mut sink),
        }
    }
}

/// Counts the files to read on a thread of its own, so progress can show a
/// total without delaying the import itself.
pub(super) fn spawn_counter(inputs: Vec<Input>, total: Arc<AtomicU64>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("arshif-counter".to_owned())
        .spawn(move || {
            let files = inputs
                .iter()
                .map(|input| match input {
                    Input::Path(path) => container::count_path(path),
                    Input::Upload { path, name } => container::count_file(path, name),
                })
                .sum();
            total.store(files, Ordering::Relaxed);
        })?;
    Ok(())
}
