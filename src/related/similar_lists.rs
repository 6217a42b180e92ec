//! `similar` lists: candidates from the impact-ordered postings of an
//! article's strongest terms (a fixed number per term), the best of them
//! re-ranked by `similar::score`, the list rules applied; then the article
//! is offered to the lists of its best candidates, each of which takes it
//! only if it beats their worst entry. All work is bounded per article.

use foldhash::{HashMap, HashSet};

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::relations::{self, Relation, RelationKind};

use super::Resident;
use super::index::strongest;
use super::reasons::{self, Shared};
use super::similar::{self, Doc, Pick};
use super::terms;
use super::{K, LISTS_PER_FIX, OFFERS, PER_TERM, POOL, QUERY_TERMS, cores};

/// An article offered to another's list: (owner of the list, the pick).
/// What the two share is worked out only for the offers a list takes
/// (see [`offer`]): `relate --all` holds every offer of the archive until
/// all lists exist, about four an article, and carrying it doubled them.
pub type Offer = (i64, Pick);

/// The lists of a batch, ranked and not yet stored (see [`Ranked::store`]).
#[derive(Debug)]
pub struct Ranked {
    ids: Vec<i64>,
    rows: Vec<(Relation, Shared)>,
    offers: Vec<Offer>,
    lists: Vec<(i64, Vec<Pick>)>,
}

/// Ranks the lists of `docs` from their `pools` (from [`pools`], in the
/// docs' order), reading the candidates' profiles not held; storing them
/// is a step of its own, so that `relate --all` can read ahead meanwhile.
pub async fn rank(
    conn: &mut Conn,
    resident: &mut Resident,
    docs: &mut [Doc],
    pools: &[Vec<i64>],
) -> Result<Ranked, StoreError> {
    let ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
    let batch: HashSet<i64> = ids.iter().copied().collect();
    let mut wanted: Vec<i64> = pools
        .iter()
        .flatten()
        .copied()
        .filter(|id| !batch.contains(id))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    resident.load_for_ranking(conn, &wanted).await?;
    // Indexing kept each doc's tags with its sketch.
    for d in docs.iter_mut() {
        d.tags = resident.tags(d.id);
    }
    let mut exclude: HashMap<i64, HashSet<i64>> = HashMap::default();
    for (a, b) in relations::read_also_either_way(conn, &ids).await? {
        exclude.entry(a).or_default().insert(b);
    }
    let in_batch: HashMap<i64, &Doc> = docs.iter().map(|d| (d.id, d)).collect();
    let work: Vec<(&Doc, &Vec<i64>)> = docs.iter().zip(pools.iter()).collect();
    let none = HashSet::default();
    let ranked = cores::map_on_all_cores(&work, |&(me, pool)| {
        // Decoded pool by pool, not all at once: a batch's candidates held
        // decoded were about 65 MB at a million articles, and a candidate
        // is in about 1.3 of a batch's pools.
        let decoded: Vec<Option<Doc>> = pool
            .iter()
            .map(|id| {
                if in_batch.contains_key(id) {
                    None
                } else {
                    resident.doc(*id)
                }
            })
            .collect();
        let candidates: Vec<&Doc> = pool
            .iter()
            .zip(&decoded)
            .filter_map(|(id, d)| d.as_ref().or_else(|| in_batch.get(id).copied()))
            .collect();
        let picks = similar::ranked(me, candidates.iter().copied());
        let list = similar::top(&picks, exclude.get(&me.id).unwrap_or(&none), K);
        let rows: Vec<(Relation, Shared)> = list
            .iter()
            .map(|p| {
                let pick = candidates.iter().find(|c| c.id == p.id);
                let shared = pick.map(|c| Shared::between(me, c));
                (link(me.id, p), shared.unwrap_or_default())
            })
            .collect();
        (rows, offers_of(me, &picks), list)
    });
    let (mut rows, mut offers, mut lists) = (Vec::new(), Vec::new(), Vec::new());
    for (me, (links, offered, list)) in docs.iter().zip(ranked) {
        rows.extend(links);
        offers.extend(offered);
        lists.push((me.id, list));
    }
    Ok(Ranked {
        ids,
        rows,
        offers,
        lists,
    })
}

