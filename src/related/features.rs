//! Everything the engine computes from an article's text alone, in one
//! pass: its MinHash signature and LSH band keys (same story) and its term
//! counts (similar). Pure and CPU-bound: callers run it off the async
//! workers, and an importer could run it in its parsing threads.

use std::sync::OnceLock;

use super::minhash::{self, MinHasher, Signature};
use super::terms::{self, TermCount};
use super::{BANDS, MIN_SHINGLES, PERMUTATIONS, ROWS, STORY_RULE, hash, shingles};

/// What one article's text gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub id: i64,
    pub day: Option<i64>,
    /// Hash of title and body: unchanged text, unchanged term counts.
    pub fingerprint: i64,
    /// Empty when the text is too short to be told as a story.
    pub signature: Signature,
    pub counts: Vec<TermCount>,
}

fn hasher() -> &'static MinHasher {
    static HASHER: OnceLock<MinHasher> = OnceLock::new();
    HASHER.get_or_init(|| MinHasher::new(PERMUTATIONS))
}

/// The features of one article.
pub fn extract(id: i64, title: &str, body: &str, day: Option<i64>) -> Features {
    let set = shingles::shingles(title, body, &STORY_RULE);
    let signature = if set.len() >= MIN_SHINGLES {
        hasher().signature(&set)
    } else {
        Vec::new()
    };
    Features {
        id,
        day,
        fingerprint: hash::of_str(&format!("{title}\n{body}")) as i64,
        signature,
        counts: terms::count_terms(title, body),
    }
}

/// Days since 1970-01-01 of an article's publication, from its sort key
/// (`YYYY-MM-DD…`; '' for undated): the same day the database computes.
pub fn day_of(sort_key: &str) -> Option<i64> {
    let date = time::Date::parse(
        sort_key.get(..10)?,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    Some((date - time::Date::from_calendar_date(1970, time::Month::January, 1).ok()?).whole_days())
}

/// The LSH band keys of a signature (none for an empty one).
pub fn bands(signature: &[u16]) -> Vec<i64> {
    if signature.is_empty() {
        return Vec::new();
    }
    minhash::band_keys(signature, BANDS, ROWS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_days_from_the_epoch_like_the_database() {
        assert_eq!(day_of("1970-01-02T00:00:00"), Some(1));
        assert_eq!(day_of("2025-07-13T10:30:00"), Some(20_282));
        assert_eq!(day_of(""), None);
    }

    #[test]
    fn a_text_too_short_for_a_story_has_no_signature_or_bands() {
        let f = extract(1, "عنوان", "خبر قصير جدا.", None);
        assert!(f.signature.is_empty());
        assert!(bands(&f.signature).is_empty());
        assert!(!f.counts.is_empty());
    }

    #[test]
    fn a_full_article_has_a_signature_and_every_band() {
        let body = "أعلنت وزارة الصحة اليوم عن حملة تطعيم جديدة في القاهرة والإسكندرية \
                    تشمل ملايين المواطنين خلال الأسابيع المقبلة بحسب بيان رسمي صادر عن الوزارة";
        let f = extract(1, "حملة تطعيم", body, Some(20_000));
        assert_eq!(f.signature.len(), PERMUTATIONS);
        assert_eq!(bands(&f.signature).len(), BANDS);
        assert_eq!(
            f.fingerprint,
            extract(1, "حملة تطعيم", body, None).fingerprint
        );
    }
}
