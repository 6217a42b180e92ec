//! Walking an upload: a `.txt` page, an `.html` page, a JSONL file, a WARC
//! file, a zip or tar archive, or (command line) a folder, yielding each document found, or why it was
//! refused, as an [`Event`]. Streams: one page or one JSONL line is in
//! memory at a time, and every read is capped by [`Limits`].
//!
//! Nothing is ever written to disk, so member names (`../x`, `/etc/x`,
//! `a\b`) are only labels here.

mod count;
mod lines;
mod member;
mod tar_walk;
mod zip_count;
mod zip_walk;

pub use count::{count_file, count_path};

use super::{Limits, Reject};
use member::{TextKind, read_capped};
use std::fs::{self, File};
use std::io::{self, BufReader};
use std::path::Path;

/// What the walker reports, in the order met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Bytes to decode and parse.
    Document(Document),
    /// A file, member, JSONL line or whole archive that will not be imported.
    Rejected { name: String, reason: Reject },
    /// One text file or archive member was opened (a JSONL file counts
    /// once): the import report's `files`. Comes before that file's
    /// documents or rejection. Archives themselves and uploads of an
    /// unsupported type are not counted.
    FileRead,
}

/// One unit of text found in an upload, not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where it came from: `dir/a.txt`, `x.zip!/a/b.txt`, `x.jsonl:3`.
    pub name: String,
    pub kind: DocKind,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// One `.txt` page, raw bytes, not yet decoded.
    Page,
    /// One `.html`/`.htm` page saved from a browser or a crawler.
    Html,
    /// One WARC record holding an HTML page (for a revisit: the revisit
    /// record, then the record it refers to).
    WarcRecord,
    /// One JSONL line (1-based), without its line end.
    JsonLine { line: usize },
}

/// What an upload is, by its name's extension (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UploadKind {
    Text(TextKind),
    Zip,
    Tar,
    TarGz,
    Unsupported,
}

fn upload_kind(name: &str) -> UploadKind {
    let lower = name.to_lowercase();
    if let Some(kind) = member::text_kind(&lower) {
        UploadKind::Text(kind)
    } else if lower.ends_with(".zip") {
        UploadKind::Zip
    } else if lower.ends_with(".tar") {
        UploadKind::Tar
    } else if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
        UploadKind::TarGz
    } else {
        UploadKind::Unsupported
    }
}

/// Walks a file or folder named on the command line. Names are relative to
/// the path given, starting with its last component (`dir/a.txt`).
///
/// Fails only when `path` itself cannot be read; problems inside it are
/// `Rejected` events.
pub fn walk_path(path: &Path, limits: &Limits, sink: &mut dyn FnMut(Event)) -> io::Result<()> {
    let meta = fs::metadata(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    if meta.is_dir() {
        walk_dir(path, name.as_deref(), limits, sink)
    } else {
        let name = name.unwrap_or_else(|| path.to_string_lossy().into_owned());
        walk_file(path, &name, limits, sink);
        Ok(())
    }
}

/// Walks one uploaded file stored at `path` under its original name; the
/// type comes from `display_name`, which also starts every reported name.
pub fn walk_file(path: &Path, display_name: &str, limits: &Limits, sink: &mut dyn FnMut(Event)) {
    let reject = |sink: &mut dyn FnMut(Event), reason| {
        sink(Event::Rejected {
            name: display_name.to_owned(),
            reason,
        });
    };
    let kind = upload_kind(display_name);
    if let UploadKind::Text(TextKind::Page | TextKind::Html | TextKind::Jsonl) = kind {
        sink(Event::FileRead);
    }
    let file = match kind {
        UploadKind::Unsupported => return reject(sink, Reject::Unsupported),
        _ => match File::open(path) {
            Ok(file) => file,
            Err(e) => return reject(sink, Reject::Io(e.to_string())),
        },
    };
    match kind {
        UploadKind::Text(TextKind::Page) => {
            read_page_file(file, display_name, DocKind::Page, limits, sink)
        }
        UploadKind::Text(TextKind::Html) => {
            read_page_file(file, display_name, DocKind::Html, limits, sink)
        }
        UploadKind::Text(TextKind::Warc) => {
            // WARC records are the documents: each page counts as a file read.
            let reopen = || File::open(path).map(|f| Box::new(f) as Box<dyn io::Read>);
            crate::dump::warc::walk(Box::new(file), Some(&reopen), display_name, limits, sink)
        }
        UploadKind::Text(TextKind::Jsonl) => {
            let mut reader = BufReader::with_capacity(64 << 10, file);
            if let Err(e) = lines::split(&mut reader, display_name, limits, sink) {
                reject(sink, Reject::Io(e.to_string()));
            }
        }
        UploadKind::Zip => zip_walk::walk(file, display_name, limits, sink),
        UploadKind::Tar => tar_walk::walk_tar(file, display_name, limits, sink),
        UploadKind::TarGz => tar_walk::walk_tar_gz(file, display_name, limits, sink),
        UploadKind::Unsupported => unreachable!("returned above"),
    }
}

/// A plain `.txt` or `.html` file: its size on disk is checked before
/// reading, and the read is capped anyway in case the file grows meanwhile.
fn read_page_file(
    file: File,
    name: &str,
    kind: DocKind,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) {
    let limit = limits.max_file_bytes;
    let read = file.metadata().and_then(|meta| {
        if meta.len() > limit {
            return Ok(Err(meta.len()));
        }
        let mut file = file;
        read_capped(&mut file, limit, meta.len()).map(|bytes| bytes.ok_or(limit + 1))
    });
    let event = match read {
        Ok(Ok(bytes)) => Event::Document(Document {
            name: name.to_owned(),
            kind,
            bytes,
        }),
        Ok(Err(size)) => Event::Rejected {
            name: name.to_owned(),
            reason: Reject::TooLarge { size, limit },
        },
        Err(e) => Event::Rejected {
            name: name.to_owned(),
            reason: Reject::Io(e.to_string()),
        },
    };
    sink(event);
}

/// A folder: every supported file inside, recursively, in name order so
/// two runs report alike. Dot-files, dot-folders and `__MACOSX` are
/// skipped; so are files of other types (a folder is not an upload).
/// Symlinked folders are not followed, which rules out cycles.
fn walk_dir(
    dir: &Path,
    name: Option<&str>,
    limits: &Limits,
    sink: &mut dyn FnMut(Event),
) -> io::Result<()> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if member::is_hidden_component(&file_name) {
            continue;
        }
        let child = match name {
            Some(name) => format!("{name}/{file_name}"),
            None => file_name,
        };
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if let Err(e) = walk_dir(&path, Some(&child), limits, sink) {
                sink(Event::Rejected {
                    name: child,
                    reason: Reject::Io(e.to_string()),
                });
            }
        } else if upload_kind(&child) != UploadKind::Unsupported && path.is_file() {
            walk_file(&path, &child, limits, sink);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
