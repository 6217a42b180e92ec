//! Lists of articles for the reading pages (home, a source, a tag, a day or
//! month), paginated by keyset on `(sort_key, id)` — never OFFSET — and the
//! name and date indexes with their counts. Feeds read every article
//! ([`cards`]); reading pages show each story once, from a walk of light
//! rows ([`story_rows`]) and the cards they show ([`cards_by_id`]), cut
//! into pages by `web::story_cards`.

mod scope;

pub use scope::Scope;

use crate::dispatch;
use crate::store::{Conn, per_backend};
use sqlx::AssertSqlSafe;

use super::Result;
use super::names::NameTable;

/// One article as a list shows it: a card.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Card {
    pub id: i64,
    pub permalink: String,
    pub slug: String,
    pub title: String,
    pub published: Option<String>,
    pub sort_key: String,
    pub source: Option<String>,
    /// The start of the body (first paragraph or so).
    pub lead: String,
    /// How many other versions of its story the archive holds (its
    /// `same_story` links). Read by [`story_cards`] only; 0 in other lists.
    #[sqlx(default)]
    pub other_versions: i64,
}

impl Card {
    /// Its position in a list.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            sort_key: self.sort_key.clone(),
            id: self.id,
        }
    }
}

/// A position in a list: the `(sort_key, id)` of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort_key: String,
    pub id: i64,
}

/// Which way to read from a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Direction {
    /// The first page (newest first).
    First,
    /// Articles older than the cursor.
    Before(Cursor),
    /// Articles newer than the cursor.
    After(Cursor),
}

/// One page of a list, newest first, with where the pages either side
/// start reading (`None`: nothing more that way).
#[derive(Debug, Clone)]
pub struct CardPage {
    pub cards: Vec<Card>,
    /// The oldest article the page covers, when older ones remain.
    pub older: Option<Cursor>,
    /// The newest article the page covers, when newer ones remain.
    pub newer: Option<Cursor>,
}

impl CardPage {
    /// The page that covers the list from `newest` to `oldest` (both
    /// included), read in `direction`; `more`: rows remain past the end
    /// that was read towards.
    pub fn new(
        cards: Vec<Card>,
        direction: &Direction,
        newest: Option<Cursor>,
        oldest: Option<Cursor>,
        more: bool,
    ) -> CardPage {
        let (has_older, has_newer) = match direction {
            Direction::First => (more, false),
            Direction::Before(_) => (more, true),
            Direction::After(_) => (true, more),
        };
        CardPage {
            cards,
            older: oldest.filter(|_| has_older),
            newer: newest.filter(|_| has_newer),
        }
    }
}

const CARD: &str = "SELECT a.id, a.permalink, a.slug, a.title, a.published, a.sort_key, \
    s.name AS source, substr(a.body, 1, 400) AS lead";
/// [`CARD`] with the lead cut where reading pages cut it (220 characters
/// and one more to know there is more).
const SHORT_CARD: &str = "SELECT a.id, a.permalink, a.slug, a.title, a.published, a.sort_key, \
    s.name AS source, substr(a.body, 1, 224) AS lead";

/// What [`story_rows`] reads: where each row stands, its story
/// cluster, and how many other versions the story has (a range of the
/// primary key of `relations`; `related_docs` is read by its primary key).
/// The cards themselves are read for the rows shown only: a page walks
/// twice its size, and text columns cost the most on their way out.
const STORY: &str = "SELECT a.id, a.sort_key, d.cluster_id AS cluster, \
    (SELECT count(*) FROM relations r WHERE r.article_id = a.id AND r.kind = 'same_story') \
    AS other_versions";
const STORY_JOIN: &str = " LEFT JOIN related_docs d ON d.article_id = a.id";

/// A row of a story walk: where it stands and its story.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoryRow {
    pub id: i64,
    pub sort_key: String,
    /// `related_docs.cluster_id`; `None` when the article is not related yet.
    pub cluster: Option<i64>,
    /// Its `same_story` links.
    pub other_versions: i64,
}

/// A page of at most `size` cards of `scope` in the given direction, every
/// article its own card (feeds).
pub async fn cards(
    conn: &mut Conn,
    scope: &Scope,
    direction: &Direction,
    size: i64,
) -> Result<CardPage> {
    let mut cards: Vec<Card> = rows(conn, scope, direction, false, size + 1).await?;
    let more = cards.len() as i64 > size;
    cards.truncate(size as usize);
    if matches!(direction, Direction::After(_)) {
        cards.reverse();
    }
    let newest = cards.first().map(Card::cursor);
    let oldest = cards.last().map(Card::cursor);
    Ok(CardPage::new(cards, direction, newest, oldest, more))
}

