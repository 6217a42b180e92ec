//! How many entries a zip declares, read from its end records before the
//! zip crate loads the central directory, which it holds whole in memory
//! (a few hundred bytes per entry): a zip of millions of tiny entries is
//! refused before it can cost gigabytes.

use std::io::{self, Read, Seek, SeekFrom};

const EOCD: &[u8] = b"PK\x05\x06";
const LOCATOR: &[u8] = b"PK\x06\x07";
const EOCD64: &[u8] = b"PK\x06\x06";
/// The smallest central directory entry; no reader can load more entries
/// than the bytes before the end records can hold.
const MIN_ENTRY: u64 = 46;

/// The largest entry count that any end record the zip crate could pick
/// declares. Every end-of-central-directory signature in the last 64 KiB
/// (the comment limit) counts, since the crate falls back to earlier ones.
pub(super) fn declared_entries<R: Read + Seek>(file: &mut R) -> io::Result<u64> {
    let len = file.seek(SeekFrom::End(0))?;
    let start = len.saturating_sub(22 + 65_535 + 4);
    file.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    file.take(len - start).read_to_end(&mut tail)?;
    let mut most = 0u64;
    for at in (0..tail.len().saturating_sub(21)).filter(|&i| tail[i..].starts_with(EOCD)) {
        let this_disk = u16_at(&tail, at + 8);
        let total = u16_at(&tail, at + 10);
        most = most.max(u64::from(this_disk.max(total)));
        let maybe_zip64 = total == u16::MAX
            || u32_at(&tail, at + 12) == u32::MAX
            || u32_at(&tail, at + 16) == u32::MAX;
        if maybe_zip64 {
            most = most.max(zip64_entries(file, start + at as u64)?);
        }
    }
    Ok(most)
}

/// Entries declared by the zip64 record that the locator before the end
/// record at `eocd` points to. When that record cannot be read where the
/// locator says, the crate may search for another, so the bound becomes
/// what the bytes before the locator could hold at most.
fn zip64_entries<R: Read + Seek>(file: &mut R, eocd: u64) -> io::Result<u64> {
    let Some(locator_at) = eocd.checked_sub(20) else {
        return Ok(0);
    };
    let locator = read_at(file, locator_at, 20)?;
    if !locator.starts_with(LOCATOR) {
        return Ok(0); // the crate then keeps the 16-bit count
    }
    let record_at = u64_at(&locator, 8);
    let bound = locator_at / MIN_ENTRY;
    if record_at >= locator_at {
        return Ok(bound);
    }
    let record = read_at(file, record_at, 56)?;
    let ends_at_locator = record.len() == 56
        && u64_at(&record, 4)
            .checked_add(12)
            .and_then(|l| l.checked_add(record_at))
            == Some(locator_at);
    if !record.starts_with(EOCD64) || !ends_at_locator {
        return Ok(bound);
    }
    let (this_disk, total) = (u64_at(&record, 24), u64_at(&record, 32));
    let plausible = this_disk == total && total.saturating_mul(MIN_ENTRY) <= record_at;
    Ok(if plausible { total } else { bound })
}

fn read_at<R: Read + Seek>(file: &mut R, at: u64, len: u64) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(at))?;
    let mut buf = Vec::new();
    file.take(len).read_to_end(&mut buf)?;
    Ok(buf)
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes(s.try_into().unwrap()))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .map_or(0, |s| u64::from_le_bytes(s.try_into().unwrap()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_with(entries: usize) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..entries {
            writer.start_file(format!("{i}.txt"), options).unwrap();
            writer.write_all(b"x").unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn reads_the_declared_entry_count() {
        assert_eq!(declared_entries(&mut Cursor::new(zip_with(3))).unwrap(), 3);
    }

    #[test]
    fn counts_an_empty_zip_as_zero() {
        assert_eq!(declared_entries(&mut Cursor::new(zip_with(0))).unwrap(), 0);
    }

    #[test]
    fn takes_the_largest_count_of_several_end_records() {
        let mut bytes = zip_with(2);
        // A second, fake end record in the comment area claiming 60 000.
        let mut fake = b"PK\x05\x06\0\0\0\0".to_vec();
        fake.extend_from_slice(&60_000u16.to_le_bytes());
        fake.extend_from_slice(&60_000u16.to_le_bytes());
        fake.extend_from_slice(&[0; 10]);
        bytes.extend_from_slice(&fake);
        assert_eq!(declared_entries(&mut Cursor::new(bytes)).unwrap(), 60_000);
    }

    #[test]
    fn bounds_a_zip64_record_it_cannot_find_by_the_bytes_before_it() {
        let mut bytes = vec![0u8; 46 * 100_000];
        bytes.extend_from_slice(LOCATOR);
        bytes.extend_from_slice(&[0; 4]);
        bytes.extend_from_slice(&1u64.to_le_bytes()); // points at garbage
        bytes.extend_from_slice(&1u32.to_le_bytes());
        bytes.extend_from_slice(b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff");
        bytes.extend_from_slice(&[0; 10]);
        assert_eq!(declared_entries(&mut Cursor::new(bytes)).unwrap(), 100_000);
    }
}
