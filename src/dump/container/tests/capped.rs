//! Behaviours of the capped reads: a member or line past its limit is
//! refused without its bytes being pulled or held.

use super::*;
use crate::dump::container::member::{Member, Outcome, TextKind, read_capped, read_member};
use std::cell::Cell;
use std::io::{self, Read};

const MIB: u64 = 1 << 20;

/// Counts what is pulled from the reader it wraps.
struct Counting<'a, R> {
    inner: R,
    pulled: &'a Cell<u64>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pulled.set(self.pulled.get() + n as u64);
        Ok(n)
    }
}

#[test]
fn stops_reading_a_member_that_expands_past_its_limit() {
    let limits = Limits {
        max_file_bytes: MIB,
        ..Limits::default()
    };
    let pulled = Cell::new(0);
    let mut reader = Counting {
        inner: io::repeat(b'a').take(10 * MIB),
        pulled: &pulled,
    };
    let member = Member {
        name: "x.zip!/p.txt".into(),
        kind: TextKind::Page,
        declared: 100, // the header lies
        declared_compressed: None,
        compressed: None,
    };
    let mut events = Vec::new();
    let outcome = read_member(&mut reader, &member, &limits, &mut |e| events.push(e));
    assert!(matches!(outcome, Outcome::Done));
    let reason = Reject::ExpandedTooLarge { limit: MIB };
    assert_eq!(
        events,
        [
            Event::FileRead,
            Event::Rejected {
                name: "x.zip!/p.txt".into(),
                reason
            }
        ]
    );
    assert!(pulled.get() <= MIB + 1, "pulled {} bytes", pulled.get());
}

#[test]
fn read_capped_never_holds_more_than_the_cap_plus_one() {
    let mut source = io::repeat(b'a').take(10 * MIB);
    assert_eq!(read_capped(&mut source, MIB, 10).unwrap(), None);
    let mut exact = io::repeat(b'a').take(MIB);
    let bytes = read_capped(&mut exact, MIB, 10).unwrap().unwrap();
    assert_eq!(bytes.len() as u64, MIB);
    assert!(
        bytes.capacity() as u64 <= MIB + 1,
        "capacity {}",
        bytes.capacity()
    );
}
