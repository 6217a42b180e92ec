//! Ranking with bounded work. FTS5's bm25 has two costs: ~1 µs per ranked row,
//! and, once per query, a scan of the *whole* posting list of every phrase it
//! scores (to count documents for the IDF) — ~90 ns per posting, so ~15 ms for a
//! word found in 90% of 100k articles, even if only 20 rows are ranked. Both are
//! bounded here:
//!
//! 1. A cheap first pass counts the newest `window + 1` matches (rowid order, no
//!    bm25; a total past `window` shows as "more than"), and each AND-group of the query is probed the same way for how many
//!    articles it matches (capped at `window + 1`).
//! 2. Groups matching at most `window` articles are *scoring*. If any, bm25 (title
//!    10 / body 1, stems 5 / 0.5) ranks the matches of the scoring groups among
//!    the matches of the whole query: at most `window` rows, with short posting
//!    lists only. Very common words still filter but do not score; with bm25 their
//!    IDF is near zero (clamped to 1e-6 past half the archive) so the order hardly
//!    changes, and this is exact whenever every word is rarer than `window`.
//! 3. If every group is very common, bm25 would tell hits apart by little more
//!    than length, and would cost a full posting scan: hits come in tiers instead —
//!    exact words in the title, then stems in the title (both among the
//!    newest `TITLE_SPAN` matches), then anywhere (among the newest `REACH`,
//!    what the reachable pages can show), each tier newest first by date. The first pass's ids serve the last
//!    tier and the facets, so only the title tiers match again. So a very
//!    common query still shows its recent title matches first.
//!
//! Ties in bm25 (the same story from several sources) go to the newer article.

use std::cmp::Ordering;
use std::collections::HashSet;

use sqlx::SqliteConnection;

use crate::store::articles;
use crate::store::search::{self as db, GroupCounts, Ranked, Scope, Window};

use super::fts::{self, Columns};
use super::query::{Alt, Query};
use super::{MAX_PAGES, PAGE_SIZE, SearchError};

/// Matches a group may have and still be scored by bm25; also the first pass.
pub const WINDOW: u32 = 2000;
/// Filter-only listings count exactly up to this (an index range, cheap).
/// Ranked totals are exact up to `WINDOW`, then reported as "more than".
pub const COUNT_CAP: u32 = 10_000;
/// Articles holding every word of a phrase past which the phrase is bounded.
const PHRASE_SCAN: u32 = 20_000;
/// A bounded phrase is looked for in as many of the newest articles as
/// hold about this many with all its words (each is checked for the
/// phrase): from ~3,000 newest articles for words found nearly everywhere
/// to ~12,500 for words in a fifth of the archive.
const PHRASE_CHECKS: u32 = 2_500;
/// Extra rows fetched past a page so ties at its edge sort the same on every page.
const TIE_SLACK: u32 = 8;
/// Ranked rows needed to show the last reachable page.
const REACH: u32 = PAGE_SIZE * MAX_PAGES + 1 + TIE_SLACK;
/// Newest matches of a very common query among which title matches come
/// first (the first 20 pages' worth).
const TITLE_SPAN: u32 = 400;

/// The bounds above, as one value (tests shrink them to reach every path on a
/// small corpus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub window: u32,
    pub count_cap: u32,
    pub phrase_scan: u32,
    pub phrase_checks: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            window: WINDOW,
            count_cap: COUNT_CAP,
            phrase_scan: PHRASE_SCAN,
            phrase_checks: PHRASE_CHECKS,
        }
    }
}

/// The ranked ids up to the end of the asked page, and the total.
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    /// Best first; `ids[offset..]` is the asked page (and maybe one more hit).
    pub ids: Vec<i64>,
    /// The newest matches (the first pass), newest first: at least
    /// `window + 1` of them, or [`super::FACET_WINDOW`] if more; facets are
    /// counted over these.
    pub newest: Vec<i64>,
    pub total: u64,
    /// `total` is a lower bound: more matches than `window`.
    pub total_capped: bool,
    /// More matches than the first pass holds: facets are counted over part.
    pub common: bool,
}

