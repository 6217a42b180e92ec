//! The second labelled set of the related-articles engine, as hard as real
//! rewrites: crowded topics (every event of a topic is written mostly from
//! the topic's own words), each story told by 2–4 outlets that each rewrite
//! one wire original independently — sentences reordered, one dropped, a
//! new headline, 15–25% of the content words swapped for synonyms from a
//! real Arabic thesaurus (`mythes-ar`) — the original itself often left
//! unpublished, so that many pairs are rewrite against rewrite. Short items
//! (3–5 sentences), republications days after the first, and events told
//! once (topic-mates that must stay apart) are part of the mix.
//!
//! Deterministic: each event is a pure function of the seed and its index.

mod event;
mod thesaurus;

pub use thesaurus::{SYNONYMS_AR, Thesaurus};

use super::Rng;
use super::stories::{Label, Page};
use event::{Event, Sentence, text};

/// How large a set, and how hard.
#[derive(Debug, Clone)]
pub struct RewriteSpec {
    pub seed: u64,
    pub topics: usize,
    pub events_per_topic: usize,
    /// Share of events told once (the rest by 2..=`max_versions` outlets).
    pub single_share: f64,
    pub max_versions: usize,
    /// Share of stories whose wire original is not published.
    pub hidden_original_share: f64,
    /// Shares of content words a rewrite swaps: drawn in `min_swap..max_swap`.
    pub min_swap: f64,
    pub max_swap: f64,
    /// Share of events told in 3–5 sentences.
    pub short_share: f64,
    /// Share of versions published 1–6 days after the first (else hours).
    pub late_share: f64,
}

impl RewriteSpec {
    /// The set the tests measure: 20 topics × 8 events, about 440 pages.
    pub fn evaluation() -> RewriteSpec {
        RewriteSpec {
            seed: 0x7e5a_u64 << 32 | 0x0a11_5ca1,
            topics: 20,
            events_per_topic: 8,
            single_share: 0.2,
            max_versions: 4,
            hidden_original_share: 0.5,
            min_swap: 0.15,
            max_swap: 0.25,
            short_share: 0.3,
            late_share: 0.25,
        }
    }

    pub fn events(&self) -> usize {
        self.topics * self.events_per_topic
    }
}

/// A crowded topic: a pool of words and two-word phrases every event of
/// the topic draws from, its tags, and the three weeks its events happen in
/// (topic-mates are close in time too, as a busy news week is).
pub(crate) struct Topic {
    first_day: u64,
    pool: Vec<String>,
    phrases: Vec<Vec<String>>,
    tags: Vec<String>,
}

impl Topic {
    fn draw(rng: &mut Rng, thesaurus: &Thesaurus) -> Topic {
        let pool: Vec<String> = (0..40).map(|_| thesaurus.head(rng).to_owned()).collect();
        let phrases = (0..12)
            .map(|_| {
                (0..2)
                    .map(|_| pool[rng.below(40) as usize].clone())
                    .collect()
            })
            .collect();
        let tags = pool[..4].to_vec();
        Topic {
            first_day: rng.below(700),
            pool,
            phrases,
            tags,
        }
    }
}

/// Outlets that rewrite the agencies' wire copy.
const OUTLETS: [&str; 12] = [
    "واس",
    "قنا",
    "وام",
    "أ ف ب",
    "الأهرام",
    "الشروق",
    "الجزيرة نت",
    "العربية",
    "الخليج",
    "البيان",
    "عكاظ",
    "هسبريس",
];

/// The generator.
pub struct RewriteSet {
    pub spec: RewriteSpec,
    thesaurus: &'static Thesaurus,
    topics: Vec<Topic>,
}

impl RewriteSet {
    pub fn new(spec: RewriteSpec) -> RewriteSet {
        let thesaurus = Thesaurus::shipped();
        let topics = (0..spec.topics)
            .map(|t| Topic::draw(&mut Rng::new(spec.seed ^ (t as u64 + 1) << 40), thesaurus))
            .collect();
        RewriteSet {
            spec,
            thesaurus,
            topics,
        }
    }

    /// Every page, event by event.
    pub fn pages(&self) -> Vec<Page> {
        (0..self.spec.events())
            .flat_map(|e| self.event_pages(e))
            .collect()
    }

