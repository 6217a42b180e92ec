//! Slowing repeated failed sign-ins per client address: after a few
//! failures, each further attempt must wait longer (doubling, capped at a
//! few minutes). Never a permanent lock-out: the wait always ends, and a
//! success or a quiet quarter of an hour forgets the failures.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before attempts must wait.
const FREE_FAILURES: u32 = 5;
/// The first wait, doubled with every further failure.
const FIRST_WAIT: Duration = Duration::from_secs(2);
/// The longest wait.
const MAX_WAIT: Duration = Duration::from_secs(300);
/// Failures older than this are forgotten.
const MEMORY: Duration = Duration::from_secs(15 * 60);
/// Addresses remembered at most (oldest forgotten first), so a flood of
/// addresses cannot grow memory without bound.
const MAX_ADDRESSES: usize = 10_000;

#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl Throttle {
    /// How long `addr` must still wait before it may try again.
    pub fn wait(&self, addr: IpAddr) -> Option<Duration> {
        let map = self.failures.lock().expect("throttle lock");
        let (count, last) = *map.get(&addr)?;
        if count < FREE_FAILURES || last.elapsed() > MEMORY {
            return None;
        }
        let wait = backoff(count).saturating_sub(last.elapsed());
        (!wait.is_zero()).then_some(wait)
    }

    pub fn failed(&self, addr: IpAddr) {
        let mut map = self.failures.lock().expect("throttle lock");
        if map.len() >= MAX_ADDRESSES && !map.contains_key(&addr) {
            map.retain(|_, (_, last)| last.elapsed() < MEMORY);
            if map.len() >= MAX_ADDRESSES
                && let Some(oldest) = map.iter().min_by_key(|(_, (_, t))| *t).map(|(a, _)| *a)
            {
                map.remove(&oldest);
            }
        }
        let entry = map.entry(addr).or_insert((0, Instant::now()));
        if entry.1.elapsed() > MEMORY {
            entry.0 = 0;
        }
        entry.0 += 1;
        entry.1 = Instant::now();
    }

    pub fn succeeded(&self, addr: IpAddr) {
        self.failures.lock().expect("throttle lock").remove(&addr);
    }
}

fn backoff(count: u32) -> Duration {
    let doublings = count.saturating_sub(FREE_FAILURES).min(16);
    FIRST_WAIT.saturating_mul(1 << doublings).min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slows_an_address_after_a_few_failures_only() {
        let t = Throttle::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..FREE_FAILURES - 1 {
            t.failed(a);
            assert_eq!(t.wait(a), None);
        }
        t.failed(a);
        assert!(t.wait(a).is_some_and(|w| w <= FIRST_WAIT));
        assert_eq!(t.wait(b), None, "other addresses are not slowed");
        t.succeeded(a);
        assert_eq!(t.wait(a), None, "a success forgets the failures");
    }

    #[test]
    fn waits_grow_but_stay_bounded() {
        assert_eq!(backoff(FREE_FAILURES), FIRST_WAIT);
        assert_eq!(backoff(FREE_FAILURES + 1), FIRST_WAIT * 2);
        assert_eq!(backoff(1000), MAX_WAIT);
    }
}
