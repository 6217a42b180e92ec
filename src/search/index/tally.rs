//! Counting a query's matches in one pass (no scoring): how many, which
//! sources and tags they carry, and how they spread over the years (and
//! the months of a chosen year) by the `day` fast column. The walk is
//! bounded: it reads [`COUNT_CAP`] matches exactly, then samples the rest
//! of the index in evenly spaced windows, so past the cap every figure is
//! an estimate drawn from the whole index, not from its first documents
//! (which an import fills in date order).

use tantivy::columnar::Column;
use tantivy::fastfield::AliveBitSet;
use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocId, Searcher, SegmentReader, TERMINATED};

use super::counts::Counts;
use super::{Result, SearchIndex};

/// Matches counted exactly; past this the rest of the index is sampled and
/// every count says it is an estimate.
pub const COUNT_CAP: u64 = 100_000;

/// How far the walk counts exactly and how it samples the rest.
#[derive(Debug, Clone, Copy)]
pub struct Sampling {
    /// Matches read exactly.
    pub cap: u64,
    /// Windows the rest of the index is sampled in.
    pub windows: u64,
    /// Matches read per window at most.
    pub window_reads: usize,
}

impl Default for Sampling {
    fn default() -> Sampling {
        Sampling {
            cap: COUNT_CAP,
            windows: WINDOWS,
            window_reads: WINDOW_READS,
        }
    }
}

/// Matches whose sources and tags are all read; past this, every second,
/// then fourth… match is read (the stride doubles each time a quarter as
/// many were read again) and counts for as many as its stride. Reading a
/// match's source and tags costs more than the rest of its walk, so this
/// bounds a common word's reads to about 5,000 + 1,250 × log2(matches /
/// 5,000): 10,000 at 88,000 matches.
pub const FACET_EXACT: u64 = 5_000;
/// Reads per stride past [`FACET_EXACT`].
const FACET_READS_PER_STRIDE: u64 = FACET_EXACT / 4;
/// One sampled match in this many has its sources and tags read (the
/// facets are estimates there already; reading them was the most of a
/// sampled match's cost).
const SAMPLED_FACET_STRIDE: u64 = 8;
/// Windows the rest of the index is sampled in past [`COUNT_CAP`].
const WINDOWS: u64 = 64;
/// Matches read per window at most.
const WINDOW_READS: usize = 512;

/// The count, facets and date spread of a query's matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Matches within the period (all of them when none is chosen).
    pub total: u64,
    /// The counts are estimates (more than [`COUNT_CAP`] matches walked).
    pub estimated: bool,
    /// The facet counts are estimates (more than [`FACET_EXACT`] matches).
    pub facets_estimated: bool,
    /// (source id, matches), most first, at most `top`.
    pub sources: Vec<(i64, u64)>,
    /// (tag id, matches), most first, at most `top`.
    pub tags: Vec<(i64, u64)>,
    /// (year, matches) of every dated match, period or not, oldest first.
    pub years: Vec<(i32, u64)>,
    /// (month, matches) of the chosen period's year, in month order.
    pub months: Vec<(u8, u64)>,
}

/// What to walk: `query` without its period, and the period's inclusive
/// `YYYYMMDD` bounds (the total and facets count only matches within it;
/// the years count all, the months those of its year).
pub struct Walk<'a> {
    pub query: &'a dyn Query,
    pub period: Option<(i64, i64)>,
}

impl SearchIndex {
    /// One pass over the matches of `walk`, exact until [`COUNT_CAP`]
    /// matches, sampled past it; `top` sources and tags are kept.
    pub fn tally(&self, searcher: &Searcher, walk: &Walk, top: usize) -> Result<Tally> {
        self.tally_sampled(searcher, walk, top, Sampling::default())
    }

