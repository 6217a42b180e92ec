//! Arabic stopwords for the similarity vectors only (spec §b Stopwords); the FTS columns
//! keep every word. Lucene applies this list before normalization; we pass each entry
//! through N1–N8 instead, so both spellings (أن/ان, إلى/الى) are caught.

use std::collections::HashSet;
use std::sync::OnceLock;

// The list below is Lucene's
// lucene/analysis/common/src/resources/org/apache/lucene/analysis/ar/stopwords.txt,
// reproduced with its header:
//
// # This file was created by Jacques Savoy and is distributed under the BSD license.
// # See http://members.unine.ch/jacques.savoy/clef/index.html.
// # Also see http://www.opensource.org/licenses/bsd-license.html
// # Cleaned on October 11, 2009 (not normalized, so use before normalization)
// # This means that when modifying this list, you might need to add some
// # redundant entries, for example containing forms with both أ and ا
const SAVOY_LIST: &[&str] = &[
    "من",
    "ومن",
    "منها",
    "منه",
    "في",
    "وفي",
    "فيها",
    "فيه",
    "و",
    "ف",
    "ثم",
    "او",
    "أو",
    "ب",
    "بها",
    "به",
    "ا",
    "أ",
    "اى",
    "اي",
    "أي",
    "أى",
    "لا",
    "ولا",
    "الا",
    "ألا",
    "إلا",
    "لكن",
    "ما",
    "وما",
    "كما",
    "فما",
    "عن",
    "مع",
    "اذا",
    "إذا",
    "ان",
    "أن",
    "إن",
    "انها",
    "أنها",
    "إنها",
    "انه",
    "أنه",
    "إنه",
    "بان",
    "بأن",
    "فان",
    "فأن",
    "وان",
    "وأن",
    "وإن",
    "التى",
    "التي",
    "الذى",
    "الذي",
    "الذين",
    "الى",
    "الي",
    "إلى",
    "إلي",
    "على",
    "عليها",
    "عليه",
    "اما",
    "أما",
    "إما",
    "ايضا",
    "أيضا",
    "كل",
    "وكل",
    "لم",
    "ولم",
    "لن",
    "ولن",
    "هى",
    "هي",
    "هو",
    "وهى",
    "وهي",
    "وهو",
    "فهى",
    "فهي",
    "فهو",
    "انت",
    "أنت",
    "لك",
    "لها",
    "له",
    "هذه",
    "هذا",
    "تلك",
    "ذلك",
    "هناك",
    "كانت",
    "كان",
    "يكون",
    "تكون",
    "وكانت",
    "وكان",
    "غير",
    "بعض",
    "قد",
    "نحو",
    "بين",
    "بينما",
    "منذ",
    "ضمن",
    "حيث",
    "الان",
    "الآن",
    "خلال",
    "بعد",
    "قبل",
    "حتى",
    "عند",
    "عندما",
    "لدى",
    "جميع",
];

/// True if the normalized token is one of Savoy's Arabic stopwords (normalized).
pub fn is_stopword(norm: &str) -> bool {
    normalized().contains(norm)
}

/// Savoy's Arabic stopwords, normalized (the search index pairs them with
/// their neighbours: `crate::search::index::common`).
pub fn stopwords() -> impl Iterator<Item = String> {
    normalized().iter().cloned()
}

fn normalized() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        SAVOY_LIST
            .iter()
            .map(|w| crate::arabic::normalize(w))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_has_all_of_savoys_entries() {
        assert_eq!(SAVOY_LIST.len(), 119);
    }

    #[test]
    fn both_hamza_spellings_are_stopwords_after_normalization() {
        assert!(is_stopword("ان"));
        assert!(is_stopword("الي"));
        assert!(is_stopword("علي"));
        assert!(is_stopword(&crate::arabic::normalize("إلى")));
    }

    #[test]
    fn content_words_are_not_stopwords() {
        assert!(!is_stopword("وزير"));
        assert!(!is_stopword(""));
    }
}
