//! Walking a tar or tar.gz archive as one stream: gzip is expanded as the
//! tar reader pulls bytes (never whole, never to disk), and every member
//! passes by once, in order.

use super::Event;
use super::member::{self, Budget, Member, Outcome, Tally, TextKind};
use crate::dump::{Limits, Reject};
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{BufReader, Read};

/// A plain tar: members are stored, so no ratio applies.
pub(super) fn walk_tar(file: File, name: &str, limits: &Limits, sink: &mut dyn FnMut(Event)) {
    walk_stream(BufReader::new(file), None, name, limits, sink);
}

/// A gzip-compressed tar. The bytes read from the file are counted so that
/// each member's expansion ratio can be judged while it expands.
pub(super) fn walk_tar_gz(file: File, name: &str, limits: &Limits, sink: &mut dyn FnMut(Event)) {
    let compressed = Budget::new(u64::MAX);
    let counted = Tally {
        inner: BufReader::new(file),
        budget: &compressed,
    };
    walk_stream(
        MultiGzDecoder::new(counted),
        Some(&compressed),
        name,
        limits,
        sink,
    );
}

/// Walks the tar stream `reader`. The total budget counts the whole tar
/// stream, skipped members included: they cost the same work to pass.
fn walk_stream(
    reader: impl Read,
    compressed: Option<&Budget>,
    name: &str,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) {
    let reject = |sink: &mut dyn FnMut(Event), reason| {
        sink(Event::Rejected {
            name: name.to_owned(),
            reason,
        });
    };
    let budget = Budget::new(limits.max_archive_expanded_bytes);
    let over = || Reject::ArchiveTooLarge {
        limit: limits.max_archive_expanded_bytes,
    };
    let mut archive = tar::Archive::new(Tally {
        inner: reader,
        budget: &budget,
    });
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(e) => return reject(sink, Reject::BadArchive(e.to_string())),
    };
    let mut count = 0u64;
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(_) if budget.over.get() => return reject(sink, over()),
            Err(e) => return reject(sink, Reject::BadArchive(e.to_string())),
        };
        count += 1;
        if count > limits.max_archive_members {
            return reject(
                sink,
                Reject::TooManyMembers {
                    limit: limits.max_archive_members,
                },
            );
        }
        let Some((path, kind)) = text_member(&entry) else {
            continue;
        };
        let start = compressed.map_or(0, |c| c.used.get());
        let so_far = || compressed.map_or(0, |c| c.used.get() - start);
        let member = Member {
            name: format!("{name}!/{path}"),
            kind,
            declared: entry.size(),
            declared_compressed: None,
            compressed: compressed.map(|_| &so_far as &dyn Fn() -> u64),
        };
        if let Outcome::Broken(e) = member::read_member(&mut entry, &member, limits, sink) {
            // A tar stream cannot be resumed past a broken member.
            let reason = if budget.over.get() {
                over()
            } else {
                Reject::BadArchive(format!("{e} (in {path})"))
            };
            return reject(sink, reason);
        }
    }
}

/// The path and text kind of a regular-file member worth reading; links,
/// folders and other types are passed over, as are skipped names.
fn text_member<R: Read>(entry: &tar::Entry<R>) -> Option<(String, TextKind)> {
    if !entry.header().entry_type().is_file() {
        return None;
    }
    let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
    let kind = member::text_kind(&path)?;
    (!member::is_skipped(&path)).then_some((path, kind))
}
