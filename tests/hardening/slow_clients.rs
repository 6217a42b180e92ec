//! Clients that hold connections without finishing a request: one that
//! trickles its request line a byte at a time, one idling on keep-alive,
//! and more clients than the connection cap. The server runs with short
//! limits set here; the bounds asserted are generous (seconds against a
//! one-second timeout) — without the timeouts the connections never close.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::Scratch;

use super::server::Server;

/// Longest any connection may live here before the test gives up on it.
const GIVE_UP: Duration = Duration::from_secs(15);

/// Whether the server closed `stream`, waiting at most `wait` to learn it.
fn closed(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut byte = [0u8; 256];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => false,
        Err(_) => true,
    }
}

/// Sends `GET / HTT` and then one more byte every 200 ms until the server
/// closes the connection; how long it lived.
fn trickle(server: &Server) -> (u16, Duration) {
    let mut stream = server.connect();
    let port = stream.local_addr().unwrap().port();
    let started = Instant::now();
    stream.write_all(b"GET / HTT").unwrap();
    let mut rest = b"P/1.1\r\nHost: x\r\nX-Slow: "
        .iter()
        .chain(std::iter::repeat(&b'a'));
    while started.elapsed() < GIVE_UP {
        if closed(&mut stream, Duration::from_millis(200)) {
            return (port, started.elapsed());
        }
        if stream.write_all(&[*rest.next().unwrap()]).is_err() {
            return (port, started.elapsed());
        }
    }
    panic!("a trickling client was still connected after {GIVE_UP:?}");
}

#[test]
fn clients_trickling_a_request_are_closed_and_logged_once_each() {
    let s = Scratch::new();
    let server = Server::start(&s.db(), &["--header-timeout-secs", "1"], &[]);
    let lived: Vec<(u16, Duration)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..5).map(|_| scope.spawn(|| trickle(&server))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let longest = lived.iter().map(|(_, d)| *d).max().unwrap();
    println!("a stalled connection lived {longest:?} with a 1 s header timeout");
    assert_eq!(
        server.get("/healthz").body,
        "ok",
        "the server still answers"
    );
    let log = server.stop();
    for (port, _) in &lived {
        let lines = log
            .lines()
            .filter(|l| l.contains(&format!("127.0.0.1:{port}:")))
            .count();
        assert_eq!(lines, 1, "client port {port} logged {lines} times:\n{log}");
    }
    assert!(
        log.contains("no complete request headers within 1 s"),
        "{log}"
    );
}

#[test]
fn an_idle_keep_alive_connection_is_closed_quietly() {
    let s = Scratch::new();
    let server = Server::start(&s.db(), &["--header-timeout-secs", "1"], &[]);
    let mut stream = server.connect();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    stream.set_read_timeout(Some(GIVE_UP)).unwrap();
    let mut answer = [0u8; 1024];
    let n = stream.read(&mut answer).unwrap();
    assert!(String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 200"));
    let answered = Instant::now();
    while !closed(&mut stream, Duration::from_millis(200)) {
        assert!(
            answered.elapsed() < GIVE_UP,
            "the idle connection stayed open"
        );
    }
    println!(
        "an idle keep-alive connection lived {:?} after its answer",
        answered.elapsed()
    );
    let log = server.stop();
    assert!(
        !log.contains("closed the connection"),
        "idling is not logged:\n{log}"
    );
}

#[test]
fn connections_past_the_cap_wait_until_one_closes() {
    let s = Scratch::new();
    let server = Server::start(
        &s.db(),
        &["--max-connections", "2", "--header-timeout-secs", "30"],
        &[],
    );
    let first = server.connect();
    let second = server.connect();
    std::thread::sleep(Duration::from_millis(300));
    let mut third = server.connect();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut answer = Vec::new();
    let early = third.read_to_end(&mut answer);
    assert!(
        early.is_err() && answer.is_empty(),
        "answered past the cap: {:?}",
        String::from_utf8_lossy(&answer)
    );
    drop(first);
    third.set_read_timeout(Some(GIVE_UP)).unwrap();
    third.read_to_end(&mut answer).unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    drop(second);
    let log = server.stop();
    assert!(
        log.contains("2 connections are open, the most allowed"),
        "{log}"
    );
}
