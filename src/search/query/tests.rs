//! Query parsing: every syntax element, and malformed input that must not panic.

use super::*;

fn words(q: &Query) -> Vec<Vec<String>> {
    q.groups
        .iter()
        .map(|g| g.iter().map(|a| a.words().join(" ")).collect())
        .collect()
}

fn excluded(q: &Query) -> Vec<String> {
    q.excluded.iter().map(|a| a.words().join(" ")).collect()
}

#[test]
fn words_are_normalized_and_anded() {
    let q = Query::parse("  الرَّئِيسُ   المصريّ ");
    assert_eq!(words(&q), vec![vec!["الرئيس"], vec!["المصري"]]);
    assert!(q.excluded.is_empty() && q.filters.is_empty() && !q.truncated);
}

#[test]
fn quotes_make_a_phrase_even_of_one_word() {
    let q = Query::parse("\"وزير الخارجية\" غزة \"وزير\"");
    assert_eq!(
        q.groups[0],
        vec![Alt::Phrase(vec!["وزير".into(), "الخارجيه".into()])]
    );
    assert!(matches!(&q.groups[1][0], Alt::Word(w) if w.norm == "غزه"));
    assert_eq!(q.groups[2], vec![Alt::Phrase(vec!["وزير".into()])]);
}

#[test]
fn unbalanced_quote_runs_to_the_end() {
    let q = Query::parse("مصر \"القاهرة الجديدة");
    assert_eq!(words(&q), vec![vec!["مصر"], vec!["القاهره الجديده"]]);
}

#[test]
fn minus_excludes_words_and_phrases() {
    let q = Query::parse("النفط -الغاز -\"أسعار الذهب\"");
    assert_eq!(words(&q), vec![vec!["النفط"]]);
    assert_eq!(excluded(&q), vec!["الغاز", "اسعار الذهب"]);
}

#[test]
fn lone_minus_and_punctuation_are_dropped() {
    let q = Query::parse("- ، ؟ «» ـــ -- -، مصر -");
    assert_eq!(words(&q), vec![vec!["مصر"]]);
    assert!(q.excluded.is_empty());
}

#[test]
fn or_joins_neighbours_into_one_group() {
    let q = Query::parse("غزة OR \"الضفة الغربية\" OR القدس لبنان");
    assert_eq!(
        words(&q),
        vec![vec!["غزه", "الضفه الغربيه", "القدس"], vec!["لبنان"]]
    );
}

#[test]
fn or_at_the_ends_or_doubled_is_ignored() {
    let q = Query::parse("OR مصر OR OR تونس OR");
    assert_eq!(words(&q), vec![vec!["مصر", "تونس"]]);
    assert!(Query::parse("OR").is_empty());
    // lowercase `or` is a word, and an OR cannot attach to an exclusion
    assert_eq!(
        words(&Query::parse("a or b")),
        vec![vec!["a"], vec!["or"], vec!["b"]]
    );
    let q = Query::parse("-مصر OR تونس");
    assert_eq!(words(&q), vec![vec!["تونس"]]);
}

#[test]
fn or_around_a_punctuation_word_still_joins() {
    let q = Query::parse("مصر OR ، OR تونس");
    assert_eq!(words(&q), vec![vec!["مصر", "تونس"]]);
}

#[test]
fn filters_are_read_from_the_text() {
    let q =
        Query::parse("source:\"الجزيرة نت\" tag:غزة TAG:مصر from:2024-01-01 to:٢٠٢٤-١٢-٣١ هدنة");
    assert_eq!(q.filters.sources, vec!["الجزيرة نت"]);
    assert_eq!(q.filters.tags, vec!["غزة", "مصر"]);
    assert_eq!(q.filters.from.as_deref(), Some("2024-01-01"));
    assert_eq!(q.filters.to.as_deref(), Some("٢٠٢٤-١٢-٣١"));
    assert_eq!(words(&q), vec![vec!["هدنه"]]);
}

