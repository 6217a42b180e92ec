//! Article cards (the list item every list page shows) and the newer/older
//! links of keyset pagination.

use serde::Deserialize;

use crate::store::lists::{Card, CardPage, Cursor, Direction};
use crate::urls;

use super::format;

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
    pub lead: String,
}

impl From<&Card> for CardView {
    fn from(c: &Card) -> CardView {
        let date = c.published.as_deref().and_then(format::parse_date);
        let first = c.lead.lines().next().unwrap_or_default();
        CardView {
            url: urls::article(&c.permalink, &c.slug),
            title: c.title.clone(),
            source_url: c.source.as_deref().map(urls::source),
            source: c.source.clone(),
            date_iso: c.published.clone(),
            date_text: date.map(format::date_short),
            lead: format::excerpt(first, 220),
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
    pub fn new(page: &CardPage, base: &str) -> Listing {
        let link = |param: &str, c: &Card| {
            let cursor = format!("{}~{}", c.sort_key, c.id);
            format!("{base}?{param}={}", urls::query_value(&cursor))
        };
        Listing {
            cards: page.cards.iter().map(CardView::from).collect(),
            newer: page
                .cards
                .first()
                .filter(|_| page.has_newer)
                .map(|c| link("after", c)),
            older: page
                .cards
                .last()
                .filter(|_| page.has_older)
                .map(|c| link("before", c)),
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
}
