//! Why two articles are related, for the article page ("same story from
//! <source>", "shared topics: <tags or words>"): read from what is stored,
//! with a fixed number of indexed queries whatever the archive's size.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use crate::store::StoreError;
use crate::store::related as db;
use crate::store::relations::RelationKind;

use super::terms;

/// Words or tags shown per reason.
const SHOWN: usize = 3;

/// One computed link of an article and what explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub other_id: i64,
    pub kind: RelationKind,
    /// `same_story`: the other article's source.
    pub source: Option<String>,
    /// `similar`: the tags both carry (as written on this article), at most 3.
    pub tags: Vec<String>,
    /// `similar`: the strongest terms both share, as first written in the
    /// archive, at most 3 (shown when no tag is shared).
    pub terms: Vec<String>,
}

/// The reasons of `article_id`'s `same_story` links, then of its `similar`
/// links best first (`read_also` links explain themselves). Six queries.
pub async fn reasons(
    conn: &mut SqliteConnection,
    article_id: i64,
) -> Result<Vec<Reason>, StoreError> {
    let me = [article_id];
    let mut same: Vec<i64> = db::links_from(conn, &me, RelationKind::SameStory)
        .await?
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    same.sort_unstable();
    let mut similar = db::similar_lists(conn, &me).await?;
    similar.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.other_id.cmp(&b.other_id))
    });
    let similar: Vec<i64> = similar.into_iter().map(|r| r.other_id).collect();
    let sources: HashMap<i64, String> = db::sources_of(conn, &same).await?.into_iter().collect();
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for (other, name) in db::shared_tags(conn, article_id, &similar).await? {
        tags.entry(other).or_default().push(name);
    }
    let terms = shared_terms(conn, article_id, &similar).await?;
    let mut out: Vec<Reason> = same
        .iter()
        .map(|&other| Reason {
            other_id: other,
            kind: RelationKind::SameStory,
            source: sources.get(&other).cloned(),
            tags: Vec::new(),
            terms: Vec::new(),
        })
        .collect();
    out.extend(similar.iter().map(|&other| {
        Reason {
            other_id: other,
            kind: RelationKind::Similar,
            source: None,
            tags: tags
                .remove(&other)
                .unwrap_or_default()
                .into_iter()
                .take(SHOWN)
                .collect(),
            terms: terms.get(&other).cloned().unwrap_or_default(),
        }
    }));
    Ok(out)
}

/// For each of `others`, the strongest terms it shares with `article_id`.
async fn shared_terms(
    conn: &mut SqliteConnection,
    article_id: i64,
    others: &[i64],
) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let mut ids = others.to_vec();
    ids.push(article_id);
    let vectors: HashMap<i64, terms::Vector> = db::docs(conn, &ids)
        .await?
        .into_iter()
        .map(|d| (d.article_id, terms::from_bytes(&d.vector)))
        .collect();
    let Some(mine) = vectors.get(&article_id) else {
        return Ok(HashMap::new());
    };
    let shared: HashMap<i64, Vec<i64>> = others
        .iter()
        .filter_map(|o| Some((*o, terms::shared(mine, vectors.get(o)?))))
        .map(|(o, keys)| (o, keys.into_iter().take(SHOWN).collect()))
        .collect();
    let mut keys: Vec<i64> = shared.values().flatten().copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let words = db::displays(conn, &keys).await?;
    Ok(shared
        .into_iter()
        .map(|(o, keys)| {
            (
                o,
                keys.iter().filter_map(|k| words.get(k).cloned()).collect(),
            )
        })
        .collect())
}
