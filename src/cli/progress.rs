//! Progress of long maintenance work (reindex, relate): a bar on a
//! terminal, an occasional log line otherwise (a service's journal).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    /// What is being done, for the log lines ("search index").
    what: &'static str,
}

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
        Progress { bar, what }
    }

    pub fn show(&self, done: u64, total: u64) {
        match &self.bar {
            Some(bar) => {
                bar.set_length(total);
                bar.set_position(done);
            }
            // About every 20,000 steps (callers report every few hundred).
            None if done == total || done % 20_000 < 400 => {
                tracing::info!("{}: {done}/{total}", self.what)
            }
            None => {}
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
