//! One event of the thesaurus set in words: its facts (people, places,
//! numbers, its own words), the wire original, and a rewrite of it as an
//! outlet makes one — sentences reordered, one dropped, maybe one added, a
//! new headline, a share of the content words swapped for thesaurus
//! synonyms (the prefix kept: `وال` + synonym).

use super::Topic;
use super::thesaurus::Thesaurus;
use crate::synth::Rng;
use crate::synth::stories::Lists;

/// A word of the text; `head` is its thesaurus headword when it can be
/// swapped (names, numbers and function words cannot).
#[derive(Debug, Clone)]
pub(super) struct Word {
    pub text: String,
    head: Option<String>,
    prefix: &'static str,
}

impl Word {
    fn fixed(text: &str) -> Word {
        Word {
            text: text.to_owned(),
            head: None,
            prefix: "",
        }
    }

    fn content(rng: &mut Rng, head: &str) -> Word {
        let prefix = match rng.below(10) {
            _ if head.starts_with("ال") => "",
            0..=3 => "ال",
            4 => "وال",
            5 => "و",
            _ => "",
        };
        Word {
            text: format!("{prefix}{head}"),
            head: Some(head.to_owned()),
            prefix,
        }
    }
}

pub(super) type Sentence = Vec<Word>;

fn pick<'a, T>(rng: &mut Rng, list: &'a [T]) -> &'a T {
    &list[rng.below(list.len() as u64) as usize]
}

/// What one event is about; every version is written from these.
pub(super) struct Event<'a> {
    topic: &'a Topic,
    thesaurus: &'a Thesaurus,
    people: Vec<String>,
    places: Vec<&'static str>,
    numbers: Vec<u32>,
    own: Vec<String>,
}

impl<'a> Event<'a> {
    pub fn draw(rng: &mut Rng, topic: &'a Topic, thesaurus: &'a Thesaurus) -> Event<'a> {
        let l = Lists::get();
        let people = (0..2)
            .map(|_| format!("{} {}", pick(rng, &l.first), pick(rng, &l.family)))
            .collect();
        Event {
            topic,
            thesaurus,
            people,
            places: (0..2).map(|_| *pick(rng, &l.places)).collect(),
            numbers: (0..3).map(|_| 2 + rng.below(900) as u32).collect(),
            own: (0..6).map(|_| thesaurus.head(rng).to_owned()).collect(),
        }
    }

    /// One slot: mostly the topic's words (topic-mates share them), then
    /// the event's own words and entities, glue and general words.
    fn slot(&self, rng: &mut Rng, out: &mut Sentence) {
        let roll = rng.unit();
        if roll < 0.34 {
            let head: &String = pick(rng, &self.topic.pool);
            out.push(Word::content(rng, head));
        } else if roll < 0.50 {
            let phrase: &Vec<String> = pick(rng, &self.topic.phrases);
            for head in phrase {
                out.push(Word::content(rng, head));
            }
        } else if roll < 0.62 {
            let head: &String = pick(rng, &self.own);
            out.push(Word::content(rng, head));
        } else if roll < 0.76 {
            let entity = match rng.below(3) {
                0 => pick(rng, &self.people).clone(),
                1 => pick(rng, &self.places).to_string(),
                _ => pick(rng, &self.numbers).to_string(),
            };
            out.extend(entity.split(' ').map(Word::fixed));
        } else if roll < 0.90 {
            let glue: &&str = pick(rng, &Lists::get().function);
            out.push(Word::fixed(glue));
        } else {
            let head = self.thesaurus.head(rng);
            out.push(Word::content(rng, head));
        }
    }

    fn words(&self, rng: &mut Rng, min: usize, max: usize) -> Sentence {
        let target = rng.range(min, max);
        let mut out = Vec::new();
        while out.len() < target {
            self.slot(rng, &mut out);
        }
        out
    }

    pub fn headline(&self, rng: &mut Rng) -> Sentence {
        self.words(rng, 6, 11)
    }

    pub fn sentence(&self, rng: &mut Rng) -> Sentence {
        self.words(rng, 9, 17)
    }

    /// The wire original: 3–5 sentences for a short item, else 7–12.
    pub fn original(&self, rng: &mut Rng, short: bool) -> Vec<Sentence> {
        let n = if short {
            rng.range(3, 6)
        } else {
            rng.range(7, 13)
        };
        (0..n).map(|_| self.sentence(rng)).collect()
    }

    /// A rewrite of `original` with a share `swap` of its content words
    /// replaced; returns its sentences and the share actually swapped.
    pub fn rewrite(&self, rng: &mut Rng, original: &[Sentence], swap: f64) -> (Vec<Sentence>, f64) {
        let mut sentences = original.to_vec();
        if sentences.len() >= 4 {
            sentences.remove(rng.below(sentences.len() as u64) as usize);
        }
        shuffle(rng, &mut sentences);
        if rng.chance(0.3) {
            let at = rng.below(sentences.len() as u64 + 1) as usize;
            sentences.insert(at, self.sentence(rng));
        }
        let share = swap_words(rng, &mut sentences, swap, self.thesaurus);
        (sentences, share)
    }

    /// Tags: two or three of the topic's, sometimes the first place.
    pub fn tags(&self, rng: &mut Rng) -> Vec<String> {
        let first = rng.below(self.topic.tags.len() as u64) as usize;
        let mut tags: Vec<String> = (0..rng.range(2, 4))
            .map(|i| self.topic.tags[(first + i) % self.topic.tags.len()].clone())
            .collect();
        if rng.chance(0.5) {
            tags.push(self.places[0].to_owned());
        }
        tags
    }
}

