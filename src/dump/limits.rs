//! Import limits: the numbers that keep reading an upload in bounded memory
//! and bounded work, whatever the upload holds (zip bombs included).

/// Ceilings applied while walking an upload (see `container`).
///
/// Every limit is checked before or while bytes are read, never after the
/// whole input is in memory. The defaults are generous for real news dumps
/// (a page is 5–100 KB of text) and keep one import well under 1 GiB of
/// memory: at most one page (`max_file_bytes`) or one JSONL line
/// (`max_line_bytes`) is held at a time, plus the text decoded from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest `.txt` page, as a file or as an archive member, in bytes.
    /// 64 MiB is ~600 times the longest real article; decoding keeps about
    /// three copies of a page at once, so the worst case stays near 200 MiB.
    pub max_file_bytes: u64,
    /// Longest JSONL line in bytes (one line holds one whole article).
    /// 8 MiB leaves room for a record carrying a full page and its related
    /// items while bounding what one line can make us hold.
    pub max_line_bytes: usize,
    /// Most entries (files, folders, skipped ones included) in one archive.
    /// 250 000 is a few years of a large site; it also bounds the memory
    /// the zip central directory takes (a few hundred bytes per entry).
    pub max_archive_members: u64,
    /// Most bytes one archive may expand to, all members together (for tar,
    /// the whole tar stream, skipped members included, since it must be
    /// decompressed to be walked). 8 GiB bounds the work, not the memory:
    /// nothing accumulates, but decompressing more than that is a minute of
    /// CPU spent on an upload that is almost certainly not a news dump.
    pub max_archive_expanded_bytes: u64,
    /// Highest expanded ÷ compressed ratio for one member once it has
    /// expanded past [`Limits::RATIO_FLOOR_BYTES`]. Text deflates 3–10:1
    /// (repetitive JSON maybe 20:1); a bomb of zeros is ~1000:1. 100:1
    /// sits far from both.
    pub max_expansion_ratio: u64,
}

impl Limits {
    /// The ratio check starts only past this many expanded bytes: small
    /// members (a page of repeated lines, an almost empty file) can have
    /// silly ratios and cost nothing.
    pub const RATIO_FLOOR_BYTES: u64 = 1 << 20;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 << 20,
            max_line_bytes: 8 << 20,
            max_archive_members: 250_000,
            max_archive_expanded_bytes: 8 << 30,
            max_expansion_ratio: 100,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_numbers() {
        let l = Limits::default();
        assert_eq!(l.max_file_bytes, 64 * 1024 * 1024);
        assert_eq!(l.max_line_bytes, 8 * 1024 * 1024);
        assert_eq!(l.max_archive_members, 250_000);
        assert_eq!(l.max_archive_expanded_bytes, 8 * 1024 * 1024 * 1024);
        assert_eq!(l.max_expansion_ratio, 100);
    }
}
