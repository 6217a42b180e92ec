//! Article cards (the list item every list page shows, with a link to its
//! story when the list hides the story's other versions) and the
//! newer/older links of keyset pagination.

use serde::Deserialize;

use crate::arabic::numbers::{Digits, count};
use crate::store::lists::{Card, CardPage, Cursor, Direction};
use crate::urls;

use super::{format, nouns};

/// Cards per list page.
pub const PAGE_SIZE: i64 = 20;

/// One article in a list, ready for `macros.html`'s `card`.
#[derive(Debug, Clone)]
pub struct CardView {
    pub url: String,
    pub title: String,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub date_iso: Option<String>,
    pub date_text: Option<String>,
    /// The Hijri date beside the Gregorian one.
    pub hijri_text: Option<String>,
    pub lead: String,
    /// The story's page, when the archive holds other versions of it.
    pub story: Option<StoryLink>,
}

/// A card's line that leads to every version of its story.
#[derive(Debug, Clone)]
pub struct StoryLink {
    pub url: String,
    /// `3 روايات أخرى لهذا الخبر`.
    pub text: String,
}

impl StoryLink {
    /// The link of `card`, when its story has other versions.
    fn of(card: &Card, digits: Digits) -> Option<StoryLink> {
        let others = u64::try_from(card.other_versions).ok().filter(|&n| n > 0)?;
        let versions = count(others, &nouns::OTHER_VERSIONS, digits);
        Some(StoryLink {
            url: urls::story(&card.permalink),
            text: format!("{versions} لهذا الخبر"),
        })
    }
}

impl CardView {
    /// The card of `c`, its numbers in `digits`.
    pub fn new(c: &Card, digits: Digits) -> CardView {
        let date = c.published.as_deref().and_then(format::parse_date);
        let first = c.lead.lines().next().unwrap_or_default();
        CardView {
            url: urls::article(&c.permalink, &c.slug),
            title: c.title.clone(),
            source_url: c.source.as_deref().map(urls::source),
            source: c.source.clone(),
            date_iso: c.published.clone(),
            date_text: date.map(|d| format::date_short(d, digits)),
            hijri_text: date.map(|d| format::hijri_date(d, digits)),
            lead: format::excerpt(first, 220),
            story: StoryLink::of(c, digits),
        }
    }
}

/// `?before=` / `?after=` of a list page: `<sort_key>~<id>`.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub before: Option<String>,
    pub after: Option<String>,
}

impl PageQuery {
    /// The direction to read; a malformed cursor reads the first page.
    pub fn direction(&self) -> Direction {
        let parse = |s: &str| {
            let (key, id) = s.rsplit_once('~')?;
            Some(Cursor {
                sort_key: key.to_owned(),
                id: id.parse().ok()?,
            })
        };
        match (
            self.before.as_deref().and_then(parse),
            self.after.as_deref().and_then(parse),
        ) {
            (Some(c), _) => Direction::Before(c),
            (None, Some(c)) => Direction::After(c),
            (None, None) => Direction::First,
        }
    }
}

/// The cards of a page with its newer/older links (relative to `base`).
#[derive(Debug, Clone)]
pub struct Listing {
    pub cards: Vec<CardView>,
    pub newer: Option<String>,
    pub older: Option<String>,
}

impl Listing {
    /// `base` may carry a query of its own (`/tags/x?year=2025`): the
    /// cursor is added to it.
    pub fn new(page: &CardPage, base: &str, digits: Digits) -> Listing {
        let join = if base.contains('?') { '&' } else { '?' };
        let link = |param: &str, c: &Cursor| {
            let cursor = format!("{}~{}", c.sort_key, c.id);
            format!("{base}{join}{param}={}", urls::query_value(&cursor))
        };
        Listing {
            cards: page
                .cards
                .iter()
                .map(|c| CardView::new(c, digits))
                .collect(),
            newer: page.newer.as_ref().map(|c| link("after", c)),
            older: page.older.as_ref().map(|c| link("before", c)),
        }
    }

    /// Whether this is past the first page (canonical links then keep the cursor).
    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cursors_and_ignores_malformed_ones() {
        let q = PageQuery {
            before: Some("2025-07-13T00:00:00~42".into()),
            after: None,
        };
        assert_eq!(
            q.direction(),
            Direction::Before(Cursor {
                sort_key: "2025-07-13T00:00:00".into(),
                id: 42
            })
        );
        let undated = PageQuery {
            before: None,
            after: Some("~7".into()),
        };
        assert_eq!(
            undated.direction(),
            Direction::After(Cursor {
                sort_key: String::new(),
                id: 7
            })
        );
        let bad = PageQuery {
            before: Some("nonsense".into()),
            after: None,
        };
        assert_eq!(bad.direction(), Direction::First);
    }

    #[test]
    fn story_line_agrees_with_the_number_of_other_versions() {
        let card = |others| Card {
            id: 1,
            permalink: "p1".into(),
            slug: "s".into(),
            title: "t".into(),
            published: None,
            sort_key: String::new(),
            source: None,
            lead: String::new(),
            other_versions: others,
        };
        let text = |others| StoryLink::of(&card(others), Digits::Latn).map(|l| l.text);
        assert!(text(0).is_none(), "told once: no line");
        assert_eq!(text(1).as_deref(), Some("رواية أخرى لهذا الخبر"));
        assert_eq!(text(2).as_deref(), Some("روايتان أخريان لهذا الخبر"));
        assert_eq!(text(4).as_deref(), Some("4 روايات أخرى لهذا الخبر"));
        assert_eq!(text(12).as_deref(), Some("12 رواية أخرى لهذا الخبر"));
        assert_eq!(
            StoryLink::of(&card(3), Digits::Latn).unwrap().url,
            "/stories/p1"
        );
        let arab = StoryLink::of(&card(4), Digits::Arab).unwrap();
        assert_eq!(arab.text, "٤ روايات أخرى لهذا الخبر");
    }

    #[test]
    fn pager_links_keep_the_page_query() {
        let cursor = Cursor {
            sort_key: "2025-07-13".into(),
            id: 9,
        };
        let page = CardPage {
            cards: Vec::new(),
            older: Some(cursor.clone()),
            newer: Some(cursor),
        };
        let narrowed = Listing::new(&page, "/tags/x?year=2025", Digits::Latn);
        assert_eq!(
            narrowed.older.as_deref(),
            Some("/tags/x?year=2025&before=2025-07-13~9")
        );
        let plain = Listing::new(&page, "/tags/x", Digits::Latn);
        assert_eq!(plain.newer.as_deref(), Some("/tags/x?after=2025-07-13~9"));
    }
}
