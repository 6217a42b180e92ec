//! Session and API tokens: 256 random bits shown once, stored only as a
//! sha256 hash (a token is already unguessable, so a fast hash is enough).

use sha2::{Digest, Sha256};

/// A new random token as 64 hex characters.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database keeps of a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Compares two secrets in time independent of where they differ, so a
/// CSRF token cannot be guessed byte by byte from response times.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let t = generate();
        assert_eq!(t.len(), 64);
        assert_ne!(t, generate());
        assert_eq!(hash(&t), hash(&t));
        assert_ne!(hash(&t), hash(&generate()));
    }

    #[test]
    fn compares_secrets_exactly() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
