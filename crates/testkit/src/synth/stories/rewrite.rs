//! One event in words: its facts (topic, people, places, numbers, its own
//! rare words), the original text, and the rewrite another source makes of
//! it — new headline, sentences reordered, some dropped, a paragraph added,
//! words swapped for synonyms, digits written another way.

use super::{Lists, Synonyms, TOPICS, Told, lexicon};
use crate::synth::{Rng, Vocabulary};

/// What one event is about; every version of it is written from these.
pub(super) struct Facts {
    topic: Option<usize>,
    people: Vec<String>,
    places: Vec<&'static str>,
    numbers: Vec<u32>,
    own: Vec<String>,
    filler: Vec<String>,
}

fn pick<'a, T>(rng: &mut Rng, list: &'a [T]) -> &'a T {
    &list[rng.below(list.len() as u64) as usize]
}

impl Facts {
    pub fn draw(rng: &mut Rng, topic: Option<usize>, rare: &Vocabulary) -> Facts {
        let l = Lists::get();
        let people = (0..2)
            .map(|_| {
                let (r, f, n) = (
                    pick(rng, &l.roles),
                    pick(rng, &l.first),
                    pick(rng, &l.family),
                );
                format!("{r} {f} {n}")
            })
            .collect();
        Facts {
            topic,
            people,
            places: (0..2).map(|_| *pick(rng, &l.places)).collect(),
            numbers: (0..3).map(|_| 2 + rng.below(900) as u32).collect(),
            own: (0..5).map(|_| own_word(rng, rare, topic)).collect(),
            filler: (0..12).map(|_| rare.word(rng).to_owned()).collect(),
        }
    }

    /// One slot of text: a phrase or a word.
    fn slot(&self, rng: &mut Rng, headline: bool) -> String {
        let l = Lists::get();
        let roll = rng.unit();
        let topic = self.topic.map(|t| super::phrases(TOPICS[t].phrases));
        match (roll, topic) {
            (r, Some(t)) if r < if headline { 0.35 } else { 0.24 } => pick(rng, &t).to_string(),
            (r, _) if r < 0.40 => self.entity(rng),
            (r, _) if r < 0.52 => pick(rng, &self.own).clone(),
            (r, _) if r < 0.70 => pick(rng, &l.words).to_string(),
            _ if headline => pick(rng, &self.filler).clone(),
            (r, _) if r < 0.78 => pick(rng, &l.shared).to_string(),
            (r, _) if r < 0.90 => pick(rng, &l.function).to_string(),
            _ => pick(rng, &self.filler).clone(),
        }
    }

    fn entity(&self, rng: &mut Rng) -> String {
        match rng.below(3) {
            0 => pick(rng, &self.people).clone(),
            1 => pick(rng, &self.places).to_string(),
            _ => pick(rng, &self.numbers).to_string(),
        }
    }

    fn words(&self, rng: &mut Rng, min: usize, max: usize, headline: bool) -> String {
        let target = rng.range(min, max);
        let mut out: Vec<String> = Vec::new();
        while out.len() < target {
            let slot = self.slot(rng, headline);
            out.extend(slot.split(' ').map(str::to_owned));
        }
        out.join(" ")
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        format!("{}.", self.words(rng, 10, 19, false))
    }

    fn tags(&self, rng: &mut Rng) -> Vec<String> {
        let mut tags: Vec<String> = match self.topic {
            Some(t) => {
                let all = TOPICS[t].tags;
                let first = rng.below(all.len() as u64) as usize;
                (0..rng.range(1, 3))
                    .map(|i| all[(first + i) % all.len()].to_owned())
                    .collect()
            }
            None => (0..2).map(|_| pick(rng, &self.filler).clone()).collect(),
        };
        if rng.chance(0.5) {
            tags.push(self.places[0].to_owned());
        }
        tags
    }

    pub fn original(&self, rng: &mut Rng, day: u32, source: &'static str) -> Told {
        let sentences: Vec<String> = (0..rng.range(8, 15)).map(|_| self.sentence(rng)).collect();
        Told {
            title: self.words(rng, 6, 11, true),
            paragraphs: paragraphs(rng, sentences),
            source,
            day,
            tags: self.tags(rng),
            swapped: 0.0,
        }
    }

