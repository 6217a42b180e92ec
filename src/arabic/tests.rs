//! The analyzer's unit tests: the behaviours of this module below, then
//! Lucene's own cases (`lucene`), the spec's test vectors (`vectors`) and
//! property tests (`props`).

mod lucene;
mod props;
mod vectors;

use super::*;

#[test]
fn every_token_has_its_norm_and_its_stem() {
    let tokens = analyze("قال الرئيسُ: «الحكومة» ستعلن ﷺ ٢٠٢٤");
    let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    let stems: Vec<&str> = tokens.iter().map(|t| t.stem.as_str()).collect();
    assert_eq!(
        norms.join(" "),
        "قال الرئيس الحكومه ستعلن صلي الله عليه وسلم 2024"
    );
    assert_eq!(stems.join(" "), "قال رئيس حكوم ستعلن صل الله عل سلم 2024");
}

#[test]
fn empty_and_separator_only_text_has_no_tokens() {
    assert!(analyze("").is_empty());
    assert!(analyze(" ، ؟ ـــ ").is_empty());
    assert_eq!(normalize("\u{200F}"), "");
}

#[test]
fn d3_row1_offsets_match_the_spec() {
    let text = "وقال الرَّئِيسُ المصريّ إنّ المؤتمرَ ناجحٌ";
    let chars: Vec<(usize, usize)> = analyze(text)
        .iter()
        .map(|t| {
            (
                text[..t.start].chars().count(),
                text[..t.end].chars().count(),
            )
        })
        .collect();
    assert_eq!(
        chars,
        vec![(0, 4), (5, 15), (16, 23), (24, 27), (28, 36), (37, 42)]
    );
}

#[test]
fn normalize_words_agrees_with_normalize() {
    let text = "أعلنت المستشفياتُ امتلاءَها";
    assert_eq!(normalize_words(text).join(" "), normalize(text));
}