impl Ranked {
    /// Stores the lists (replacing the batch's `similar` links) and keeps
    /// them resident; returns the links added and the offers each doc
    /// makes to its best candidates' lists (see [`offer`]).
    pub async fn store(
        self,
        conn: &mut Conn,
        resident: &mut Resident,
    ) -> Result<(u64, Vec<Offer>), StoreError> {
        relations::clear_links_from(conn, &self.ids, RelationKind::Similar).await?;
        let rows = reasons::name(conn, self.rows).await?;
        let added = relations::add(conn, &rows).await?;
        for (owner, list) in self.lists {
            resident.set_list(owner, list);
        }
        Ok((added, self.offers))
    }
}

/// `me` offered to the lists of its `OFFERS` best candidates (`picks`,
/// from `similar::ranked`, read-also links included: the owner's list
/// checks its own).
fn offers_of(me: &Doc, picks: &[Pick]) -> Vec<Offer> {
    let mine = Pick {
        id: me.id,
        cluster: me.cluster,
        score: 0.0,
    };
    similar::one_per_cluster(picks.to_vec(), OFFERS)
        .into_iter()
        .map(|p| {
            let pick = Pick {
                score: p.score,
                ..mine
            };
            (p.id, pick)
        })
        .collect()
}

/// Each new link with what its owner and pick share, from their profiles
/// (read back where the resident set let them go): the same profiles the
/// offer was ranked on, as relating changes none of them meanwhile.
async fn shared_by(
    conn: &mut Conn,
    resident: &mut Resident,
    links: &[(i64, Pick)],
) -> Result<Vec<(Relation, Shared)>, StoreError> {
    let mut ids: Vec<i64> = links.iter().flat_map(|(owner, p)| [*owner, p.id]).collect();
    ids.sort_unstable();
    ids.dedup();
    resident.load_for_ranking(conn, &ids).await?;
    let docs = resident.profiles(&ids);
    Ok(links
        .iter()
        .map(|(owner, p)| {
            let shared = match (docs.get(owner), docs.get(&p.id)) {
                (Some(owner), Some(other)) => Shared::between(owner, other),
                _ => Shared::default(),
            };
            (link(*owner, p), shared)
        })
        .collect())
}

fn link(owner: i64, p: &Pick) -> Relation {
    Relation {
        article_id: owner,
        other_id: p.id,
        kind: RelationKind::Similar,
        score: f64::from(p.score),
        reason: None,
    }
}

/// For each doc, the `POOL` articles with the best partial scores over its
/// `QUERY_TERMS` strongest terms (at most `PER_TERM` postings per term).
pub(super) fn pools<'a>(
    resident: &Resident,
    docs: impl IntoIterator<Item = (i64, &'a terms::Vector)>,
) -> Vec<Vec<i64>> {
    let (ids, queries): (Vec<i64>, Vec<terms::Vector>) = docs
        .into_iter()
        .map(|(id, vector)| (id, strongest(vector, QUERY_TERMS)))
        .unzip();
    let mut keys: Vec<i64> = queries.iter().flatten().map(|t| t.0).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut postings: HashMap<i64, Vec<(f32, i64)>> = HashMap::default();
    for (term, weight, id) in resident.strongest_postings(&keys, PER_TERM) {
        let list = postings.entry(term).or_default();
        if !list.iter().any(|p| p.1 == id) {
            list.push((terms::dequantize(weight as u16), id));
        }
    }
    let work: Vec<(i64, terms::Vector)> = ids.into_iter().zip(queries).collect();
    cores::map_on_all_cores(&work, |(me, query)| {
        let mut partial: HashMap<i64, f32> = HashMap::default();
        for &(term, w) in query {
            for &(pw, id) in postings.get(&term).into_iter().flatten() {
                if id != *me {
                    *partial.entry(id).or_default() += w * pw;
                }
            }
        }
        let mut ranked: Vec<(i64, f32)> = partial.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // A new list, not `into_iter`: collecting in place would keep all
        // of `ranked`'s room (every partly scored article) in each pool.
        ranked.iter().take(POOL).map(|&(id, _)| id).collect()
    })
}