    /// `original` as told by `source`, with a share `swap` of its words
    /// swapped for synonyms.
    pub fn rewrite(
        &self,
        rng: &mut Rng,
        original: &Told,
        source: &'static str,
        swap: f64,
        synonyms: &Synonyms,
    ) -> Told {
        let mut sentences: Vec<String> = original
            .paragraphs
            .iter()
            .flat_map(|p| p.split_inclusive('.').map(|s| s.trim().to_owned()))
            .filter(|s| !s.is_empty())
            .collect();
        for _ in 0..if sentences.len() >= 6 {
            rng.below(3)
        } else {
            0
        } {
            sentences.remove(rng.below(sentences.len() as u64) as usize);
        }
        if rng.chance(0.8) {
            shuffle(rng, &mut sentences);
        }
        if rng.chance(0.5) {
            for _ in 0..rng.range(1, 4) {
                let at = rng.below(sentences.len() as u64 + 1) as usize;
                sentences.insert(at, self.sentence(rng));
            }
        }
        let (sentences, swapped) = swap_words(rng, sentences, swap, synonyms);
        let arabic_digits = rng.chance(0.4);
        let sentences = sentences
            .into_iter()
            .map(|s| digits(&s, arabic_digits))
            .collect();
        Told {
            title: self.words(rng, 6, 11, true),
            paragraphs: paragraphs(rng, sentences),
            source,
            day: original.day + rng.below(3) as u32,
            tags: self.tags(rng),
            swapped,
        }
    }
}

/// A rare word of the topic's own slice of the vocabulary: the words that
/// make an event distinctive (names, terms of a field) recur within its
/// field, not across unrelated ones, as in real news.
fn own_word(rng: &mut Rng, rare: &Vocabulary, topic: Option<usize>) -> String {
    let slice = |w: &str| {
        w.bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
    };
    for _ in 0..64 {
        let word = rare.word(rng);
        if topic.is_none_or(|t| slice(word) % TOPICS.len() as u64 == t as u64) {
            return word.to_owned();
        }
    }
    rare.word(rng).to_owned()
}

/// Swaps up to `share` of all words for a synonym; returns the text and the
/// share actually swapped.
fn swap_words(
    rng: &mut Rng,
    sentences: Vec<String>,
    share: f64,
    synonyms: &Synonyms,
) -> (Vec<String>, f64) {
    let mut words: Vec<Vec<String>> = sentences
        .iter()
        .map(|s| s.split(' ').map(str::to_owned).collect())
        .collect();
    let total: usize = words.iter().map(Vec::len).sum();
    let mut swappable: Vec<(usize, usize)> = Vec::new();
    for (i, sentence) in words.iter().enumerate() {
        for (j, w) in sentence.iter().enumerate() {
            if synonyms.has(w.trim_end_matches('.')) {
                swappable.push((i, j));
            }
        }
    }
    shuffle(rng, &mut swappable);
    let budget = ((total as f64 * share) as usize).min(swappable.len());
    for &(i, j) in &swappable[..budget] {
        let word = &words[i][j];
        let bare = word.trim_end_matches('.');
        if let Some(other) = synonyms.swap(bare, rng) {
            words[i][j] = format!("{other}{}", &word[bare.len()..]);
        }
    }
    let text = words.into_iter().map(|w| w.join(" ")).collect();
    (text, budget as f64 / total.max(1) as f64)
}

/// Writes ASCII digits as Arabic-Indic ones when `arabic` (sources differ;
/// the analyzer folds both to the same token).
fn digits(s: &str, arabic: bool) -> String {
    if !arabic {
        return s.to_owned();
    }
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(0x0660 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Sentences grouped into paragraphs of one to three.
fn paragraphs(rng: &mut Rng, sentences: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = sentences.as_slice();
    while !rest.is_empty() {
        let n = rng.range(1, 4).min(rest.len());
        out.push(rest[..n].join(" "));
        rest = &rest[n..];
    }
    out
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i as u64 + 1) as usize);
    }
}

/// The calendar date `day` days after 2024-01-01.
pub(super) fn date_of(day: u32) -> (i32, u8, u8) {
    let start = time::Date::from_calendar_date(2024, time::Month::January, 1).expect("valid");
    let date = start + time::Duration::days(i64::from(day));
    (date.year(), date.month() as u8, date.day())
}

/// A source at random.
pub(super) fn any_source(rng: &mut Rng) -> &'static str {
    lexicon::SOURCES[rng.below(lexicon::SOURCES.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapping_stays_within_its_share() {
        let table = Synonyms::parse("قال\tأكد\nالحكومة\tالسلطات");
        let sentences = vec!["قال الحكومة قال الحكومة قال الحكومة قال الحكومة.".to_owned()];
        let (out, share) = swap_words(&mut Rng::new(3), sentences, 0.25, &table);
        assert_eq!(share, 0.25);
        assert!(out[0].ends_with('.'));
        let changed = out[0]
            .split(' ')
            .filter(|w| w.starts_with("أكد") || w.starts_with("السلطات"))
            .count();
        assert_eq!(changed, 2);
    }

    #[test]
    fn digits_are_written_the_arabic_way_when_asked() {
        assert_eq!(digits("عدد 120 شخصا", true), "عدد ١٢٠ شخصا");
        assert_eq!(digits("عدد 120 شخصا", false), "عدد 120 شخصا");
    }

    #[test]
    fn dates_count_days_from_2024() {
        assert_eq!(date_of(0), (2024, 1, 1));
        assert_eq!(date_of(366), (2025, 1, 1));
    }
}
