//! Relating's bulk reads by id, each list of ids read as one packed value
//! (`dialect::packed`): the profiles of articles it let go (their tags
//! with them), their signatures, the document frequencies of terms. A row
//! each (and a row per tag) cost a third more at a million articles: each
//! row is handed from SQLite's thread to the caller on its own.

use crate::dispatch;
use crate::store::dialect;
use crate::store::{Conn, Result};

use super::by_ids;
use std::collections::HashMap;

/// One article's stored profile, its tags in page order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfile {
    pub article_id: i64,
    pub cluster_id: i64,
    pub day: Option<i64>,
    pub tags: Vec<i64>,
    /// `None` when read without it ([`Parts::ForRanking`]).
    pub signature: Option<Vec<u8>>,
    pub vector: Vec<u8>,
}

/// Which parts of the profiles to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    Whole,
    /// All but the MinHash signature, which only finding stories reads:
    /// ranking similar articles reads a hundred thousand candidates' profiles
    /// a batch at a million articles, and a signature is 256 of their bytes.
    ForRanking,
}

/// The profiles of those of `ids` that have a sketch.
pub async fn profiles(conn: &mut Conn, ids: &[i64], parts: Parts) -> Result<Vec<StoredProfile>> {
    let head = dispatch!(conn, |c| {
        let tags = dialect::joined_in_order(&*c, "t.tag_id", "t.position");
        let tags = format!("(SELECT {tags} FROM article_tags t WHERE t.article_id = d.article_id)");
        let packed = match parts {
            Parts::Whole => {
                let header = [
                    "d.article_id",
                    "d.cluster_id",
                    "d.day",
                    "length(d.signature)",
                    "length(d.vector)",
                    &tags,
                ];
                dialect::packed(&*c, &header, &["d.signature", "d.vector"])
            }
            Parts::ForRanking => {
                let header = [
                    "d.article_id",
                    "d.cluster_id",
                    "d.day",
                    "length(d.vector)",
                    &tags,
                ];
                dialect::packed(&*c, &header, &["d.vector"])
            }
        };
        format!("SELECT {packed} FROM related_docs d WHERE d.article_id IN (")
    });
    let unpack = match parts {
        Parts::Whole => unpack_profiles,
        Parts::ForRanking => unpack_ranking_profiles,
    };
    let mut out = Vec::with_capacity(ids.len());
    read_packed(conn, &head, ids, &mut out, unpack).await?;
    Ok(out)
}

/// The MinHash signatures of those of `ids` that have a sketch.
pub async fn signatures(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, Vec<u8>)>> {
    let head = dispatch!(conn, |c| {
        let header = ["article_id", "length(signature)"];
        let packed = dialect::packed(&*c, &header, &["signature"]);
        format!("SELECT {packed} FROM related_docs WHERE article_id IN (")
    });
    let mut out = Vec::with_capacity(ids.len());
    read_packed(conn, &head, ids, &mut out, unpack_signatures).await?;
    Ok(out)
}

/// Document frequencies of the given terms (unknown terms are absent).
pub async fn df(conn: &mut Conn, terms: &[i64]) -> Result<HashMap<i64, i64>> {
    let head = dispatch!(conn, |c| {
        let packed = dialect::packed(&*c, &["term_key", "df"], &[]);
        format!("SELECT {packed} FROM related_terms WHERE term_key IN (")
    });
    let mut out = HashMap::with_capacity(terms.len());
    read_packed(conn, &head, terms, &mut out, unpack_df).await?;
    Ok(out)
}

/// Runs `head (ids…)` for each list of ids and reads each packed value
/// into `out` with `unpack`.
async fn read_packed<T>(
    conn: &mut Conn,
    head: &str,
    ids: &[i64],
    out: &mut T,
    unpack: fn(Packed, &mut T) -> Result<(), Malformed>,
) -> Result<()> {
    let packs: Vec<(Option<Vec<u8>>,)> = by_ids(conn, head, ")", ids).await?;
    for (pack,) in packs {
        let pack = pack.unwrap_or_default();
        unpack(Packed(&pack), out).map_err(sqlx::Error::Decode)?;
    }
    Ok(())
}

type Malformed = Box<dyn std::error::Error + Send + Sync>;

/// What is left of a packed value (`dialect::packed`): records of a text
/// header ended by `;` and the bytes its lengths announce.
struct Packed<'a>(&'a [u8]);

impl<'a> Packed<'a> {
    /// The next record's header fields, `None` at the end.
    fn header(&mut self) -> Result<Option<std::str::Split<'a, char>>, Malformed> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let end = self.0.iter().position(|&b| b == b';');
        let end = end.ok_or("a packed record without the end of its header")?;
        let header = std::str::from_utf8(&self.0[..end])?;
        self.0 = &self.0[end + 1..];
        Ok(Some(header.split(' ')))
    }

    /// The next `len` bytes.
    fn bytes(&mut self, len: usize) -> Result<&'a [u8], Malformed> {
        if self.0.len() < len {
            return Err("a packed record is cut short".into());
        }
        let (bytes, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(bytes)
    }
}

/// The next header field, parsed.
fn field<T>(fields: &mut std::str::Split<'_, char>) -> Result<T, Malformed>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let field = fields.next().ok_or("a packed record's header is short")?;
    Ok(field.parse()?)
}