/// Replaces `share` of the content words with a synonym; returns the share
/// of content words replaced.
fn swap_words(rng: &mut Rng, sentences: &mut [Sentence], share: f64, t: &Thesaurus) -> f64 {
    let mut content: Vec<(usize, usize)> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        content.extend(
            (0..s.len())
                .filter(|&j| s[j].head.is_some())
                .map(|j| (i, j)),
        );
    }
    shuffle(rng, &mut content);
    let budget = (content.len() as f64 * share).round() as usize;
    let mut swapped = 0;
    for &(i, j) in content.iter().take(budget) {
        let word = &mut sentences[i][j];
        let head = word.head.clone().expect("content word");
        if let Some(other) = t.swap(&head, rng) {
            word.text = format!("{}{other}", word.prefix);
            swapped += 1;
        }
    }
    swapped as f64 / content.len().max(1) as f64
}

pub(super) fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i as u64 + 1) as usize);
    }
}

/// A sentence as text.
pub(super) fn text(sentence: &Sentence) -> String {
    let words: Vec<&str> = sentence.iter().map(|w| w.text.as_str()).collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapping_changes_only_content_words_and_exactly_its_share() {
        let t = Thesaurus::shipped();
        let topic = Topic::draw(&mut Rng::new(5), t);
        let e = Event::draw(&mut Rng::new(6), &topic, t);
        let mut rng = Rng::new(7);
        let original = e.original(&mut rng, false);
        let mut swapped = original.clone();
        let share = swap_words(&mut rng, &mut swapped, 0.25, t);
        let content = original
            .iter()
            .flatten()
            .filter(|w| w.head.is_some())
            .count();
        let changed: Vec<&Word> = original
            .iter()
            .flatten()
            .zip(swapped.iter().flatten())
            .filter(|(a, b)| a.text != b.text)
            .map(|(a, _)| a)
            .collect();
        assert!(
            changed.iter().all(|w| w.head.is_some()),
            "names and glue stay"
        );
        assert_eq!(changed.len(), (content as f64 * 0.25).round() as usize);
        assert_eq!(share, changed.len() as f64 / content as f64);
    }

    #[test]
    fn a_rewrite_drops_a_sentence_and_reorders_the_rest() {
        let t = Thesaurus::shipped();
        let topic = Topic::draw(&mut Rng::new(5), t);
        let e = Event::draw(&mut Rng::new(6), &topic, t);
        let mut rng = Rng::new(8);
        let original = e.original(&mut rng, false);
        let (rewrite, _) = e.rewrite(&mut rng, &original, 0.0);
        let texts = |s: &[Sentence]| s.iter().map(text).collect::<Vec<_>>();
        let (before, after) = (texts(&original), texts(&rewrite));
        let kept = before.iter().filter(|s| after.contains(s)).count();
        assert_eq!(kept, before.len() - 1, "one sentence dropped");
        assert_ne!(after[..kept.min(after.len())], before[..kept]);
    }

    #[test]
    fn short_items_have_three_to_five_sentences() {
        let t = Thesaurus::shipped();
        let topic = Topic::draw(&mut Rng::new(5), t);
        let e = Event::draw(&mut Rng::new(6), &topic, t);
        let mut rng = Rng::new(8);
        for _ in 0..20 {
            assert!((3..=5).contains(&e.original(&mut rng, true).len()));
        }
    }
}
