//! Same story: each article's candidates — its LSH bucket neighbours and
//! its nearest articles by tf-idf (the `similar` postings, which synonym
//! swaps barely move) — checked against their stored signatures, become
//! edges: at a high estimate alone, at a lower one when the tf-idf cosine
//! vouches for the pair too. Edges merge story clusters (capped); every
//! pair of a cluster is linked `same_story` both ways, so a cluster's
//! members are always found from any one of them.

use foldhash::{HashMap, HashSet};

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::relating as db;
use crate::store::relations::{self, Relation, RelationKind};

use super::Resident;
use super::cluster::{Clusters, Edge};
use super::index::Entry;
use super::minhash::{self, Signature};
use super::terms::{self, Vector};
use super::{
    MAX_CLUSTER, MAX_STORY_CANDIDATES, PER_BUCKET, STORY_COSINE, STORY_LINKAGE,
    STORY_LOW_THRESHOLD, STORY_THRESHOLD, cores, features,
};

/// Edges found for a batch, with the signatures of every article they name.
#[derive(Debug, Default)]
pub struct Found {
    pub edges: Vec<Edge>,
    pub signatures: HashMap<i64, Signature>,
}

/// An article as the story step sees it.
#[derive(Debug, Clone)]
pub struct Sketch {
    pub id: i64,
    pub signature: Signature,
    /// Its tf-idf vector (as stored): candidates, and the second check.
    pub vector: Vector,
}

impl From<&Entry> for Sketch {
    fn from(e: &Entry) -> Sketch {
        Sketch {
            id: e.doc.id,
            signature: e.signature.clone(),
            vector: e.doc.vector.clone(),
        }
    }
}

/// How [`find`] reads the candidates the resident set does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// Their whole profiles, kept: an import ranks the same pools next.
    Profiles,
    /// Their signatures only, and the profiles of the few an estimate
    /// leaves unsure: `relate --all` ranks in a later pass, by which time
    /// these would have been let go.
    Signatures,
}

/// The same-story edges from each sketch to any stored article; `pools`
/// are the sketches' similar-article pools (`similar_lists::pools`, in
/// the sketches' order), candidates too.
pub async fn find(
    conn: &mut Conn,
    resident: &mut Resident,
    sketches: &[Sketch],
    pools: &[Vec<i64>],
    reads: Reads,
) -> Result<Found, StoreError> {
    let candidates = candidates(resident, sketches, pools);
    let wanted: Vec<i64> = candidates
        .iter()
        .flat_map(|c| c.1.iter().copied())
        .collect();
    let mut found = Found::default();
    for e in sketches {
        found.signatures.insert(e.id, e.signature.clone());
    }
    if reads == Reads::Profiles {
        resident.load(conn, &wanted).await?;
    }
    held_signatures(resident, &wanted, &mut found.signatures);
    if reads == Reads::Signatures {
        let stored = db::signatures(conn, &missing(&wanted, &found.signatures)).await?;
        let decoded = stored.iter().map(|(id, s)| (*id, minhash::from_bytes(s)));
        found.signatures.extend(decoded);
    }
    let (sure, unsure) = confirm(&found.signatures, candidates);
    if reads == Reads::Signatures {
        let ends: Vec<i64> = unsure.iter().flat_map(|e| [e.a, e.b]).collect();
        resident.load(conn, &ends).await?;
    }
    found.edges = sure;
    found.edges.extend(vouched(resident, sketches, unsure));
    found.edges.sort_by_key(|x| (x.a, x.b));
    found.edges.dedup_by(|x, y| (x.a, x.b) == (y.a, y.b));
    // Linking reads the sketches' and the edges' ends'; the other candidates'
    // (whole pools: 100,000 a batch at 1M articles) were held through ranking.
    let ends = found.edges.iter().flat_map(|e| [e.a, e.b]);
    let kept: HashSet<i64> = ends.chain(sketches.iter().map(|s| s.id)).collect();
    found.signatures.retain(|id, _| kept.contains(id));
    found.signatures.shrink_to_fit();
    Ok(found)
}

/// Each sketch's candidates: its LSH bucket neighbours in the window, then
/// its nearest articles by tf-idf (its pool).
fn candidates(
    resident: &Resident,
    sketches: &[Sketch],
    pools: &[Vec<i64>],
) -> Vec<(i64, Vec<i64>)> {
    let mut candidates = bucket_neighbours(resident, sketches);
    for ((_, others), pool) in candidates.iter_mut().zip(pools) {
        for &id in pool {
            if !others.contains(&id) {
                others.push(id);
            }
        }
    }
    candidates
}

