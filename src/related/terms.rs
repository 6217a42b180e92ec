//! Term vectors for `similar`: Light10 stems of the title (counted twice)
//! and the body, without stopwords, one-letter words and pure numbers
//! (spec: arabic-text.md §c, "Related-article similarity"), weighted by
//! tf-idf, normalized, and cut to the strongest terms so that a vector is
//! small enough to store and compare.

use foldhash::HashMap;

use crate::arabic;

use super::hash;

/// A term's key: the stable hash of its stem.
pub type TermKey = i64;

/// One distinct term of an article, before weighting.
#[derive(Debug, Clone, PartialEq)]
pub struct TermCount {
    pub key: TermKey,
    pub count: u32,
    /// The word as first written in the article, shown as a reason.
    pub display: String,
}

/// (term, weight) pairs sorted by term; weights of the full vector are
/// L2-normalized before it is cut, so a cut vector's norm is at most 1.
pub type Vector = Vec<(TermKey, f32)>;

/// Times a title word counts: titles say what an article is about.
const TITLE_WEIGHT: u32 = 2;

/// The distinct terms of an article with their counts, in first-seen order.
pub fn count_terms(title: &str, body: &str) -> Vec<TermCount> {
    let mut out: Vec<TermCount> = Vec::new();
    let mut at: HashMap<TermKey, usize> = HashMap::default();
    for (text, weight) in [(title, TITLE_WEIGHT), (body, 1)] {
        for token in arabic::analyze(text) {
            if !is_term(&token.norm) {
                continue;
            }
            let key = hash::as_key(hash::of_str(&token.stem));
            match at.get(&key) {
                Some(&i) => out[i].count += weight,
                None => {
                    at.insert(key, out.len());
                    out.push(TermCount {
                        key,
                        count: weight,
                        display: text[token.start..token.end].to_owned(),
                    });
                }
            }
        }
    }
    out
}

fn is_term(norm: &str) -> bool {
    norm.chars().nth(1).is_some()
        && !norm.chars().all(|c| c.is_ascii_digit())
        && !arabic::is_stopword(norm)
}

/// Inverse document frequency with add-one smoothing: a term in every
/// article still weighs a little, an unseen one the most.
pub fn idf(df: u64, docs: u64) -> f32 {
    ((1.0 + docs as f64) / (1.0 + df as f64)).ln() as f32 + 1.0
}

/// The tf-idf vector of `counts`, keeping its `keep` strongest terms.
/// `df(key)` is the number of articles holding the term (this one included).
pub fn weigh(counts: &[TermCount], df: impl Fn(TermKey) -> u64, docs: u64, keep: usize) -> Vector {
    let mut v: Vector = counts
        .iter()
        .map(|t| (t.key, (1.0 + (t.count as f32).ln()) * idf(df(t.key), docs)))
        .collect();
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(keep);
    v.sort_by_key(|t| t.0);
    v
}

/// Dot product of two cut vectors (a cosine, up to what the cuts dropped).
pub fn cosine(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// The terms two vectors share, strongest (by product) first.
pub fn shared(a: &Vector, b: &Vector) -> Vec<TermKey> {
    let mut both: Vec<(TermKey, f32)> = a
        .iter()
        .filter_map(|(k, wa)| {
            let i = b.binary_search_by_key(k, |t| t.0).ok()?;
            Some((*k, wa * b[i].1))
        })
        .collect();
    both.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    both.into_iter().map(|(k, _)| k).collect()
}

/// Weights as stored: 16-bit fixed point (weights are in [0, 1]).
pub fn quantize(w: f32) -> u16 {
    (w.clamp(0.0, 1.0) * f32::from(u16::MAX)).round() as u16
}

pub fn dequantize(q: u16) -> f32 {
    f32::from(q) / f32::from(u16::MAX)
}

/// A vector as stored: per term, its key (8 bytes) and weight (2 bytes).
pub fn to_bytes(v: &Vector) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * 10);
    for (k, w) in v {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&quantize(*w).to_le_bytes());
    }
    out
}

pub fn from_bytes(bytes: &[u8]) -> Vector {
    bytes
        .chunks_exact(10)
        .map(|c| {
            let key = i64::from_le_bytes(c[..8].try_into().expect("8 bytes"));
            (key, dequantize(u16::from_le_bytes([c[8], c[9]])))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(stem: &str) -> TermKey {
        hash::as_key(hash::of_str(stem))
    }

    #[test]
    fn title_words_count_twice_and_stopwords_numbers_do_not_count() {
        let counts = count_terms("الحكومة تعلن", "أعلنت الحكومة في 2024 خطة.");
        let gov = counts.iter().find(|t| t.key == key("حكوم")).unwrap();
        assert_eq!(gov.count, 3);
        assert_eq!(gov.display, "الحكومة");
        assert!(
            counts
                .iter()
                .all(|t| t.key != key("في") && t.key != key("2024"))
        );
    }

    #[test]
    fn inflected_forms_share_a_term() {
        let a = count_terms("", "الانتخابات");
        let b = count_terms("", "انتخابات");
        assert_eq!(a[0].key, b[0].key);
    }

    #[test]
    fn rare_terms_outweigh_common_ones_and_cut_keeps_the_strongest() {
        let counts = count_terms("", "نفط قمح");
        let df = |k: TermKey| if k == key("نفط") { 900 } else { 3 };
        let v = weigh(&counts, df, 1000, 1);
        assert_eq!(v, vec![(key("قمح"), v[0].1)]);
        assert!(v[0].1 > 0.7);
    }

    #[test]
    fn identical_vectors_have_cosine_one_and_disjoint_zero() {
        let counts = count_terms("", "نفط قمح ذهب");
        let v = weigh(&counts, |_| 1, 10, 10);
        assert!((cosine(&v, &v) - 1.0).abs() < 1e-5);
        let w = weigh(&count_terms("", "سماء بحر"), |_| 1, 10, 10);
        assert_eq!(cosine(&v, &w), 0.0);
        assert!(shared(&v, &w).is_empty());
    }

    #[test]
    fn vectors_round_trip_through_bytes_within_quantization() {
        let v = weigh(&count_terms("", "نفط قمح ذهب نفط"), |_| 2, 10, 10);
        let back = from_bytes(&to_bytes(&v));
        assert_eq!(back.len(), v.len());
        for (a, b) in v.iter().zip(&back) {
            assert_eq!(a.0, b.0);
            assert!((a.1 - b.1).abs() < 1e-4);
        }
    }
}
