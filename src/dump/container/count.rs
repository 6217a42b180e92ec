//! Counting what an upload holds without expanding it, so progress can
//! show a total early: a zip's directory is read, a tar's headers are
//! stepped over; page and JSONL files count one each.

use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::path::Path;

use zip::ZipArchive;

use super::member::{self, TextKind, is_hidden_component};
use super::{UploadKind, upload_kind};

/// The `FileRead` events walking `path` (a file or folder) will give.
pub fn count_path(path: &Path) -> u64 {
    let Ok(meta) = fs::metadata(path) else {
        return 0;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if meta.is_dir() {
        count_dir(path)
    } else {
        count_file(path, &name)
    }
}

/// The `FileRead` events walking one file saved under `display_name` gives.
pub fn count_file(path: &Path, display_name: &str) -> u64 {
    let open = || File::open(path).map(BufReader::new);
    match upload_kind(display_name) {
        UploadKind::Text(TextKind::Warc) => open().map_or(0, |f| count_warc(Box::new(f))),
        UploadKind::Text(_) => 1,
        UploadKind::Unsupported => 0,
        UploadKind::Zip => open()
            .ok()
            .and_then(|f| ZipArchive::new(f).ok())
            .map_or(0, |zip| {
                zip.file_names()
                    .filter_map(Result::ok)
                    .filter(|n| is_text_member(n))
                    .count() as u64
            }),
        UploadKind::Tar => open().map_or(0, count_tar),
        UploadKind::TarGz => open().map_or(0, |f| count_tar(flate2::read::GzDecoder::new(f))),
    }
}

/// The pages of a WARC (each counts as a file read), by reading it once
/// without keeping anything.
fn count_warc(reader: Box<dyn Read>) -> u64 {
    let mut pages = 0;
    let limits = crate::dump::Limits::default();
    crate::dump::warc::walk(reader, None, "", &limits, &mut |e| {
        pages += u64::from(e == super::Event::FileRead);
    });
    pages
}

fn is_text_member(path: &str) -> bool {
    member::text_kind(path).is_some() && !member::is_skipped(path)
}

fn count_tar(reader: impl Read) -> u64 {
    let mut archive = tar::Archive::new(reader);
    let Ok(entries) = archive.entries() else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.header().entry_type().is_file())
        .filter(|e| is_text_member(&String::from_utf8_lossy(&e.path_bytes())))
        .count() as u64
}

fn count_dir(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| !is_hidden_component(&e.file_name().to_string_lossy()))
        .map(|e| {
            let path = e.path();
            if path.is_dir() && !e.file_type().is_ok_and(|t| t.is_symlink()) {
                count_dir(&path)
            } else {
                count_file(&path, &e.file_name().to_string_lossy())
            }
        })
        .sum()
}
