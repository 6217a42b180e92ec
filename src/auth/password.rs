//! The admin password: argon2id hashes in PHC form, and a generated
//! password for archives that never got one.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Shortest password `admin set-password` accepts.
pub const MIN_LEN: usize = 10;

/// Hashes `password` with argon2id and a random salt. CPU-heavy (tens of
/// milliseconds on purpose): call it off the async workers.
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored PHC hash (false for a malformed one).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// [`verify`] working in `memory` (grown to the hash's size when needed)
/// instead of a fresh 19 MiB for every call: allocated and freed once per
/// attempt, those blocks fragment the allocator's heap, and a server's
/// memory grew by about that much with every sign-in attempt.
pub fn verify_in(password: &str, stored: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(hash.algorithm.as_str()),
        Params::try_from(&hash),
    ) else {
        return false;
    };
    let Ok(version) = hash
        .version
        .map_or(Ok(Version::default()), Version::try_from)
    else {
        return false;
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
    let mut computed = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut computed,
            &mut memory[..blocks],
        )
        .is_ok()
        && same_bytes(&computed, expected.as_bytes())
}

/// Compares in time independent of where the bytes differ.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new random password: 20 characters from an alphabet without look-alikes.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::fill(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_hashed_password() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterx", &stored));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn verifying_in_reused_memory_agrees_with_verify() {
        let stored = hash("correct horse battery").unwrap();
        let mut memory = Vec::new();
        for _ in 0..2 {
            assert!(verify_in("correct horse battery", &stored, &mut memory));
            assert!(!verify_in("correct horse batterx", &stored, &mut memory));
        }
        assert!(!verify_in("anything", "not a hash", &mut memory));
        assert_eq!(memory.len(), Params::DEFAULT_M_COST as usize);
    }

    #[test]
    fn generates_distinct_readable_passwords() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() && !"0O1lI".contains(c))
        );
    }
}
