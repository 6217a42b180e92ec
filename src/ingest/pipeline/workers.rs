//! The worker threads of an import run: each takes the walker's next
//! document and prepares it (decode, parse, hash, compress) for the writer.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::mpsc::Receiver;

use tokio::sync::mpsc;

use crate::dump::Limits;
use crate::dump::container::Event;

use super::super::error::Panicked;
use super::super::prepare::{PreparedDoc, prepare};
use super::super::report::Problem;
use super::walker::Job;

/// What the walker and workers hand to the writer, in input order.
pub(super) enum Step {
    Prepared(Box<PreparedDoc>),
    Rejected(Problem),
    FileRead,
}

/// A thread of the run stopped at this place in the input (it panicked):
/// the run cannot go on in order.
pub(super) struct Stopped {
    pub thread: &'static str,
    pub cause: Panicked,
}

/// What the writer receives: the next step, or where a thread stopped.
pub(super) type Handed = (u64, Result<Step, Stopped>);

/// Lowers the calling thread's scheduling priority when asked.
pub(super) fn lower_priority(background: bool) {
    if background {
        crate::priority::lower_this_thread(crate::priority::Background::Bulk);
    }
}

/// Prepares the walker's jobs until there are none (or the writer is
/// gone, or preparing one panicked: that is handed on as the last step).
pub(super) fn work(
    jobs: &Mutex<Receiver<(u64, Job)>>,
    steps: &mpsc::Sender<Handed>,
    limits: &Limits,
) {
    work_with(jobs, steps, |event| step(event, limits));
}

fn work_with(
    jobs: &Mutex<Receiver<(u64, Job)>>,
    steps: &mpsc::Sender<Handed>,
    step: impl Fn(Event) -> Step,
) {
    loop {
        let job = jobs.lock().map(|rx| rx.recv());
        let Ok(Ok((seq, job))) = job else { return };
        let step = match job {
            Job::Stopped(cause) => Err(Stopped {
                thread: "walker",
                cause,
            }),
            Job::Read(event) => {
                catch_unwind(AssertUnwindSafe(|| step(event))).map_err(|payload| Stopped {
                    thread: "worker",
                    cause: Panicked::from_payload(&*payload),
                })
            }
        };
        let last = step.is_err();
        if steps.blocking_send((seq, step)).is_err() || last {
            return;
        }
    }
}

fn step(event: Event, limits: &Limits) -> Step {
    match event {
        Event::FileRead => Step::FileRead,
        Event::Rejected { name, reason } => Step::Rejected(Problem::rejected(name, &reason)),
        Event::Document(doc) => {
            let name = doc.name.clone();
            match prepare(doc, limits) {
                Ok(prepared) => Step::Prepared(Box::new(prepared)),
                Err(reason) => Step::Rejected(Problem::rejected(name, &reason)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::sync_channel;

    use super::*;

    /// Runs a worker over `jobs` with `step`; what it handed on, in order.
    fn worked(jobs: Vec<Job>, step: impl Fn(Event) -> Step) -> Vec<(u64, Result<Step, Stopped>)> {
        let (jobs_tx, jobs_rx) = sync_channel(jobs.len());
        for (seq, job) in jobs.into_iter().enumerate() {
            jobs_tx.send((seq as u64, job)).unwrap();
        }
        drop(jobs_tx);
        let (steps_tx, mut steps_rx) = mpsc::channel(16);
        work_with(&Mutex::new(jobs_rx), &steps_tx, step);
        drop(steps_tx);
        std::iter::from_fn(|| steps_rx.blocking_recv()).collect()
    }

    fn stopped(handed: &(u64, Result<Step, Stopped>)) -> Option<(u64, &str, &str)> {
        let (seq, Err(s)) = handed else { return None };
        Some((*seq, s.thread, s.cause.0.as_str()))
    }

    #[test]
    fn a_stopped_walker_is_handed_on_as_the_last_step() {
        let jobs = vec![
            Job::Read(Event::FileRead),
            Job::Stopped(Panicked("the zip reader broke".to_owned())),
            Job::Read(Event::FileRead),
        ];
        let handed = worked(jobs, |_| Step::FileRead);
        assert_eq!(handed.len(), 2);
        assert!(matches!(handed[0], (0, Ok(Step::FileRead))));
        assert_eq!(
            stopped(&handed[1]),
            Some((1, "walker", "the zip reader broke"))
        );
    }

    #[test]
    fn a_worker_that_panics_hands_on_where_and_why_then_stops() {
        let jobs = vec![Job::Read(Event::FileRead), Job::Read(Event::FileRead)];
        let handed = worked(jobs, |_| panic!("the parser broke"));
        assert_eq!(handed.len(), 1);
        assert_eq!(stopped(&handed[0]), Some((0, "worker", "the parser broke")));
    }
}
