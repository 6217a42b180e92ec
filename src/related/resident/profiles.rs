//! The profiles of the resident set: what relating reads of every sketched
//! article (story cluster, day, tags, term vector, MinHash signature).

use crate::store::relating::DocRow;

use super::super::minhash::{self, Signature};
use super::super::similar::Doc;
use super::super::terms;

/// One sketched article as kept (vector and signature in their stored
/// byte form: half the memory of the decoded ones).
#[derive(Debug)]
pub(super) struct Profile {
    pub cluster: i64,
    pub day: Option<i32>,
    pub tags: Box<[i64]>,
    pub vector: Box<[u8]>,
    pub signature: Box<[u8]>,
}

impl Profile {
    pub fn new(row: DocRow, tags: Vec<i64>) -> Profile {
        Profile {
            cluster: row.cluster_id,
            day: row.day.map(|d| d as i32),
            tags: tags.into_boxed_slice(),
            vector: row.vector.into_boxed_slice(),
            signature: row.signature.into_boxed_slice(),
        }
    }

    /// The article's ranking profile.
    pub fn doc(&self, id: i64) -> Doc {
        Doc {
            id,
            cluster: self.cluster,
            day: self.day,
            tags: self.tags.to_vec(),
            vector: terms::from_bytes(&self.vector),
        }
    }

    pub fn signature(&self) -> Signature {
        minhash::from_bytes(&self.signature)
    }
}
