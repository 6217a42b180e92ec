//! The story step's edge rules.

use super::*;
use crate::store::relating::DocRow;

use super::super::{PERMUTATIONS, similar_lists};

/// A signature agreeing with article 1's on its first `shared` values.
fn signature(shared: usize, own: u16) -> Signature {
    (0..PERMUTATIONS as u16)
        .map(|i| {
            if usize::from(i) < shared {
                1000 + i
            } else {
                own * 200 + i
            }
        })
        .collect()
}

fn sketch(id: i64, signature: Signature, terms: [i64; 3]) -> Sketch {
    let vector = terms.iter().map(|&t| (t, 0.57)).collect();
    Sketch {
        id,
        signature,
        vector,
    }
}

/// A resident set holding `sketches` as stored, each its own story.
fn resident_of<'a>(sketches: impl IntoIterator<Item = &'a Sketch>) -> Resident {
    let mut resident = Resident::default();
    for s in sketches {
        resident.put(
            DocRow {
                article_id: s.id,
                cluster_id: s.id,
                day: None,
                fingerprint: 0,
                basis: 1,
                signature: minhash::to_bytes(&s.signature),
                vector: terms::to_bytes(&s.vector),
            },
            Vec::new(),
            None,
        );
    }
    resident
}

#[test]
fn a_low_estimate_makes_an_edge_only_when_the_vectors_agree_too() {
    let words = [100, 101, 102];
    let stored = sketch(1, signature(PERMUTATIONS, 0), words);
    let batch = [
        // 10/128 ≈ 0.078: between the thresholds, same words.
        sketch(2, signature(10, 2), words),
        // The same estimate, other words: topic-mates by chance.
        sketch(3, signature(10, 3), [200, 201, 202]),
        // 14/128 ≈ 0.109: enough alone.
        sketch(4, signature(14, 4), [300, 301, 302]),
    ];
    let resident = resident_of(std::iter::once(&stored).chain(&batch));
    let pools = similar_lists::pools(&resident, batch.iter().map(|s| (s.id, &s.vector)));
    let candidates = candidates(&resident, &batch, &pools);
    let wanted: Vec<i64> = candidates.iter().flat_map(|c| c.1.clone()).collect();
    let mut signatures: HashMap<i64, Signature> =
        batch.iter().map(|s| (s.id, s.signature.clone())).collect();
    held_signatures(&resident, &wanted, &mut signatures);
    let (sure, unsure) = confirm(&signatures, candidates);
    let vouched = vouched(&resident, &batch, unsure);
    let mut edges: Vec<(i64, i64)> = sure.iter().chain(&vouched).map(|e| (e.a, e.b)).collect();
    edges.sort_unstable();
    edges.dedup();
    assert_eq!(edges, [(1, 2), (1, 4)]);
}

#[tokio::test]
async fn found_keeps_only_the_signatures_its_edges_and_sketches_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::store::Db::open(&dir.path().join("a.db"))
        .await
        .unwrap();
    let mut conn = db.write.acquire().await.unwrap();
    let words = [100, 101, 102];
    // 1 is the batch's story; 5 shares its words, not its text: a
    // candidate (in the pool) but no edge.
    let stored = [
        sketch(1, signature(PERMUTATIONS, 0), words),
        sketch(5, signature(0, 7), words),
    ];
    let batch = [sketch(2, signature(14, 2), words)];
    let mut resident = resident_of(stored.iter().chain(&batch));
    let pools = similar_lists::pools(&resident, batch.iter().map(|s| (s.id, &s.vector)));
    assert!(pools[0].contains(&5), "5 is a candidate: {pools:?}");
    let found = find(&mut conn, &mut resident, &batch, &pools, Reads::Profiles)
        .await
        .unwrap();
    let edges: Vec<(i64, i64)> = found.edges.iter().map(|e| (e.a, e.b)).collect();
    assert_eq!(edges, [(1, 2)]);
    let mut kept: Vec<i64> = found.signatures.keys().copied().collect();
    kept.sort_unstable();
    assert_eq!(kept, [1, 2]);
}
