//! How the index folder's files are read: mapped (tantivy's own
//! `MmapDirectory`, for `serve`), or copied with `pread` for the batch
//! commands (`import`, `reindex`, `relate`, …: `store::FileReads`).
//!
//! Mapped, every page of a segment that a merge reads stays in the
//! process's resident set until the segment is dropped: a 100k import's
//! peak RSS was over 2 GiB, most of it the index's files (issue 15 bounds
//! an import at 1 GiB whatever the archive's size). Copied, a read costs a
//! buffer only while tantivy holds it; the rest stays in the kernel's file
//! cache, shared and reclaimable, and counts in no process. `serve` keeps
//! the map: its searches read the same small postings over and over, where
//! a copy per read would cost.
//!
//! Only reading changes: writing, deleting, locking and watching are
//! tantivy's own `MmapDirectory`'s.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::HasLen;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

use super::{Result, TantivyError};
use crate::store::FileReads;

/// The folder `dir`, its files mapped or copied as `reads` says.
pub fn directory(dir: &Path, reads: FileReads) -> Result<Box<dyn Directory>> {
    Ok(match reads {
        FileReads::Mapped => Box::new(MmapDirectory::open(dir).map_err(TantivyError::from)?),
        FileReads::Copied => Box::new(CopiedDirectory::open(dir).map_err(TantivyError::from)?),
    })
}

/// An index folder whose files are read with `pread`.
#[derive(Clone, Debug)]
pub struct CopiedDirectory {
    root: PathBuf,
    files: MmapDirectory,
}

impl CopiedDirectory {
    /// The folder `root`, which must exist.
    pub fn open(root: &Path) -> Result<CopiedDirectory, OpenDirectoryError> {
        Ok(CopiedDirectory {
            root: root.to_owned(),
            files: MmapDirectory::open(root)?,
        })
    }
}

/// Bytes read at once for a small read, kept for the reads after it.
/// A merge reads every term's postings and positions one after the other,
/// each a few hundred bytes: one `pread` per term was a quarter of the
/// merge thread's time in a late import (README, "Where the late import's
/// time goes"). What a read returns is copied out of the block, so no
/// block outlives its turn (tantivy keeps some small reads for as long as
/// a segment is open): at most one block per open file.
const READ_AHEAD: usize = 64 * 1024;

/// One open file of the folder; its length is fixed (tantivy writes a
/// file once, before anyone reads it). tantivy-common's `WrapFile` reads
/// with `pread` too (a read each time) but is not re-exported by tantivy
/// and refuses an empty range, which tantivy asks of an empty file or
/// slice.
#[derive(Debug)]
struct CopiedFile {
    file: File,
    len: usize,
    /// The last block read ahead, and where in the file it starts.
    ahead: Mutex<Option<(usize, OwnedBytes)>>,
}

impl CopiedFile {
    fn read(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let mut bytes = vec![0; range.len()];
        self.file.read_exact_at(&mut bytes, range.start as u64)?;
        Ok(OwnedBytes::new(bytes))
    }
}

impl HasLen for CopiedFile {
    fn len(&self) -> usize {
        self.len
    }
}

fn copy_of(bytes: &[u8]) -> OwnedBytes {
    OwnedBytes::new(bytes.to_vec())
}

impl FileHandle for CopiedFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        if range.len() >= READ_AHEAD / 2 || range.end > self.len {
            return self.read(range);
        }
        // Held across the read: in a batch command one merge reads a
        // segment's file at a time, so its readers do not wait on it.
        let mut ahead = self.ahead.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((start, block)) = ahead.as_ref()
            && range.start >= *start
            && range.end <= start + block.len()
        {
            return Ok(copy_of(&block[range.start - start..range.end - start]));
        }
        let block = self.read(range.start..self.len.min(range.start + READ_AHEAD))?;
        let bytes = copy_of(&block[..range.len()]);
        *ahead = Some((range.start, block));
        Ok(bytes)
    }
}

