//! The labelled evaluation set of the related-articles engine: news events
//! of a few topics, some told again by several sources (the same story:
//! another headline, sentences reordered, a sentence or two dropped, a
//! paragraph added, up to a quarter of the words swapped for synonyms),
//! others told once, plus unrelated noise — as dump pages with their labels.
//!
//! Deterministic: each event is a pure function of the seed and its index,
//! so a benchmark can stream a large set while a test collects a small one.

mod lexicon;
mod rewrite;
mod synonyms;

use std::collections::HashSet;

pub use lexicon::TOPICS;
pub use synonyms::Synonyms;

use super::{Rng, Vocabulary};
use lexicon::{phrases, words};

/// How large a set, and how hard.
#[derive(Debug, Clone)]
pub struct StorySpec {
    pub seed: u64,
    /// Topics used (at most `TOPICS.len()`).
    pub topics: usize,
    /// Events of each topic.
    pub events_per_topic: usize,
    /// Share of events told by several sources.
    pub story_share: f64,
    /// Most versions of one story.
    pub max_versions: usize,
    /// Share of a story's groups whose original wire text is not published
    /// itself: every version is then a rewrite.
    pub hidden_original_share: f64,
    /// Most words of a version swapped for synonyms (a share of its words).
    pub max_swap: f64,
    /// Unrelated pages, beside the topics.
    pub noise: usize,
    /// Share of pages with a read-also item (an earlier event of the topic).
    pub read_also_share: f64,
}

impl StorySpec {
    /// The set the tests measure: 14 topics × 8 events, half of them told
    /// by 2–5 sources, and 60 noise pages (about 330 pages).
    pub fn evaluation() -> StorySpec {
        StorySpec {
            seed: 0x5107_1e5e_7a11_ab1e,
            topics: TOPICS.len(),
            events_per_topic: 8,
            story_share: 0.5,
            max_versions: 5,
            hidden_original_share: 0.3,
            max_swap: 0.25,
            noise: 60,
            read_also_share: 0.2,
        }
    }

    /// The same mix grown to about `pages` pages (benchmarks).
    pub fn scaled(pages: usize) -> StorySpec {
        let base = StorySpec::evaluation();
        let per_topic = (pages as f64 * 0.84 / (base.topics as f64 * 2.0)).ceil() as usize;
        StorySpec {
            events_per_topic: per_topic.max(1),
            noise: pages / 6,
            ..base
        }
    }

    /// Every event: topic events first, then noise.
    pub fn events(&self) -> usize {
        self.topics * self.events_per_topic + self.noise
    }
}

/// What a page is about, for scoring the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub file: String,
    pub title: String,
    /// Index into `TOPICS`; `None` for noise.
    pub topic: Option<usize>,
    /// The event told: pages with the same event are the same story.
    pub event: usize,
    pub source: &'static str,
    /// Share of the page's words swapped for synonyms.
    pub swapped: f64,
    /// A rewrite (not the original the other versions were written from).
    pub rewrite: bool,
}

/// One generated dump page.
#[derive(Debug, Clone)]
pub struct Page {
    pub name: String,
    pub text: String,
    pub label: Label,
}

/// The article a version tells: what a page is written from.
#[derive(Debug, Clone)]
pub struct Told {
    pub title: String,
    pub paragraphs: Vec<String>,
    pub source: &'static str,
    pub day: u32,
    pub tags: Vec<String>,
    pub swapped: f64,
}

/// The generator: a spec, the synonym table and a vocabulary of rare words
/// (what makes one event's text its own).
pub struct StorySet<'a> {
    pub spec: StorySpec,
    synonyms: &'a Synonyms,
    rare: &'a Vocabulary,
}

