//! Publication dates as dumps write them: English (`13th, July 2025 GMT`),
//! numeric (`2025-07-13T10:30:00Z`, `13/07/2025`) and Arabic with the month
//! names of every region (`الأحد ١٣ تموز ٢٠٢٥ الساعة 10:30 م`).
//!
//! Reading is strict on purpose: the whole text must be a date, every part
//! must be valid, and what is not written (time, zone) stays unknown. A date
//! that cannot be read is `None`, never a guess.

mod grammar;
mod lexicon;

use time::{Date, Time};

use lexicon::{Tok, is_weekday, norm, tokenize};

/// A zone named after the time: `GMT`/`UTC`/`Z`, or an offset kept as
/// written (minutes east of UTC), never converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    Utc,
    Offset(i16),
}

/// A publication date: the calendar date, with the time and zone when the
/// dump gives them. A zone only exists together with a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Published {
    date: Date,
    clock: Option<(Time, Option<Zone>)>,
}

impl Published {
    /// A date with an optional time of day and the zone that time was given in.
    pub fn new(date: Date, clock: Option<(Time, Option<Zone>)>) -> Self {
        Published { date, clock }
    }

    /// Reads a date in any form the dump format lists; `None` when `raw` is
    /// not entirely a valid date.
    pub fn parse(raw: &str) -> Option<Published> {
        let toks = tokenize(raw);
        let mut c = Cursor { toks: &toks, at: 0 };
        c.skip_fillers();
        let (date, clock) = match c.attempt(Cursor::clock) {
            Some(clock) => {
                c.skip_separators();
                c.skip_fillers();
                (c.date()?, Some(clock))
            }
            None => {
                let date = c.date()?;
                c.skip_separators();
                (date, c.attempt(Cursor::clock))
            }
        };
        if clock.is_none() {
            // `13th, July 2025 GMT`: a zone with no time says nothing more.
            c.attempt(Cursor::zone);
        }
        c.skip_separators();
        c.done().then_some(Published { date, clock })
    }

    /// RFC 3339: `2025-07-13` alone, or `2025-07-13T10:30:00` followed by `Z`
    /// for GMT/UTC, the offset as written, or nothing when no zone was named.
    pub fn rfc3339(&self) -> String {
        let Some((time, zone)) = self.clock else {
            return ymd(self.date);
        };
        let suffix = match zone {
            None => String::new(),
            Some(Zone::Utc) => "Z".to_string(),
            Some(Zone::Offset(minutes)) => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let m = minutes.unsigned_abs();
                format!("{sign}{:02}:{:02}", m / 60, m % 60)
            }
        };
        format!("{}T{}{suffix}", ymd(self.date), hms(time))
    }

    /// The calendar date as written.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The time of day as written, when given.
    pub fn time(&self) -> Option<Time> {
        self.clock.map(|(t, _)| t)
    }

    /// The zone the time was given in, when named.
    pub fn zone(&self) -> Option<Zone> {
        self.clock.and_then(|(_, z)| z)
    }

    /// A string that sorts chronologically: `2025-07-13T10:30:00`, with
    /// midnight for a date alone. Times are compared as written (no zone
    /// conversion), like the rest of the archive shows them.
    pub fn sort_key(&self) -> String {
        let time = self.time().unwrap_or(Time::MIDNIGHT);
        format!("{}T{}", ymd(self.date), hms(time))
    }
}

fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn hms(t: Time) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// A position in the token list; every rule either consumes its tokens and
/// succeeds or is undone by [`Cursor::attempt`].
struct Cursor<'a> {
    toks: &'a [Tok],
    at: usize,
}

impl Cursor<'_> {
    /// Runs `rule`, rewinding when it fails.
    fn attempt<T>(&mut self, rule: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.at;
        let found = rule(self);
        if found.is_none() {
            self.at = start;
        }
        found
    }

    fn done(&self) -> bool {
        self.at == self.toks.len()
    }

    fn sym(&mut self, set: &[char]) -> Option<char> {
        match self.toks.get(self.at) {
            Some(Tok::Sym(c)) if set.contains(c) => {
                self.at += 1;
                Some(*c)
            }
            _ => None,
        }
    }

    /// Consumes a word equal to one of `words` once both are normalized.
    fn word(&mut self, words: &[&str]) -> Option<String> {
        match self.toks.get(self.at) {
            Some(Tok::Word(w)) if words.iter().any(|x| norm(x) == *w) => {
                self.at += 1;
                Some(w.clone())
            }
            _ => None,
        }
    }

    /// A number written with between `min` and `max` digits.
    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        match self.toks.get(self.at) {
            Some(Tok::Num(v, len)) if (min..=max).contains(len) => {
                self.at += 1;
                Some(*v)
            }
            _ => None,
        }
    }

    /// Day names, `يوم` and stray punctuation before the date.
    fn skip_fillers(&mut self) {
        while self.weekday()
            || self.word(&["يوم"]).is_some()
            || self.sym(&[',', '،', '-', '|']).is_some()
        {}
    }

    fn weekday(&mut self) -> bool {
        let found = matches!(self.toks.get(self.at), Some(Tok::Word(w)) if is_weekday(w));
        self.at += usize::from(found);
        found
    }

    /// Punctuation and connecting words between date and time
    /// (`-`, `،`, `الساعة`, `على الساعة`, `at`, the ISO `T`).
    fn skip_separators(&mut self) {
        while self.sym(&[',', '،', '-', '–', '—', '|']).is_some()
            || self.word(&["الساعة", "على", "في", "at", "t"]).is_some()
        {}
    }
}

#[cfg(test)]
mod tests;