/// Up to `limit` rows of `scope` read in `direction` from its cursor, as
/// [`StoryRow`]s: a walk a story listing is cut from.
pub async fn story_rows(
    conn: &mut Conn,
    scope: &Scope,
    direction: &Direction,
    limit: i64,
) -> Result<Vec<StoryRow>> {
    rows(conn, scope, direction, true, limit).await
}

/// The cards of `ids` (any order; unknown ids are left out).
#[per_backend]
pub async fn cards_by_id(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Card>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = super::dialect::id_list(&*conn, 1);
    let join = super::dialect::list_join(&*conn);
    let sql = format!(
        "{SHORT_CARD} FROM {list} {join} articles a ON a.id = j.value \
         LEFT JOIN sources s ON s.id = a.source_id"
    );
    Ok(sqlx::query_as(AssertSqlSafe(sql))
        .bind(super::json_ids(ids))
        .fetch_all(conn)
        .await?)
}

/// Up to `limit` rows of `scope` from the cursor of `direction`, in the
/// order read (newest first, but oldest first when reading newer ones);
/// `story` reads the columns of [`STORY`] instead of whole cards.
#[per_backend]
async fn rows<T>(
    conn: &mut Conn,
    scope: &Scope,
    direction: &Direction,
    story: bool,
    limit: i64,
) -> Result<Vec<T>>
where
    T: crate::store::DecodeRow,
{
    // $1 the source or tag, [$2, $3) a period, ($4, $5) the cursor, $6 the limit.
    const TAGGED: &str = "article_tags t JOIN articles a ON a.id = t.article_id";
    let (from, scope_sql) = match scope {
        Scope::All => ("articles a", "TRUE"),
        Scope::Source(_) => ("articles a", "a.source_id = $1"),
        Scope::Tag(_) => (TAGGED, "t.tag_id = $1"),
        Scope::Dates { .. } => ("articles a", "a.sort_key >= $2 AND a.sort_key < $3"),
        Scope::SourceDates { .. } => (
            "articles a",
            "a.source_id = $1 AND a.sort_key >= $2 AND a.sort_key < $3",
        ),
        Scope::TagDates { .. } => (
            TAGGED,
            "t.tag_id = $1 AND t.sort_key >= $2 AND t.sort_key < $3",
        ),
    };
    // Tag pages walk the tag's own (tag_id, sort_key, article_id) index.
    let (key, id) = match scope {
        Scope::Tag(_) | Scope::TagDates { .. } => ("t.sort_key", "t.article_id"),
        _ => ("a.sort_key", "a.id"),
    };
    let (cmp, order) = match direction {
        Direction::First => (String::new(), "DESC"),
        Direction::Before(_) => (format!("AND ({key}, {id}) < ($4, $5)"), "DESC"),
        Direction::After(_) => (format!("AND ({key}, {id}) > ($4, $5)"), "ASC"),
    };
    let (columns, join) = match story {
        true => (STORY, STORY_JOIN),
        false => (CARD, " LEFT JOIN sources s ON s.id = a.source_id"),
    };
    let sql = format!(
        "{columns} FROM {from}{join} \
         WHERE {scope_sql} {cmp} ORDER BY {key} {order}, {id} {order} LIMIT $6"
    );
    let mut query = sqlx::query_as::<_, T>(AssertSqlSafe(sql));
    query = match scope {
        Scope::All => query.bind(0i64).bind("").bind(""),
        Scope::Source(n) | Scope::Tag(n) => query.bind(*n).bind("").bind(""),
        Scope::Dates { from, to } => query.bind(0i64).bind(from.clone()).bind(to.clone()),
        Scope::SourceDates { id, from, to } | Scope::TagDates { id, from, to } => {
            query.bind(*id).bind(from.clone()).bind(to.clone())
        }
    };
    query = match direction {
        Direction::First => query.bind("").bind(0i64),
        Direction::Before(c) | Direction::After(c) => query.bind(c.sort_key.clone()).bind(c.id),
    };
    Ok(query.bind(limit).fetch_all(conn).await?)
}

/// The story `permalink`'s article belongs to: it and every other version
/// of it (`same_story` links are complete within a story), oldest first —
/// who told it first, and how it was told again. Empty when unknown.
#[per_backend]
pub async fn story(conn: &mut Conn, permalink: &str) -> Result<Vec<Card>> {
    let sql = format!(
        "{CARD} FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id IN ( \
           SELECT id FROM articles WHERE permalink = $1 \
           UNION SELECT r.other_id FROM relations r JOIN articles m ON m.id = r.article_id \
           WHERE m.permalink = $1 AND r.kind = 'same_story') \
         ORDER BY a.sort_key, a.id"
    );
    Ok(sqlx::query_as(AssertSqlSafe(sql))
        .bind(permalink)
        .fetch_all(conn)
        .await?)
}

