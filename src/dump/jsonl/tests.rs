//! Behaviours of `parse_record`: text records, field records, bad lines.

use super::*;

fn fields(line: &str) -> Page {
    match parse_record(line) {
        Ok(Record::Fields(page)) => page,
        other => panic!("expected fields, got {other:?}"),
    }
}

#[test]
fn reads_text_record() {
    let line = r#"{"text": "عنوان\nتاريخ النشر: 13th, July 2025 GMT\nنص"}"#;
    assert_eq!(
        parse_record(line),
        Ok(Record::Text(
            "عنوان\nتاريخ النشر: 13th, July 2025 GMT\nنص".into()
        ))
    );
}

#[test]
fn ignores_a_leading_bom() {
    assert_eq!(
        parse_record("\u{feff}{\"text\": \"t\"}"),
        Ok(Record::Text("t".into()))
    );
}

#[test]
fn rejects_blank_text_record_as_empty() {
    assert_eq!(parse_record(r#"{"text": "  \n "}"#), Err(Reject::Empty));
}

#[test]
fn reads_fields_record_with_body_string() {
    let page = fields(
        r#"{"title": " عنوان ", "published": "2025-07-13", "source": "صدى البلد",
            "tags": ["موسكو", " ", "لافروف "], "url": "https://example.com/a/1",
            "body": "سطر أول\r\n\n  سطر ثان  \n", "extra": 5}"#,
    );
    assert_eq!(page.title, "عنوان");
    assert!(page.published.is_some());
    assert_eq!(page.published_raw.as_deref(), Some("2025-07-13"));
    assert_eq!(page.source.as_deref(), Some("صدى البلد"));
    assert_eq!(page.tags, ["موسكو", "لافروف"]);
    assert_eq!(page.paragraphs, ["سطر أول", "سطر ثان"]);
    assert_eq!(page.url.as_deref(), Some("https://example.com/a/1"));
    assert!(page.warnings.is_empty());
}

#[test]
fn reads_fields_record_with_body_list() {
    let page = fields(r#"{"title": "t", "body": ["فقرة أولى", "  ", " فقرة ثانية "]}"#);
    assert_eq!(page.paragraphs, ["فقرة أولى", "فقرة ثانية"]);
}

#[test]
fn reads_related_items_as_items() {
    let page = fields(
        r#"{"title": "t", "related": [
            {"title": "خبر مرتبط", "source": "الثورة نت", "body": "سطر\nسطر آخر"},
            {"title": "ثان", "body": ["فقرة"]},
            {"source": "بلا عنوان"}]}"#,
    );
    assert_eq!(
        page.read_also,
        [
            Item {
                title: "خبر مرتبط".into(),
                source: Some("الثورة نت".into()),
                paragraphs: vec!["سطر".into(), "سطر آخر".into()],
            },
            Item {
                title: "ثان".into(),
                source: None,
                paragraphs: vec!["فقرة".into()]
            },
        ]
    );
    assert_eq!(page.warnings, ["related item 3 has no title; left out"]);
}

#[test]
fn warns_about_unreadable_date_and_keeps_it_raw() {
    let page = fields(r#"{"title": "t", "published": "سابقا"}"#);
    assert_eq!(page.published, None);
    assert_eq!(page.published_raw.as_deref(), Some("سابقا"));
    assert_eq!(page.warnings, ["unreadable date: 'سابقا'"]);
}

#[test]
fn treats_null_fields_as_absent() {
    let page = fields(r#"{"title": "t", "source": null, "tags": null, "body": null}"#);
    assert_eq!(
        (page.source, page.tags.len(), page.paragraphs.len()),
        (None, 0, 0)
    );
}

#[test]
fn rejects_missing_title() {
    assert_eq!(parse_record(r#"{"body": "نص"}"#), Err(Reject::NoTitle));
}

#[test]
fn rejects_blank_title() {
    assert_eq!(
        parse_record(r#"{"title": "  ", "body": "نص"}"#),
        Err(Reject::NoTitle)
    );
}

#[test]
fn rejects_line_that_is_not_json() {
    let Err(Reject::MalformedJson(reason)) = parse_record(r#"{"title": "t""#) else {
        panic!("expected malformed JSON");
    };
    assert!(!reason.contains("line"), "{reason}");
    assert!(reason.contains("column"), "{reason}");
}

#[test]
fn rejects_json_that_is_not_an_object() {
    assert_eq!(
        parse_record("[1, 2]"),
        Err(Reject::MalformedJson("not a JSON object".into()))
    );
}

#[test]
fn rejects_wrong_field_types() {
    let cases = [
        (r#"{"title": 5}"#, "`title` must be a string"),
        (r#"{"text": ["a"]}"#, "`text` must be a string"),
        (
            r#"{"title": "t", "tags": "a b"}"#,
            "`tags` must be a list of strings",
        ),
        (
            r#"{"title": "t", "tags": ["a", 1]}"#,
            "`tags` must be a list of strings",
        ),
        (
            r#"{"title": "t", "body": {"p": 1}}"#,
            "`body` must be a string or a list of strings",
        ),
        (
            r#"{"title": "t", "published": 2025}"#,
            "`published` must be a string",
        ),
        (
            r#"{"title": "t", "related": {"title": "x"}}"#,
            "`related` must be a list of objects",
        ),
        (
            r#"{"title": "t", "related": [{"title": 1}]}"#,
            "`related[].title` must be a string",
        ),
    ];
    for (line, reason) in cases {
        assert_eq!(
            parse_record(line),
            Err(Reject::MalformedJson(reason.into())),
            "{line}"
        );
    }
}
