//! Label recognition: every variant of every family, the spelling and
//! spacing differences normalization absorbs, and which labels count.

use super::*;

fn family(line: &str) -> Option<Label> {
    match_label(line).map(|l| l.label)
}

fn value(line: &str) -> Option<&str> {
    match_label(line).map(|l| l.value)
}

#[test]
fn recognizes_every_date_label() {
    for head in [
        "تاريخ النشر",
        "نشر بتاريخ",
        "نشر في",
        "بتاريخ",
        "نُشِرَ في",
        "تاريـــخ النشر",
    ] {
        assert_eq!(
            family(&format!("{head}: 2025-07-13")),
            Some(Label::Date),
            "{head}"
        );
    }
}

#[test]
fn recognizes_every_source_label() {
    for head in ["المصدر", "مصدر الخبر", "المصـــدر", "مَصْدَر الخَبَر"]
    {
        assert_eq!(
            family(&format!("{head}: صدى البلد")),
            Some(Label::Source),
            "{head}"
        );
    }
}

#[test]
fn recognizes_every_tags_label() {
    for head in [
        "كلمات دلالية",
        "الكلمات الدلالية",
        "وسوم",
        "الوسوم",
        "كلمات مفتاحية",
        "كلمات دلاليه",
    ] {
        assert_eq!(
            family(&format!("{head}: موسكو")),
            Some(Label::Tags),
            "{head}"
        );
    }
}

#[test]
fn recognizes_every_read_also_label() {
    for line in [
        "إقرأ أيضاً:",
        "اقرأ أيضا:",
        "إقرأ ايضاً :",
        "اقرأ أيضًا",
        "اقرأ كذلك:",
        "شاهد أيضاً:",
        "شاهد ايضا",
        "اقرأ  أيضا  :",
        "اقـــرأ أيضـــاً:",
        "آقرأ أيضا",
        "ٱقرأ أيضا",
    ] {
        assert_eq!(family(line), Some(Label::ReadAlso), "{line}");
    }
}

#[test]
fn ignores_spaces_around_the_colon() {
    for line in [
        "المصدر:صدى البلد",
        "المصدر : صدى البلد",
        "المصدر   :   صدى البلد  ",
        "  المصدر :صدى البلد",
    ] {
        assert_eq!(value(line), Some("صدى البلد"), "{line}");
    }
}

#[test]
fn accepts_full_width_colon() {
    assert_eq!(value("المصدر： صدى البلد"), Some("صدى البلد"));
}

#[test]
fn keeps_value_as_written() {
    assert_eq!(
        value("تاريخ النشر: 13th, July 2025 GMT"),
        Some("13th, July 2025 GMT")
    );
    assert_eq!(
        value("وسوم: كيم جونج أون، موسكو"),
        Some("كيم جونج أون، موسكو")
    );
}

#[test]
fn requires_colon_for_date_source_and_tags() {
    assert_eq!(family("المصدر صدى البلد"), None);
    assert_eq!(family("تاريخ النشر 2025-07-13"), None);
    assert_eq!(family("كلمات دلالية"), None);
    assert_eq!(family("المصدر"), None);
}

#[test]
fn reads_text_after_read_also_colon_as_value() {
    assert_eq!(value("اقرأ أيضا: روسيا تهدد"), Some("روسيا تهدد"));
    assert_eq!(value("اقرأ أيضا"), Some(""));
}

#[test]
fn does_not_take_read_also_words_followed_by_text_as_label() {
    assert_eq!(family("اقرأ أيضا روسيا تهدد"), None);
    assert_eq!(family("شاهد أيضاً - فيديو"), None);
}

#[test]
fn matches_labels_only_at_line_start() {
    assert_eq!(family("وقال المصدر: لا تعليق"), None);
    assert_eq!(family("- المصدر: صدى البلد"), None);
    assert_eq!(family("1. المصدر: صدى البلد"), None);
    assert_eq!(family("«المصدر»: صدى البلد"), None);
}

#[test]
fn does_not_match_a_longer_head() {
    assert_eq!(family("المصدر الرسمي: الوزارة"), None);
    assert_eq!(family("تاريخ: 2025-07-13"), None);
}

#[test]
fn counts_first_label_of_each_family() {
    let mut set = LabelSet::default();
    assert_eq!(set.take("المصدر: الأهرام").map(|l| l.value), Some("الأهرام"));
    assert_eq!(
        set.take("تاريخ النشر: 2025-07-13").map(|l| l.label),
        Some(Label::Date)
    );
    assert_eq!(set.take("وسوم: موسكو").map(|l| l.label), Some(Label::Tags));
    assert_eq!(
        set.take("اقرأ أيضا").map(|l| l.label),
        Some(Label::ReadAlso)
    );
}

#[test]
fn treats_repeated_label_as_body_text() {
    let mut set = LabelSet::default();
    assert!(set.take("المصدر: الأهرام").is_some());
    assert_eq!(set.take("المصدر: الشروق"), None);
    assert_eq!(
        set.take("مصدر الخبر: الشروق"),
        None,
        "same family, other variant"
    );
    assert!(set.take("نشر في: 2025-07-13").is_some());
    assert_eq!(set.take("بتاريخ: 2025-07-14"), None);
}

#[test]
fn treats_empty_label_value_as_body_text() {
    let mut set = LabelSet::default();
    assert_eq!(set.take("المصدر:"), None);
    assert_eq!(set.take("المصدر :   "), None);
    assert_eq!(set.take("وسوم: ، | #"), None, "separators only");
    assert_eq!(set.take("تاريخ النشر: -"), None);
    // An empty label does not use up its family.
    assert_eq!(set.take("المصدر: الشروق").map(|l| l.value), Some("الشروق"));
}

#[test]
fn counts_bare_read_also_label() {
    let mut set = LabelSet::default();
    assert_eq!(
        set.take("إقرأ أيضاً:"),
        Some(LabelLine {
            label: Label::ReadAlso,
            value: ""
        })
    );
}

#[test]
fn ignores_body_lines_with_late_colons() {
    let line = format!("{} : {}", "كلمة ".repeat(20), "نص");
    assert_eq!(match_label(&line), None);
}
