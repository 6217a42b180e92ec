//! Progress of long maintenance work (reindex, relate): a bar on a
//! terminal, an occasional log line otherwise (a service's journal).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    /// What is being done, for the log lines ("search index").
    what: &'static str,
    /// Where the last log line was (callers step by any amount, from any
    /// starting point: a round-number test would skip whole passes).
    logged: AtomicU64,
}

/// Steps between two log lines.
const LOG_EVERY: u64 = 20_000;

impl Progress {
    /// `verb` heads the bar ("indexing"), `what` names the work in logs.
    pub fn new(verb: &str, what: &'static str) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{verb} {{bar:30}} {{pos}}/{{len}} (eta {{eta}})"
                ))
                .expect("valid template"),
            );
            bar
        });
        Progress {
            bar,
            what,
            logged: AtomicU64::new(0),
        }
    }

    pub fn show(&self, done: u64, total: u64) {
        match &self.bar {
            Some(bar) => {
                bar.set_length(total);
                bar.set_position(done);
            }
            None => {
                let last = self.logged.load(Ordering::Relaxed);
                if done == total || done >= last + LOG_EVERY || done < last {
                    self.logged.store(done, Ordering::Relaxed);
                    tracing::info!("{}: {done}/{total}", self.what)
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_every_twenty_thousand_steps_from_any_starting_point() {
        let progress = Progress {
            bar: None,
            what: "test",
            logged: AtomicU64::new(0),
        };
        let mut lines = Vec::new();
        // `relate --all`'s passes start at multiples of an odd count.
        for done in (0..5).map(|n| 970_705 + n * 7_000).chain([1_000_000]) {
            let before = progress.logged.load(Ordering::Relaxed);
            progress.show(done, 1_000_000);
            if progress.logged.load(Ordering::Relaxed) != before {
                lines.push(done);
            }
        }
        assert_eq!(lines, [970_705, 991_705, 1_000_000]);
    }
}