/// The candidates whose signatures (in `signatures`) agree enough with
/// the sketch's, as edges: sure ones, and those the vectors must vouch for.
fn confirm(
    signatures: &HashMap<i64, Signature>,
    candidates: Vec<(i64, Vec<i64>)>,
) -> (Vec<Edge>, Vec<Edge>) {
    let judged = cores::map_on_all_cores(&candidates, |(id, others)| {
        let (mut sure, mut unsure) = (Vec::new(), Vec::new());
        let mine = &signatures[id];
        for &other in others {
            let Some(theirs) = signatures.get(&other) else {
                continue;
            };
            let similarity = minhash::similarity(mine, theirs);
            let edge = Edge {
                a: *id.min(&other),
                b: *id.max(&other),
                similarity,
            };
            if similarity >= STORY_THRESHOLD {
                sure.push(edge);
            } else if similarity >= STORY_LOW_THRESHOLD {
                unsure.push(edge);
            }
        }
        (sure, unsure)
    });
    let (mut sure, mut unsure) = (Vec::new(), Vec::new());
    for (yes, maybe) in judged {
        sure.extend(yes);
        unsure.extend(maybe);
    }
    (sure, unsure)
}

/// The edges of `unsure` (estimates between the low and the high
/// threshold) whose two articles' tf-idf vectors agree too: a retold story
/// keeps its names, places and rare words where synonyms broke shingles,
/// while topic-mates share common words, which weigh little.
fn vouched(resident: &Resident, sketches: &[Sketch], unsure: Vec<Edge>) -> Vec<Edge> {
    let mine: HashMap<i64, &Vector> = sketches.iter().map(|s| (s.id, &s.vector)).collect();
    let mut wanted: Vec<i64> = unsure
        .iter()
        .flat_map(|e| [e.a, e.b])
        .filter(|id| !mine.contains_key(id))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let stored = resident.profiles(&wanted);
    let vector = |id: i64| {
        mine.get(&id)
            .copied()
            .or(stored.get(&id).map(|d| &d.vector))
    };
    unsure
        .into_iter()
        .filter(|e| match (vector(e.a), vector(e.b)) {
            (Some(a), Some(b)) => f64::from(terms::cosine(a, b)) >= STORY_COSINE,
            _ => false,
        })
        .collect()
}

/// Each sketch's LSH neighbours: a bounded read of each of its buckets.
fn bucket_neighbours(resident: &Resident, sketches: &[Sketch]) -> Vec<(i64, Vec<i64>)> {
    let bands: Vec<(i64, Vec<i64>)> = sketches
        .iter()
        .map(|e| (e.id, features::bands(&e.signature)))
        .collect();
    let mut keys: Vec<i64> = bands.iter().flat_map(|b| b.1.iter().copied()).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut buckets: HashMap<i64, Vec<i64>> = HashMap::default();
    for (key, id) in resident.bucket_members(&keys, PER_BUCKET) {
        let bucket = buckets.entry(key).or_default();
        if !bucket.contains(&id) {
            bucket.push(id);
        }
    }
    cores::map_on_all_cores(&bands, |(id, keys)| {
        (*id, best_candidates(*id, keys, &buckets))
    })
}

