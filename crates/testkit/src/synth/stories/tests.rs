//! The generator's promises: determinism, story versions, swap shares,
//! the seed format and read-also items.

use super::*;
use std::collections::HashMap;

const SYNONYMS: &str = include_str!("../../../../../tests/data/related/synonyms.tsv");

fn set_pages() -> Vec<Page> {
    let synonyms = Synonyms::parse(SYNONYMS);
    let rare = Vocabulary::builtin();
    StorySet::new(StorySpec::evaluation(), &synonyms, &rare).pages()
}

#[test]
fn the_same_seed_gives_the_same_pages() {
    let (a, b) = (set_pages(), set_pages());
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter()
            .zip(&b)
            .all(|(x, y)| x.text == y.text && x.label == y.label)
    );
    assert!((250..450).contains(&a.len()), "{}", a.len());
}

#[test]
fn versions_of_a_story_share_an_event_but_not_a_headline_or_a_source() {
    let pages = set_pages();
    let mut by_event: HashMap<usize, Vec<&Page>> = HashMap::new();
    for p in &pages {
        by_event.entry(p.label.event).or_default().push(p);
    }
    let stories: Vec<_> = by_event.values().filter(|v| v.len() > 1).collect();
    assert!(stories.len() >= 40, "{}", stories.len());
    for versions in stories {
        let titles: HashSet<&str> = versions.iter().map(|p| p.label.title.as_str()).collect();
        let sources: HashSet<&str> = versions.iter().map(|p| p.label.source).collect();
        assert_eq!(titles.len(), versions.len());
        assert_eq!(sources.len(), versions.len());
        assert!(versions.iter().all(|p| p.label.topic.is_some()));
    }
}

#[test]
fn no_version_swaps_more_than_a_quarter_of_its_words_and_some_swap_many() {
    let pages = set_pages();
    assert!(pages.iter().all(|p| p.label.swapped <= 0.25));
    assert!(pages.iter().filter(|p| p.label.swapped > 0.2).count() >= 10);
}

#[test]
fn every_page_is_in_the_seed_format() {
    for p in set_pages() {
        let lines: Vec<&str> = p.text.lines().collect();
        assert_eq!(lines[0], p.label.title);
        assert!(lines[1].starts_with("تاريخ النشر: 202"), "{}", lines[1]);
        let source = lines
            .iter()
            .position(|l| l.starts_with("المصدر: "))
            .unwrap();
        assert_eq!(lines[source], format!("المصدر: {}", p.label.source));
        assert!(lines[source + 1].starts_with("كلمات دلالية: "));
        assert!(source >= 4, "title, date and paragraphs come first");
    }
}

#[test]
fn read_also_items_repeat_the_first_page_of_an_earlier_event() {
    let pages = set_pages();
    let titles: HashSet<&str> = pages.iter().map(|p| p.label.title.as_str()).collect();
    let items: Vec<&str> = pages
        .iter()
        .filter_map(|p| p.text.split_once("إقرأ أيضاً:\n"))
        .map(|(_, item)| item.lines().next().unwrap())
        .collect();
    assert!(items.len() >= 20, "{}", items.len());
    assert!(items.iter().all(|t| titles.contains(t)));
}
