//! Slowing repeated failed sign-ins, per client and for the account as a
//! whole. An attempt counts as failed *before* its password is checked
//! (a success takes it back), so attempts sent in parallel see each other.
//!
//! Each budget allows a few failures, then makes every further attempt
//! wait longer (doubling, capped): never a lock-out, the wait always ends,
//! and a quiet quarter of an hour forgets the failures. A client is an
//! address (an IPv6 /64 as one, since one host holds a whole /64) or a
//! browser that signed in to the account before (a known device). The
//! account's budget is shared by every client that is not a known
//! device, so guessing from many addresses is slowed too — while the
//! administrator's own browser keeps its own budget, and a flood of wrong
//! passwords cannot keep it out.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How many failures a budget allows before attempts wait, and how long.
#[derive(Debug, Clone, Copy)]
struct Rule {
    free: u32,
    first_wait: Duration,
    max_wait: Duration,
}

/// One client: five failures, then 2 s doubling to 5 minutes.
const PER_CLIENT: Rule = Rule {
    free: 5,
    first_wait: Duration::from_secs(2),
    max_wait: Duration::from_secs(300),
};
/// One account, from every client that is not a known device together:
/// twenty failures, then 1 s doubling to a minute (at most about sixty
/// guesses an hour however many addresses guess).
const PER_ACCOUNT: Rule = Rule {
    free: 20,
    first_wait: Duration::from_secs(1),
    max_wait: Duration::from_secs(60),
};
/// Failures older than this are forgotten.
const MEMORY: Duration = Duration::from_secs(15 * 60);
/// Clients (and accounts) remembered at most, oldest forgotten first, so a
/// flood of addresses or names cannot grow memory without bound.
const MAX_REMEMBERED: usize = 10_000;

/// Who is attempting, for the per-client budget.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Client {
    /// An IPv4 address, or the /64 network of an IPv6 one.
    Address(IpAddr),
    /// A browser that signed in before: the hash of its device cookie.
    Device(Vec<u8>),
}

impl Client {
    pub fn address(ip: IpAddr) -> Client {
        Client::Address(match ip {
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(network.into())
            }
            v4 => v4,
        })
    }
}

#[derive(Debug, Default)]
pub struct Throttle {
    budgets: Mutex<Budgets>,
}

#[derive(Debug, Default)]
struct Budgets {
    clients: Ledger<Client>,
    accounts: Ledger<String>,
}

/// An attempt that was let through and counted as failed.
#[must_use = "a dropped attempt stays counted as failed"]
pub struct Attempt<'a> {
    throttle: &'a Throttle,
    client: Client,
    /// Set when the attempt counted against the account too.
    account: Option<String>,
}

impl Throttle {
    /// Counts an attempt by `client` on `account` as failed and lets it
    /// through, or says how long to wait first (then nothing is counted).
    /// A known device is not held to the account's shared budget.
    pub fn attempt(
        &self,
        client: Client,
        account: &str,
        known_device: bool,
    ) -> Result<Attempt<'_>, Duration> {
        let mut budgets = self.budgets();
        let now = Instant::now();
        let client_wait = budgets.clients.wait(&client, PER_CLIENT, now);
        let account_wait = match known_device {
            true => None,
            false => budgets.accounts.wait(account, PER_ACCOUNT, now),
        };
        if let Some(wait) = client_wait.max(account_wait) {
            return Err(wait);
        }
        budgets.clients.fail(client.clone(), now);
        let account = (!known_device).then(|| account.to_owned());
        if let Some(name) = &account {
            budgets.accounts.fail(name.clone(), now);
        }
        Ok(Attempt {
            throttle: self,
            client,
            account,
        })
    }
}

impl Throttle {
    /// The budgets. A request that panicked while holding them left them
    /// sound (every change is one entry's), so a poisoned lock is used as
    /// it is: a sign-in page never fails because another did.
    fn budgets(&self) -> MutexGuard<'_, Budgets> {
        self.budgets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Attempt<'_> {
    /// The password was right: the client's failures are forgotten, and
    /// this attempt no longer counts against the account (the others do).
    pub fn succeeded(self) {
        let mut budgets = self.throttle.budgets();
        budgets.clients.forget(&self.client);
        if let Some(account) = &self.account {
            budgets.accounts.take_back(account);
        }
    }

    /// The password was never checked (the server was too busy): the
    /// attempt does not count.
    pub fn not_checked(self) {
        let mut budgets = self.throttle.budgets();
        budgets.clients.take_back(&self.client);
        if let Some(account) = &self.account {
            budgets.accounts.take_back(account);
        }
    }
}

/// Failures and the time of the last one, per key.
#[derive(Debug)]
struct Ledger<K> {
    entries: HashMap<K, (u32, Instant)>,
}

impl<K> Default for Ledger<K> {
    fn default() -> Self {
        Ledger {
            entries: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash + Clone> Ledger<K> {
    fn wait<Q>(&self, key: &Q, rule: Rule, now: Instant) -> Option<Duration>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let (failures, last) = *self.entries.get(key)?;
        let since = now.saturating_duration_since(last);
        if failures < rule.free || since > MEMORY {
            return None;
        }
        let wait = backoff(rule, failures).saturating_sub(since);
        (!wait.is_zero()).then_some(wait)
    }

    fn fail(&mut self, key: K, now: Instant) {
        if self.entries.len() >= MAX_REMEMBERED && !self.entries.contains_key(&key) {
            self.entries
                .retain(|_, (_, last)| now.saturating_duration_since(*last) < MEMORY);
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, last))| *last)
                .map(|(key, _)| key.clone());
            if self.entries.len() >= MAX_REMEMBERED
                && let Some(oldest) = oldest
            {
                self.entries.remove(&oldest);
            }
        }
        let entry = self.entries.entry(key).or_insert((0, now));
        if now.saturating_duration_since(entry.1) > MEMORY {
            entry.0 = 0;
        }
        entry.0 += 1;
        entry.1 = now;
    }

    fn take_back<Q>(&mut self, key: &Q)
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }

    fn forget(&mut self, key: &K) {
        self.entries.remove(key);
    }
}

fn backoff(rule: Rule, failures: u32) -> Duration {
    let doublings = failures.saturating_sub(rule.free).min(16);
    rule.first_wait
        .saturating_mul(1 << doublings)
        .min(rule.max_wait)
}

#[cfg(test)]
mod tests;
