//! The resident set's own rules (the window, postings and profile
//! limits have their own tests beside them).

use super::*;
use crate::store::relating::{Parts, StoredProfile};

fn row(id: i64, signature: Vec<u16>, vector: terms::Vector) -> DocRow {
    DocRow {
        article_id: id,
        cluster_id: id,
        day: Some(20_000),
        fingerprint: 0,
        basis: 1,
        signature: minhash::to_bytes(&signature),
        vector: terms::to_bytes(&vector),
    }
}

#[test]
fn a_replaced_sketch_leaves_no_trace_of_its_old_buckets_and_postings() {
    let mut set = Resident::default();
    let old = row(7, vec![1; super::super::PERMUTATIONS], vec![(11, 0.5)]);
    set.put(old.clone(), vec![3], None);
    let old_bands = features::bands(&minhash::from_bytes(&old.signature));
    assert_eq!(
        set.bucket_members(&old_bands[..1], 8),
        vec![(old_bands[0], 7)]
    );
    let new = row(7, vec![2; super::super::PERMUTATIONS], vec![(12, 0.5)]);
    set.put(new, vec![4], Some(&old.vector));
    assert!(set.bucket_members(&old_bands, 8).is_empty());
    assert!(set.strongest_postings(&[11], 8).is_empty());
    assert_eq!(set.strongest_postings(&[12], 8).len(), 1);
    assert_eq!(set.profiles(&[7])[&7].tags, vec![4]);
    set.move_clusters(&[(7, 3)]);
    assert_eq!(set.clusters(&[7, 8]), HashMap::from_iter([(7, 3)]));
}

#[test]
fn lists_take_their_entries_clusters_from_profiles() {
    let mut set = Resident::default();
    for id in [1, 2, 3] {
        set.put(
            row(id, vec![id as u16; super::super::PERMUTATIONS], vec![]),
            vec![],
            None,
        );
    }
    let pick = |id, score| Pick {
        id,
        cluster: 0,
        score,
    };
    set.set_list(1, vec![pick(3, 0.25), pick(2, 0.5), pick(9, 0.75)]);
    set.move_clusters(&[(3, 2)]);
    let got = &set.lists(&[1, 2])[&1];
    let want = [(2, 2, 0.5), (3, 2, 0.25)];
    assert_eq!(
        got.iter()
            .map(|p| (p.id, p.cluster, p.score))
            .collect::<Vec<_>>(),
        want
    );
    // An owner known to have no list is held as such, and has none.
    set.set_list(1, vec![]);
    assert!(set.lists(&[1]).is_empty());
}

/// Catches a profile read for ranking passing for a whole one (finding
/// stories would miss its signature), and a whole read replacing what
/// the transaction changed in the held profile.
#[test]
fn a_profile_read_for_ranking_is_read_again_for_its_signature_only() {
    let mut set = Resident::default();
    let stored = |signature: Option<Vec<u8>>| StoredProfile {
        article_id: 5,
        cluster_id: 5,
        day: None,
        tags: vec![2],
        signature,
        vector: terms::to_bytes(&vec![(11, 0.5)]),
    };
    set.adopt(vec![stored(None)], Duration::ZERO);
    assert!(set.missing(&[5]).is_empty(), "held for ranking");
    assert_eq!(set.missing_parts(&[5, 6], Parts::Whole), [5, 6]);
    assert!(set.signatures(&[5]).is_empty());
    assert_eq!(
        set.profiles(&[5])[&5].vector,
        vec![(11, terms::dequantize(terms::quantize(0.5)))]
    );

    set.move_clusters(&[(5, 9)]);
    let signature = vec![3u16; super::super::PERMUTATIONS];
    set.adopt(
        vec![stored(Some(minhash::to_bytes(&signature)))],
        Duration::ZERO,
    );
    assert_eq!(set.signatures(&[5]), [(5, signature)]);
    assert!(set.missing_parts(&[5], Parts::Whole).is_empty());
    assert_eq!(set.clusters(&[5])[&5], 9, "the held profile is kept");
    assert_eq!(set.read_back().profiles, 1);
}
