//! The Arabic thesaurus a rewrite swaps words from: one-word synonym
//! groups extracted from Debian's `mythes-ar` (LibreOffice's thesaurus),
//! committed as `tests/data/related/thesaurus/synonyms_ar.tsv` so that the
//! set does not depend on a system package (see the LICENSE beside it).

use std::collections::HashMap;

use crate::synth::Rng;

/// The extracted thesaurus (headword, then its synonyms, tab-separated).
pub const SYNONYMS_AR: &str =
    include_str!("../../../../../tests/data/related/thesaurus/synonyms_ar.tsv");

/// Headwords and their synonyms.
#[derive(Debug, Default)]
pub struct Thesaurus {
    heads: Vec<String>,
    synonyms: HashMap<String, Vec<String>>,
}

impl Thesaurus {
    /// Reads the table; `#` starts a comment line.
    pub fn parse(tsv: &str) -> Thesaurus {
        let mut t = Thesaurus::default();
        for line in tsv.lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split('\t').map(str::trim).filter(|w| !w.is_empty());
            let Some(head) = words.next() else { continue };
            let others: Vec<String> = words.map(str::to_owned).collect();
            if !others.is_empty() && !t.synonyms.contains_key(head) {
                t.heads.push(head.to_owned());
                t.synonyms.insert(head.to_owned(), others);
            }
        }
        t
    }

    /// The shipped table.
    pub fn shipped() -> &'static Thesaurus {
        static SHIPPED: std::sync::OnceLock<Thesaurus> = std::sync::OnceLock::new();
        SHIPPED.get_or_init(|| Thesaurus::parse(SYNONYMS_AR))
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// A headword at random (every headword has a synonym).
    pub fn head(&self, rng: &mut Rng) -> &str {
        &self.heads[rng.below(self.heads.len() as u64) as usize]
    }

    /// A synonym of `word`, if the thesaurus knows it.
    pub fn swap(&self, word: &str, rng: &mut Rng) -> Option<&str> {
        let others = self.synonyms.get(word)?;
        Some(&others[rng.below(others.len() as u64) as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_thesaurus_has_thousands_of_groups_and_swaps_to_another_word() {
        let t = Thesaurus::shipped();
        assert!(t.len() > 4000, "{}", t.len());
        let mut rng = Rng::new(9);
        for _ in 0..200 {
            let head = t.head(&mut rng).to_owned();
            let other = t.swap(&head, &mut rng).expect("a headword has synonyms");
            assert_ne!(other, head);
        }
        assert_eq!(t.swap("ليست-كلمة", &mut rng), None);
    }

    #[test]
    fn comments_and_lone_words_are_skipped() {
        let t = Thesaurus::parse("# c\nقال\tأكد\tذكر\nوحيد\n");
        assert_eq!(t.len(), 1);
        assert!(["أكد", "ذكر"].contains(&t.swap("قال", &mut Rng::new(1)).unwrap()));
    }
}
