//! Read-also items: where one item ends and the next begins, and the
//! datelines that name an item's source.

use super::{long_line, page};
use crate::dump::Item;
use crate::dump::page::read_also::dateline;

fn items(section: &str) -> Vec<Item> {
    page(&format!("عنوان الصفحة\nفقرة.\nاقرأ أيضاً:\n{section}")).read_also
}

fn item(title: &str, source: Option<&str>, paragraphs: &[&str]) -> Item {
    Item {
        title: title.to_string(),
        source: source.map(str::to_string),
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn reads_slash_dateline_on_its_own_line() {
    assert_eq!(
        items("روسيا تهدد\nالثورة نت /..\nنص الخبر."),
        [item("روسيا تهدد", Some("الثورة نت"), &["نص الخبر."])]
    );
}

#[test]
fn reads_text_after_slash_dateline_as_first_body_line() {
    let got = items("روسيا تهدد\nالثورة نت /.. هددت روسيا اليوم.\nوقالت.");
    assert_eq!(
        got,
        [item(
            "روسيا تهدد",
            Some("الثورة نت"),
            &["هددت روسيا اليوم.", "وقالت."]
        )]
    );
}

#[test]
fn reads_source_dash_dateline() {
    let got = items("روسيا تهدد\nسبوتنيك - هددت روسيا اليوم.");
    assert_eq!(
        got,
        [item("روسيا تهدد", Some("سبوتنيك"), &["هددت روسيا اليوم."])]
    );
}

#[test]
fn reads_city_dash_source_colon_dateline() {
    let got = items("روسيا تهدد\nموسكو - وكالة الأنباء الروسية: هددت روسيا اليوم.");
    assert_eq!(
        got,
        [item(
            "روسيا تهدد",
            Some("وكالة الأنباء الروسية"),
            &["هددت روسيا اليوم."]
        )]
    );
}

#[test]
fn reads_dash_dateline_alone_on_its_line() {
    assert_eq!(
        items("روسيا تهدد\nسبوتنيك -\nنص."),
        [item("روسيا تهدد", Some("سبوتنيك"), &["نص."])]
    );
}

#[test]
fn ignores_dateline_with_source_over_four_words() {
    let got = items("روسيا تهدد\nقال المتحدث باسم الوزارة اليوم - إن الرد قادم.");
    assert_eq!(
        got,
        [item(
            "روسيا تهدد",
            None,
            &["قال المتحدث باسم الوزارة اليوم - إن الرد قادم."]
        )]
    );
}

#[test]
fn recognizes_datelines_only_in_their_forms() {
    assert_eq!(dateline("الثورة نت /.."), Some(("الثورة نت", "")));
    assert_eq!(dateline("الثورة نت / ... نص"), Some(("الثورة نت", "نص")));
    assert_eq!(dateline("القاهرة – أ ش أ: نص"), Some(("أ ش أ", "نص")));
    assert_eq!(dateline("كوفيد-19 ينتشر"), None);
    assert_eq!(dateline("13 - 07 - 2025"), None);
    assert_eq!(dateline("نسبة 1/2"), None);
}

#[test]
fn keeps_item_without_dateline_sourceless() {
    assert_eq!(
        items("روسيا تهدد\nنص الخبر."),
        [item("روسيا تهدد", None, &["نص الخبر."])]
    );
}

#[test]
fn starts_second_item_after_blank_line() {
    let got = items("خبر أول\nنص أول.\n\nخبر ثان\nنص ثان.");
    assert_eq!(
        got,
        [
            item("خبر أول", None, &["نص أول."]),
            item("خبر ثان", None, &["نص ثان."])
        ]
    );
}

#[test]
fn starts_second_item_followed_by_dateline() {
    let got = items("خبر أول\nالثورة نت /..\nنص أول.\nخبر ثان\nسبأ - نص ثان.");
    assert_eq!(
        got,
        [
            item("خبر أول", Some("الثورة نت"), &["نص أول."]),
            item("خبر ثان", Some("سبأ"), &["نص ثان."])
        ]
    );
}

#[test]
fn reads_title_only_items_separated_by_blank_lines() {
    let got = items("خبر أول\n\nخبر ثان\n\nخبر ثالث");
    assert_eq!(
        got,
        [
            item("خبر أول", None, &[]),
            item("خبر ثان", None, &[]),
            item("خبر ثالث", None, &[])
        ]
    );
}

#[test]
fn does_not_start_item_with_punctuated_line_after_blank() {
    let got = items("خبر أول\nنص أول.\n\nنص ثان.");
    assert_eq!(got, [item("خبر أول", None, &["نص أول.", "نص ثان."])]);
}

#[test]
fn does_not_start_item_with_long_line() {
    let long = long_line("كلمة", 200);
    let got = items(&format!("خبر أول\nنص أول.\n\n{long}\nالثورة نت /.."));
    assert_eq!(
        got,
        [item(
            "خبر أول",
            None,
            &["نص أول.", &format!("{long} الثورة نت /..")]
        )]
    );
}

#[test]
fn does_not_start_item_without_blank_or_dateline() {
    let got = items("خبر أول\nنص أول.\nسطر بلا نقطة\nنص.");
    assert_eq!(
        got,
        [item("خبر أول", None, &["نص أول.", "سطر بلا نقطة", "نص."])]
    );
}

#[test]
fn joins_hard_wrapped_lines_in_item_body() {
    let a = long_line("كلمة", 150);
    let got = items(&format!("خبر\nسبأ /..\n{a}\nتتمة.\nفقرة."));
    assert_eq!(
        got,
        [item("خبر", Some("سبأ"), &[&format!("{a} تتمة."), "فقرة."])]
    );
}

#[test]
fn joins_hard_wrapped_text_after_dateline() {
    let a = long_line("كلمة", 150);
    let got = items(&format!("خبر\nسبأ /.. {a}\n\nتتمة."));
    assert_eq!(got, [item("خبر", Some("سبأ"), &[&format!("{a} تتمة.")])]);
}

#[test]
fn never_joins_wrapped_line_into_next_item_title() {
    let a = long_line("كلمة", 150);
    let got = items(&format!("خبر أول\n{a}\n\nخبر ثان\nنص."));
    assert_eq!(
        got,
        [
            item("خبر أول", None, &[&a]),
            item("خبر ثان", None, &["نص."])
        ]
    );
}

#[test]
fn has_no_date_for_any_item() {
    // Items have no date field at all; the page's date stays the page's.
    let p = page("عنوان\nتاريخ النشر: 2025-07-13\nاقرأ أيضا:\nخبر\nنشر في: 2025-07-14");
    assert_eq!(p.published.unwrap().rfc3339(), "2025-07-13");
    assert_eq!(p.read_also[0].paragraphs, ["نشر في: 2025-07-14"]);
}
