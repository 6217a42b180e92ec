use super::*;

fn addr(s: &str) -> Client {
    Client::address(s.parse().unwrap())
}

#[test]
fn attempts_count_before_they_are_checked() {
    let t = Throttle::default();
    let held: Vec<Attempt> = (0..PER_CLIENT.free)
        .map(|_| t.attempt(addr("10.0.0.1"), "admin", false).expect("free"))
        .collect();
    // The five before have not been answered yet, and still count.
    let wait = t.attempt(addr("10.0.0.1"), "admin", false).err();
    assert!(wait.is_some_and(|w| w <= PER_CLIENT.first_wait));
    assert!(
        t.attempt(addr("10.0.0.2"), "admin", false).is_ok(),
        "other clients are not slowed"
    );
    assert_eq!(held.len(), PER_CLIENT.free as usize);
}

#[test]
fn a_success_forgets_the_clients_failures() {
    let t = Throttle::default();
    for _ in 0..PER_CLIENT.free - 1 {
        let _ = t.attempt(addr("10.0.0.1"), "admin", false).unwrap();
    }
    t.attempt(addr("10.0.0.1"), "admin", false)
        .unwrap()
        .succeeded();
    for _ in 0..PER_CLIENT.free {
        let _ = t
            .attempt(addr("10.0.0.1"), "admin", false)
            .expect("forgotten");
    }
}

#[test]
fn unchecked_attempts_do_not_count() {
    let t = Throttle::default();
    for _ in 0..PER_CLIENT.free * 3 {
        t.attempt(addr("10.0.0.1"), "admin", false)
            .unwrap()
            .not_checked();
    }
}

#[test]
fn many_addresses_share_the_accounts_budget_but_a_known_device_does_not() {
    let t = Throttle::default();
    for n in 0..PER_ACCOUNT.free {
        let _ = t
            .attempt(addr(&format!("10.0.1.{n}")), "admin", false)
            .unwrap();
    }
    let wait = t.attempt(addr("10.0.2.1"), "admin", false).err();
    assert!(
        wait.is_some_and(|w| w <= PER_ACCOUNT.first_wait),
        "{wait:?}"
    );
    assert!(
        t.attempt(addr("10.0.2.1"), "another", false).is_ok(),
        "per account"
    );
    let device = Client::Device(vec![7; 32]);
    t.attempt(device, "admin", true)
        .expect("the admin's own browser")
        .succeeded();
}

#[test]
fn an_ipv6_host_is_its_whole_64() {
    assert_eq!(addr("2001:db8:1:2::1"), addr("2001:db8:1:2:ffff::9"));
    assert_ne!(addr("2001:db8:1:2::1"), addr("2001:db8:1:3::1"));
}

#[test]
fn waits_grow_but_stay_bounded() {
    assert_eq!(backoff(PER_CLIENT, PER_CLIENT.free), PER_CLIENT.first_wait);
    assert_eq!(
        backoff(PER_CLIENT, PER_CLIENT.free + 1),
        PER_CLIENT.first_wait * 2
    );
    assert_eq!(backoff(PER_CLIENT, 1000), PER_CLIENT.max_wait);
    assert_eq!(backoff(PER_ACCOUNT, 1000), PER_ACCOUNT.max_wait);
}

#[test]
fn memory_stays_bounded_under_a_flood_of_addresses() {
    let t = Throttle::default();
    for n in 0..MAX_REMEMBERED as u32 + 50 {
        let ip = std::net::Ipv4Addr::from(0x0a00_0000 + n);
        let _ = t.attempt(Client::address(ip.into()), &format!("user{n}"), true);
    }
    let budgets = t.budgets.lock().unwrap();
    assert!(budgets.clients.entries.len() <= MAX_REMEMBERED);
}