    /// [`SearchIndex::tally`] with its sampling given (tests shrink it).
    pub fn tally_sampled(
        &self,
        searcher: &Searcher,
        walk: &Walk,
        top: usize,
        sampling: Sampling,
    ) -> Result<Tally> {
        let weight = walk
            .query
            .weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut acc = Accumulator::new(walk.period);
        let segments = searcher.segment_readers();
        let mut stopped: Option<(usize, DocId)> = None;
        let mut batch = Batch::default();
        for (ord, segment) in segments.iter().enumerate() {
            let columns = Columns::of(segment)?;
            let mut scorer = weight.scorer(segment, 1.0)?;
            while batch.fill(&mut *scorer, &columns) {
                let room = usize::try_from(sampling.cap - acc.read).unwrap_or(usize::MAX);
                let read = batch.docs.len().min(room);
                for (&doc, &day) in batch.docs[..read].iter().zip(&batch.days) {
                    acc.exact(&columns, doc, day.unwrap_or(0));
                }
                if read < batch.docs.len() {
                    stopped = Some((ord, batch.docs[read]));
                    break;
                }
            }
            if stopped.is_some() {
                break;
            }
        }
        if let Some((ord, doc)) = stopped {
            acc.estimated = true;
            let mut rest = vec![(ord, doc, segments[ord].max_doc())];
            rest.extend((ord + 1..segments.len()).map(|o| (o, 0, segments[o].max_doc())));
            let space: u64 = rest.iter().map(|r| u64::from(r.2 - r.1)).sum();
            for (ord, from, to) in rest {
                let share = u64::from(to - from) * sampling.windows / space.max(1);
                let windows = u32::try_from(share.max(1)).unwrap_or(1);
                let mut scorer = weight.scorer(&segments[ord], 1.0)?;
                let columns = Columns::of(&segments[ord])?;
                let reads = sampling.window_reads;
                sample(&mut *scorer, &columns, (from, to, windows, reads), &mut acc);
            }
        }
        Ok(acc.finish(top))
    }
}

/// The live matches of one buffer of the walk, with their days (read in
/// one call per buffer: a column read per match cost more than the walk).
#[derive(Default)]
struct Batch {
    docs: Vec<DocId>,
    days: Vec<Option<i64>>,
}

impl Batch {
    /// The next live matches of `scorer`; false when it is done.
    fn fill(&mut self, scorer: &mut dyn Scorer, columns: &Columns) -> bool {
        let mut buffer = [0; COLLECT_BLOCK_BUFFER_LEN];
        loop {
            let n = scorer.fill_buffer(&mut buffer);
            if n == 0 {
                return false;
            }
            self.docs.clear();
            self.docs
                .extend(buffer[..n].iter().filter(|&&d| columns.alive(d)));
            if !self.docs.is_empty() {
                self.days.clear();
                self.days.resize(self.docs.len(), None);
                columns.day.first_vals(&self.docs, &mut self.days);
                return true;
            }
        }
    }
}

/// Reads `windows` evenly spaced windows of `[from, to)`: each window's
/// matches up to `reads`, each counting for the window's share of the
/// docs it covered (1 when it read the window whole).
fn sample(
    scorer: &mut dyn Scorer,
    columns: &Columns,
    (from, to, windows, reads): (DocId, DocId, u32, usize),
    acc: &mut Accumulator,
) {
    let width = (to - from).div_ceil(windows).max(1);
    let mut seen: Vec<DocId> = Vec::with_capacity(reads);
    let mut start = from;
    while start < to {
        let end = start.saturating_add(width).min(to);
        let mut doc = scorer.doc();
        if doc < start {
            doc = scorer.seek(start);
        }
        seen.clear();
        while doc < end && seen.len() < reads {
            if columns.alive(doc) {
                seen.push(doc);
            }
            doc = scorer.advance();
        }
        let covered = if doc < end && doc != TERMINATED {
            doc - start // stopped early: the matches so far stand for the window
        } else {
            end - start
        };
        let weight = f64::from(end - start) / f64::from(covered.max(1));
        for &d in &seen {
            acc.add(columns, d, weight);
        }
        start = end;
    }
}

/// A segment's columns the tally reads.
struct Columns<'a> {
    source: Column<u64>,
    tags: Column<u64>,
    day: Column<i64>,
    alive: Option<&'a AliveBitSet>,
}

