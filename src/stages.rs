//! How long each step of a long job took (storing a batch, relating it),
//! for debug logs: where an import's time goes, read from a real run
//! (`RUST_LOG=arshif=debug`) without a profiler.

use std::time::{Duration, Instant};

/// The steps of one job (a batch stored, a batch related), timed in order.
pub struct Stages {
    last: Instant,
    taken: Vec<(&'static str, Duration)>,
}

impl Stages {
    pub fn start() -> Stages {
        Stages {
            last: Instant::now(),
            taken: Vec::with_capacity(12),
        }
    }

    /// Ends step `name` (begun when the previous one ended).
    pub fn done(&mut self, name: &'static str) {
        let now = Instant::now();
        self.taken.push((name, now - self.last));
        self.last = now;
    }

    /// One line, "name ms, …", in the order the steps ran.
    pub fn summary(&self) -> String {
        self.taken
            .iter()
            .map(|(name, took)| format!("{name} {:.1}", took.as_secs_f64() * 1e3))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_step_in_order_with_its_milliseconds() {
        let mut stages = Stages::start();
        stages.done("read");
        std::thread::sleep(Duration::from_millis(3));
        stages.done("rank");
        let line = stages.summary();
        let (read, rank) = line.split_once(", ").unwrap();
        assert!(read.starts_with("read "), "{line}");
        let ms: f64 = rank.strip_prefix("rank ").unwrap().parse().unwrap();
        assert!(ms >= 3.0, "{line}");
    }
}
