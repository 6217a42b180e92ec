//! Splitting a JSONL stream into one document per line, holding at most one
//! line (capped at `max_line_bytes`) in memory.

use super::{DocKind, Document, Event};
use crate::dump::{Limits, Reject};
use std::io::{self, BufRead};

/// Emits each non-blank line of `reader` as `name:LINE` (1-based, blank
/// lines counted but skipped); a line longer than the limit is rejected
/// without being held, and the lines after it still import.
pub(super) fn split(
    reader: &mut dyn BufRead,
    name: &str,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) -> io::Result<()> {
    let max = limits.max_line_bytes;
    let mut buf = Vec::new();
    let mut number = 0;
    while let Some(len) = read_line(reader, max, &mut buf)? {
        number += 1;
        let line_name = format!("{name}:{number}");
        if len > max {
            let reason = Reject::LineTooLong {
                line: number,
                len,
                limit: max,
            };
            sink(Event::Rejected {
                name: line_name,
                reason,
            });
        } else if !buf.iter().all(u8::is_ascii_whitespace) {
            let kind = DocKind::JsonLine { line: number };
            sink(Event::Document(Document {
                name: line_name,
                kind,
                bytes: std::mem::take(&mut buf),
            }));
        }
    }
    Ok(())
}

/// Reads one line into `buf` without its `\n` or `\r\n`, and returns its
/// length (without the line end) or `None` at the end of input. Keeps at
/// most `max + 2` bytes: past `max` the line is only counted, and `buf` is
/// then not the whole line.
fn read_line(reader: &mut dyn BufRead, max: usize, buf: &mut Vec<u8>) -> io::Result<Option<usize>> {
    buf.clear();
    let keep = max.saturating_add(2);
    let (mut total, mut ended, mut last) = (0usize, false, None);
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let (used, found) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = keep.saturating_sub(buf.len()).min(used);
        if buf.capacity() - buf.len() < room {
            // Grow by doubling, but never past what is kept.
            let target = (buf.capacity() * 2).max(buf.len() + room).min(keep);
            buf.reserve_exact(target - buf.len());
        }
        buf.extend_from_slice(&chunk[..room]);
        let content = if found {
            &chunk[..used - 1]
        } else {
            &chunk[..used]
        };
        last = content.last().copied().or(last);
        total += used;
        reader.consume(used);
        if found {
            ended = true;
            break;
        }
    }
    if total == 0 {
        return Ok(None);
    }
    let len = total - usize::from(ended) - usize::from(ended && last == Some(b'\r'));
    buf.truncate(len.min(keep));
    Ok(Some(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(Option<usize>, Vec<u8>)> {
        let mut reader = io::BufReader::with_capacity(4, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(len) = read_line(&mut reader, max, &mut buf).unwrap() {
            out.push((Some(len), buf.clone()));
        }
        out
    }

    #[test]
    fn strips_lf_and_crlf_line_ends() {
        let got = lines(b"ab\ncd\r\n\nef", 10);
        let want: Vec<(Option<usize>, Vec<u8>)> = vec![
            (Some(2), b"ab".to_vec()),
            (Some(2), b"cd".to_vec()),
            (Some(0), vec![]),
            (Some(2), b"ef".to_vec()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn keeps_a_lone_cr_inside_a_line() {
        assert_eq!(lines(b"a\rb\n", 10), [(Some(3), b"a\rb".to_vec())]);
    }

    #[test]
    fn counts_a_long_line_without_holding_it() {
        let mut input = vec![b'x'; 10 << 20];
        input.extend_from_slice(b"\r\nnext\n");
        let mut reader = io::BufReader::new(&input[..]);
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut reader, 1 << 20, &mut buf).unwrap(),
            Some(10 << 20)
        );
        assert!(
            buf.capacity() <= (1 << 20) + 2,
            "held {} bytes",
            buf.capacity()
        );
        assert_eq!(read_line(&mut reader, 1 << 20, &mut buf).unwrap(), Some(4));
        assert_eq!(buf, b"next");
    }

    #[test]
    fn line_of_exactly_the_limit_fits() {
        assert_eq!(lines(b"abc\r\n", 3), [(Some(3), b"abc".to_vec())]);
    }
}
