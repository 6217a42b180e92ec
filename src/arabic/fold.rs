//! Per-character rules of the normalizer (spec §b N5–N8 and T): what one character,
//! already through NFKC (N3) and lowercasing (N4), becomes — deleted, folded into a
//! word character, kept as a word character, or a token separator.

use unicode_general_category::{GeneralCategory as Gc, get_general_category};

/// What one character contributes to the normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Deleted without splitting the word (N5 format characters, N6 marks, N7 tatweel).
    Drop,
    /// A token character (General_Category L*, N* or Co), after the N8 fold.
    Word(char),
    /// Anything else ends the current token (punctuation, spaces, symbols, Mc/Me marks).
    Sep,
}

/// True for the basic Arabic letter block U+0621–U+064A: every one has ccc 0 and is
/// NFKC-stable on its own, which is what lets the scanner skip NFKC for them.
#[inline]
pub(crate) fn is_basic_arabic(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

/// Marks that never take part in a canonical composition and are deleted anyway (N6):
/// harakat U+064B–U+0652, U+0656–U+065F and superscript alef U+0670. A basic letter
/// followed only by these normalizes to the letter alone, so no NFKC is needed.
/// U+0653–U+0655 are excluded on purpose: they compose with ا/و/ي into آ أ إ ؤ ئ.
#[inline]
pub(crate) fn is_inert_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}' | '\u{0656}'..='\u{065F}' | '\u{0670}')
}

/// Class of a character that is ASCII or a basic Arabic letter (the hot path).
#[inline]
pub(crate) fn class_fast(c: char) -> Class {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            Class::Word(c.to_ascii_lowercase())
        } else {
            Class::Sep
        }
    } else {
        match c {
            '\u{0640}' => Class::Drop, // N7 tatweel
            '\u{0622}' | '\u{0623}' | '\u{0625}' => Class::Word('\u{0627}'),
            '\u{0649}' => Class::Word('\u{064A}'),
            '\u{0629}' => Class::Word('\u{0647}'),
            _ => Class::Word(c), // all other U+0621–U+064A are letters (Lo)
        }
    }
}

/// Class of any character after NFKC and lowercasing.
pub(crate) fn class(c: char) -> Class {
    if c.is_ascii() || is_basic_arabic(c) {
        return class_fast(c);
    }
    if is_invisible_format(c) || matches!(c, '\u{06E5}' | '\u{06E6}') {
        return Class::Drop; // N5, and N7's Quranic small waw/yeh
    }
    if let Some(folded) = fold_outside_basic(c) {
        return Class::Word(folded);
    }
    match get_general_category(c) {
        Gc::NonspacingMark => Class::Drop, // N6
        Gc::UppercaseLetter
        | Gc::LowercaseLetter
        | Gc::TitlecaseLetter
        | Gc::ModifierLetter
        | Gc::OtherLetter
        | Gc::DecimalNumber
        | Gc::LetterNumber
        | Gc::OtherNumber
        | Gc::PrivateUse => Class::Word(c),
        _ => Class::Sep,
    }
}

/// N5: invisible format and bidi characters. Deleting them (rather than splitting)
/// joins ZWNJ/ZWJ halves, the UAX #29 WB4 reading.
#[inline]
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// N8 folds for letters outside U+0621–U+064A: alef wasla, Persian/Urdu letters, and
/// Arabic-Indic / Extended Arabic-Indic digits.
#[inline]
fn fold_outside_basic(c: char) -> Option<char> {
    let folded = match c {
        '\u{0671}' => '\u{0627}',
        '\u{06CC}' | '\u{06D2}' => '\u{064A}',
        '\u{06A9}' => '\u{0643}',
        '\u{06C0}' | '\u{06C1}' => '\u{0647}',
        '\u{0660}'..='\u{0669}' => digit(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => digit(c as u32 - 0x06F0),
        _ => return None,
    };
    Some(folded)
}

#[inline]
fn digit(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_alef_variants_yeh_and_teh_marbuta() {
        for c in ['آ', 'أ', 'إ', 'ٱ'] {
            assert_eq!(class(c), Class::Word('ا'));
        }
        assert_eq!(class('ى'), Class::Word('ي'));
        assert_eq!(class('ة'), Class::Word('ه'));
    }

    #[test]
    fn keeps_hamza_on_waw_and_yeh() {
        assert_eq!(class('ؤ'), Class::Word('ؤ'));
        assert_eq!(class('ئ'), Class::Word('ئ'));
        assert_eq!(class('ء'), Class::Word('ء'));
    }

    #[test]
    fn folds_both_arabic_digit_sets_to_ascii() {
        assert_eq!(class('٣'), Class::Word('3'));
        assert_eq!(class('۹'), Class::Word('9'));
    }

    #[test]
    fn drops_marks_tatweel_and_invisible_characters() {
        for c in [
            '\u{064E}', '\u{0670}', '\u{06DB}', 'ـ', '\u{200C}', '\u{200F}', '\u{FEFF}',
        ] {
            assert_eq!(class(c), Class::Drop, "{:04X}", c as u32);
        }
    }

    #[test]
    fn splits_on_arabic_punctuation() {
        for c in ['،', '؛', '؟', '٪', '٫', '«', ' '] {
            assert_eq!(class(c), Class::Sep);
        }
    }

    #[test]
    fn fast_path_agrees_with_full_classification() {
        let fast = (0u32..0x80)
            .chain(0x0621..=0x064A)
            .filter_map(char::from_u32);
        for c in fast {
            let full = match get_general_category(c) {
                Gc::DecimalNumber | Gc::LowercaseLetter | Gc::UppercaseLetter | Gc::OtherLetter => {
                    Class::Word(c.to_ascii_lowercase())
                }
                _ => Class::Sep,
            };
            match c {
                'ـ' | 'آ' | 'أ' | 'إ' | 'ى' | 'ة' => {}
                _ => assert_eq!(class_fast(c), full, "{:04X}", c as u32),
            }
        }
    }
}