/// The articles sharing most buckets with `id`, newest first among equals,
/// at most `MAX_STORY_CANDIDATES`.
fn best_candidates(id: i64, keys: &[i64], buckets: &HashMap<i64, Vec<i64>>) -> Vec<i64> {
    let mut hits: HashMap<i64, u32> = HashMap::default();
    for key in keys {
        for &other in buckets.get(key).into_iter().flatten() {
            if other != id {
                *hits.entry(other).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(i64, u32)> = hits.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    ranked
        .into_iter()
        .take(MAX_STORY_CANDIDATES)
        .map(|(o, _)| o)
        .collect()
}

/// Takes articles whose text changed out of their old story (their
/// `same_story` links both ways); the rest of that story keeps its links,
/// under its smallest remaining id.
pub async fn detach(
    conn: &mut Conn,
    resident: &mut Resident,
    entries: &mut [Entry],
) -> Result<(), StoreError> {
    let changed: Vec<i64> = entries
        .iter()
        .filter(|e| e.text_changed)
        .map(|e| e.doc.id)
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let links = relations::links_from(conn, &changed, RelationKind::SameStory).await?;
    let changed: HashSet<i64> = changed.into_iter().collect();
    let both: Vec<(i64, i64)> = links.iter().flat_map(|&(a, b)| [(a, b), (b, a)]).collect();
    relations::remove_links(conn, &both, RelationKind::SameStory).await?;
    let mut rest: HashMap<i64, Vec<i64>> = HashMap::default();
    for (a, b) in links {
        if !changed.contains(&b) {
            rest.entry(a).or_default().push(b);
        }
    }
    let mut moves = Vec::new();
    for e in entries.iter_mut().filter(|e| e.text_changed) {
        let others = rest.remove(&e.doc.id).unwrap_or_default();
        if e.doc.cluster == e.doc.id && !others.is_empty() {
            let new_id = *others.iter().min().expect("not empty");
            moves.extend(others.iter().map(|&o| (o, new_id)));
        }
        e.doc.cluster = e.doc.id;
        moves.push((e.doc.id, e.doc.id));
    }
    db::set_clusters(conn, &moves).await?;
    resident.move_clusters(&moves);
    Ok(())
}

/// Merges a batch's edges into the stored clusters and links the new
/// pairs; returns the links added and the members of every merged cluster.
pub async fn link(
    conn: &mut Conn,
    resident: &mut Resident,
    found: &mut Found,
    entries: &mut [Entry],
) -> Result<(u64, Vec<Vec<i64>>), StoreError> {
    let mut ends: Vec<i64> = found.edges.iter().flat_map(|e| [e.a, e.b]).collect();
    ends.sort_unstable();
    ends.dedup();
    let mut mates: HashMap<i64, Vec<i64>> = HashMap::default();
    for (a, b) in relations::links_from(conn, &ends, RelationKind::SameStory).await? {
        mates.entry(a).or_default().push(b);
    }
    let mut clusters = Clusters::default();
    let mut everyone = Vec::new();
    for &id in &ends {
        let mut members = mates.remove(&id).unwrap_or_default();
        members.push(id);
        clusters.insert(&members);
        everyone.extend(members);
    }
    add_signatures(conn, resident, &everyone, &mut found.signatures).await?;
    let merges = merge(&mut clusters, &found.edges, &found.signatures);
    let added = write(conn, resident, &clusters, &merges, &mut found.signatures).await?;
    for e in entries
        .iter_mut()
        .filter(|e| ends.binary_search(&e.doc.id).is_ok())
    {
        e.doc.cluster = clusters.cluster_of(e.doc.id);
    }
    let mut merged = Vec::new();
    for (left, _) in &merges {
        let cluster = clusters.cluster_of(left[0]);
        merged.push(clusters.members(cluster).to_vec());
    }
    Ok((added, merged))
}

/// Merges `edges` into `clusters` (capped, average linkage over signatures).
pub fn merge(
    clusters: &mut Clusters,
    edges: &[Edge],
    signatures: &HashMap<i64, Signature>,
) -> Vec<(Vec<i64>, Vec<i64>)> {
    clusters.merge(edges, MAX_CLUSTER, STORY_LINKAGE, |a, b| {
        match (signatures.get(&a), signatures.get(&b)) {
            (Some(x), Some(y)) => minhash::similarity(x, y),
            _ => 0.0,
        }
    })
}

/// Adds the held signatures of `ids` that `signatures` lacks.
fn held_signatures(resident: &Resident, ids: &[i64], signatures: &mut HashMap<i64, Signature>) {
    signatures.extend(resident.signatures(&missing(ids, signatures)));
}

/// Adds the signatures of `ids` that `signatures` lacks, reading the
/// profiles not held.
async fn add_signatures(
    conn: &mut Conn,
    resident: &mut Resident,
    ids: &[i64],
    signatures: &mut HashMap<i64, Signature>,
) -> Result<(), StoreError> {
    let missing = missing(ids, signatures);
    resident.load(conn, &missing).await?;
    signatures.extend(resident.signatures(&missing));
    Ok(())
}

/// Those of `ids` that `signatures` lacks, sorted, once each.
fn missing(ids: &[i64], signatures: &HashMap<i64, Signature>) -> Vec<i64> {
    let mut missing: Vec<i64> = ids
        .iter()
        .filter(|id| !signatures.contains_key(id))
        .copied()
        .collect();
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// Writes the outcome of merges: new cluster ids and `same_story` links
/// between the two sides of each merge, scored by their signatures.
pub async fn write(
    conn: &mut Conn,
    resident: &mut Resident,
    clusters: &Clusters,
    merges: &[(Vec<i64>, Vec<i64>)],
    signatures: &mut HashMap<i64, Signature>,
) -> Result<u64, StoreError> {
    let members: Vec<i64> = merges
        .iter()
        .flat_map(|(l, r)| l.iter().chain(r))
        .copied()
        .collect();
    add_signatures(conn, resident, &members, signatures).await?;
    let mut rows = Vec::new();
    for (left, right) in merges {
        for &l in left {
            for &r in right {
                let score = match (signatures.get(&l), signatures.get(&r)) {
                    (Some(a), Some(b)) => minhash::similarity(a, b),
                    _ => 0.0,
                };
                rows.extend([(l, r), (r, l)].map(|(a, b)| Relation {
                    article_id: a,
                    other_id: b,
                    kind: RelationKind::SameStory,
                    score,
                    reason: None,
                }));
            }
        }
    }
    let moves = clusters.moves();
    db::set_clusters(conn, &moves).await?;
    resident.move_clusters(&moves);
    relations::add(conn, &rows).await
}

#[cfg(test)]
mod tests;
