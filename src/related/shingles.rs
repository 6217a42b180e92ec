//! Word shingles for same-story detection: overlapping runs of `size`
//! normalized words (not stems: a retold story keeps its words' forms,
//! while stems would merge different events sharing a topic), stopwords
//! and one-letter words left out so that the glue every news text shares
//! ("في", "من", "أن") cannot make two stories look alike. Runs never cross
//! a paragraph, so reordered paragraphs keep all their shingles.

use crate::arabic;

use super::hash;

/// How an article is cut into shingles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShingleRule {
    /// Words per shingle.
    pub size: usize,
    /// Shingle stems instead of normalized words.
    pub stems: bool,
    /// Include the title (retold stories get new headlines).
    pub title: bool,
}

/// The distinct shingle hashes of an article, sorted.
pub fn shingles(title: &str, body: &str, rule: &ShingleRule) -> Vec<u64> {
    let mut out = Vec::new();
    let lines = body.lines().chain(rule.title.then_some(title));
    for line in lines {
        let words: Vec<String> = arabic::analyze(line)
            .into_iter()
            .filter(|t| t.norm.chars().nth(1).is_some() && !arabic::is_stopword(&t.norm))
            .map(|t| if rule.stems { t.stem } else { t.norm })
            .collect();
        let size = rule.size.min(words.len());
        if size == 0 {
            continue;
        }
        for run in words.windows(size) {
            out.push(hash::combine(run.iter().map(|w| hash::of_str(w))));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Exact Jaccard similarity of two sorted, distinct shingle sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIRS: ShingleRule = ShingleRule {
        size: 2,
        stems: false,
        title: false,
    };

    #[test]
    fn stopwords_and_harakat_do_not_change_shingles() {
        let a = shingles("", "أعلنت الحكومة في القاهرة الخطة", &PAIRS);
        let b = shingles("", "أعلنتِ الحكومةُ من القاهرةِ الخطةَ", &PAIRS);
        assert_eq!(a, b);
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn reordered_paragraphs_keep_every_shingle() {
        let a = shingles("", "الحكومة تعلن الخطة\nالمطر يغرق الشوارع", &PAIRS);
        let b = shingles("", "المطر يغرق الشوارع\nالحكومة تعلن الخطة", &PAIRS);
        assert_eq!(a, b);
        assert_eq!(jaccard(&a, &b), 1.0);
    }

    #[test]
    fn a_short_paragraph_still_gives_one_shingle() {
        assert_eq!(shingles("", "الحكومة", &PAIRS).len(), 1);
        assert!(shingles("", "في من", &PAIRS).is_empty());
    }

    #[test]
    fn jaccard_counts_shared_over_union() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }
}
