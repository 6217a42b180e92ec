//! Property tests: normalization is idempotent, token ranges land on character and
//! combining-sequence boundaries of the original, analyzed words are the normalized
//! text, and no public
//! function panics on any string — arbitrary Unicode or an Arabic-heavy mix with lone
//! marks, ligatures (U+FDFA, U+FDFD), presentation forms and invisible characters.

use proptest::prelude::*;
use unicode_normalization::char::canonical_combining_class;

use crate::arabic::{QueryTerms, analyze, highlight, normalize, slug, snippet};

/// Characters that stress the analyzer: Arabic letters and marks, hamza carriers and
/// their decomposed marks, tatweel, Persian letters, digits, punctuation, bidi and
/// joiner controls, ligatures and presentation forms, and a little Latin.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('\u{0621}', '\u{064A}'),
        3 => prop::char::range('\u{064B}', '\u{065F}'),
        1 => prop::char::range('\u{0660}', '\u{06FF}'),
        1 => prop::char::range('\u{08A0}', '\u{08FF}'),
        1 => prop::char::range('\u{FB50}', '\u{FDFF}'),
        1 => prop::char::range('\u{FE70}', '\u{FEFF}'),
        1 => prop::sample::select(vec![
            '\u{0670}', '\u{0640}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{061C}',
            '\u{2067}', '\u{2069}', '\u{FEFF}', '\u{00AD}', '\u{FDFA}', '\u{FDFD}', '\u{FDF2}',
            '\u{0301}', '\u{0307}', '\u{0130}', 'İ', 'ß', 'Ω', '\u{212A}', ' ', '\n', '،', '؟',
            '«', '»', '&', '<', '>', '"', '\'', '-', '.', '\u{3000}', '\u{FF21}',
        ]),
        2 => prop::char::range('a', 'z'),
        1 => prop::char::range('A', 'Z'),
        2 => Just(' '),
    ]
}

fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..60).prop_map(|cs| cs.into_iter().collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky_text()]
}

/// Byte offsets where a combining sequence of `text` starts, plus the end.
fn sequence_boundaries(text: &str) -> Vec<usize> {
    let mut cuts: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| i == 0 || canonical_combining_class(c) == 0)
        .map(|(i, _)| i)
        .collect();
    cuts.push(text.len());
    cuts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalization_is_idempotent(text in any_text()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
    }

    #[test]
    fn token_ranges_lie_on_sequence_boundaries(text in any_text()) {
        let cuts = sequence_boundaries(&text);
        for token in analyze(&text) {
            prop_assert!(token.start < token.end);
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            prop_assert!(cuts.binary_search(&token.start).is_ok(), "start {}", token.start);
            prop_assert!(cuts.binary_search(&token.end).is_ok(), "end {}", token.end);
            prop_assert!(!token.norm.is_empty() && !token.stem.is_empty());
        }
    }

    #[test]
    fn analyzed_norms_are_the_normalized_text(text in any_text()) {
        let norms: Vec<String> = analyze(&text).into_iter().map(|t| t.norm).collect();
        prop_assert_eq!(norms.join(" "), normalize(&text));
    }

    #[test]
    fn public_functions_never_panic(text in any_text(), query in any_text(), max in 0usize..120) {
        let terms = QueryTerms::from_query(&query);
        let marked = highlight(&text, &terms);
        let cut = snippet(&text, &terms, max);
        let s = slug(&text);
        prop_assert!(!s.is_empty() && !s.starts_with('-') && !s.ends_with('-'));
        prop_assert_eq!(marked.matches("<mark>").count(), marked.matches("</mark>").count());
        prop_assert_eq!(cut.matches("<mark>").count(), cut.matches("</mark>").count());
    }

    #[test]
    fn a_query_word_highlights_itself(text in tricky_text()) {
        let terms = QueryTerms::from_query(&text);
        let marked = highlight(&text, &terms);
        let unmarked = marked.replace("<mark>", "").replace("</mark>", "");
        prop_assert_eq!(unmarked.matches("<").count() , 0);
        prop_assert_eq!(analyze(&text).is_empty(), !marked.contains("<mark>"));
    }
}
