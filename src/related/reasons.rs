//! Why a similar article is related ("shared topics: <tags or words>"),
//! worked out when the link is made and stored with it (migration 0006),
//! so the article page only reads it: the tags both carry, in the owner's
//! order; when there are none, the strongest terms both vectors share,
//! named as first written in the archive. Naming them at render time cost
//! about a sixth of the article page's throughput.

use std::collections::HashMap;

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::relating as db;
use crate::store::relations::Relation;

use super::similar::Doc;
use super::terms;

/// Words or tags named per reason.
pub const SHOWN: usize = 3;

/// Separates the names of one reason as stored (ASCII unit separator).
pub const SEP: char = '\u{1f}';

/// What two articles share, as keys (tag ids, else term keys), until the
/// link is stored and they are named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shared {
    keys: [i64; SHOWN],
    len: u8,
    tags: bool,
}

impl Shared {
    /// What `other` shares with `owner`: their common tags in the owner's
    /// order, else their strongest common terms.
    pub fn between(owner: &Doc, other: &Doc) -> Shared {
        let tags: Vec<i64> = owner
            .tags
            .iter()
            .copied()
            .filter(|t| other.tags.contains(t))
            .collect();
        if tags.is_empty() {
            Shared::of(&terms::shared(&owner.vector, &other.vector), false)
        } else {
            Shared::of(&tags, true)
        }
    }

    fn of(keys: &[i64], tags: bool) -> Shared {
        let mut shared = Shared {
            tags,
            ..Shared::default()
        };
        for (slot, key) in shared.keys.iter_mut().zip(keys) {
            *slot = *key;
            shared.len += 1;
        }
        shared
    }

    fn keys(&self) -> &[i64] {
        &self.keys[..usize::from(self.len)]
    }
}

/// Names what each link shares and sets it as the link's reason: two
/// batched lookups (tag names, term displays) for all the links.
pub async fn name(
    conn: &mut Conn,
    links: Vec<(Relation, Shared)>,
) -> Result<Vec<Relation>, StoreError> {
    let mut tag_ids: Vec<i64> = Vec::new();
    let mut term_keys: Vec<i64> = Vec::new();
    for (_, shared) in &links {
        let keys = if shared.tags {
            &mut tag_ids
        } else {
            &mut term_keys
        };
        keys.extend_from_slice(shared.keys());
    }
    let tags = names_of(conn, tag_ids, true).await?;
    let words = names_of(conn, term_keys, false).await?;
    Ok(links
        .into_iter()
        .map(|(mut link, shared)| {
            let names = if shared.tags { &tags } else { &words };
            let named: Vec<&str> = shared
                .keys()
                .iter()
                .filter_map(|k| names.get(k).map(String::as_str))
                .collect();
            link.reason = (!named.is_empty()).then(|| named.join(&SEP.to_string()));
            link
        })
        .collect())
}

async fn names_of(
    conn: &mut Conn,
    mut keys: Vec<i64>,
    tags: bool,
) -> Result<HashMap<i64, String>, StoreError> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    keys.sort_unstable();
    keys.dedup();
    if tags {
        db::tag_names(conn, &keys).await
    } else {
        db::displays(conn, &keys).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(tags: &[i64], vector: &[(i64, f32)]) -> Doc {
        Doc {
            tags: tags.to_vec(),
            vector: vector.to_vec(),
            ..Doc::default()
        }
    }

    #[test]
    fn shared_tags_come_first_in_the_owners_order_else_the_strongest_words() {
        let owner = doc(&[7, 3, 9, 4, 5], &[(1, 0.9), (2, 0.1)]);
        let other = doc(&[5, 4, 3, 9], &[(1, 0.5), (2, 0.9)]);
        let both = Shared::between(&owner, &other);
        assert!(both.tags);
        assert_eq!(both.keys(), [3, 9, 4], "owner's order, at most SHOWN");
        let untagged = doc(&[], &[(1, 0.5), (2, 0.9), (8, 1.0)]);
        let words = Shared::between(&owner, &untagged);
        assert!(!words.tags);
        assert_eq!(words.keys(), [1, 2], "strongest product first");
        assert_eq!(Shared::between(&doc(&[], &[]), &untagged).keys(), [0; 0]);
    }
}
