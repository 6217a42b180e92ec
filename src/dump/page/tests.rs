//! Page anatomy: the seed page parsed to its expected values, titles,
//! labels, rejections and the hard-wrap join rule.

use super::*;

/// Reads a seed file at test time, from the crate's test data.
fn seed(name: &str) -> String {
    let path = format!("{}/tests/data/seed/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn seed_text() -> String {
    seed("000_32f10a57e3468d13.txt")
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

fn page(text: &str) -> Page {
    parse_page(text).expect("a page")
}

/// A body line of exactly `n` characters of Arabic words, with no sentence end.
fn long_line(word: &str, n: usize) -> String {
    let mut line: String = format!("{word} ").chars().cycle().take(n).collect();
    if line.ends_with(' ') {
        line.pop();
        line.push('ب');
    }
    line
}

#[test]
fn parses_seed_page_exactly_as_expected() {
    let expected: serde_json::Value =
        serde_json::from_str(&seed("000_32f10a57e3468d13.expected.json")).unwrap();
    let page = page(&seed_text());
    assert_eq!(page.title, expected["title"].as_str().unwrap());
    assert_eq!(
        page.published.map(|p| p.rfc3339()).as_deref(),
        expected["published"].as_str()
    );
    assert_eq!(
        page.published_raw.as_deref(),
        expected["published_raw"].as_str()
    );
    assert_eq!(page.source.as_deref(), expected["source"].as_str());
    assert_eq!(page.tags, strings(&expected["tags"]));
    assert_eq!(page.paragraphs, strings(&expected["paragraphs"]));
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    assert_eq!(page.url, None);
    let related = expected["related"].as_array().unwrap();
    assert_eq!(page.read_also.len(), related.len());
    for (item, want) in page.read_also.iter().zip(related) {
        assert_eq!(want["relation"], "read_also");
        assert_eq!(item.title, want["title"].as_str().unwrap());
        assert_eq!(item.source.as_deref(), want["source"].as_str());
        assert_eq!(item.paragraphs, strings(&want["paragraphs"]));
        // Items carry no date or tags of their own: the page's are not theirs.
        assert!(want["published"].is_null());
        assert_eq!(want["tags"].as_array().map(Vec::len), Some(0));
    }
}

#[test]
fn parses_seed_with_crlf_line_ends_identically() {
    let text = seed_text();
    assert_eq!(page(&text.replace('\n', "\r\n")), page(&text));
}

#[test]
fn rejects_empty_and_whitespace_only_text() {
    assert_eq!(parse_page(""), Err(Reject::Empty));
    assert_eq!(parse_page("  \n\t\r\n \n"), Err(Reject::Empty));
}

#[test]
fn rejects_page_of_only_label_lines_as_untitled() {
    let text = "تاريخ النشر: 13 يوليو 2025\nالمصدر: صدى البلد\nكلمات دلالية: موسكو";
    assert_eq!(parse_page(text), Err(Reject::NoTitle));
}

#[test]
fn rejects_read_also_section_before_any_title() {
    assert_eq!(
        parse_page("اقرأ أيضا:\nروسيا تهدد\nنص الخبر."),
        Err(Reject::NoTitle)
    );
}

#[test]
fn takes_first_non_blank_line_as_title() {
    let p = page("\n\n   عنوان الخبر  \nفقرة أولى.");
    assert_eq!(p.title, "عنوان الخبر");
    assert_eq!(p.paragraphs, ["فقرة أولى."]);
}

#[test]
fn finds_title_after_leading_label_lines() {
    let p = page("المصدر: الأهرام\nعنوان الخبر\nفقرة.");
    assert_eq!(p.title, "عنوان الخبر");
    assert_eq!(p.source.as_deref(), Some("الأهرام"));
}

#[test]
fn keeps_one_paragraph_per_line_trimmed() {
    let p = page("عنوان\n  فقرة أولى  \n\n\tفقرة ثانية\nفقرة ثالثة.");
    assert_eq!(p.paragraphs, ["فقرة أولى", "فقرة ثانية", "فقرة ثالثة."]);
}

#[test]
fn keeps_unknown_lines_as_body_text() {
    let p = page("عنوان\nتصوير: أحمد علي\n- المصدر: ليس عنوانا\nالمصدر");
    assert_eq!(
        p.paragraphs,
        ["تصوير: أحمد علي", "- المصدر: ليس عنوانا", "المصدر"]
    );
    assert_eq!(p.source, None);
}

#[test]
fn reads_date_label_into_raw_and_parsed_date() {
    let p = page("عنوان\nنشر بتاريخ : الأحد ١٣ يوليو ٢٠٢٥ الساعة 10:30 م");
    assert_eq!(
        p.published_raw.as_deref(),
        Some("الأحد ١٣ يوليو ٢٠٢٥ الساعة 10:30 م")
    );
    assert_eq!(p.published.unwrap().rfc3339(), "2025-07-13T22:30:00");
    assert!(p.warnings.is_empty());
}

#[test]
fn warns_about_unreadable_date_and_keeps_its_text() {
    let p = page("عنوان\nتاريخ النشر: 31 فبراير 2025");
    assert_eq!(p.published, None);
    assert_eq!(p.published_raw.as_deref(), Some("31 فبراير 2025"));
    assert_eq!(p.warnings, ["unreadable date: '31 فبراير 2025'"]);
}

#[test]
fn treats_repeated_label_as_body_text() {
    let p =
        page("عنوان\nالمصدر: الأهرام\nالمصدر: الشروق\nتاريخ النشر: 2025-07-13\nبتاريخ: 2025-07-14");
    assert_eq!(p.source.as_deref(), Some("الأهرام"));
    assert_eq!(p.published_raw.as_deref(), Some("2025-07-13"));
    assert_eq!(p.paragraphs, ["المصدر: الشروق", "بتاريخ: 2025-07-14"]);
}

#[test]
fn treats_label_with_empty_value_as_body_text() {
    let p = page("عنوان\nالمصدر:\nتاريخ النشر :  \nكلمات دلالية: ،\nالمصدر: الشروق");
    assert_eq!(p.paragraphs, ["المصدر:", "تاريخ النشر :", "كلمات دلالية: ،"]);
    assert_eq!(p.source.as_deref(), Some("الشروق"));
    assert_eq!((p.published_raw, p.tags.len()), (None, 0));
}

#[test]
fn rebuilds_tags_against_title_and_paragraphs() {
    let p = page(
        "كيم جونج أون يزور موسكو\nالتقى الزعيم الكوري الشمالي لافروف.\nوسوم: كيم جونج أون الزعيم الكوري لافروف",
    );
    assert_eq!(p.tags, ["كيم جونج أون", "الزعيم الكوري", "لافروف"]);
}

#[test]
fn joins_hard_wrapped_paragraph() {
    let wrapped = long_line("كلمة", 120);
    let p = page(&format!("عنوان\n{wrapped}\nتتمة الفقرة."));
    assert_eq!(p.paragraphs, [format!("{wrapped} تتمة الفقرة.")]);
}

#[test]
fn chains_several_hard_wrapped_lines() {
    let (a, b) = (long_line("أولى", 130), long_line("ثانية", 125));
    let p = page(&format!("عنوان\n{a}\n{b}\nنهاية.\nفقرة أخرى."));
    assert_eq!(
        p.paragraphs,
        [format!("{a} {b} نهاية."), "فقرة أخرى.".to_string()]
    );
}

#[test]
fn join_skips_blank_lines() {
    let a = long_line("كلمة", 150);
    let p = page(&format!("عنوان\n{a}\n\n\n  تتمة.  "));
    assert_eq!(p.paragraphs, [format!("{a} تتمة.")]);
}

#[test]
fn join_stops_at_a_label_line() {
    let a = long_line("كلمة", 150);
    let p = page(&format!("عنوان\n{a}\nالمصدر: الأهرام\nفقرة."));
    assert_eq!(p.paragraphs, [a, "فقرة.".to_string()]);
    assert_eq!(p.source.as_deref(), Some("الأهرام"));
}

#[test]
fn join_stops_at_read_also_label() {
    let a = long_line("كلمة", 150);
    let p = page(&format!("عنوان\n{a}\nاقرأ أيضا\nعنوان آخر"));
    assert_eq!(p.paragraphs, [a]);
    assert_eq!(p.read_also[0].title, "عنوان آخر");
}

#[test]
fn does_not_join_line_under_120_chars() {
    let a = long_line("كلمة", 119);
    assert_eq!(a.chars().count(), 119);
    let p = page(&format!("عنوان\n{a}\nفقرة."));
    assert_eq!(p.paragraphs, [a, "فقرة.".to_string()]);
}

#[test]
fn counts_line_length_in_characters_after_trimming() {
    // 119 letters padded with spaces: long in bytes and untrimmed, short in fact.
    let a = long_line("كلمة", 119);
    let p = page(&format!("عنوان\n   {a}      \nفقرة."));
    assert_eq!(p.paragraphs.len(), 2);
}

#[test]
fn does_not_join_after_terminal_punctuation() {
    for end in ['.', '!', '?', '؟', '…', ':', '"', '”', '»', ')', ']'] {
        let a = format!("{}{end}", long_line("كلمة", 130));
        let p = page(&format!("عنوان\n{a}\nفقرة."));
        assert_eq!(p.paragraphs, [a, "فقرة.".to_string()], "after {end:?}");
    }
}

#[test]
fn does_not_join_when_the_comma_ends_the_line() {
    // A comma does not end a sentence, so the line was wrapped.
    let a = format!("{}،", long_line("كلمة", 130));
    assert_eq!(page(&format!("عنوان\n{a}\nتتمة.")).paragraphs.len(), 1);
}

#[test]
fn leaves_hard_wrapped_last_line_alone() {
    let a = long_line("كلمة", 140);
    assert_eq!(page(&format!("عنوان\n{a}")).paragraphs, [a]);
}

#[test]
fn never_joins_the_title() {
    let t = long_line("عنوان", 150);
    let p = page(&format!("{t}\nفقرة."));
    assert_eq!((p.title, p.paragraphs), (t, vec!["فقرة.".to_string()]));
}

#[test]
fn treats_labels_inside_read_also_as_free_text() {
    let p = page(
        "عنوان\nاقرأ أيضاً:\nخبر آخر\nالمصدر: الشروق\nتاريخ النشر: 2025-07-13\nكلمات دلالية: موسكو",
    );
    assert_eq!((p.source, p.published_raw), (None, None));
    assert!(p.tags.is_empty());
    let item = &p.read_also[0];
    assert_eq!(
        item.paragraphs,
        [
            "المصدر: الشروق",
            "تاريخ النشر: 2025-07-13",
            "كلمات دلالية: موسكو"
        ]
    );
}

#[test]
fn reads_first_item_title_after_read_also_colon() {
    let p = page("عنوان\nاقرأ أيضا: روسيا تهدد برد قاس\nالثورة نت /..\nنص.");
    assert_eq!(p.read_also.len(), 1);
    assert_eq!(p.read_also[0].title, "روسيا تهدد برد قاس");
    assert_eq!(p.read_also[0].source.as_deref(), Some("الثورة نت"));
    assert_eq!(p.read_also[0].paragraphs, ["نص."]);
}

#[test]
fn keeps_page_without_read_also_items() {
    let p = page("عنوان\nفقرة.\nاقرأ أيضا");
    assert!(p.read_also.is_empty());
    assert_eq!(p.paragraphs, ["فقرة."]);
}

mod items;
mod nothing_lost;
