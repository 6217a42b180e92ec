//! The words and tokens of a written date: month names of every Arab region
//! and English, weekday names, and the tokenizer that turns a date string
//! into numbers, normalized words and symbols.

use std::sync::LazyLock;

use crate::arabic;

/// One piece of a date string. Words are Arabic-normalized and lowercased,
/// numbers are read from ASCII, Arabic-Indic or Extended Arabic-Indic digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// The value and how many digits were written (`07` has two).
    Num(u32, usize),
    Word(String),
    Sym(char),
}

/// Splits a date string into tokens. Whitespace and invisible marks (bidi
/// marks are common around Arabic dates) only separate.
pub(super) fn tokenize(raw: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = raw.chars().peekable();
    while let Some(&c) = chars.peek() {
        if let Some(d) = digit(c) {
            let (mut value, mut len) = (u32::from(d), 1);
            chars.next();
            while let Some(d) = chars.peek().and_then(|&c| digit(c)) {
                value = value.saturating_mul(10).saturating_add(u32::from(d));
                len += 1;
                chars.next();
            }
            toks.push(Tok::Num(value, len));
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_alphabetic() || is_mark(**c)) {
                word.push(c);
                chars.next();
            }
            let word = arabic::normalize(&word);
            if !word.is_empty() {
                toks.push(Tok::Word(word));
            }
        } else {
            chars.next();
            if !(c.is_whitespace() || is_mark(c)) {
                toks.push(Tok::Sym(c));
            }
        }
    }
    toks
}

fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '٠'..='٩' => Some((c as u32 - 0x660) as u8),
        '۰'..='۹' => Some((c as u32 - 0x6F0) as u8),
        _ => None,
    }
}

fn is_mark(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    matches!(get_general_category(c), G::NonspacingMark | G::Format)
}

/// Month names by number. Egyptian/Gulf, Levantine/Iraqi, Algerian/Tunisian,
/// Moroccan and English (full and abbreviated). Hamza, alef and ة/ه spelling
/// variants (إبريل/أبريل, يونية/يونيه) meet after normalization; variants
/// that differ in letters are listed.
const MONTHS: [&[&str]; 12] = [
    &[
        "يناير",
        "كانون الثاني",
        "كانون ثاني",
        "جانفي",
        "january",
        "jan",
    ],
    &["فبراير", "شباط", "فيفري", "february", "feb"],
    &["مارس", "آذار", "march", "mar"],
    &["أبريل", "ابريل", "نيسان", "أفريل", "april", "apr"],
    &["مايو", "أيار", "ماي", "may"],
    &["يونيو", "يونيه", "يونية", "حزيران", "جوان", "june", "jun"],
    &[
        "يوليو",
        "يوليه",
        "يولية",
        "تموز",
        "جويلية",
        "يوليوز",
        "july",
        "jul",
    ],
    &["أغسطس", "آب", "أوت", "غشت", "august", "aug"],
    &["سبتمبر", "أيلول", "شتنبر", "september", "sept", "sep"],
    &["أكتوبر", "تشرين الأول", "تشرين أول", "october", "oct"],
    &[
        "نوفمبر",
        "تشرين الثاني",
        "تشرين ثاني",
        "نونبر",
        "november",
        "nov",
    ],
    &[
        "ديسمبر",
        "كانون الأول",
        "كانون أول",
        "دجنبر",
        "december",
        "dec",
    ],
];

/// Day names, Arabic with and without the article, and English.
const WEEKDAYS: &[&str] = &[
    "الأحد",
    "أحد",
    "الإثنين",
    "الاثنين",
    "اثنين",
    "الثلاثاء",
    "ثلاثاء",
    "الأربعاء",
    "أربعاء",
    "الخميس",
    "خميس",
    "الجمعة",
    "جمعة",
    "السبت",
    "سبت",
    "sunday",
    "sun",
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
];

/// Month names as normalized word lists, longest first so that
/// `كانون الثاني` is tried before any one-word name.
static MONTH_WORDS: LazyLock<Vec<(Vec<String>, u8)>> = LazyLock::new(|| {
    let mut names: Vec<(Vec<String>, u8)> = MONTHS
        .iter()
        .zip(1..)
        .flat_map(|(names, n)| {
            names
                .iter()
                .map(move |name| (arabic::normalize_words(name), n))
        })
        .collect();
    names.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
    names
});

static WEEKDAY_WORDS: LazyLock<Vec<String>> =
    LazyLock::new(|| WEEKDAYS.iter().map(|w| arabic::normalize(w)).collect());

/// The month named at the start of `toks`: its number and how many tokens
/// the name used.
pub(super) fn month_at(toks: &[Tok]) -> Option<(u8, usize)> {
    MONTH_WORDS.iter().find_map(|(words, n)| {
        let matches = words.len() <= toks.len()
            && words
                .iter()
                .zip(toks)
                .all(|(w, t)| matches!(t, Tok::Word(x) if x == w));
        matches.then_some((*n, words.len()))
    })
}

pub(super) fn is_weekday(word: &str) -> bool {
    WEEKDAY_WORDS.iter().any(|w| w == word)
}

/// Normalized forms of the Arabic words the grammar uses, so that it
/// compares like with like whatever `crate::arabic` folds.
pub(super) fn norm(word: &str) -> String {
    arabic::normalize(word)
}
