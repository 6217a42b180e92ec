//! The counted nouns of the pages, each in its six CLDR plural forms
//! (`arabic::numbers::count` picks one). The case is part of the name:
//! Arabic writes `مقالان` as a subject, `مقالين` after a verb or `من`.

use crate::arabic::numbers::Plural;

/// Articles as the object of a verb (`يضم مقالين`).
pub const ARTICLES_OBJECT: Plural = Plural {
    zero: "لا مقالات",
    one: "مقالًا واحدًا",
    two: "مقالين",
    few: "{n} مقالات",
    many: "{n} مقالًا",
    other: "{n} مقال",
};

/// Articles standing alone, as a list's size (`مقالان`).
pub const ARTICLES: Plural = Plural {
    zero: "لا مقالات",
    one: "مقال واحد",
    two: "مقالان",
    few: "{n} مقالات",
    many: "{n} مقالًا",
    other: "{n} مقال",
};

/// Sources after `من` (`من مصدرين`).
pub const SOURCES_AFTER_MIN: Plural = Plural {
    zero: "لا مصادر",
    one: "مصدر واحد",
    two: "مصدرين",
    few: "{n} مصادر",
    many: "{n} مصدرًا",
    other: "{n} مصدر",
};

/// Search results (`نتيجتان`).
pub const RESULTS: Plural = Plural {
    zero: "لا نتائج",
    one: "نتيجة واحدة",
    two: "نتيجتان",
    few: "{n} نتائج",
    many: "{n} نتيجة",
    other: "{n} نتيجة",
};

/// Versions of a story (`روايتان`).
pub const VERSIONS: Plural = Plural {
    zero: "لا روايات",
    one: "رواية واحدة",
    two: "روايتان",
    few: "{n} روايات",
    many: "{n} رواية",
    other: "{n} رواية",
};

/// Other versions of a story, on a card (`روايتان أخريان`).
pub const OTHER_VERSIONS: Plural = Plural {
    zero: "لا روايات أخرى",
    one: "رواية أخرى",
    two: "روايتان أخريان",
    few: "{n} روايات أخرى",
    many: "{n} رواية أخرى",
    other: "{n} رواية أخرى",
};

/// Minutes of reading (`دقيقتان`).
pub const MINUTES: Plural = Plural {
    zero: "أقل من دقيقة",
    one: "دقيقة واحدة",
    two: "دقيقتان",
    few: "{n} دقائق",
    many: "{n} دقيقة",
    other: "{n} دقيقة",
};

/// Minutes after `بعد` (`بعد دقيقتين`), on a story's timeline.
pub const MINUTES_AFTER: Plural = Plural {
    zero: "أقل من دقيقة",
    one: "دقيقة",
    two: "دقيقتين",
    few: "{n} دقائق",
    many: "{n} دقيقة",
    other: "{n} دقيقة",
};

/// Hours after `بعد` (`بعد ساعتين`, `بعد ٣ ساعات`).
pub const HOURS_AFTER: Plural = Plural {
    zero: "أقل من ساعة",
    one: "ساعة",
    two: "ساعتين",
    few: "{n} ساعات",
    many: "{n} ساعة",
    other: "{n} ساعة",
};

/// Days after `بعد` (`بعد يومين`, `بعد ١١ يومًا`).
pub const DAYS_AFTER: Plural = Plural {
    zero: "أقل من يوم",
    one: "يوم",
    two: "يومين",
    few: "{n} أيام",
    many: "{n} يومًا",
    other: "{n} يوم",
};

/// Files read by an import (`ملفان`).
pub const FILES: Plural = Plural {
    zero: "لا ملفات",
    one: "ملف واحد",
    two: "ملفان",
    few: "{n} ملفات",
    many: "{n} ملفًا",
    other: "{n} ملف",
};

/// Mebibytes of an upload limit, after `حجم … ` (`512 ميغابايت`).
pub const MEBIBYTES: Plural = Plural {
    zero: "{n} ميغابايت",
    one: "ميغابايت واحد",
    two: "ميغابايتان",
    few: "{n} ميغابايت",
    many: "{n} ميغابايت",
    other: "{n} ميغابايت",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::numbers::{Digits, count};

    #[test]
    fn footer_nouns_read_as_arabic() {
        let d = Digits::Latn;
        assert_eq!(count(2, &ARTICLES_OBJECT, d), "مقالين");
        assert_eq!(count(2, &SOURCES_AFTER_MIN, d), "مصدرين");
        assert_eq!(count(1_250_000, &ARTICLES_OBJECT, d), "1,250,000 مقال");
        assert_eq!(count(11, &SOURCES_AFTER_MIN, d), "11 مصدرًا");
        assert_eq!(count(12, &OTHER_VERSIONS, d), "12 رواية أخرى");
        assert_eq!(count(2, &RESULTS, d), "نتيجتان");
    }
}