/// Ranks the matches of `query` (whose MATCH expression is `expr`) within
/// `scope`, far enough to show hits `[offset, offset + want)`.
pub async fn rank(
    (conn, counts): (&mut SqliteConnection, &GroupCounts),
    (query, expr): (&Query, &str),
    scope: &Scope,
    (offset, want): (u32, u32),
    limits: &Limits,
) -> Result<Ranking, SearchError> {
    let need = offset + want + TIE_SLACK;
    // The one pass that walks the posting lists of the whole query; later
    // passes read its ids where they can.
    let first = limits.window + 1;
    let newest = db::newest_matches(conn, expr, scope, first.max(super::FACET_WINDOW)).await?;
    let held = newest.len().min(first as usize);
    let common = held > limits.window as usize;
    let mut ranking = Ranking {
        total: held.min(limits.window as usize) as u64,
        total_capped: common,
        common,
        ids: Vec::new(),
        newest,
    };
    if held == 0 {
        return Ok(ranking);
    }
    let window = Window {
        count: held as u64,
        oldest: ranking.newest.get(held - 1).copied(),
    };
    let scoring = match scope.since_id {
        Some(_) => Vec::new(), // a costly phrase: bm25 would scan its whole posting lists
        None => scoring_groups((conn, counts), query, scope, common, limits).await?,
    };
    ranking.ids = match fts::groups(query, &scoring, Columns::All) {
        Some(_) if scoring.len() == query.groups.len() && query.excluded.is_empty() => {
            ordered(db::ranked(conn, expr, scope, None, need).await?)
        }
        Some(score_expr) => ordered(db::ranked_by(conn, &score_expr, expr, scope, need).await?),
        None => tiers(conn, (query, scope), &ranking.newest, window, need).await?,
    };
    Ok(ranking)
}

/// `scope`, bounded to the newest articles (see `PHRASE_CHECKS`) when the query holds a
/// phrase of words so common that about `PHRASE_SCAN` articles or more hold them
/// all: FTS5 checks a phrase's positions in every article holding all its words
/// (~0.3 µs each), and where it matches is not known before looking. Each word's
/// share of the archive is estimated from the first pass alone (how far back its
/// newest `window + 1` matches reach), and the words taken as independent.
pub async fn bound(
    (conn, counts): (&mut SqliteConnection, &GroupCounts),
    query: &Query,
    scope: &Scope,
    limits: &Limits,
) -> Result<Scope, SearchError> {
    let phrases = query.groups.iter().flatten().filter_map(|alt| match alt {
        Alt::Phrase(words) if words.len() > 1 => Some(words),
        _ => None,
    });
    let mut newest = None;
    for words in phrases {
        let newest = match newest {
            Some(id) => id,
            None => *newest.insert(articles::max_id(conn).await?.max(1)),
        };
        let mut holding_all = newest as f64;
        for word in words {
            let expr = fts::word(word);
            let alone = counts.window(conn, &expr, limits.window + 1).await?;
            let reach = alone
                .oldest
                .filter(|_| alone.count > u64::from(limits.window))
                .map_or(newest, |oldest| newest - oldest + 1);
            holding_all *= alone.count as f64 / reach.max(1) as f64;
        }
        if holding_all >= f64::from(limits.phrase_scan) {
            let share = holding_all / newest as f64;
            let span = (f64::from(limits.phrase_checks) / share).ceil() as i64;
            return Ok(Scope {
                since_id: Some(newest - span + 1),
                ..scope.clone()
            });
        }
    }
    Ok(scope.clone())
}

