//! URL slugs that keep Arabic letters as written (zola's "safe" strategy): only marks,
//! tatweel and invisible characters go, every other non-alphanumeric run becomes `-`.
//! The permalink's id is authoritative, so the slug only has to be readable and stable.

use unicode_general_category::{GeneralCategory as Gc, get_general_category};
use unicode_normalization::UnicodeNormalization;

/// Longest slug in characters; longer titles are cut at a word boundary.
const MAX_CHARS: usize = 60;

/// Slug of an article title, e.g. `زعيم كوريا الشمالية: دعم` → `زعيم-كوريا-الشمالية-دعم`.
pub fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_dash = false;
    // NFKC first so decomposed أ keeps its hamza and presentation forms become letters;
    // it never folds one base letter into another (أ stays أ).
    for c in title.nfkc() {
        match slug_class(c) {
            SlugClass::Drop => {}
            SlugClass::Keep => {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                // İ lowercases to i + U+0307; the mark is dropped like any other.
                out.extend(c.to_lowercase().filter(|l| !is_mark(*l)));
            }
            SlugClass::Dash => pending_dash = true,
        }
    }
    let cut = cut_at_word(&out, MAX_CHARS);
    if cut.is_empty() {
        "article".to_owned()
    } else {
        cut.to_owned()
    }
}

enum SlugClass {
    Drop,
    Keep,
    Dash,
}

fn slug_class(c: char) -> SlugClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            SlugClass::Keep
        } else {
            SlugClass::Dash
        };
    }
    if matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{0640}'
            | '\u{06E5}'
            | '\u{06E6}'
    ) {
        return SlugClass::Drop; // N5 and N7
    }
    match get_general_category(c) {
        Gc::NonspacingMark => SlugClass::Drop, // N6
        Gc::UppercaseLetter
        | Gc::LowercaseLetter
        | Gc::TitlecaseLetter
        | Gc::ModifierLetter
        | Gc::OtherLetter
        | Gc::DecimalNumber
        | Gc::LetterNumber
        | Gc::OtherNumber => SlugClass::Keep,
        _ => SlugClass::Dash,
    }
}

fn is_mark(c: char) -> bool {
    get_general_category(c) == Gc::NonspacingMark
}

/// `s` cut to at most `max` characters, at the last `-` when the cut falls inside a
/// word (a single overlong word is cut hard), with no dash left at the end.
fn cut_at_word(s: &str, max: usize) -> &str {
    let Some((byte_end, next)) = s.char_indices().nth(max) else {
        return s;
    };
    let head = &s[..byte_end];
    if next == '-' {
        return head.trim_end_matches('-');
    }
    match head.rfind('-') {
        Some(dash) if dash > 0 => &head[..dash],
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_arabic_letters_and_dashes_punctuation() {
        assert_eq!(
            slug("زعيم كوريا الشمالية: دعم غير مشروط"),
            "زعيم-كوريا-الشمالية-دعم-غير-مشروط"
        );
    }

    #[test]
    fn drops_harakat_and_tatweel_but_keeps_hamza_letters() {
        assert_eq!(slug("أَعلنَ الرئيـــس"), "أعلن-الرئيس");
        assert_eq!(slug("ا\u{0654}حمد"), "أحمد");
    }

    #[test]
    fn lowercases_latin_and_trims_dashes() {
        assert_eq!(slug("  «COVID-19» Update! "), "covid-19-update");
    }

    #[test]
    fn joins_at_zwnj_instead_of_splitting() {
        assert_eq!(slug("عاص\u{200C}مة"), "عاصمة");
    }

    #[test]
    fn empty_or_symbol_only_title_becomes_article() {
        assert_eq!(slug(""), "article");
        assert_eq!(slug("؟!… ـــ"), "article");
    }

    #[test]
    fn long_title_is_cut_at_a_word_boundary() {
        let title = "كلمة ".repeat(30);
        let s = slug(&title);
        assert!(s.chars().count() <= MAX_CHARS);
        assert!(s.ends_with("كلمة"));
        let one_word = "ب".repeat(100);
        assert_eq!(slug(&one_word).chars().count(), MAX_CHARS);
    }
}