impl Directory for CopiedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let opened = File::open(&full).and_then(|file| {
            let len = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
            Ok(CopiedFile {
                file,
                len,
                ahead: Mutex::new(None),
            })
        });
        match opened {
            Ok(file) => Ok(Arc::new(file)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                Err(OpenReadError::FileDoesNotExist(path.to_owned()))
            }
            Err(err) => Err(OpenReadError::wrap_io_error(err, full)),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.files.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.files.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.files.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.files.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.files.atomic_write(path, data)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.files.acquire_lock(lock)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.files.sync_directory()
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.files.watch(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term};

    /// Lines of this process's memory map that name a file under `dir`.
    fn mapped_under(dir: &Path) -> usize {
        let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
        let dir = dir.to_str().expect("utf-8 path");
        maps.lines().filter(|line| line.contains(dir)).count()
    }

    /// Writes, merges and searches an index in `dir` through `directory`,
    /// returning the matches of one word, with the reader still open.
    fn index_and_search(directory: Box<dyn Directory>) -> (usize, tantivy::IndexReader) {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let index = Index::open_or_create(directory, schema.build()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for batch in 0..3 {
            for n in 0..200 {
                let mut doc = TantivyDocument::default();
                doc.add_text(word, if n % 4 == batch { "سد" } else { "نهر" });
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        let segments = index.searchable_segment_ids().unwrap();
        writer.merge(&segments).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        let reader = index.reader().unwrap();
        let query = TermQuery::new(Term::from_field_text(word, "سد"), IndexRecordOption::Basic);
        let found = reader.searcher().search(&query, &Count).unwrap();
        (found, reader)
    }

    #[test]
    fn copied_reads_find_what_mapped_reads_find_without_mapping_the_files() {
        let copied = tempfile::tempdir().unwrap();
        let (found, reader) =
            index_and_search(Box::new(CopiedDirectory::open(copied.path()).unwrap()));
        assert_eq!(found, 150);
        assert_eq!(reader.searcher().segment_readers().len(), 1, "merged");
        assert_eq!(mapped_under(copied.path()), 0, "no index file is mapped");

        let mapped = tempfile::tempdir().unwrap();
        let (found, _reader) =
            index_and_search(Box::new(MmapDirectory::open(mapped.path()).unwrap()));
        assert_eq!(found, 150);
        assert!(mapped_under(mapped.path()) > 0, "the check sees maps");
    }

    #[test]
    fn reads_ahead_give_the_bytes_asked_for_and_serve_the_reads_inside_a_block() {
        let dir = tempfile::tempdir().unwrap();
        let content: Vec<u8> = (0..200_000u32).map(|n| (n % 251) as u8).collect();
        std::fs::write(dir.path().join("segment"), &content).unwrap();
        let directory = CopiedDirectory::open(dir.path()).unwrap();
        let file = directory.get_file_handle(Path::new("segment")).unwrap();
        // Small reads one after another (as a merge reads postings), one
        // across a block's end, one up to the file's end, one large.
        let mut ranges: Vec<Range<usize>> = (0..400).map(|n| n * 300..n * 300 + 250).collect();
        ranges.extend([65_500..65_600, 199_990..200_000, 10..150_000, 5..9]);
        for range in ranges {
            let bytes = file.read_bytes(range.clone()).unwrap();
            assert_eq!(bytes.as_slice(), &content[range.clone()], "{range:?}");
        }
        // The block read for a small read serves the reads inside it
        // (tantivy's files never change; this one does, to tell them apart).
        let path = dir.path().join("changing");
        std::fs::write(&path, vec![0u8; 200_000]).unwrap();
        let changing = directory.get_file_handle(Path::new("changing")).unwrap();
        assert_eq!(changing.read_bytes(0..10).unwrap().as_slice(), &[0; 10]);
        std::fs::write(&path, vec![1u8; 200_000]).unwrap();
        assert_eq!(changing.read_bytes(100..110).unwrap().as_slice(), &[0; 10]);
        assert_eq!(
            changing.read_bytes(70_000..70_010).unwrap().as_slice(),
            &[1; 10]
        );
        assert!(file.read_bytes(199_990..200_001).is_err(), "past the end");
    }

    #[test]
    fn an_empty_range_reads_as_no_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("empty"), b"").unwrap();
        std::fs::write(dir.path().join("some"), "سد".as_bytes()).unwrap();
        let directory = CopiedDirectory::open(dir.path()).unwrap();
        let empty = directory.get_file_handle(Path::new("empty")).unwrap();
        assert_eq!(empty.len(), 0);
        assert!(empty.read_bytes(0..0).unwrap().is_empty());
        let some = directory.get_file_handle(Path::new("some")).unwrap();
        assert_eq!(some.read_bytes(2..4).unwrap().as_slice(), "د".as_bytes());
        assert!(matches!(
            directory.get_file_handle(Path::new("missing")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}