/// The body length, in characters, of each of `ids` (a story page shows
/// how each version differs from the first).
#[per_backend]
pub async fn body_lengths(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT a.id, CAST(length(a.body) AS BIGINT) FROM {} \
         {} articles a ON a.id = j.value",
        super::dialect::id_list(&*conn, 1),
        super::dialect::list_join(&*conn)
    )))
    .bind(super::json_ids(ids))
    .fetch_all(conn)
    .await?)
}

/// Whether `article_id` is the first published version of its story (no
/// `same_story` version sorts before it; an article alone is first).
#[per_backend]
pub async fn first_of_story(conn: &mut Conn, article_id: i64) -> Result<bool> {
    let earlier: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM articles a JOIN relations r ON r.article_id = a.id \
           AND r.kind = 'same_story' JOIN articles o ON o.id = r.other_id \
         WHERE a.id = $1 AND (o.sort_key, o.id) < (a.sort_key, a.id)",
    )
    .bind(article_id)
    .fetch_one(conn)
    .await?;
    Ok(earlier == 0)
}

/// A source or tag with its article count.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Named {
    pub id: i64,
    pub name: String,
    pub article_count: i64,
}

/// A source or tag by its normalized key.
#[per_backend]
pub async fn source_by_key(conn: &mut Conn, key: &str) -> Result<Option<Named>> {
    Ok(
        sqlx::query_as("SELECT id, name, article_count FROM sources WHERE key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

#[per_backend]
pub async fn tag_by_key(conn: &mut Conn, key: &str) -> Result<Option<Named>> {
    Ok(
        sqlx::query_as("SELECT id, name, article_count FROM tags WHERE key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

/// Sources or tags, most articles first, `size` at a time after
/// `(count, id)` of the previous page's last one.
#[per_backend]
pub async fn names(
    conn: &mut Conn,
    table: NameTable,
    after: Option<(i64, i64)>,
    size: i64,
) -> Result<Vec<Named>> {
    let (count, id) = after.unwrap_or((i64::MAX, 0));
    let sql = format!(
        "SELECT id, name, article_count FROM {} WHERE article_count > 0 \
         AND (article_count < $1 OR (article_count = $1 AND id > $2)) \
         ORDER BY article_count DESC, id LIMIT $3",
        table.table()
    );
    Ok(sqlx::query_as(AssertSqlSafe(sql))
        .bind(count)
        .bind(id)
        .bind(size)
        .fetch_all(conn)
        .await?)
}

/// Article counts per period: `len` is 4 (years), 7 (months) or 10
/// (days); `prefix` narrows to one year or month ('' for all).
#[per_backend]
pub async fn date_counts(conn: &mut Conn, len: i64, prefix: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT substr(day, 1, CAST($1 AS INTEGER)) AS period, CAST(SUM(article_count) AS BIGINT) FROM day_counts \
         WHERE day >= $2 AND day < $2 || '~' GROUP BY period ORDER BY period DESC",
    )
    .bind(len)
    .bind(prefix)
    .fetch_all(conn)
    .await?)
}

/// Articles and sources in the archive. Ids are never reused, and deleted
/// articles are counted (`store::removal`), so the article count is the
/// highest id handed out less the deleted: two lookups, not a count.
pub async fn totals(conn: &mut Conn) -> Result<(i64, i64)> {
    let (highest, deleted, sources): (i64, i64, i64) = dispatch!(conn, |c| {
        sqlx::query_as(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM articles), \
             COALESCE((SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'articles_deleted'), 0), \
             (SELECT COUNT(*) FROM sources WHERE article_count > 0)",
        )
        .fetch_one(c)
        .await
    })?;
    let used = super::articles::max_id(conn).await?.max(highest);
    Ok(((used - deleted).max(0), sources))
}

/// The highest article id in use (0 when empty): sitemap pages are id ranges.
#[per_backend]
pub async fn highest_id(conn: &mut Conn) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM articles")
        .fetch_one(conn)
        .await?;
    Ok(id)
}

/// Permalinks and slugs of articles with id in `[first, last]`, for a
/// sitemap page.
#[per_backend]
pub async fn permalinks(
    conn: &mut Conn,
    first: i64,
    last: i64,
) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT permalink, slug, updated_at FROM articles WHERE id BETWEEN $1 AND $2 ORDER BY id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(conn)
    .await?)
}