    /// The published versions of `event`, first published first.
    pub fn event_pages(&self, event: usize) -> Vec<Page> {
        let spec = &self.spec;
        let topic = event % spec.topics;
        let mut rng = Rng::new(spec.seed ^ (event as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let facts = Event::draw(&mut rng, &self.topics[topic], self.thesaurus);
        let short = rng.chance(spec.short_share);
        let original = facts.original(&mut rng, short);
        let told_once = rng.chance(spec.single_share);
        let hidden = !told_once && rng.chance(spec.hidden_original_share);
        let rewrites = if told_once {
            0
        } else {
            rng.range(2, spec.max_versions + 1) - usize::from(!hidden)
        };
        let mut outlets = OUTLETS.to_vec();
        event::shuffle(&mut rng, &mut outlets);
        let day = self.topics[topic].first_day + rng.below(21);
        let minute = (day * 24 * 60 + 6 * 60 + rng.below(12 * 60)) as i64;
        let mut versions: Vec<(Vec<Sentence>, Sentence, f64, bool)> = Vec::new();
        if !hidden {
            versions.push((original.clone(), facts.headline(&mut rng), 0.0, false));
        }
        for _ in 0..rewrites {
            let swap = spec.min_swap + rng.unit() * (spec.max_swap - spec.min_swap);
            let (sentences, swapped) = facts.rewrite(&mut rng, &original, swap);
            versions.push((sentences, facts.headline(&mut rng), swapped, true));
        }
        let mut pages = Vec::new();
        let mut at = minute;
        for (v, (sentences, headline, swapped, rewrite)) in versions.into_iter().enumerate() {
            if v > 0 {
                at += if rng.chance(spec.late_share) {
                    rng.range(1, 7) as i64 * 24 * 60 + rng.below(600) as i64
                } else {
                    rng.range(20, 600) as i64
                };
            }
            let name = format!("r{event:05}_{v}.txt");
            let title = text(&headline);
            let body = paragraphs(&mut rng, &sentences);
            let tags = facts.tags(&mut rng);
            let source = outlets[v];
            pages.push(Page {
                text: page_text(&title, at, &body, source, &tags),
                label: Label {
                    file: name.clone(),
                    title,
                    topic: Some(topic),
                    event,
                    source,
                    swapped,
                    rewrite,
                },
                name,
            });
        }
        pages
    }
}

/// Sentences grouped into paragraphs of one or two.
fn paragraphs(rng: &mut Rng, sentences: &[Sentence]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = sentences;
    while !rest.is_empty() {
        let n = rng.range(1, 3).min(rest.len());
        let joined: Vec<String> = rest[..n].iter().map(|s| format!("{}.", text(s))).collect();
        out.push(joined.join(" "));
        rest = &rest[n..];
    }
    out
}

/// A seed-format page published `minute` minutes after 2024-01-01 00:00 UTC.
fn page_text(title: &str, minute: i64, body: &[String], source: &str, tags: &[String]) -> String {
    let start = time::Date::from_calendar_date(2024, time::Month::January, 1)
        .expect("valid")
        .midnight()
        .assume_utc();
    let t = start + time::Duration::minutes(minute);
    let mut text = format!(
        "{title}\nتاريخ النشر: {:04}-{:02}-{:02}T{:02}:{:02}:00Z\n",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute()
    );
    for p in body {
        text.push_str(p);
        text.push('\n');
    }
    text.push_str(&format!("المصدر: {source}\n"));
    text.push_str(&format!("كلمات دلالية: {}\n", tags.join("، ")));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_mixes_hidden_originals_short_items_late_republications_and_singles() {
        let pages = RewriteSet::new(RewriteSpec::evaluation()).pages();
        assert!((350..550).contains(&pages.len()), "{}", pages.len());
        let mut by_event: std::collections::HashMap<usize, Vec<&Page>> = Default::default();
        for p in &pages {
            by_event.entry(p.label.event).or_default().push(p);
        }
        let all_rewrites = by_event
            .values()
            .filter(|v| v.len() >= 2 && v.iter().all(|p| p.label.rewrite))
            .count();
        let singles = by_event.values().filter(|v| v.len() == 1).count();
        assert!(
            all_rewrites >= 20,
            "{all_rewrites} stories of rewrites only"
        );
        assert!(singles >= 10, "{singles} events told once");
        let short = pages.iter().filter(|p| p.text.lines().count() <= 7).count();
        assert!(short >= 20, "{short} short items");
        let swapped: Vec<f64> = pages
            .iter()
            .filter(|p| p.label.rewrite)
            .map(|p| p.label.swapped)
            .collect();
        assert!(
            swapped.iter().all(|s| (0.12..=0.27).contains(s)),
            "{swapped:?}"
        );
        // Rounded to whole words: a short item lands a little off its share.
        assert!(swapped.iter().any(|s| *s > 0.22));
    }

    #[test]
    fn the_same_seed_gives_the_same_pages() {
        let a = RewriteSet::new(RewriteSpec::evaluation()).event_pages(7);
        let b = RewriteSet::new(RewriteSpec::evaluation()).event_pages(7);
        assert_eq!(
            a.iter().map(|p| &p.text).collect::<Vec<_>>(),
            b.iter().map(|p| &p.text).collect::<Vec<_>>()
        );
    }
}
