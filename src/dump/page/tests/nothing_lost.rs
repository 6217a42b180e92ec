//! Property tests: the parser never panics, and nothing in a page is lost —
//! every non-blank line's content ends up in some field of the parse.

use proptest::prelude::*;

use crate::arabic;
use crate::dump::labels::{Label, match_label};
use crate::dump::page::parse_page;
use crate::dump::page::read_also::dateline;
use crate::dump::{Page, Reject};

/// News vocabulary with the spellings that trip parsers: hamza forms,
/// tanween, harakat, tatweel, quotes, digits of three kinds, label words.
const WORDS: &[&str] = &[
    "روسيا",
    "أوكرانيا",
    "الإجراءات",
    "كيم",
    "جونج",
    "أون",
    "موسكو",
    "الزعيم",
    "الكوري",
    "الشمالي",
    "وزير",
    "الخارجية",
    "لافروف",
    "قاسٍ",
    "برد",
    "اليوم",
    "الأحد",
    "مُحَمَّد",
    "الـــوزير",
    "إقرأ",
    "أيضاً",
    "المصدر",
    "تاريخ",
    "النشر",
    "كلمات",
    "2025",
    "١٣",
    "۱۴",
    "\"الدعم\"",
    "«الأهرام»",
    "(أ ف ب)",
    "،",
    "-",
    "سبوتنيك",
    "الثورة",
    "نت",
    "يوليو",
    "تموز",
    "GMT",
    "10:30",
    "م",
    "ص",
];
const ENDINGS: &[&str] = &["", "", ".", "؟", "،", ":", "”", "!", "…", " "];
const DATE_LABELS: &[&str] = &[
    "تاريخ النشر:",
    "نشر بتاريخ :",
    "نُشر في:",
    "بتاريخ:",
    "تاريـخ النشر :",
];
const SOURCE_LABELS: &[&str] = &["المصدر:", "المصدر :", "مصدر الخبر:", "المصـــدر:"];
const TAG_LABELS: &[&str] = &[
    "كلمات دلالية:",
    "الكلمات الدلالية :",
    "وسوم:",
    "الوسوم:",
    "كلمات مفتاحية:",
];
const READ_ALSO: &[&str] = &[
    "إقرأ أيضاً:",
    "اقرأ أيضا",
    "اقرأ أيضًا :",
    "اقرأ كذلك:",
    "شاهد أيضاً:",
];
const DATES: &[&str] = &[
    "13th, July 2025 GMT",
    "الأحد ١٣ يوليو ٢٠٢٥",
    "2025-07-13T10:30:00Z",
    "31 فبراير 2025",
    "غدا",
];

fn words(range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), range).prop_map(|w| w.join(" "))
}

/// Body lines of every length that matters: short, around the 120-char
/// wrap threshold, past the 200-char item-title limit.
fn body_line() -> impl Strategy<Value = String> {
    (
        prop_oneof![words(1..6), words(15..25), words(25..45)],
        prop::sample::select(ENDINGS),
    )
        .prop_map(|(w, end)| format!("{w}{end}"))
}

fn label_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            prop::sample::select(DATE_LABELS),
            prop::sample::select(DATES)
        )
            .prop_map(|(l, d)| format!("{l} {d}")),
        (prop::sample::select(SOURCE_LABELS), words(0..4)).prop_map(|(l, v)| format!("{l} {v}")),
        (
            prop::sample::select(TAG_LABELS),
            words(0..10),
            prop::sample::select(&["", "، ", " | ", "  ", " #"][..])
        )
            .prop_map(|(l, v, sep)| format!(
                "{l} {}",
                v.replace(' ', if sep.is_empty() { " " } else { sep })
            )),
    ]
}

fn main_line() -> impl Strategy<Value = String> {
    prop_oneof![4 => body_line(), 2 => label_line(), 1 => Just(String::new()), 1 => Just("   ".to_string())]
}

fn dateline_line() -> impl Strategy<Value = String> {
    (words(1..3), words(1..3), body_line(), 0..5u8).prop_map(|(src, city, body, form)| match form {
        0 => format!("{src} /.."),
        1 => format!("{src} /.. {body}"),
        2 => format!("{src} - {body}"),
        3 => format!("{city} - {src}: {body}"),
        _ => body,
    })
}

