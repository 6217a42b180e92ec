//! Walking a zip archive: every `.txt`/`.jsonl`/`.ndjson` member at any
//! depth, read in memory with caps; other members (archives inside
//! included) are passed over without being expanded.

use super::member::{self, Budget, Member, Outcome, Tally};
use super::{Event, zip_count};
use crate::dump::{Limits, Reject};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use zip::ZipArchive;
use zip::read::{ZipFile, ZipReadOptions, read_zipfile_from_stream_with_options};
use zip::result::{ZipError, ZipResult};

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
    let zip = match ZipArchive::new(reader) {
        Ok(zip) => zip,
        Err(e) => return reject(sink, Reject::BadArchive(e.to_string())),
    };
    if zip.len() as u64 > limits.max_archive_members {
        return reject(sink, too_many);
    }
    let listing = Listing::of(&zip);
    let mut reader = zip.into_inner();
    let budget = Budget::new(limits.max_archive_expanded_bytes);
    for (path, listed) in listing.members() {
        let member_name = format!("{name}!/{path}");
        read_entry(&mut reader, listed, member_name, &budget, limits, sink);
        if budget.over.get() {
            let limit = limits.max_archive_expanded_bytes;
            return reject(sink, Reject::ArchiveTooLarge { limit });
        }
    }
}

/// The text members to read, in the directory's order, with what reading
/// one from its local header needs. The zip crate's directory keeps a few
/// hundred bytes a member (every header field, the name twice, a map by
/// name) for as long as the archive is open: a million-page upload held
/// hundreds of MiB through its whole import. This keeps 40 bytes and the
/// path, and only for the members that will be read.
struct Listing {
    /// Every listed member's path, one after another.
    paths: String,
    members: Vec<Listed>,
}

struct Listed {
    /// Where its path ends in `Listing::paths`.
    path_end: usize,
    kind: member::TextKind,
    header_start: u64,
    compressed_size: u64,
    size: u64,
    crc32: u32,
}

impl Listing {
    /// The members worth reading. Decided from the name alone, so members
    /// we skip are never opened (an encrypted photo is not worth a
    /// rejection); folders and links are not files to read.
    fn of<R: Read + Seek>(zip: &ZipArchive<R>) -> Listing {
        let mut listing = Listing {
            paths: String::new(),
            members: Vec::new(),
        };
        for index in 0..zip.len() {
            let Ok(entry) = zip.by_index_data(index) else {
                continue;
            };
            let Ok(path) = entry.name() else {
                continue;
            };
            let Some(kind) = member::text_kind(&path).filter(|_| !member::is_skipped(&path)) else {
                continue;
            };
            if !entry.is_file() {
                continue;
            }
            listing.paths.push_str(&path);
            listing.members.push(Listed {
                path_end: listing.paths.len(),
                kind,
                header_start: entry.header_start(),
                compressed_size: entry.compressed_size(),
                size: entry.size(),
                crc32: entry.crc32(),
            });
        }
        listing.paths.shrink_to_fit();
        listing.members.shrink_to_fit();
        listing
    }

    /// Each listed member with its path, in the directory's order.
    fn members(&self) -> impl Iterator<Item = (&str, &Listed)> {
        let starts = std::iter::once(0).chain(self.members.iter().map(|m| m.path_end));
        starts
            .zip(&self.members)
            .map(|(start, listed)| (&self.paths[start..listed.path_end], listed))
    }
}

/// Opens a listed member where its local header starts. The sizes and the
/// checksum are the directory's, as the zip crate's own reading by index
/// takes them (a local header written before its data may not know them).
fn open_member<'r, R: Read + Seek>(
    reader: &'r mut R,
    listed: &Listed,
) -> ZipResult<ZipFile<'r, R>> {
    reader.seek(SeekFrom::Start(listed.header_start))?;
    let options = ZipReadOptions::new()
        .override_compressed_size(listed.compressed_size)
        .override_uncompressed_size(listed.size)
        .override_crc(listed.crc32);
    read_zipfile_from_stream_with_options(reader, options)?.ok_or_else(|| {
        ZipError::InvalidArchive("no local header where the directory points".into())
    })
}

/// Reads one text member. The zip's own sizes are checked first; the read
/// is metered anyway because headers can lie.
fn read_entry<R: Read + Seek>(
    reader: &mut R,
    listed: &Listed,
    name: String,
    budget: &Budget,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) {
    let mut entry = match open_member(reader, listed) {
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
    let compressed_size = listed.compressed_size;
    let compressed = || compressed_size;
    let member = Member {
        name,
        kind: listed.kind,
        declared: listed.size,
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
