//! The date grammar: the calendar-date forms, the time of day with its
//! AM/PM (`ص`/`م`) and the zone. Each rule consumes tokens from the cursor or
//! fails; the caller decides what may follow.

use time::{Date, Month, Time};

use super::lexicon::month_at;
use super::{Cursor, Zone};

const ORDINALS: &[&str] = &["st", "nd", "rd", "th"];
/// `م` right after the year, or spelled out: the Common Era.
const CE: &[&str] = &["م", "ميلادي", "ميلادية"];
const AM: &[&str] = &["am", "ص", "صباحا"];
const PM: &[&str] = &["pm", "م", "مساء", "مساءا"];
const UTC_NAMES: &[&str] = &["gmt", "utc", "z", "غرينتش", "جرينتش", "غرينيتش"];

impl Cursor<'_> {
    /// A calendar date in one of the four shapes, then an optional CE mark.
    pub(super) fn date(&mut self) -> Option<Date> {
        let (y, m, d) = self
            .attempt(Cursor::year_month_day)
            .or_else(|| self.attempt(Cursor::day_month_year_numeric))
            .or_else(|| self.attempt(Cursor::day_month_name_year))
            .or_else(|| self.attempt(Cursor::month_name_day_year))?;
        self.word(CE);
        let year = i32::try_from(y)
            .ok()
            .filter(|y| (1000..=9999).contains(y))?;
        let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
        Date::from_calendar_date(year, month, u8::try_from(d).ok()?).ok()
    }

    /// `2025-07-13`, `2025/07/13`, `2025.07.13`.
    fn year_month_day(&mut self) -> Option<(u32, u32, u32)> {
        let y = self.num(4, 4)?;
        let sep = self.sym(&['-', '/', '.'])?;
        let m = self.num(1, 2)?;
        self.sym(&[sep])?;
        Some((y, m, self.num(1, 2)?))
    }

    /// `13/07/2025`, `13-07-2025`, `13.07.2025`: always day first.
    fn day_month_year_numeric(&mut self) -> Option<(u32, u32, u32)> {
        let d = self.num(1, 2)?;
        let sep = self.sym(&['/', '-', '.'])?;
        let m = self.num(1, 2)?;
        self.sym(&[sep])?;
        Some((self.num(4, 4)?, m, d))
    }

    /// `13th, July 2025`, `13 يوليو 2025`, `١٣ تموز/يوليو ٢٠٢٥`.
    fn day_month_name_year(&mut self) -> Option<(u32, u32, u32)> {
        let d = self.num(1, 2)?;
        self.word(ORDINALS);
        self.sym(&[',', '،', '-', '/']);
        let m = self.month_name()?;
        self.sym(&[',', '،', '-', '/']);
        Some((self.num(4, 4)?, m, d))
    }

    /// `July 13, 2025`, `Jul. 1st 2025`.
    fn month_name_day_year(&mut self) -> Option<(u32, u32, u32)> {
        let m = self.month_name()?;
        let d = self.num(1, 2)?;
        self.word(ORDINALS);
        self.sym(&[',', '،']);
        Some((self.num(4, 4)?, m, d))
    }

    /// A month name, an optional abbreviation dot, and an optional second
    /// name of the same month (`تموز/يوليو`, `يوليو (تموز)`); two names that
    /// disagree are no date.
    fn month_name(&mut self) -> Option<u32> {
        let (m, used) = month_at(&self.toks[self.at..])?;
        self.at += used;
        self.sym(&['.']);
        let other = self.attempt(|c| {
            let open = c.sym(&['/', '('])?;
            let (m2, used) = month_at(&c.toks[c.at..])?;
            c.at += used;
            if open == '(' {
                c.sym(&[')'])?;
            }
            Some(m2)
        });
        match other {
            Some(m2) if m2 != m => None,
            _ => Some(u32::from(m)),
        }
    }

    /// A time of day, optionally introduced by `الساعة`/`at`, with AM/PM and
    /// a zone when written.
    pub(super) fn clock(&mut self) -> Option<(Time, Option<Zone>)> {
        self.word(&["على"]);
        self.word(&["الساعة", "at"]);
        let h = self.num(1, 2)?;
        self.sym(&[':'])?;
        let m = self.num(2, 2)?;
        let s = self.attempt(|c| {
            c.sym(&[':'])?;
            let s = c.num(2, 2)?;
            // Fractions of a second are read and dropped: dates keep seconds.
            c.attempt(|c| c.sym(&['.', ',']).and_then(|_| c.num(1, 9)));
            Some(s)
        });
        let h = self.attempt(|c| c.meridiem(h)).unwrap_or(h);
        let time = Time::from_hms(
            u8::try_from(h).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(s.unwrap_or(0)).ok()?,
        )
        .ok()?;
        Some((time, self.attempt(Cursor::zone)))
    }

    /// AM/PM applied to a 12-hour clock reading `h` (1–12).
    fn meridiem(&mut self, h: u32) -> Option<u32> {
        let pm = if self.word(AM).is_some() || self.dotted('a') {
            false
        } else if self.word(PM).is_some() || self.dotted('p') {
            true
        } else {
            return None;
        };
        // `13:00 PM` is contradictory: the mark stays unread, so the whole
        // date is unreadable rather than one reading picked.
        (1..=12).contains(&h).then_some(())?;
        Some(h % 12 + if pm { 12 } else { 0 })
    }

    /// `a.m.` / `p.m.` written with dots.
    fn dotted(&mut self, first: char) -> bool {
        let letter = first.to_string();
        self.attempt(|c| {
            c.word(&[letter.as_str()])?;
            c.sym(&['.'])?;
            c.word(&["m"])?;
            c.sym(&['.']);
            Some(())
        })
        .is_some()
    }

    /// `GMT`, `UTC`, `Z`, `بتوقيت غرينتش`, optionally with an offset
    /// (`GMT+3`); or a bare offset `+03:00` / `+0300`.
    pub(super) fn zone(&mut self) -> Option<Zone> {
        self.word(&["بتوقيت", "توقيت"]);
        if self.word(UTC_NAMES).is_some() {
            return Some(
                self.attempt(|c| c.offset(true))
                    .map_or(Zone::Utc, Zone::Offset),
            );
        }
        self.offset(false).map(Zone::Offset)
    }

    /// `+03:00`, `-0500`, and after a zone name also `+3`. A bare sign and
    /// hour is not an offset on its own: `10:30 - 13/07/2025` has none.
    fn offset(&mut self, after_name: bool) -> Option<i16> {
        let sign: i16 = if self.sym(&['+', '-', '\u{2212}'])? == '+' {
            1
        } else {
            -1
        };
        let (h, m) = if let Some(hhmm) = self.num(4, 4) {
            (hhmm / 100, hhmm % 100)
        } else {
            let h = self.num(1, 2)?;
            match self.attempt(|c| c.sym(&[':']).and_then(|_| c.num(2, 2))) {
                Some(m) => (h, m),
                None if after_name => (h, 0),
                None => return None,
            }
        };
        let minutes = i16::try_from(h * 60 + m).ok()?;
        (h <= 14 && m < 60).then_some(sign * minutes)
    }
}