/// One related item: a title, maybe a dateline, body lines and blanks.
fn item() -> impl Strategy<Value = Vec<String>> {
    (
        words(2..10),
        dateline_line(),
        prop::collection::vec(
            prop_oneof![3 => body_line(), 1 => Just(String::new())],
            0..5,
        ),
    )
        .prop_map(|(title, dl, body)| {
            std::iter::once(title)
                .chain(std::iter::once(dl))
                .chain(body)
                .collect()
        })
}

/// A realistic page: title, a mix of labels, body lines and blanks, then
/// maybe a read-also section of items.
fn page_text() -> impl Strategy<Value = String> {
    let read_also = prop::option::of((
        prop::sample::select(READ_ALSO),
        prop::collection::vec(item(), 1..4),
    ));
    (
        words(3..12),
        prop::collection::vec(main_line(), 0..14),
        read_also,
        any::<bool>(),
    )
        .prop_map(|(title, main, read_also, crlf)| {
            let mut lines = vec![title];
            lines.extend(main);
            if let Some((label, items)) = read_also {
                lines.push(label.to_string());
                lines.extend(items.into_iter().flatten());
            }
            lines.join(if crlf { "\r\n" } else { "\n" })
        })
}

/// Arabic-heavy noise: letters, marks, digits, punctuation, colons, label
/// fragments and line breaks in any order.
fn arabic_noise() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[\\u0600-\\u06FF]{1,8}",
        "[ \\t\\r\\n:./\\-،|#]{1,3}",
        prop::sample::select(WORDS).prop_map(str::to_string),
        prop::sample::select(READ_ALSO).prop_map(str::to_string),
        prop::sample::select(TAG_LABELS).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|p| p.concat())
}

/// Every field of the parse a line's content may have gone to.
fn fields(page: &Page) -> Vec<String> {
    let mut all = vec![page.title.clone(), page.tags.join(" ")];
    all.extend(page.published_raw.iter().chain(&page.source).cloned());
    all.extend(page.tags.iter().chain(&page.paragraphs).cloned());
    for item in &page.read_also {
        all.push(item.title.clone());
        all.extend(item.source.iter().chain(&item.paragraphs).cloned());
    }
    all
}

/// A tags value is kept word by word (its separators are not text): every
/// word with letters or digits is one of the tags' words, compared
/// normalized since a duplicate spelling keeps only the first.
fn tags_kept(value: &str, page: &Page) -> bool {
    let kept = arabic::normalize_words(&page.tags.join(" "));
    arabic::normalize_words(value)
        .iter()
        .all(|w| kept.contains(w))
}

fn line_kept(line: &str, page: &Page, fields: &[String]) -> bool {
    let found = |text: &str| text.is_empty() || fields.iter().any(|f| f.contains(text));
    if found(line) {
        return true;
    }
    if let Some(label) = match_label(line) {
        let kept = if label.label == Label::Tags {
            tags_kept(label.value, page)
        } else {
            found(label.value)
        };
        if kept {
            return true;
        }
    }
    // A dateline: its source is an item's, the text after it is body. (The
    // city of `<city> - <source>:` has no field to go to.)
    dateline(line).is_some_and(|(source, rest)| {
        page.read_also
            .iter()
            .any(|i| i.source.as_deref() == Some(source))
            && found(rest)
    })
}

fn assert_nothing_lost(text: &str) -> Result<(), TestCaseError> {
    let page = match parse_page(text) {
        Ok(page) => page,
        Err(Reject::Empty | Reject::NoTitle) => return Ok(()),
        Err(other) => {
            return Err(TestCaseError::fail(format!(
                "unexpected rejection {other:?}"
            )));
        }
    };
    let fields = fields(&page);
    for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        prop_assert!(
            line_kept(line, &page, &fields),
            "lost line {line:?}\nfrom {text:?}\nparse {page:#?}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_on_any_string(text in any::<String>()) {
        let _ = parse_page(&text);
    }

    #[test]
    fn never_panics_on_arabic_noise(text in arabic_noise()) {
        let _ = parse_page(&text);
    }

    #[test]
    fn loses_nothing_from_realistic_pages(text in page_text()) {
        assert_nothing_lost(&text)?;
    }

    #[test]
    fn loses_nothing_from_arabic_noise(text in arabic_noise()) {
        assert_nothing_lost(&text)?;
    }

    #[test]
    fn loses_nothing_from_any_string(text in any::<String>()) {
        assert_nothing_lost(&text)?;
    }
}