/// Indexes of the groups matching at most `window` articles in the whole archive
/// (IDF is archive-wide, whatever the filters).
async fn scoring_groups(
    (conn, counts): (&mut SqliteConnection, &GroupCounts),
    query: &Query,
    scope: &Scope,
    common: bool,
    limits: &Limits,
) -> Result<Vec<usize>, SearchError> {
    if query.groups.len() == 1 && query.excluded.is_empty() && scope.is_empty() {
        return Ok(if common { vec![] } else { vec![0] }); // the first pass counted it
    }
    let mut scoring = Vec::new();
    for i in 0..query.groups.len() {
        let Some(expr) = fts::groups(query, &[i], Columns::All) else {
            continue;
        };
        let alone = counts.window(conn, &expr, limits.window + 1).await?;
        if alone.count <= u64::from(limits.window) {
            scoring.push(i);
        }
    }
    Ok(scoring)
}

/// Exact words in titles, then stems in titles, then anywhere; newest first.
/// `newest` are the first pass's matches (`window` counts them and holds
/// the oldest of the first `window + 1`).
async fn tiers(
    conn: &mut SqliteConnection,
    (query, scope): (&Query, &Scope),
    newest: &[i64],
    window: Window,
    need: u32,
) -> Result<Vec<i64>, SearchError> {
    let reach = REACH.max(need) as usize;
    // Titles are looked for among the newest `TITLE_SPAN` matches only (the
    // same for every page, so pages agree): a column filter reads the whole
    // position lists of the words, body included, of every match it passes.
    let horizon = newest
        .get(TITLE_SPAN as usize - 1)
        .copied()
        .or(window.oldest);
    let mut in_titles = async |columns| -> Result<Vec<i64>, SearchError> {
        let Some(expr) = fts::build_in(query, columns) else {
            return Ok(Vec::new());
        };
        let span = (horizon, TITLE_SPAN);
        Ok(db::newest(&mut *conn, &expr, scope, span, 2 * need).await?)
    };
    // Stems in titles include the exact words: when no title holds the
    // words in any form, the exact tier is not looked for.
    let titles = in_titles(Columns::Title).await?;
    let exact = match titles.is_empty() {
        true => Vec::new(),
        false => in_titles(Columns::TitleExact).await?,
    };
    let mut ids: Vec<i64> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    for id in exact.into_iter().chain(titles) {
        if seen.insert(id) {
            ids.push(id);
        }
    }
    ids.truncate(need as usize);
    if ids.len() < need as usize {
        let limit = need + ids.len() as u32;
        // The last tier orders the newest matches the first pass holds
        // (every match, or at least as many as it reads), past the horizon.
        let anywhere = if window.count as usize == newest.len() || newest.len() >= reach {
            db::latest_of(conn, &newest[..newest.len().min(reach)], limit).await?
        } else {
            let Some(expr) = fts::build_in(query, Columns::All) else {
                return Ok(ids);
            };
            db::newest(conn, &expr, scope, (None, reach as u32), limit).await?
        };
        ids.extend(anywhere.into_iter().filter(|id| seen.insert(*id)));
    }
    Ok(ids)
}

/// Ids best first: bm25, then the newer date, then the newer id.
fn ordered(mut ranked: Vec<Ranked>) -> Vec<i64> {
    ranked.sort_by(compare);
    ranked.into_iter().map(|r| r.id).collect()
}

fn compare(a: &Ranked, b: &Ranked) -> Ordering {
    a.rank
        .total_cmp(&b.rank)
        .then_with(|| b.sort_key.cmp(&a.sort_key))
        .then_with(|| b.id.cmp(&a.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: i64, rank: f64, sort_key: &str) -> Ranked {
        Ranked {
            id,
            rank,
            sort_key: sort_key.into(),
        }
    }

    #[test]
    fn ties_in_bm25_go_to_the_newer_article() {
        let ids = ordered(vec![
            r(1, -2.0, "2020-01-01T00:00:00"),
            r(2, -3.0, ""),
            r(3, -2.0, "2024-01-01T00:00:00"),
            r(4, -2.0, "2024-01-01T00:00:00"),
        ]);
        assert_eq!(ids, vec![2, 4, 3, 1]);
    }
}
