//! Reading pages that show each story once (home, sources, tags, dates):
//! a walk of light rows is cut into a page where the first version of a
//! story met becomes its card and the later ones there are hidden behind
//! that card's story link; then only the cards shown are read. The cutting
//! is pure, so the page boundary and the cursors that follow from it are
//! tested without a database.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::lists::{self, Card, CardPage, Direction, Scope, StoryRow};

/// A page of at most `size` cards of `scope` in the given direction where
/// each story is shown once: its newest version on the page is the card,
/// the other versions there are hidden behind the card's story link.
///
/// One query reads up to `2 × size` rows, so that a page hiding versions
/// still fills; the cursors are those of the first and last rows the page
/// consumed, so every article is either a card on some page or a version
/// behind the story link of a card on its page. Pages are cut by
/// position, not by story: a version published apart from the others (on
/// another page) is shown there again as a card.
pub async fn story_cards(
    conn: &mut Conn,
    scope: &Scope,
    direction: &Direction,
    size: i64,
) -> Result<CardPage, StoreError> {
    let walk = 2 * size;
    let walked = lists::story_rows(conn, scope, direction, walk + 1).await?;
    let listed = walked.into_iter().map(Into::into).collect();
    let mut page = story_page(listed, direction, walk as usize, size as usize);
    let ids: Vec<i64> = page.cards.iter().map(|c| c.id).collect();
    let mut read: HashMap<i64, Card> = lists::cards_by_id(conn, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    page.cards = std::mem::take(&mut page.cards)
        .into_iter()
        .filter_map(|place| {
            let card = read.remove(&place.id)?; // gone since the walk: skipped
            Some(Card {
                other_versions: place.other_versions,
                ..card
            })
        })
        .collect();
    Ok(page)
}

/// A row of a listing that shows each story once: a card and its story.
#[derive(Debug, Clone)]
struct Listed {
    pub card: Card,
    /// `related_docs.cluster_id`; `None` when the article is not related yet.
    pub cluster: Option<i64>,
}

impl Listed {
    /// The story it may be hidden under: its cluster, when it has other
    /// versions to link to (without `same_story` links it stands alone,
    /// whatever its cluster says, so it is never hidden unreachably).
    fn story(&self) -> Option<i64> {
        self.cluster.filter(|_| self.card.other_versions > 0)
    }
}

/// How the start of a walk through a list was cut into one page.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Collapsed {
    /// The rows shown as cards (indices, in walk order): the first row of
    /// each story.
    shown: Vec<usize>,
    /// How many rows from the start of the walk the page consumed: each is
    /// shown or hidden behind its story's card. The last of them is where
    /// the next page starts reading after.
    consumed: usize,
}

/// Cuts a walk of rows, given as each row's story (`None`: told once,
/// never hidden), into a page of at most `size` cards. A row whose story
/// already has a card is consumed and hidden — also once the page is full,
/// so a page takes the versions that follow its cards instead of leaving
/// them to the next page; the first row of a new story past `size` cards
/// ends the page.
fn collapse<K: Eq + Hash>(stories: impl IntoIterator<Item = Option<K>>, size: usize) -> Collapsed {
    let mut seen = HashSet::new();
    let mut shown = Vec::new();
    let mut consumed = 0;
    for (i, story) in stories.into_iter().enumerate() {
        let hidden = story.as_ref().is_some_and(|k| seen.contains(k));
        if !hidden {
            if shown.len() == size {
                break;
            }
            seen.extend(story);
            shown.push(i);
        }
        consumed = i + 1;
    }
    Collapsed { shown, consumed }
}

impl From<StoryRow> for Listed {
    /// A card that knows only its place and story until it is read.
    fn from(w: StoryRow) -> Listed {
        Listed {
            card: Card {
                id: w.id,
                permalink: String::new(),
                slug: String::new(),
                title: String::new(),
                published: None,
                sort_key: w.sort_key,
                source: None,
                lead: String::new(),
                other_versions: w.other_versions,
            },
            cluster: w.cluster,
        }
    }
}

