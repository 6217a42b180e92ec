//! Walking a zip archive: every `.txt`/`.jsonl`/`.ndjson` member at any
//! depth, read in memory with caps; other members (archives inside
//! included) are passed over without being expanded.

use super::member::{self, Budget, Member, Outcome, Tally};
use super::{Event, zip_count};
use crate::dump::{Limits, Reject};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use zip::ZipArchive;

/// Walks the zip in `file`, reported as `name`.
///
/// The member count is known before any member is read, so a zip with too
/// many entries is refused whole, before its directory is loaded. The
/// total expanded limit can only trip while reading: members already
/// yielded stay, and one rejection names the archive.
pub(super) fn walk(file: File, name: &str, limits: &Limits, sink: &mut dyn FnMut(Event)) {
    let reject = |sink: &mut dyn FnMut(Event), reason| {
        sink(Event::Rejected {
            name: name.to_owned(),
            reason,
        });
    };
    let too_many = Reject::TooManyMembers {
        limit: limits.max_archive_members,
    };
    let mut reader = BufReader::new(file);
    match zip_count::declared_entries(&mut reader) {
        Ok(count) if count > limits.max_archive_members => return reject(sink, too_many),
        Ok(_) => {}
        Err(e) => return reject(sink, Reject::BadArchive(e.to_string())),
    }
    let mut zip = match ZipArchive::new(reader) {
        Ok(zip) => zip,
        Err(e) => return reject(sink, Reject::BadArchive(e.to_string())),
    };
    if zip.len() as u64 > limits.max_archive_members {
        return reject(sink, too_many);
    }
    let budget = Budget::new(limits.max_archive_expanded_bytes);
    for index in 0..zip.len() {
        // Decide from the name alone, so members we skip are never opened
        // (an encrypted photo is not worth a rejection).
        let Some(Ok(path)) = zip.name_for_index(index) else {
            continue;
        };
        let path = path.into_owned();
        let Some(kind) = member::text_kind(&path).filter(|_| !member::is_skipped(&path)) else {
            continue;
        };
        let member_name = format!("{name}!/{path}");
        read_entry(&mut zip, index, member_name, kind, &budget, limits, sink);
        if budget.over.get() {
            let limit = limits.max_archive_expanded_bytes;
            return reject(sink, Reject::ArchiveTooLarge { limit });
        }
    }
}

/// Reads one text member. The zip's own sizes are checked first; the read
/// is metered anyway because headers can lie.
fn read_entry<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    index: usize,
    name: String,
    kind: member::TextKind,
    budget: &Budget,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) {
    let mut entry = match zip.by_index(index) {
        Ok(entry) => entry,
        Err(e) => {
            // Encrypted, or compressed with a method we do not build in.
            sink(Event::FileRead);
            sink(Event::Rejected {
                name,
                reason: Reject::BadArchive(e.to_string()),
            });
            return;
        }
    };
    if !entry.is_file() {
        return;
    }
    let compressed_size = entry.compressed_size();
    let compressed = || compressed_size;
    let member = Member {
        name,
        kind,
        declared: entry.size(),
        declared_compressed: Some(compressed_size),
        compressed: Some(&compressed),
    };
    let mut reader = Tally {
        inner: &mut entry,
        budget,
    };
    match member::read_member(&mut reader, &member, limits, sink) {
        // Past the archive's total: the walker rejects the archive itself.
        Outcome::Broken(_) if budget.over.get() => {}
        Outcome::Broken(e) => {
            let reason = Reject::BadArchive(e.to_string());
            sink(Event::Rejected {
                name: member.name,
                reason,
            });
        }
        Outcome::Done => {}
    }
}
