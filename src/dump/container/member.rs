//! Reading one archive member within the limits, shared by the zip and tar
//! walkers: which members count, byte budgets, capped reads, and the
//! expansion-ratio check that catches zip bombs while they expand.

use super::{DocKind, Document, Event, lines};
use crate::dump::{Limits, Reject};
use std::cell::Cell;
use std::io::{self, BufReader, Read};

/// The kinds of text a file or member can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextKind {
    Page,
    Html,
    Jsonl,
    Warc,
}

/// `.txt` is a page, `.html`/`.htm` a web page, `.jsonl`/`.ndjson` a JSONL
/// file, `.warc`/`.warc.gz` a crawl (case-insensitive).
pub(super) fn text_kind(name: &str) -> Option<TextKind> {
    let lower = name.to_lowercase();
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
    if ends(&[".txt"]) {
        Some(TextKind::Page)
    } else if ends(&[".html", ".htm"]) {
        Some(TextKind::Html)
    } else if ends(&[".jsonl", ".ndjson"]) {
        Some(TextKind::Jsonl)
    } else if ends(&[".warc", ".warc.gz"]) {
        Some(TextKind::Warc)
    } else {
        None
    }
}

/// A dot-file or dot-folder, or macOS's resource-fork folder. `.` and `..`
/// are path steps, not hidden names.
pub(super) fn is_hidden_component(component: &str) -> bool {
    component == "__MACOSX" || (component.starts_with('.') && component != "." && component != "..")
}

/// Whether a member path is skipped. Backslashes separate folders too:
/// Windows tools write them, and `a\.git\x.txt` is as hidden as `a/.git/x.txt`.
pub(super) fn is_skipped(path: &str) -> bool {
    path.split(['/', '\\']).any(is_hidden_component)
}

/// A running byte count with a ceiling, shared by the readers of one
/// archive. Crossing the ceiling fails the read and raises `over`, so the
/// walker can tell "past the limit" from a corrupt archive.
pub(super) struct Budget {
    pub used: Cell<u64>,
    pub over: Cell<bool>,
    cap: u64,
}

impl Budget {
    pub fn new(cap: u64) -> Self {
        Budget {
            used: Cell::new(0),
            over: Cell::new(false),
            cap,
        }
    }
}

/// Counts the bytes read through it against a [`Budget`].
pub(super) struct Tally<'a, R> {
    pub inner: R,
    pub budget: &'a Budget,
}

impl<R: Read> Read for Tally<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let used = self.budget.used.get().saturating_add(n as u64);
        self.budget.used.set(used);
        if used > self.budget.cap {
            self.budget.over.set(true);
            return Err(io::Error::other("byte budget exceeded"));
        }
        Ok(n)
    }
}

/// Fails the read once a member has expanded past the ratio floor to more
/// than `limit` times its compressed size. `compressed` is asked each time
/// because for tar.gz it grows as the stream is consumed; `None` (stored
/// data) never trips.
struct RatioGuard<'a, R> {
    inner: R,
    expanded: u64,
    compressed: Option<&'a dyn Fn() -> u64>,
    limit: u64,
    tripped: Option<u64>,
}

impl<R: Read> Read for RatioGuard<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.expanded += n as u64;
        let Some(compressed) = self.compressed.map(|f| f()) else {
            return Ok(n);
        };
        if self.expanded > Limits::RATIO_FLOOR_BYTES
            && self.expanded > compressed.saturating_mul(self.limit)
        {
            self.tripped = Some(self.expanded / compressed.max(1));
            return Err(io::Error::other("expansion ratio exceeded"));
        }
        Ok(n)
    }
}

/// Reads at most `cap` bytes: `None` when there is more. Never holds more
/// than `cap + 1` bytes, even when `hint` (a declared size) lies.
pub(super) fn read_capped(
    reader: &mut dyn Read,
    cap: u64,
    hint: u64,
) -> io::Result<Option<Vec<u8>>> {
    let limit = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX);
    let mut buf = Vec::with_capacity(usize::try_from(hint).unwrap_or(usize::MAX).min(limit));
    let mut chunk = vec![0u8; 64 << 10];
    let mut reader = reader.take(limit as u64);
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.capacity() - buf.len() < n {
            // Grow by doubling, but never past the cap + 1.
            let target = (buf.capacity() * 2).max(buf.len() + n).min(limit);
            buf.reserve_exact(target - buf.len());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok((buf.len() as u64 <= cap).then_some(buf))
}