fn unpack_profiles(packed: Packed, out: &mut Vec<StoredProfile>) -> Result<(), Malformed> {
    unpack_profiles_of(packed, out, Parts::Whole)
}

fn unpack_ranking_profiles(packed: Packed, out: &mut Vec<StoredProfile>) -> Result<(), Malformed> {
    unpack_profiles_of(packed, out, Parts::ForRanking)
}

fn unpack_profiles_of(
    mut packed: Packed,
    out: &mut Vec<StoredProfile>,
    parts: Parts,
) -> Result<(), Malformed> {
    while let Some(mut fields) = packed.header()? {
        let (article_id, cluster_id) = (field(&mut fields)?, field(&mut fields)?);
        let day: String = field(&mut fields)?;
        let day = if day.is_empty() {
            None
        } else {
            Some(day.parse()?)
        };
        let signature_len: Option<usize> = match parts {
            Parts::Whole => Some(field(&mut fields)?),
            Parts::ForRanking => None,
        };
        let vector_len = field(&mut fields)?;
        let tags: String = field(&mut fields)?;
        let tags = tags.split(',').filter(|t| !t.is_empty()).map(str::parse);
        let signature = match signature_len {
            Some(len) => Some(packed.bytes(len)?.to_vec()),
            None => None,
        };
        out.push(StoredProfile {
            article_id,
            cluster_id,
            day,
            tags: tags.collect::<Result<_, _>>()?,
            signature,
            vector: packed.bytes(vector_len)?.to_vec(),
        });
    }
    Ok(())
}

fn unpack_signatures(mut packed: Packed, out: &mut Vec<(i64, Vec<u8>)>) -> Result<(), Malformed> {
    while let Some(mut fields) = packed.header()? {
        let (article_id, len) = (field(&mut fields)?, field(&mut fields)?);
        out.push((article_id, packed.bytes(len)?.to_vec()));
    }
    Ok(())
}

fn unpack_df(mut packed: Packed, out: &mut HashMap<i64, i64>) -> Result<(), Malformed> {
    while let Some(mut fields) = packed.header()? {
        out.insert(field(&mut fields)?, field(&mut fields)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `p` as the query packs it: its signature's length and bytes only
    /// when it has one.
    fn pack(p: &StoredProfile) -> Vec<u8> {
        let day = p.day.map(|d| d.to_string()).unwrap_or_default();
        let tags: Vec<String> = p.tags.iter().map(i64::to_string).collect();
        let signature_len = p.signature.as_ref().map(|s| format!("{} ", s.len()));
        let mut out = format!(
            "{} {} {day} {}{} {} ;",
            p.article_id,
            p.cluster_id,
            signature_len.unwrap_or_default(),
            p.vector.len(),
            tags.join(",")
        )
        .into_bytes();
        out.extend_from_slice(p.signature.as_deref().unwrap_or_default());
        out.extend_from_slice(&p.vector);
        out
    }

    #[test]
    fn reads_back_what_was_packed_whatever_its_bytes() {
        let profiles = [
            StoredProfile {
                article_id: 7,
                cluster_id: -3,
                day: Some(20_000),
                tags: vec![5, 2, 9],
                signature: Some((0..=255).collect()),
                vector: b"; 1 2;".to_vec(),
            },
            StoredProfile {
                article_id: 8,
                cluster_id: 8,
                day: None,
                tags: vec![],
                signature: Some(vec![0; 4]),
                vector: vec![],
            },
        ];
        let packed: Vec<u8> = profiles.iter().flat_map(pack).collect();
        let mut out = Vec::new();
        unpack_profiles(Packed(&packed), &mut out).unwrap();
        assert_eq!(out, profiles);

        let for_ranking = profiles.map(|p| StoredProfile {
            signature: None,
            ..p
        });
        let packed: Vec<u8> = for_ranking.iter().flat_map(pack).collect();
        let mut out = Vec::new();
        unpack_ranking_profiles(Packed(&packed), &mut out).unwrap();
        assert_eq!(out, for_ranking);
    }

    #[test]
    fn reads_back_packed_signatures() {
        let packed = b"3 4 ;\0;\x01 9 0 ;12 2 ;ab";
        let mut out = Vec::new();
        unpack_signatures(Packed(packed), &mut out).unwrap();
        let expected = [(3, b"\0;\x01 ".to_vec()), (9, vec![]), (12, b"ab".to_vec())];
        assert_eq!(out, expected);
        assert!(unpack_signatures(Packed(b"3 5 ;abcd"), &mut out).is_err());
    }

    #[test]
    fn reads_back_packed_document_frequencies() {
        let mut out = HashMap::new();
        unpack_df(Packed(b"-5 3 ;7 1 ;"), &mut out).unwrap();
        assert_eq!(out, HashMap::from([(-5, 3), (7, 1)]));
        assert!(unpack_df(Packed(b"-5 x ;"), &mut out).is_err());
    }

    #[test]
    fn a_pack_cut_short_is_an_error_not_a_panic() {
        let whole = pack(&StoredProfile {
            article_id: 1,
            cluster_id: 1,
            day: None,
            tags: vec![1],
            signature: Some(vec![1; 8]),
            vector: vec![2; 10],
        });
        for cut in 0..whole.len() {
            let mut out = Vec::new();
            assert!(
                unpack_profiles(Packed(&whole[..cut]), &mut out).is_err() || cut == 0,
                "{cut}"
            );
        }
    }
}
