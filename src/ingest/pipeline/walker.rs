//! The reading side of an import run: a walker thread reads every input
//! (archives member by member, never written to disk) and hands documents
//! to the workers in input order; a counting thread finds the total for
//! progress meanwhile.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use crate::dump::Limits;
use crate::dump::container::{self, Event};

use super::workers::{Step, lower_priority, work};
use super::{ImportOptions, Input};

/// Documents waiting for a worker; enough that the walker rarely sleeps.
const JOB_QUEUE: usize = 64;
/// `total` before the counting thread is done.
pub(super) const UNKNOWN: u64 = u64::MAX;

/// The total from the counting thread, once it is done.
pub(super) fn known(total: &AtomicU64) -> Option<u64> {
    Some(total.load(Ordering::Relaxed)).filter(|&n| n != UNKNOWN)
}

/// Walks every input on its own thread, handing documents to workers.
pub(super) fn spawn_walker(
    inputs: Vec<Input>,
    options: ImportOptions,
    tokens: Receiver<()>,
    steps: mpsc::Sender<(u64, Step)>,
) {
    let workers = match options.workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1)),
        n => n,
    };
    let (jobs_tx, jobs_rx) = sync_channel::<(u64, Event)>(JOB_QUEUE);
    let jobs_rx = Arc::new(Mutex::new(jobs_rx));
    let background = options.background;
    for _ in 0..workers {
        let jobs = jobs_rx.clone();
        let steps = steps.clone();
        let limits = options.limits.clone();
        std::thread::spawn(move || {
            lower_priority(background);
            work(&jobs, &steps, &limits)
        });
    }
    std::thread::spawn(move || {
        lower_priority(background);
        walk(&inputs, &options.limits, &tokens, &jobs_tx)
    });
}

fn walk(inputs: &[Input], limits: &Limits, tokens: &Receiver<()>, jobs: &SyncSender<(u64, Event)>) {
    let mut seq = 0u64;
    let mut stopped = false;
    let mut sink = |event: Event| {
        if stopped || tokens.recv().is_err() || jobs.send((seq, event)).is_err() {
            stopped = true;
            return;
        }
        seq += 1;
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
pub(super) fn spawn_counter(inputs: Vec<Input>, total: Arc<AtomicU64>) {
    std::thread::spawn(move || {
        let files = inputs
            .iter()
            .map(|input| match input {
                Input::Path(path) => container::count_path(path),
                Input::Upload { path, name } => container::count_file(path, name),
            })
            .sum();
        total.store(files, Ordering::Relaxed);
    });
}