#[test]
fn empty_or_unknown_filters_are_not_filters() {
    let q = Query::parse("source: title_norm:x -from:2024-01-01 title:");
    assert!(q.filters.is_empty());
    assert_eq!(words(&q), vec![vec!["title norm x"]]);
    assert_eq!(excluded(&q), vec!["from 2024 01 01"]);
}

#[test]
fn sources_repeat_and_sources_and_tags_can_be_excluded() {
    let q = Query::parse(
        "هدنة source:الأهرام SOURCE:\"الجزيرة نت\" -source:الشروق -tag:\"كرة القدم\" tag:مصر",
    );
    assert_eq!(q.filters.sources, vec!["الأهرام", "الجزيرة نت"]);
    assert_eq!(q.filters.not_sources, vec!["الشروق"]);
    assert_eq!(q.filters.not_tags, vec!["كرة القدم"]);
    assert_eq!(q.filters.tags, vec!["مصر"]);
    assert_eq!(words(&q), vec![vec!["هدنه"]]);
    assert!(q.excluded.is_empty());
}

#[test]
fn title_words_and_phrases_look_in_titles_only() {
    let input = "title:سدّ TITLE:\"سد النهضة\" -title:إثيوبيا مصر";
    let at = input.find("مصر").unwrap();
    let q = Query::parse(input);
    assert_eq!(
        q.groups,
        vec![
            vec![Alt::Title(vec!["سد".into()])],
            vec![Alt::Title(vec!["سد".into(), "النهضه".into()])],
            vec![Alt::Word(Word {
                norm: "مصر".into(),
                span: at..at + "مصر".len()
            })],
        ]
    );
    assert_eq!(q.excluded, vec![Alt::Title(vec!["اثيوبيا".into()])]);
    let q = Query::parse("سد OR title:نهر");
    assert_eq!(
        words(&q),
        vec![vec!["سد", "نهر"]],
        "a title word joins an OR"
    );
}

#[test]
fn a_word_of_several_tokens_is_a_phrase() {
    let q = Query::parse("كوفيد-١٩ ﷺ");
    assert_eq!(
        words(&q),
        vec![vec!["كوفيد 19"], vec!["صلي الله عليه وسلم"]]
    );
}

#[test]
fn word_spans_point_at_the_typed_text() {
    let text = "قال -x الوزيرُ";
    let q = Query::parse(text);
    let spans: Vec<&str> = q.required_words().map(|w| &text[w.span.clone()]).collect();
    assert_eq!(spans, vec!["قال", "الوزيرُ"]);
}

#[test]
fn empty_and_blank_input_is_an_empty_query() {
    for text in ["", "   ", "\"\"", "\"", "-", "-\"\"", "OR OR", "،؛؟"] {
        let q = Query::parse(text);
        assert!(q.is_empty() && q.excluded.is_empty(), "{text:?}: {q:?}");
    }
}

#[test]
fn long_input_is_capped() {
    let text = (0..100)
        .map(|i| format!("كلمة{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let q = Query::parse(&text);
    assert!(q.truncated);
    assert_eq!(q.groups.len(), MAX_TERMS);
    let huge = "ا".repeat(100_000);
    let q = Query::parse(&huge);
    assert!(q.truncated);
    assert_eq!(q.groups.len(), 1);
}

#[test]
fn too_many_tags_are_dropped() {
    let q = Query::parse("tag:a tag:b tag:c tag:d tag:e");
    assert_eq!(q.filters.tags.len(), MAX_TAGS);
    assert!(q.truncated);
}

#[test]
fn exclusions_alone_leave_nothing_to_match() {
    let q = Query::parse("-مصر -تونس");
    assert!(q.is_empty());
    assert_eq!(excluded(&q).len(), 2);
}

proptest::proptest! {
    #[test]
    fn parsing_never_panics_and_respects_the_caps(text in "\\PC{0,200}") {
        let q = Query::parse(&text);
        proptest::prop_assert!(q.term_count() <= MAX_TERMS);
        for w in q.required_words() {
            proptest::prop_assert!(text.get(w.span.clone()).is_some());
        }
    }
}
