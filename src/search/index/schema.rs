//! What the index holds of an article, and how: the one place that turns a
//! stored article into an index document. Text goes through the Arabic
//! analyzer (`crate::arabic`), registered as two tantivy tokenizers: each
//! token's normalized form and its Light10 stem land at the same position in
//! an exact field and a stem field, so words, stems and phrases of either
//! are found. Two pair fields hold two adjacent words as one term (exact
//! forms, and their stems marked apart: see [`pair_text`]) at the first
//! word's position wherever one of the two is frequent (`common.rs`), so a
//! phrase of frequent words is a term or a phrase of pairs, whose postings
//! are short even when its words are in every article.
//! Queries are built from the same analyzer's output
//! (`super::super::plan`). The analysis runs on the index writer's thread,
//! so a queued document is its text, not its tokens (tantivy queues up to
//! 10,000 documents: as tokens that was hundreds of MiB). Nothing is stored: hits
//! are shown from the database, so the index keeps postings, positions,
//! field lengths (for BM25) and a few fast columns for filters, facets and
//! date order.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, TantivyDocument};

use super::common::Shared;
use crate::arabic;
use crate::store::search::IndexedArticle;

/// Bump when a field is added, removed or changes meaning: an index of
/// another version is rebuilt (with the analyzer's version, in the commit).
pub const SCHEMA_VERSION: u32 = 4;

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id (`articles.id`): indexed to replace a document, fast to
    /// name a hit.
    pub id: Field,
    /// Normalized words of the title and of the body (exact forms, phrases).
    pub title: Field,
    pub body: Field,
    /// Their Light10 stems, position for position.
    pub title_stem: Field,
    pub body_stem: Field,
    /// Adjacent words of the title and of the body as one term each, exact
    /// and as stems ([`pair_text`]), position for position, where one of
    /// the two is frequent (exact forms and stems each by their own kind).
    pub title_pairs: Field,
    pub body_pairs: Field,
    /// `YYYYMMDD` of publication (0 when undated): date filters, histograms.
    pub day: Field,
    /// Publication time and id in one number (see [`recency`]): newest-first order.
    pub recency: Field,
    /// Source id, when the article has one.
    pub source: Field,
    /// Tag ids (several values).
    pub tags: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let fields = Fields {
            id: b.add_u64_field("id", INDEXED | FAST),
            title: b.add_text_field("title", text(EXACT)),
            body: b.add_text_field("body", text(EXACT)),
            title_stem: b.add_text_field("title_stem", text(STEMS)),
            body_stem: b.add_text_field("body_stem", text(STEMS)),
            title_pairs: b.add_text_field("title_pairs", text(PAIRS)),
            body_pairs: b.add_text_field("body_pairs", text(PAIRS)),
            day: b.add_i64_field("day", INDEXED | FAST),
            recency: b.add_u64_field("recency", FAST),
            source: b.add_u64_field("source", INDEXED | FAST),
            tags: b.add_u64_field("tags", INDEXED | FAST),
        };
        (b.build(), fields)
    }

    /// The index document of `article` (analyzed when the writer indexes it).
    pub fn document(&self, article: &IndexedArticle) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_u64(self.id, article.id as u64);
        doc.add_text(self.title, &article.title);
        doc.add_text(self.title_stem, &article.title);
        doc.add_text(self.body, &article.body);
        doc.add_text(self.body_stem, &article.body);
        doc.add_text(self.title_pairs, &article.title);
        doc.add_text(self.body_pairs, &article.body);
        doc.add_i64(self.day, day(&article.sort_key));
        doc.add_u64(self.recency, recency(&article.sort_key, article.id));
        if let Some(source) = article.source_id {
            doc.add_u64(self.source, source as u64);
        }
        for tag in article.tag_ids() {
            doc.add_u64(self.tags, tag as u64);
        }
        doc
    }
}

/// Tokenizer names of the exact, the stem and the pair fields.
const EXACT: &str = "arabic";
const STEMS: &str = "arabic_stem";
const PAIRS: &str = "arabic_pairs";

/// Makes the analyzer known to `index` (tokenizers are not stored with
/// it); pairs are made with the frequent words `common` holds at the time.
pub fn register(index: &Index, common: &Shared) {
    let tokenizers = index.tokenizers();
    tokenizers.register(EXACT, Analyzer(Emit::Norms));
    tokenizers.register(STEMS, Analyzer(Emit::Stems));
    tokenizers.register(PAIRS, Analyzer(Emit::Pairs(common.clone())));
}

/// The term of two adjacent words on a pair field: `a b` for exact forms,
/// `~a b` for stems (no word holds a space or a `~`, so no pair of one
/// kind is a pair of the other, and each keeps its own statistics).
pub fn pair_text(a: &str, b: &str, stems: bool) -> String {
    let mark = if stems { "~" } else { "" };
    format!("{mark}{a} {b}")
}

/// What an [`Analyzer`] emits per position.
#[derive(Debug, Clone)]
enum Emit {
    Norms,
    Stems,
    /// The word and the next as one term, exact and as stems, each where
    /// one of the two is common (up to two terms at the first word's
    /// position; the last word starts none).
    Pairs(Shared),
}

/// `crate::arabic::analyze` as a tantivy tokenizer: normalized words, their
/// stems, or their pairs, by position, with their byte range in the text.
#[derive(Debug, Clone)]
struct Analyzer(Emit);