/// The page of at most `size` cards made of `rows` (read in `direction`
/// from its cursor, at most `walk` of them considered; one more tells
/// whether the list goes on). Shown newest first, each story by its newest
/// version on the page.
fn story_page(mut rows: Vec<Listed>, direction: &Direction, walk: usize, size: usize) -> CardPage {
    let cut = collapse(rows.iter().take(walk).map(Listed::story), size);
    let more = rows.len() > cut.consumed;
    rows.truncate(cut.consumed);
    let shown = if matches!(direction, Direction::After(_)) {
        // Read upwards from the cursor: the page's newest version of a
        // story is the one to show, so collapse again in display order.
        rows.reverse();
        collapse(rows.iter().map(Listed::story), usize::MAX).shown
    } else {
        cut.shown
    };
    let newest = rows.first().map(|r| r.card.cursor());
    let oldest = rows.last().map(|r| r.card.cursor());
    let mut shown = shown.into_iter().peekable();
    let cards = rows
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shown.next_if_eq(i).is_some())
        .map(|(_, r)| r.card)
        .collect();
    CardPage::new(cards, direction, newest, oldest, more)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::lists::Cursor;

    /// Article `id` (sorted by id) of story `cluster` with `others` other versions.
    fn row(id: i64, cluster: Option<i64>, others: i64) -> Listed {
        Listed {
            card: Card {
                id,
                permalink: format!("p{id}"),
                slug: String::new(),
                title: format!("t{id}"),
                published: None,
                sort_key: "2025-01-01".to_owned(),
                source: None,
                lead: String::new(),
                other_versions: others,
            },
            cluster,
        }
    }

    fn at(id: i64) -> Cursor {
        Cursor {
            sort_key: "2025-01-01".to_owned(),
            id,
        }
    }

    fn ids(page: &CardPage) -> Vec<i64> {
        page.cards.iter().map(|c| c.id).collect()
    }

    #[test]
    fn keeps_the_order_and_the_first_version_of_each_story() {
        let cut = collapse([Some(1), None, Some(1), Some(2), Some(1), None], 10);
        assert_eq!(cut.shown, [0, 1, 3, 5]);
        assert_eq!(cut.consumed, 6);
    }

    #[test]
    fn a_full_page_takes_the_versions_that_follow_and_stops_at_a_new_story() {
        let cut = collapse(
            [
                Some('a'),
                Some('b'),
                Some('a'),
                Some('b'),
                Some('c'),
                Some('a'),
            ],
            2,
        );
        assert_eq!(cut.shown, [0, 1]);
        assert_eq!(cut.consumed, 4, "the a after c is left to the next page");
        let alone = collapse([None::<i64>, None, None], 2);
        assert_eq!((alone.shown, alone.consumed), (vec![0, 1], 2));
    }

    #[test]
    fn the_older_cursor_is_the_last_row_consumed_even_a_hidden_one() {
        let rows = vec![
            row(10, Some(1), 2),
            row(9, Some(2), 1),
            row(8, Some(1), 2),
            row(7, None, 0),
        ];
        let page = story_page(rows, &Direction::First, 4, 2);
        assert_eq!(ids(&page), [10, 9]);
        assert_eq!(
            page.older,
            Some(at(8)),
            "8 is hidden behind 10's story link"
        );
        assert_eq!(page.newer, None);
        let counts: Vec<i64> = page.cards.iter().map(|c| c.other_versions).collect();
        assert_eq!(counts, [2, 1], "each card keeps its story's size");
    }

    #[test]
    fn a_cluster_without_same_story_links_hides_nothing() {
        let rows = vec![row(3, Some(1), 0), row(2, Some(1), 0), row(1, Some(1), 1)];
        let page = story_page(rows, &Direction::First, 6, 3);
        assert_eq!(ids(&page), [3, 2, 1]);
        assert_eq!(page.older, None, "the last page");
    }

    #[test]
    fn a_page_of_many_versions_stops_after_its_walk() {
        let rows: Vec<Listed> = (0..5).rev().map(|id| row(id, Some(9), 4)).collect();
        let page = story_page(rows, &Direction::Before(at(5)), 4, 3);
        assert_eq!(ids(&page), [4]);
        assert_eq!(page.older, Some(at(1)), "four rows consumed, one left");
        assert_eq!(page.newer, Some(at(4)));
    }

    #[test]
    fn reading_newer_shows_each_story_by_its_newest_version() {
        // Read upwards from cursor 0: 1 and 3 tell one story, 4 starts a third.
        let rows = vec![
            row(1, Some(5), 1),
            row(2, None, 0),
            row(3, Some(5), 1),
            row(4, Some(6), 1),
        ];
        let page = story_page(rows, &Direction::After(at(0)), 4, 2);
        assert_eq!(ids(&page), [3, 2]);
        assert_eq!(page.newer, Some(at(3)));
        assert_eq!(page.older, Some(at(1)), "1 is hidden behind 3's story link");
    }

    /// Pages through `stories` (newest first) to the end through the older
    /// links, and back through the newer ones, as the listing does: the
    /// pages tile the list, and every row is a card or hidden behind the
    /// card of its story on the same page.
    fn pages_cover_every_row(stories: &[Option<i64>], size: usize) {
        let n = stories.len() as i64;
        let rows: Vec<Listed> = (0..n)
            .map(|i| {
                let story = stories[i as usize];
                row(n - i, story, i64::from(story.is_some()))
            })
            .collect();
        let read = |direction: &Direction| -> Vec<Listed> {
            let mut read: Vec<Listed> = match direction {
                Direction::First => rows.clone(),
                Direction::Before(c) => rows.iter().filter(|r| r.card.id < c.id).cloned().collect(),
                Direction::After(c) => rows
                    .iter()
                    .rev()
                    .filter(|r| r.card.id > c.id)
                    .cloned()
                    .collect(),
            };
            read.truncate(2 * size + 1);
            read
        };
        let page_of =
            |direction: &Direction| story_page(read(direction), direction, 2 * size, size);
        let by_id = |id: i64| &rows[(n - id) as usize];
        let covered = |page: &CardPage| -> Vec<i64> {
            assert!(
                !page.cards.is_empty() && page.cards.len() <= size,
                "{stories:?}"
            );
            let oldest = page.older.as_ref().map_or(1, |c| c.id);
            (oldest..=page.cards[0].id)
                .inspect(|&id| {
                    let story = by_id(id).story();
                    let shown = page
                        .cards
                        .iter()
                        .any(|c| c.id == id || story.is_some() && by_id(c.id).story() == story);
                    assert!(shown, "{id} is lost in {stories:?}, size {size}");
                })
                .collect()
        };
        let all: Vec<i64> = (1..=n).collect();
        let mut direction = Direction::First;
        let mut seen = Vec::new();
        let last = loop {
            let page = page_of(&direction);
            seen.extend(covered(&page));
            match page.older.clone() {
                Some(c) => direction = Direction::Before(c),
                None => break page,
            }
        };
        seen.sort_unstable();
        assert_eq!(seen, all, "older pages of {stories:?}, size {size}");
        let mut seen = covered(&last);
        let mut page = last;
        while let Some(c) = page.newer.clone() {
            page = page_of(&Direction::After(c));
            seen.extend(covered(&page));
        }
        assert_eq!(page.cards[0].id, n, "back at the top");
        seen.sort_unstable();
        assert_eq!(seen, all, "newer pages of {stories:?}, size {size}");
    }

    #[test]
    fn paging_either_way_reaches_every_article() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for size in [1, 2, 3, 5] {
            for len in [1, 4, 7, 20, 41] {
                let stories: Vec<Option<i64>> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        (!seed.is_multiple_of(3)).then_some((seed >> 8) as i64 % 4)
                    })
                    .collect();
                pages_cover_every_row(&stories, size);
            }
        }
    }
}