/// One text member about to be read.
pub(super) struct Member<'a> {
    /// Full report name, `x.zip!/a/b.txt`.
    pub name: String,
    pub kind: TextKind,
    /// Size the archive declares, checked before reading.
    pub declared: u64,
    /// Compressed size the archive declares (zip), for the ratio precheck.
    pub declared_compressed: Option<u64>,
    /// Compressed bytes behind the member so far, for the ratio check while
    /// reading; `None` for a plain tar, where no ratio applies.
    pub compressed: Option<&'a dyn Fn() -> u64>,
}

/// How reading a member ended, for the archive walker.
pub(super) enum Outcome {
    /// Imported or rejected on its own; go on with the next member.
    Done,
    /// The read failed: a corrupt stream, not a limit.
    Broken(io::Error),
}

/// Reads one member into documents or a rejection. Archive-wide budgets
/// are enforced by the reader handed in (see [`Tally`]); when they trip,
/// this returns `Broken` and the walker checks its budget.
pub(super) fn read_member(
    reader: &mut dyn Read,
    member: &Member,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) -> Outcome {
    if member.kind != TextKind::Warc {
        sink(Event::FileRead);
    }
    let reject = |sink: &mut dyn FnMut(Event), reason| {
        sink(Event::Rejected {
            name: member.name.clone(),
            reason,
        });
    };
    if let Some(reason) = precheck(member, limits) {
        reject(sink, reason);
        return Outcome::Done;
    }
    let mut guard = RatioGuard {
        inner: reader,
        expanded: 0,
        compressed: member.compressed,
        limit: limits.max_expansion_ratio,
        tripped: None,
    };
    let result = match member.kind {
        TextKind::Page => read_page(&mut guard, member, DocKind::Page, limits, sink),
        TextKind::Html => read_page(&mut guard, member, DocKind::Html, limits, sink),
        TextKind::Warc => {
            // Read once: a revisit inside an archive member cannot be resolved.
            crate::dump::warc::walk(Box::new(&mut guard), None, &member.name, limits, sink);
            Ok(())
        }
        TextKind::Jsonl => {
            lines::split(&mut BufReader::new(&mut guard), &member.name, limits, sink)
        }
    };
    match (result, guard.tripped) {
        (Ok(()), _) => Outcome::Done,
        (Err(_), Some(ratio)) => {
            reject(
                sink,
                Reject::RatioTooHigh {
                    ratio,
                    limit: limits.max_expansion_ratio,
                },
            );
            Outcome::Done
        }
        (Err(e), None) => Outcome::Broken(e),
    }
}

/// Refusals decided from the declared sizes alone, before any byte is
/// expanded: a declared bomb, or a page declared larger than allowed.
fn precheck(member: &Member, limits: &Limits) -> Option<Reject> {
    if let Some(compressed) = member.declared_compressed {
        let ratio = limits.max_expansion_ratio;
        if member.declared > Limits::RATIO_FLOOR_BYTES
            && member.declared > compressed.saturating_mul(ratio)
        {
            return Some(Reject::RatioTooHigh {
                ratio: member.declared / compressed.max(1),
                limit: ratio,
            });
        }
    }
    let page = matches!(member.kind, TextKind::Page | TextKind::Html);
    let too_large = page && member.declared > limits.max_file_bytes;
    too_large.then_some(Reject::TooLarge {
        size: member.declared,
        limit: limits.max_file_bytes,
    })
}

/// A page member: read whole, capped. Past the cap despite a declared size
/// within it means the header lied, so the true size is unknown.
fn read_page(
    reader: &mut dyn Read,
    member: &Member,
    kind: DocKind,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) -> io::Result<()> {
    let limit = limits.max_file_bytes;
    let event = match read_capped(reader, limit, member.declared)? {
        Some(bytes) => Event::Document(Document {
            name: member.name.clone(),
            kind,
            bytes,
        }),
        None => Event::Rejected {
            name: member.name.clone(),
            reason: Reject::ExpandedTooLarge { limit },
        },
    };
    sink(event);
    Ok(())
}
