//! MinHash signatures and LSH band keys: a fixed-size sketch of a shingle
//! set whose agreeing positions estimate the Jaccard similarity, and keys
//! under which two sketches that agree on a whole band meet in one bucket.
//! A retold story shares few shingles with its original (synonyms break
//! them), so the threshold is low and bands are short; see `mod.rs` for how
//! they were chosen.

use super::hash;

/// One signature value per permutation: the high 16 bits of the 32-bit
/// minimum. Two different minima agree by chance once in 65,536, which
/// moves a Jaccard estimate by nothing measurable, and halves the storage.
pub type Signature = Vec<u16>;

/// The permutations: fixed multipliers and offsets (multiply-shift hashing
/// over already mixed 64-bit shingle hashes). Stored signatures depend on
/// them, so they come from a fixed seed.
pub struct MinHasher {
    mult: Vec<u64>,
    add: Vec<u64>,
}

impl MinHasher {
    pub fn new(permutations: usize) -> MinHasher {
        let mut state = 0x6d69_6e68_6173_6821_u64;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            hash::mix(state)
        };
        let (mut mult, mut add) = (Vec::new(), Vec::new());
        for _ in 0..permutations {
            mult.push(next() | 1);
            add.push(next());
        }
        MinHasher { mult, add }
    }

    pub fn permutations(&self) -> usize {
        self.mult.len()
    }

    /// The signature of a shingle set (`u16::MAX` everywhere when empty).
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let mut mins = vec![u32::MAX; self.mult.len()];
        for &s in shingles {
            for (slot, (m, a)) in mins.iter_mut().zip(self.mult.iter().zip(&self.add)) {
                let v = (s.wrapping_mul(*m).wrapping_add(*a) >> 32) as u32;
                if v < *slot {
                    *slot = v;
                }
            }
        }
        mins.into_iter().map(|v| (v >> 16) as u16).collect()
    }
}

/// Share of positions where two signatures agree: the Jaccard estimate.
pub fn similarity(a: &[u16], b: &[u16]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / n as f64
}

/// The LSH keys of a signature: band `i` of `rows` values, hashed with its
/// band number so that equal values in different bands never meet. Keys
/// are 32 bits (SQLite stores them in 4 bytes); two different bands share
/// a key by chance once in 4 billion.
pub fn band_keys(sig: &[u16], bands: usize, rows: usize) -> Vec<i64> {
    (0..bands)
        .filter_map(|i| sig.get(i * rows..(i + 1) * rows))
        .enumerate()
        .map(|(i, band)| {
            let values = std::iter::once(i as u64).chain(band.iter().map(|&v| u64::from(v)));
            i64::from((hash::combine(values) >> 32) as u32 as i32)
        })
        .collect()
}

/// Signatures as stored: little-endian u16s.
pub fn to_bytes(sig: &[u16]) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn from_bytes(bytes: &[u8]) -> Signature {
    bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(hash::mix).collect()
    }

    #[test]
    fn agreeing_positions_estimate_jaccard() {
        let h = MinHasher::new(256);
        // |A ∩ B| = 50, |A ∪ B| = 150: J = 1/3.
        let (a, b) = (h.signature(&set(0..100)), h.signature(&set(50..150)));
        let estimate = similarity(&a, &b);
        assert!((estimate - 1.0 / 3.0).abs() < 0.08, "{estimate}");
        assert_eq!(similarity(&a, &a), 1.0);
    }

    #[test]
    fn equal_bands_give_equal_keys_and_band_numbers_keep_them_apart() {
        let sig = vec![7, 7, 7, 7];
        let keys = band_keys(&sig, 2, 2);
        assert_eq!(keys.len(), 2);
        assert_ne!(keys[0], keys[1]);
        assert_eq!(band_keys(&[7, 7, 9, 9], 2, 2)[0], keys[0]);
    }

    #[test]
    fn signatures_round_trip_through_bytes() {
        let sig = MinHasher::new(8).signature(&set(0..10));
        assert_eq!(from_bytes(&to_bytes(&sig)), sig);
    }
}
