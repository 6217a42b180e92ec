//! The worker threads of an import run: each takes the walker's next
//! document and prepares it (decode, parse, hash, compress) for the writer.

use std::sync::Mutex;
use std::sync::mpsc::Receiver;

use tokio::sync::mpsc;

use crate::dump::Limits;
use crate::dump::container::Event;

use super::super::prepare::{PreparedDoc, prepare};
use super::super::report::Problem;

/// What the walker and workers hand to the writer, in input order.
pub(super) enum Step {
    Prepared(Box<PreparedDoc>),
    Rejected(Problem),
    FileRead,
}

/// Lowers the calling thread's scheduling priority (nice 10) when asked.
pub(super) fn lower_priority(background: bool) {
    #[cfg(target_os = "linux")]
    if background {
        // SAFETY: `setpriority` on the calling thread's own id; no memory is shared.
        unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, 10);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = background;
}

pub(super) fn work(
    jobs: &Mutex<Receiver<(u64, Event)>>,
    steps: &mpsc::Sender<(u64, Step)>,
    limits: &Limits,
) {
    loop {
        let job = jobs.lock().map(|rx| rx.recv());
        let Ok(Ok((seq, event))) = job else { return };
        let step = match event {
            Event::FileRead => Step::FileRead,
            Event::Rejected { name, reason } => Step::Rejected(Problem::rejected(name, &reason)),
            Event::Document(doc) => {
                let name = doc.name.clone();
                match prepare(doc, limits) {
                    Ok(prepared) => Step::Prepared(Box::new(prepared)),
                    Err(reason) => Step::Rejected(Problem::rejected(name, &reason)),
                }
            }
        };
        if steps.blocking_send((seq, step)).is_err() {
            return;
        }
    }
}
