//! The frequent words of one index build (common-grams, after Lucene's
//! CommonGramsFilter): the pair fields hold two adjacent words as one term
//! only where at least one of them is frequent, since those are the phrases
//! whose words' postings are long; a phrase of two rarer words is checked by
//! positions on the word fields, which is cheap because their postings are
//! short. The set is derived from the database when the index is rebuilt
//! (the words in most articles of an evenly spread sample, plus the
//! analyzer's Arabic function words, so that a small archive that grows
//! keeps its commonest pairs) and stored in the index's commit, so searches
//! use the set the documents were indexed with; it changes only at the next
//! rebuild. A word that became frequent since is correct either way: its
//! phrases fall back to positions, only slower.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};

use crate::arabic;
use crate::store::search::{self as db, IndexedArticle};
use crate::store::{Db, StoreError};

/// Frequent words kept per kind (exact forms, stems), besides the function
/// words: at 100k generated articles the 256th is in about 4% of them.
pub const FREQUENT_WORDS: usize = 256;
/// A word must be in this share of the sample to count as frequent: in a
/// small archive every word is in many of its few articles.
const MIN_SHARE: f64 = 0.01;
/// Articles read to find the frequent words: windows spread over the ids.
const SAMPLE_WINDOWS: u32 = 20;
const SAMPLE_PER_WINDOW: u32 = 250;

/// The words whose pairs an index build holds: normalized forms for the
/// exact pairs, stems for the stem pairs (each decided on its own kind, as
/// the query looks them up).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommonWords {
    norms: HashSet<String>,
    stems: HashSet<String>,
}

impl CommonWords {
    /// The function words and the frequent words of `articles`.
    pub fn derive(articles: &[IndexedArticle]) -> CommonWords {
        let (mut norms, mut stems) = (HashMap::new(), HashMap::new());
        for article in articles {
            let mut seen = HashSet::new();
            for text in [&article.title, &article.body] {
                for token in arabic::analyze(text) {
                    if seen.insert((false, token.norm.clone())) {
                        *norms.entry(token.norm).or_insert(0u32) += 1;
                    }
                    if seen.insert((true, token.stem.clone())) {
                        *stems.entry(token.stem).or_insert(0u32) += 1;
                    }
                }
            }
        }
        let least = (articles.len() as f64 * MIN_SHARE).ceil().max(1.0) as u32;
        let mut common = CommonWords {
            norms: most_frequent(norms, least),
            stems: most_frequent(stems, least),
        };
        for word in arabic::stopwords() {
            common.stems.insert(arabic::stem(&word));
            common.norms.insert(word);
        }
        common
    }

    /// Derives the set from a sample of `db`'s articles.
    pub async fn of_archive(db: &Db) -> Result<CommonWords, StoreError> {
        let mut conn = db.read.acquire().await?;
        let count = db::article_count(&mut conn).await?;
        let mut sample = Vec::new();
        let mut after = 0;
        for window in 0..i64::from(SAMPLE_WINDOWS) {
            let start = (count as i64 * window / i64::from(SAMPLE_WINDOWS)).max(after);
            let articles = db::indexed_after(&mut conn, start, SAMPLE_PER_WINDOW).await?;
            let Some(last) = articles.last() else { break };
            after = last.id;
            sample.extend(articles);
        }
        drop(conn);
        Ok(
            tokio::task::spawn_blocking(move || CommonWords::derive(&sample))
                .await
                .unwrap_or_default(),
        )
    }

    /// True when the pair of `a` and `b` (normalized forms, or with `stems`
    /// stems) is on the pair fields: one of them is frequent.
    pub fn paired(&self, a: &str, b: &str, stems: bool) -> bool {
        let words = if stems { &self.stems } else { &self.norms };
        words.contains(a) || words.contains(b)
    }

    /// True when every two adjacent `words` are [`CommonWords::paired`].
    pub fn all_paired(&self, words: &[String], stems: bool) -> bool {
        words.windows(2).all(|w| self.paired(&w[0], &w[1], stems))
    }

    /// The words both sets hold (what both builds paired).
    pub fn both(&self, other: &CommonWords) -> CommonWords {
        CommonWords {
            norms: self.norms.intersection(&other.norms).cloned().collect(),
            stems: self.stems.intersection(&other.stems).cloned().collect(),
        }
    }

    /// Number of exact forms and of stems held.
    pub fn len(&self) -> (usize, usize) {
        (self.norms.len(), self.stems.len())
    }
}

/// The (at most [`FREQUENT_WORDS`]) words in at least `least` articles,
/// most first, then in word order (so a sample always gives the same set).
fn most_frequent(counts: HashMap<String, u32>, least: u32) -> HashSet<String> {
    let mut ranked: Vec<(String, u32)> = counts.into_iter().filter(|c| c.1 >= least).collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(FREQUENT_WORDS)
        .map(|c| c.0)
        .collect()
}

/// The set in force, shared between the tokenizer that indexes with it and
/// whoever replaces it (a rebuild): clones see the replacement.
#[derive(Debug, Clone, Default)]
pub struct Shared(Arc<RwLock<Arc<CommonWords>>>);

impl Shared {
    pub fn get(&self) -> Arc<CommonWords> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set(&self, words: Arc<CommonWords>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = words;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(body: &str) -> IndexedArticle {
        IndexedArticle {
            id: 1,
            title: String::new(),
            body: body.to_owned(),
            source_id: None,
            sort_key: String::new(),
            tags: None,
        }
    }

    #[test]
    fn frequent_words_and_function_words_are_common() {
        let mut articles: Vec<IndexedArticle> = (0..300)
            .map(|i| article(&format!("الحكومة تدرس كلمة{i} خطة")))
            .collect();
        articles.push(article("الحكومات"));
        let common = CommonWords::derive(&articles);
        assert!(common.paired("الحكومه", "كلمه7", false), "in every article");
        assert!(!common.paired("كلمه7", "كلمه8", false), "in one article");
        assert!(common.paired("في", "كلمه8", false), "a function word");
        assert!(common.paired("كلمه8", "الي", false), "a function word");
        assert!(
            common.paired(&arabic::stem("الحكومات"), "x", true),
            "stems counted as stems"
        );
        assert!(common.all_paired(&["كلمه1".into(), "خطه".into(), "كلمه2".into()], false));
        assert!(!common.all_paired(&["كلمه1".into(), "كلمه2".into(), "خطه".into()], false));
        let empty = CommonWords::default();
        assert!(!empty.paired("في", "من", false));
        assert_eq!(common.both(&empty), empty);
    }

    #[test]
    fn the_set_is_capped_and_the_same_for_the_same_sample() {
        let body: String = (0..2 * FREQUENT_WORDS)
            .map(|i| format!("كلمه{i} "))
            .collect();
        let articles = vec![article(&body), article(&body)];
        let common = CommonWords::derive(&articles);
        let function_words = arabic::stopwords().count();
        assert!(common.len().0 <= FREQUENT_WORDS + function_words);
        assert!(common.len().0 >= FREQUENT_WORDS);
        assert_eq!(common, CommonWords::derive(&articles));
    }
}
