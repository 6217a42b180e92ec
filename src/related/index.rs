//! Keeping an article's sketches: term statistics (idf), its signature and
//! vector in the database, and in the [`Resident`] set its profile, LSH
//! bands and postings (derived from the stored signature and vector, so a
//! changed article's old ones are removed exactly).

use foldhash::HashMap;

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::relating::{self as db, DocRow};

use super::Resident;
use super::features::Features;
use super::minhash::{self, Signature};
use super::similar::Doc;
use super::terms::{self, Vector};
use super::{POSTED_TERMS, VECTOR_TERMS, cores};

/// One article as indexed: what the story and similar steps work on.
#[derive(Debug, Clone)]
pub struct Entry {
    pub doc: Doc,
    pub signature: Signature,
    pub fingerprint: i64,
    /// Articles in the archive when its vector was weighed.
    pub basis: u64,
    /// It had a sketch before, made from other text.
    pub text_changed: bool,
}

/// Whether indexing counts the articles' terms into the document
/// frequencies (`relate --all` counts the whole archive first).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Df {
    Count,
    Frozen,
}

/// Indexes `batch` (features of stored articles) inside the caller's transaction.
pub async fn index(
    conn: &mut Conn,
    resident: &mut Resident,
    batch: Vec<Features>,
    df_mode: Df,
) -> Result<Vec<Entry>, StoreError> {
    let ids: Vec<i64> = batch.iter().map(|f| f.id).collect();
    let mut old: HashMap<i64, DocRow> = db::docs(conn, &ids)
        .await?
        .into_iter()
        .map(|d| (d.article_id, d))
        .collect();
    if df_mode == Df::Count {
        let changed = |f: &Features| {
            old.get(&f.id)
                .is_none_or(|o| o.fingerprint != f.fingerprint)
        };
        count_terms(conn, &batch, changed).await?;
        let new = batch.iter().filter(|f| !old.contains_key(&f.id)).count() as u64;
        let total = db::doc_count(conn).await? + new;
        db::set_doc_count(conn, total).await?;
    }
    let docs = db::doc_count(conn).await?.max(1);
    let mut keys: Vec<i64> = batch
        .iter()
        .flat_map(|f| f.counts.iter().map(|t| t.key))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let df = db::df(conn, &keys).await?;
    let df = |k: i64| df.get(&k).copied().unwrap_or(1) as u64;
    let mut previous: HashMap<i64, Vec<u8>> = HashMap::default();
    let batch: Vec<(Features, Option<DocRow>)> = batch
        .into_iter()
        .map(|f| {
            let mut prior = old.remove(&f.id);
            if let Some(p) = prior.as_mut() {
                previous.insert(p.article_id, std::mem::take(&mut p.vector));
            }
            (f, prior)
        })
        .collect();
    let entries = cores::map_on_all_cores(&batch, |(f, prior)| entry(f, prior.as_ref(), &df, docs));
    write(conn, resident, &entries, &previous).await?;
    Ok(entries)
}

/// An article's entry: its vector weighed against `docs` articles.
fn entry(f: &Features, old: Option<&DocRow>, df: &impl Fn(i64) -> u64, docs: u64) -> Entry {
    let weighed = terms::weigh(&f.counts, df, docs, VECTOR_TERMS);
    // Ranked as stored (16-bit weights), so a list computed now and one
    // recomputed later from the stored vector agree.
    let vector = terms::from_bytes(&terms::to_bytes(&weighed));
    Entry {
        doc: Doc {
            id: f.id,
            cluster: old.map_or(f.id, |o| o.cluster_id),
            day: f.day.map(|d| d as i32),
            tags: Vec::new(),
            vector,
        },
        signature: f.signature.clone(),
        fingerprint: f.fingerprint,
        basis: docs,
        text_changed: old.is_some_and(|o| o.fingerprint != f.fingerprint),
    }
}

/// Adds one to the document frequency of every term of every article whose
/// text is new to the index (`counts` are distinct terms already).
async fn count_terms(
    conn: &mut Conn,
    batch: &[Features],
    changed: impl Fn(&Features) -> bool,
) -> Result<(), StoreError> {
    let mut gained: HashMap<i64, (i64, &str)> = HashMap::default();
    for f in batch.iter().filter(|f| changed(f)) {
        for t in &f.counts {
            gained.entry(t.key).or_insert((0, &t.display)).0 += 1;
        }
    }
    let mut rows: Vec<(i64, i64, String)> = gained
        .into_iter()
        .map(|(k, (n, display))| (k, n, display.to_owned()))
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    db::add_df(conn, &rows).await
}

/// Stores the sketch of every entry and keeps it resident with the
/// article's tags (a batch's tags are written before it is related);
/// `previous` holds the vectors stored before for the entries that had one.
async fn write(
    conn: &mut Conn,
    resident: &mut Resident,
    entries: &[Entry],
    previous: &HashMap<i64, Vec<u8>>,
) -> Result<(), StoreError> {
    let rows: Vec<DocRow> = entries.iter().map(doc_row).collect();
    db::save_docs(conn, &rows).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.article_id).collect();
    let mut tags = db::tags_of(conn, &ids).await?;
    for row in rows {
        let own = tags.remove(&row.article_id).unwrap_or_default();
        let old = previous.get(&row.article_id).map(Vec::as_slice);
        resident.put(row, own, old);
    }
    Ok(())
}

fn doc_row(e: &Entry) -> DocRow {
    DocRow {
        article_id: e.doc.id,
        cluster_id: e.doc.cluster,
        day: e.doc.day.map(i64::from),
        fingerprint: e.fingerprint,
        basis: e.basis as i64,
        signature: minhash::to_bytes(&e.signature),
        vector: terms::to_bytes(&e.doc.vector),
    }
}

/// The postings of a vector: its `POSTED_TERMS` strongest terms.
pub fn posted(vector: &Vector, id: i64) -> Vec<(i64, i64, i64)> {
    strongest(vector, POSTED_TERMS)
        .into_iter()
        .map(|(k, w)| (k, i64::from(terms::quantize(w)), id))
        .collect()
}

/// The `n` strongest terms of a vector, strongest first (ties by key).
pub fn strongest(vector: &Vector, n: usize) -> Vector {
    let mut v = vector.clone();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}