impl<'a> Columns<'a> {
    fn of(segment: &'a SegmentReader) -> Result<Columns<'a>> {
        let fast = segment.fast_fields();
        Ok(Columns {
            source: fast.u64("source")?,
            tags: fast.u64("tags")?,
            day: fast.i64("day")?,
            alive: segment.alive_bitset(),
        })
    }

    fn alive(&self, doc: DocId) -> bool {
        self.alive.is_none_or(|a| a.is_alive(doc))
    }
}

/// Counts as the walk adds matches (weights are 1 while exact).
struct Accumulator {
    period: Option<(i64, i64)>,
    /// The period's year's bounds, whose months are counted.
    year: Option<(i64, i64)>,
    /// Matches read (the cap's measure).
    read: u64,
    /// Matches within the period read exactly (the facet stride's measure).
    exact_in_period: u64,
    stride: u64,
    /// Sampled matches within the period (the sampled facets' stride).
    sampled_in_period: u64,
    /// Matches until the next whose facets are read.
    until_read: u64,
    next_doubling: u64,
    estimated: bool,
    total: f64,
    sources: Counts,
    tags: Counts,
    years: Counts,
    months: [f64; 12],
}

impl Accumulator {
    fn new(period: Option<(i64, i64)>) -> Accumulator {
        Accumulator {
            period,
            year: period.map(|(from, _)| (from / 10_000 * 10_000, from / 10_000 * 10_000 + 9999)),
            read: 0,
            exact_in_period: 0,
            stride: 1,
            until_read: 1,
            sampled_in_period: 0,
            next_doubling: FACET_EXACT,
            estimated: false,
            total: 0.0,
            sources: Counts::default(),
            tags: Counts::default(),
            years: Counts::default(),
            months: [0.0; 12],
        }
    }

    /// A match of the exact part: facets past [`FACET_EXACT`] read every
    /// `stride`-th match in the period, counting for `stride`.
    fn exact(&mut self, columns: &Columns, doc: DocId, day: i64) {
        self.read += 1;
        self.date(day, 1.0);
        if !self.within(day) {
            return;
        }
        self.total += 1.0;
        self.exact_in_period += 1;
        if self.exact_in_period > self.next_doubling {
            self.stride *= 2;
            self.next_doubling += FACET_READS_PER_STRIDE * self.stride;
        }
        self.until_read -= 1;
        if self.until_read == 0 {
            self.until_read = self.stride;
            self.facets(columns, doc, self.stride as f64);
        }
    }

    /// A sampled match standing for `weight` matches.
    /// Sampled matches' sources and tags are read one in
    /// [`SAMPLED_FACET_STRIDE`], each counting for as many.
    fn add(&mut self, columns: &Columns, doc: DocId, weight: f64) {
        let day = columns.day.first(doc).unwrap_or(0);
        self.date(day, weight);
        if self.within(day) {
            self.total += weight;
            self.sampled_in_period += 1;
            if self.sampled_in_period.is_multiple_of(SAMPLED_FACET_STRIDE) {
                self.facets(columns, doc, weight * SAMPLED_FACET_STRIDE as f64);
            }
        }
    }

    fn within(&self, day: i64) -> bool {
        self.period
            .is_none_or(|(from, to)| (from..=to).contains(&day))
    }

    fn date(&mut self, day: i64, weight: f64) {
        if day <= 0 {
            return; // undated: in no bar
        }
        self.years.add((day / 10_000) as u64, weight);
        if self
            .year
            .is_some_and(|(from, to)| (from..=to).contains(&day))
        {
            let month = (day / 100 % 100) as usize;
            if (1..=12).contains(&month) {
                self.months[month - 1] += weight;
            }
        }
    }

    fn facets(&mut self, columns: &Columns, doc: DocId, weight: f64) {
        if let Some(s) = columns.source.first(doc) {
            self.sources.add(s, weight);
        }
        for t in columns.tags.values_for_doc(doc) {
            self.tags.add(t, weight);
        }
    }

    fn finish(self, top: usize) -> Tally {
        let round = |n: f64| n.round() as u64;
        Tally {
            total: round(self.total),
            estimated: self.estimated,
            facets_estimated: self.estimated || self.exact_in_period > FACET_EXACT,
            sources: self.sources.top(top),
            tags: self.tags.top(top),
            years: self
                .years
                .all()
                .into_iter()
                .map(|(y, n)| (y as i32, n))
                .collect(),
            months: match self.year {
                None => Vec::new(),
                Some(_) => (1..=12u8)
                    .zip(self.months)
                    .filter(|(_, n)| *n > 0.0)
                    .map(|(m, n)| (m, round(n)))
                    .collect(),
            },
        }
    }
}
