//! Taking deleted articles out of the relating engine, before their rows
//! go: their terms leave the document frequencies, a story they named
//! moves under its smallest remaining member, and the resident set lets go
//! of them. Returns the articles whose relations must be worked out again
//! (their story mates and the holders of `similar` lists naming them),
//! which the caller relates once the rows are gone: bounded work, as for
//! an imported batch.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashSet};

use crate::store::relating as db;
use crate::store::relations::{self, RelationKind};

use super::guard::RelatingTx;
use super::{LISTS_PER_FIX, RelatedError, extract_all};

pub async fn forget(tx: &mut RelatingTx<'_>, ids: &[i64]) -> Result<Vec<i64>, RelatedError> {
    let gone: HashSet<i64> = ids.iter().copied().collect();
    let (conn, resident) = tx.parts();
    let mates = relations::links_from(conn, ids, RelationKind::SameStory).await?;
    let mut again: BTreeSet<i64> = mates.iter().map(|&(_, other)| other).collect();
    again.extend(relations::similar_holders(conn, ids, LISTS_PER_FIX * ids.len().max(1)).await?);
    let sketched = db::docs(conn, ids).await?;
    let texts: Vec<db::TextRow> = db::texts(
        conn,
        &sketched.iter().map(|d| d.article_id).collect::<Vec<_>>(),
    )
    .await?;
    let features = extract_all(texts).await?;
    let mut lost: HashMap<i64, i64> = HashMap::default();
    for f in &features {
        for t in &f.counts {
            *lost.entry(t.key).or_default() -= 1;
        }
    }
    let mut rows: Vec<(i64, i64, String)> = lost
        .into_iter()
        .map(|(k, n)| (k, n, String::new()))
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    db::add_df(conn, &rows).await?;
    let docs = db::doc_count(conn).await?;
    db::set_doc_count(conn, docs.saturating_sub(sketched.len() as u64)).await?;
    let mut staying: HashMap<i64, Vec<i64>> = HashMap::default();
    for &(a, o) in mates.iter().filter(|(_, o)| !gone.contains(o)) {
        staying.entry(a).or_default().push(o);
    }
    let mut moves = Vec::new();
    for doc in sketched.iter().filter(|d| d.cluster_id == d.article_id) {
        let rest = staying.remove(&doc.article_id).unwrap_or_default();
        if let Some(&first) = rest.iter().min() {
            moves.extend(rest.iter().map(|&o| (o, first)));
        }
    }
    db::set_clusters(conn, &moves).await?;
    resident.move_clusters(&moves);
    let vectors: HashMap<i64, &[u8]> = sketched
        .iter()
        .map(|d| (d.article_id, d.vector.as_slice()))
        .collect();
    for &id in ids {
        resident.forget(id, vectors.get(&id).copied());
    }
    Ok(again.into_iter().filter(|id| !gone.contains(id)).collect())
}
