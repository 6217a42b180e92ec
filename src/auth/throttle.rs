//! Slowing repeated failed sign-ins per client address: after a few
//! failures, each further attempt must wait longer (doubling, capped at a
//! few minutes). Never a permanent lock-out: the wait always ends, and a
//! success or a quiet quarter of an hour forgets the failures.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};
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
        let map = self.failures();
        let (count, last) = *map.get(&addr)?;
        if count < FREE_FAILURES || last.elapsed() > MEMORY {
            return None;
        }
        let wait = backoff(count).saturating_sub(last.elapsed());
        (!wait.is_zero()).then_some(wait)
    }

    pub fn failed(&self, addr: IpAddr) {
        let mut map = self.failures();
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
        self.failures().remove(&addr);
    }

    /// The failures by address. A request that panicked while holding them
    /// left them sound (every change is one entry's), so a poisoned lock is
    /// used as it is: a sign-in page never fails because another did.
    fn failures(&self) -> MutexGuard<'_, HashMap<IpAddr, (u32, Instant)>> {
        self.failures.lock().unwrap_or_else(PoisonError::into_inner)
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

    #[test]
    fn keeps_counting_after_a_panic_while_the_lock_was_held() {
        let throttle = std::sync::Arc::new(Throttle::default());
        let held = throttle.clone();
        let panicked = std::thread::spawn(move || {
            let _map = held.failures.lock().unwrap();
            panic!("a request failed while holding the throttle");
        })
        .join();
        assert!(panicked.is_err() && throttle.failures.is_poisoned());
        let addr: IpAddr = "10.0.0.9".parse().unwrap();
        for _ in 0..FREE_FAILURES {
            throttle.failed(addr);
        }
        assert!(throttle.wait(addr).is_some());
        throttle.succeeded(addr);
        assert_eq!(throttle.wait(addr), None);
    }
}
