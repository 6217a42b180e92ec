//! The synonym table a rewrite swaps words from: groups of interchangeable
//! news words, one group a line (`tests/data/related/synonyms.tsv`).

use std::collections::HashMap;

use crate::synth::Rng;

/// Groups of interchangeable words (`tests/data/related/synonyms.tsv`).
#[derive(Debug, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    by_word: HashMap<String, usize>,
}

impl Synonyms {
    /// Reads tab-separated groups, one a line; `#` starts a comment line.
    pub fn parse(tsv: &str) -> Synonyms {
        let mut table = Synonyms::default();
        for line in tsv.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let group: Vec<String> = line.split('\t').map(|w| w.trim().to_owned()).collect();
            for word in &group {
                table.by_word.insert(word.clone(), table.groups.len());
            }
            table.groups.push(group);
        }
        table
    }

    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// Whether `word` has synonyms.
    pub fn has(&self, word: &str) -> bool {
        self.by_word.contains_key(word)
    }

    /// Another word of `word`'s group, if it has one.
    pub(super) fn swap(&self, word: &str, rng: &mut Rng) -> Option<&str> {
        let group = &self.groups[*self.by_word.get(word)?];
        let others: Vec<&String> = group.iter().filter(|w| *w != word).collect();
        Some(others[rng.below(others.len() as u64) as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonym_swap_never_returns_the_same_word() {
        let table = Synonyms::parse("# c\nقال\tأكد\tأوضح\n\nالحكومة\tالسلطات\n");
        let mut rng = Rng::new(1);
        for _ in 0..20 {
            assert_ne!(table.swap("قال", &mut rng), Some("قال"));
        }
        assert_eq!(table.swap("الحكومة", &mut rng), Some("السلطات"));
        assert_eq!(table.swap("كلمة", &mut rng), None);
        assert_eq!(table.groups().len(), 2);
    }

    #[test]
    fn the_shipped_table_puts_each_word_in_one_group() {
        let text = include_str!("../../../../../tests/data/related/synonyms.tsv");
        let table = Synonyms::parse(text);
        let words: usize = table.groups().iter().map(Vec::len).sum();
        assert_eq!(words, table.by_word.len());
        assert!(table.groups().len() >= 100);
        assert!(table.groups().iter().all(|g| g.len() >= 2));
    }
}