/// Offers picks to their owners' stored lists: a list takes a pick only
/// when it beats its worst entry (or fills a free place), keeping the list
/// rules; the result is the best of the list and its offers, whatever
/// their order. Returns the links added.
pub async fn offer(
    conn: &mut Conn,
    resident: &mut Resident,
    offers: &[Offer],
) -> Result<u64, StoreError> {
    let mut owners: Vec<i64> = offers.iter().map(|o| o.0).collect();
    owners.sort_unstable();
    owners.dedup();
    resident.load_lists(conn, &owners).await?;
    let own = resident.clusters(&owners);
    let read_also: HashSet<(i64, i64)> = relations::read_also_either_way(conn, &owners)
        .await?
        .into_iter()
        .collect();
    let mut lists = resident.lists(&owners);
    let before = lists.clone();
    for &(owner, pick) in offers {
        let Some(&cluster) = own.get(&owner) else {
            continue;
        };
        if owner == pick.id || read_also.contains(&(owner, pick.id)) {
            continue;
        }
        let list = lists.entry(owner).or_default();
        if let Some(new) = similar::merge_offer(cluster, list, pick, K) {
            *list = new;
        }
    }
    store_changes(conn, resident, &before, &lists).await
}

/// Writes the difference between two sets of lists, each new link with
/// what its two articles share, and keeps the new lists resident; returns
/// links added.
async fn store_changes(
    conn: &mut Conn,
    resident: &mut Resident,
    before: &HashMap<i64, Vec<Pick>>,
    after: &HashMap<i64, Vec<Pick>>,
) -> Result<u64, StoreError> {
    let (mut gone, mut new) = (Vec::new(), Vec::new());
    let mut owners: Vec<&i64> = after.keys().collect();
    owners.sort_unstable();
    for owner in owners {
        let (old, now) = (
            before.get(owner).map_or(&[][..], Vec::as_slice),
            &after[owner],
        );
        gone.extend(
            old.iter()
                .filter(|p| !now.iter().any(|q| q.id == p.id))
                .map(|p| (*owner, p.id)),
        );
        new.extend(
            now.iter()
                .filter(|p| !old.iter().any(|q| q.id == p.id))
                .map(|p| (*owner, *p)),
        );
    }
    relations::remove_links(conn, &gone, RelationKind::Similar).await?;
    let new = shared_by(conn, resident, &new).await?;
    let new = reasons::name(conn, new).await?;
    let added = relations::add(conn, &new).await?;
    for (owner, list) in after {
        resident.set_list(*owner, list.clone());
    }
    Ok(added)
}

/// After stories merged, the lists that hold their members may hold two of
/// one story, or their owner's own story: keep the best of each story and
/// drop the owner's own (bounded by `LISTS_PER_FIX` lists per call).
pub async fn fix(
    conn: &mut Conn,
    resident: &mut Resident,
    merged: &[Vec<i64>],
) -> Result<(), StoreError> {
    let members: Vec<i64> = merged.iter().flatten().copied().collect();
    if members.is_empty() {
        return Ok(());
    }
    let holders = relations::similar_holders(conn, &members, LISTS_PER_FIX).await?;
    resident.load_lists(conn, &holders).await?;
    let before = resident.lists(&holders);
    let owners: Vec<i64> = before.keys().copied().collect();
    let own = resident.clusters(&owners);
    let mut after = before.clone();
    for (owner, list) in after.iter_mut() {
        let cluster = own.get(owner).copied();
        let kept: Vec<Pick> = list
            .iter()
            .copied()
            .filter(|p| Some(p.cluster) != cluster)
            .collect();
        *list = similar::one_per_cluster(kept, K);
    }
    // Lists only lose entries here: no new link, no profile read.
    store_changes(conn, resident, &before, &after).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::related::{PER_TERM, minhash};
    use crate::store::relating::DocRow;

    #[test]
    fn a_pool_takes_the_room_of_its_articles_only() {
        // Two shared terms: up to 2 × PER_TERM partly scored articles for
        // a pool of POOL.
        const { assert!(2 * PER_TERM > POOL) };
        let mut resident = Resident::default();
        for id in 1..=100 {
            let vector: terms::Vector = vec![(7, 0.5 + id as f32 / 1000.0), (8, 0.5)];
            resident.put(
                DocRow {
                    article_id: id,
                    cluster_id: id,
                    day: None,
                    fingerprint: 0,
                    basis: 1,
                    signature: minhash::to_bytes(&vec![0; crate::related::PERMUTATIONS]),
                    vector: terms::to_bytes(&vector),
                },
                Vec::new(),
                None,
            );
        }
        let query: terms::Vector = vec![(7, 0.7), (8, 0.7)];
        let pools = pools(&resident, [(1000, &query)]);
        assert_eq!(pools[0].len(), POOL);
        assert!(
            pools[0].capacity() <= POOL,
            "a pool of {} kept room for {}",
            POOL,
            pools[0].capacity()
        );
    }
}