impl Tokenizer for Analyzer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let words = arabic::analyze(text);
        let token = |position: usize, (from, to): (usize, usize), text: String| Token {
            offset_from: from,
            offset_to: to,
            position,
            text,
            position_length: 1,
        };
        let tokens = match &self.0 {
            Emit::Norms | Emit::Stems => {
                let stems = matches!(self.0, Emit::Stems);
                let word = |(i, t): (usize, arabic::Token)| {
                    token(i, (t.start, t.end), if stems { t.stem } else { t.norm })
                };
                words.into_iter().enumerate().map(word).collect()
            }
            Emit::Pairs(common) => {
                let common = common.get();
                let mut tokens = Vec::new();
                for (i, w) in words.windows(2).enumerate() {
                    let span = (w[0].start, w[1].end);
                    for (a, b, stems) in [
                        (&w[0].norm, &w[1].norm, false),
                        (&w[0].stem, &w[1].stem, true),
                    ] {
                        if common.paired(a, b, stems) {
                            tokens.push(token(i, span, pair_text(a, b, stems)));
                        }
                    }
                }
                tokens
            }
        };
        Tokens { tokens, next: 0 }
    }
}

/// The tokens of one text.
struct Tokens {
    tokens: Vec<Token>,
    /// One past the current token (0 before the first `advance`).
    next: usize,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// `YYYYMMDD` of a sort key (`YYYY-MM-DDTHH:MM:SS`), 0 when undated.
pub fn day(sort_key: &str) -> i64 {
    let digits: String = sort_key
        .chars()
        .take(10)
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() == 8 {
        digits.parse().unwrap_or(0)
    } else {
        0
    }
}

/// Newest-first order as one number: seconds since 1900-01-01 (plus one;
/// 0 for an undated article, which sorts last) in the high bits, the id in
/// the low 31, so equal times fall back to the newer id, as lists do.
pub fn recency(sort_key: &str, id: i64) -> u64 {
    (seconds_since_1900(sort_key).map_or(0, |s| s + 1) << 31) | (id as u64 & 0x7fff_ffff)
}

fn seconds_since_1900(sort_key: &str) -> Option<u64> {
    let n = |range: std::ops::Range<usize>| -> Option<i64> { sort_key.get(range)?.parse().ok() };
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = (
        n(11..13).unwrap_or(0),
        n(14..16).unwrap_or(0),
        n(17..19).unwrap_or(0),
    );
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    let days =
        i64::from(date.to_julian_day() - time::macros::date!(1900 - 01 - 01).to_julian_day());
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_recency_order_as_the_sort_keys_do() {
        assert_eq!(day("2025-07-13T10:30:00"), 20250713);
        assert_eq!(day(""), 0);
        let older = recency("2024-12-31T23:59:59", 9);
        let newer = recency("2025-01-01T00:00:00", 1);
        assert!(newer > older);
        assert!(
            recency("2025-01-01T00:00:00", 2) > newer,
            "same time: newer id first"
        );
        assert!(
            recency("", 1_000_000) < recency("1901-01-01T00:00:00", 1),
            "undated last"
        );
    }

    #[test]
    fn exact_and_stem_tokens_share_positions() {
        let all = |stems: bool| {
            let mut analyzer = Analyzer(if stems { Emit::Stems } else { Emit::Norms });
            let mut stream = analyzer.token_stream("قال الرئيسُ: ﷺ");
            let mut out = Vec::new();
            while stream.advance() {
                out.push((stream.token().position, stream.token().text.clone()));
            }
            out
        };
        let (norms, stems) = (all(false), all(true));
        let positions = |t: &[(usize, String)]| t.iter().map(|t| t.0).collect::<Vec<_>>();
        assert_eq!(positions(&norms), positions(&stems));
        assert_eq!(norms[1].1, "الرئيس");
        assert_eq!(stems[1].1, "رئيس");
        assert_eq!(norms.len(), 6, "the ligature expands to four words");
    }

    #[test]
    fn pairs_join_a_word_to_the_next_where_one_is_common() {
        let articles: Vec<_> = (0..200)
            .map(|i| IndexedArticle {
                id: i,
                title: String::new(),
                body: format!("قال كلمة{i}"),
                source_id: None,
                sort_key: String::new(),
                tags: None,
            })
            .collect();
        let shared = Shared::default();
        shared.set(std::sync::Arc::new(
            super::super::common::CommonWords::derive(&articles),
        ));
        let mut analyzer = Analyzer(Emit::Pairs(shared.clone()));
        let mut all = |text: &str| {
            let mut stream = analyzer.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push((stream.token().position, stream.token().text.clone()));
            }
            out
        };
        let expected = [
            (0, pair_text("قال", "الرئيس", false)),
            (0, pair_text("قال", "رئيس", true)),
        ];
        assert_eq!(
            all("قال الرئيسُ المصري"),
            expected,
            "no pair of two rare words"
        );
        let expected = [
            (1, pair_text("المصري", "في", false)),
            (1, pair_text(&arabic::stem("المصري"), "في", true)),
        ];
        assert_eq!(all("الرئيسُ المصري في"), expected, "function words pair");
        shared.set(Default::default());
        assert!(all("قال الرئيسُ").is_empty(), "the set in force counts");
        assert_ne!(pair_text("a", "b", true), pair_text("a", "b", false));
    }
}