impl<'a> StorySet<'a> {
    pub fn new(spec: StorySpec, synonyms: &'a Synonyms, rare: &'a Vocabulary) -> StorySet<'a> {
        StorySet {
            spec,
            synonyms,
            rare,
        }
    }

    /// Every page of every event, in event order.
    pub fn pages(&self) -> Vec<Page> {
        (0..self.spec.events())
            .flat_map(|e| self.event_pages(e))
            .collect()
    }

    fn topic_of(&self, event: usize) -> Option<usize> {
        (event < self.spec.topics * self.spec.events_per_topic).then_some(event % self.spec.topics)
    }

    /// The versions of event `event` as published, with their labels.
    pub fn event_pages(&self, event: usize) -> Vec<Page> {
        let topic = self.topic_of(event);
        let mut rng =
            Rng::new(self.spec.seed ^ (event as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let (versions, first) = self.versions(&mut rng, topic);
        let told = self.told(event, versions);
        let mut pages = Vec::new();
        for (v, t) in told.into_iter().enumerate().skip(first) {
            let name = format!("{event:06}_{v}.txt");
            let mut text = page_text(&t);
            if rng.chance(self.spec.read_also_share)
                && let Some(item) = self.read_also_item(event, &mut rng)
            {
                text.push_str(&item);
            }
            pages.push(Page {
                label: Label {
                    file: name.clone(),
                    title: t.title.clone(),
                    topic,
                    event,
                    source: t.source,
                    swapped: t.swapped,
                    rewrite: v > 0,
                },
                name,
                text,
            });
        }
        pages
    }

    /// How many versions exist, and the first one published (1 when the
    /// wire original stays unpublished).
    fn versions(&self, rng: &mut Rng, topic: Option<usize>) -> (usize, usize) {
        if topic.is_none() || !rng.chance(self.spec.story_share) {
            return (1, 0);
        }
        let hidden = rng.chance(self.spec.hidden_original_share);
        let published = rng.range(2, self.spec.max_versions + 1);
        (published + usize::from(hidden), usize::from(hidden))
    }

    /// The original and its rewrites (a pure function of the event).
    pub fn told(&self, event: usize, versions: usize) -> Vec<Told> {
        let topic = self.topic_of(event);
        let mut rng = Rng::new(self.spec.seed.rotate_left(17) ^ event as u64);
        let facts = rewrite::Facts::draw(&mut rng, topic, self.rare);
        let day = rng.below(700) as u32;
        let first_source = rewrite::any_source(&mut rng);
        let original = facts.original(&mut rng, day, first_source);
        let mut used = HashSet::from([original.source]);
        let mut all = vec![original.clone()];
        for _ in 1..versions {
            let source = loop {
                let s = rewrite::any_source(&mut rng);
                if used.insert(s) || used.len() >= lexicon::SOURCES.len() {
                    break s;
                }
            };
            let swap = rng.unit() * self.spec.max_swap;
            all.push(facts.rewrite(&mut rng, &original, source, swap, self.synonyms));
        }
        all
    }

    /// A read-also item: the first published version of an earlier event
    /// of the same topic (title, dateline, its first paragraphs).
    fn read_also_item(&self, event: usize, rng: &mut Rng) -> Option<String> {
        let topic = self.topic_of(event)?;
        let earlier = event.checked_sub(self.spec.topics * (1 + rng.below(3) as usize))?;
        debug_assert_eq!(self.topic_of(earlier), Some(topic));
        let first = self.event_pages_first(earlier);
        let mut item = format!("إقرأ أيضاً:\n{}\n{} /..\n", first.title, first.source);
        for p in first.paragraphs.iter().take(3) {
            item.push_str(p);
            item.push('\n');
        }
        Some(item.trim_end().to_owned())
    }

    /// The first published version of `event` (what its first page says).
    fn event_pages_first(&self, event: usize) -> Told {
        let topic = self.topic_of(event);
        let mut rng =
            Rng::new(self.spec.seed ^ (event as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let (versions, first) = self.versions(&mut rng, topic);
        self.told(event, versions).swap_remove(first)
    }
}

/// A page in the seed format (title, date, paragraphs, source, tags).
fn page_text(t: &Told) -> String {
    let (y, m, d) = rewrite::date_of(t.day);
    let mut text = format!("{}\nتاريخ النشر: {y:04}-{m:02}-{d:02}\n", t.title);
    for p in &t.paragraphs {
        text.push_str(p);
        text.push('\n');
    }
    text.push_str(&format!("المصدر: {}\n", t.source));
    text.push_str(&format!("كلمات دلالية: {}\n", t.tags.join("، ")));
    text
}

/// Word lists of the lexicon, split once.
pub(crate) struct Lists {
    pub shared: Vec<&'static str>,
    pub words: Vec<&'static str>,
    pub function: Vec<&'static str>,
    pub first: Vec<&'static str>,
    pub family: Vec<&'static str>,
    pub places: Vec<&'static str>,
    pub roles: Vec<&'static str>,
}

impl Lists {
    pub fn get() -> &'static Lists {
        static LISTS: std::sync::OnceLock<Lists> = std::sync::OnceLock::new();
        LISTS.get_or_init(|| Lists {
            shared: phrases(lexicon::SHARED),
            words: words(lexicon::WORDS),
            function: words(lexicon::FUNCTION_WORDS),
            first: words(lexicon::FIRST_NAMES),
            family: words(lexicon::FAMILY_NAMES),
            places: words(lexicon::PLACES),
            roles: phrases(lexicon::ROLES),
        })
    }
}

#[cfg(test)]
mod tests;
