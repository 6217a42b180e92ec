//! The search box's language (interfaces.md "Search syntax"), parsed into a typed
//! [`Query`]: words are ANDed, `"…"` is a phrase, `-word` excludes, `OR` joins
//! alternatives, `title:` looks in titles only, `source:` `tag:` `from:` `to:`
//! filter (`-source:` and `-tag:` exclude). Parsing never fails: what
//! cannot be read is dropped (punctuation-only words, a lone `-`, `OR` at an end),
//! an unbalanced quote runs to the end, and long input is capped.

use std::ops::Range;

use crate::arabic;

/// Input past this many characters is ignored (a search box, not a document).
pub const MAX_INPUT_CHARS: usize = 512;
/// Analyzed words kept per query, counting phrase words and exclusions: each word
/// costs a handful of FTS5 phrases, so this bounds the work of one query.
pub const MAX_TERMS: usize = 16;
/// Tag filters kept per query (they are ANDed); the same cap holds for
/// sources (any of them) and for excluded sources and tags.
pub const MAX_TAGS: usize = 4;

/// A parsed query: every word already normalized by the analyzer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// ANDed groups; each group is one or more alternatives joined by `OR`.
    pub groups: Vec<Vec<Alt>>,
    /// Alternatives no hit may match (`-word`, `-"a phrase"`).
    pub excluded: Vec<Alt>,
    /// Filters written inside the text.
    pub filters: Filters,
    /// True when words were dropped by [`MAX_TERMS`] or [`MAX_INPUT_CHARS`].
    pub truncated: bool,
}

/// One thing to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alt {
    /// A word: matches its normalized form or its stem variants.
    Word(Word),
    /// Normalized words that must follow each other. A bare word that analyzes to
    /// several tokens (`كوفيد-١٩`, `ﷺ`) is a phrase too.
    Phrase(Vec<String>),
    /// `title:word` or `title:"a phrase"`: normalized words that must follow
    /// each other in the title (one word: that word or its stem variants).
    Title(Vec<String>),
}

/// A single-token word, with where the user typed it (for "did you mean").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub norm: String,
    /// Byte range of the word (without a `-`) in the parsed text.
    pub span: Range<usize>,
}

/// Filters as written (validated and resolved by the engine).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// `source:` filters: a hit comes from any one of them.
    pub sources: Vec<String>,
    /// `tag:` filters: a hit carries every one of them.
    pub tags: Vec<String>,
    /// `-source:` filters: no hit comes from any of them.
    pub not_sources: Vec<String>,
    /// `-tag:` filters: no hit carries any of them.
    pub not_tags: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.tags.is_empty()
            && self.not_sources.is_empty()
            && self.not_tags.is_empty()
            && self.from.is_none()
            && self.to.is_none()
    }
}

impl Alt {
    /// The alternative's normalized words.
    pub fn words(&self) -> Vec<&str> {
        match self {
            Alt::Word(w) => vec![w.norm.as_str()],
            Alt::Phrase(ws) | Alt::Title(ws) => ws.iter().map(String::as_str).collect(),
        }
    }
}

impl Query {
    /// Parses `input`; never fails.
    pub fn parse(input: &str) -> Query {
        let cut = input
            .char_indices()
            .nth(MAX_INPUT_CHARS)
            .map_or(input.len(), |(i, _)| i);
        let mut builder = Builder::default();
        builder.query.truncated = cut < input.len();
        for lexeme in lex(&input[..cut]) {
            builder.take(lexeme);
        }
        builder.query
    }

    /// True when there is nothing to match (exclusions alone match nothing).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every positive normalized word, in query order (for highlighting).
    pub fn positive_words(&self) -> Vec<String> {
        self.groups
            .iter()
            .flatten()
            .flat_map(Alt::words)
            .map(str::to_owned)
            .collect()
    }

    /// The single words that must match (groups of one word), for suggestions.
    pub fn required_words(&self) -> impl Iterator<Item = &Word> {
        self.groups.iter().filter_map(|g| match g.as_slice() {
            [Alt::Word(w)] => Some(w),
            _ => None,
        })
    }

    fn term_count(&self) -> usize {
        let alts = self.groups.iter().flatten().chain(&self.excluded);
        alts.map(|a| a.words().len()).sum()
    }
}

/// One unit of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Text {
        negated: bool,
        quoted: bool,
        text: String,
        span: Range<usize>,
    },
    Or,
    Filter {
        key: FilterKey,
        negated: bool,
        value: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKey {
    Source,
    Tag,
    From,
    To,
    Title,
}

/// Splits the input into words, quoted phrases, `OR` and `key:value` filters.
fn lex(text: &str) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() {
            at += c.len_utf8();
            continue;
        }
        let negated = c == '-' && rest.len() > 1;
        let start = if negated { at + 1 } else { at };
        if text[start..].starts_with('"') {
            let (inner, end) = quoted(text, start);
            let span = start + 1..start + 1 + inner.len();
            out.push(Lexeme::Text {
                negated,
                quoted: true,
                text: inner.to_owned(),
                span,
            });
            at = end;
            continue;
        }
        let end = chunk_end(text, start);
        if end == start {
            at = start.max(at + c.len_utf8()); // a lone `-`
            continue;
        }
        let chunk = &text[start..end];
        if let Some((key, value, value_end)) = filter(text, start, end, negated) {
            if !value.trim().is_empty() {
                out.push(Lexeme::Filter {
                    key,
                    negated,
                    value,
                });
            }
            at = value_end;
            continue;
        }
        if chunk == "OR" && !negated {
            out.push(Lexeme::Or);
        } else {
            out.push(Lexeme::Text {
                negated,
                quoted: false,
                text: chunk.to_owned(),
                span: start..end,
            });
        }
        at = end;
    }
    out
}

/// The text of a quote opening at `open` and the byte just past its closing quote
/// (the end of the input when unbalanced).
fn quoted(text: &str, open: usize) -> (&str, usize) {
    let body = open + 1;
    match text[body..].find('"') {
        Some(close) => (&text[body..body + close], body + close + 1),
        None => (&text[body..], text.len()),
    }
}

/// End of a bare chunk: the next whitespace or quote.
fn chunk_end(text: &str, start: usize) -> usize {
    text[start..]
        .find(|c: char| c.is_whitespace() || c == '"')
        .map_or(text.len(), |i| start + i)
}

/// Reads `key:value` or `key:"value"` at `start` (chunk ending at `end`);
/// only sources, tags and titles can be negated.
fn filter(
    text: &str,
    start: usize,
    end: usize,
    negated: bool,
) -> Option<(FilterKey, String, usize)> {
    let chunk = &text[start..end];
    let (key, value) = chunk.split_once(':')?;
    let key = match key.to_ascii_lowercase().as_str() {
        "source" => FilterKey::Source,
        "tag" => FilterKey::Tag,
        "title" => FilterKey::Title,
        "from" if !negated => FilterKey::From,
        "to" if !negated => FilterKey::To,
        _ => return None,
    };
    if value.is_empty() && text[end..].starts_with('"') {
        let (inner, after) = quoted(text, end);
        return Some((key, inner.trim().to_owned(), after));
    }
    Some((key, value.to_owned(), end))
}

/// Folds lexemes into a query, applying `OR` and the caps.
#[derive(Default)]
struct Builder {
    query: Query,
    /// An `OR` was read and the next positive alternative joins the last group.
    or_pending: bool,
    /// The last thing taken was a positive group (an `OR` can extend it).
    after_group: bool,
}

impl Builder {
    fn take(&mut self, lexeme: Lexeme) {
        match lexeme {
            Lexeme::Or => self.or_pending = self.after_group,
            Lexeme::Filter {
                key: FilterKey::Title,
                negated,
                value,
            } => match title(&value) {
                Some(alt) if self.fits(&alt) => self.alt(negated, alt),
                Some(_) => self.query.truncated = true,
                None => {}
            },
            Lexeme::Filter {
                key,
                negated,
                value,
            } => self.filter(key, negated, value),
            Lexeme::Text {
                negated,
                quoted,
                text,
                span,
            } => match alt(&text, quoted, span) {
                Some(alt) if self.fits(&alt) => self.alt(negated, alt),
                Some(_) => self.query.truncated = true,
                None => {} // punctuation only: an OR around it still joins its neighbours
            },
        }
    }

    fn fits(&self, alt: &Alt) -> bool {
        self.query.term_count() + alt.words().len() <= MAX_TERMS
    }

    fn alt(&mut self, negated: bool, alt: Alt) {
        if negated {
            self.query.excluded.push(alt);
            (self.or_pending, self.after_group) = (false, false);
            return;
        }
        match self.query.groups.last_mut() {
            Some(group) if self.or_pending => group.push(alt),
            _ => self.query.groups.push(vec![alt]),
        }
        (self.or_pending, self.after_group) = (false, true);
    }

    fn filter(&mut self, key: FilterKey, negated: bool, value: String) {
        let f = &mut self.query.filters;
        let list = match (key, negated) {
            (FilterKey::Source, false) => &mut f.sources,
            (FilterKey::Source, true) => &mut f.not_sources,
            (FilterKey::Tag, false) => &mut f.tags,
            (FilterKey::Tag, true) => &mut f.not_tags,
            (FilterKey::From, _) => return self.date(|f| &mut f.from, value),
            (FilterKey::To, _) => return self.date(|f| &mut f.to, value),
            (FilterKey::Title, _) => return, // a title is words, taken before
        };
        if list.len() < MAX_TAGS {
            list.push(value);
        } else {
            self.query.truncated = true;
        }
        self.or_pending = false;
    }

    fn date(&mut self, field: impl Fn(&mut Filters) -> &mut Option<String>, value: String) {
        *field(&mut self.query.filters) = Some(value);
        // A filter between two words does not break an `a OR b` chain's meaning,
        // but an OR right before a filter has nothing to join.
        self.or_pending = false;
    }
}

/// Analyzes the value of `title:`; `None` when it holds no token.
fn title(value: &str) -> Option<Alt> {
    let norms = arabic::normalize_words(value);
    (!norms.is_empty()).then_some(Alt::Title(norms))
}

/// Analyzes one word or phrase; `None` when it holds no token.
fn alt(text: &str, quoted: bool, span: Range<usize>) -> Option<Alt> {
    let mut norms = arabic::normalize_words(text);
    match norms.len() {
        0 => None,
        1 if !quoted => Some(Alt::Word(Word {
            norm: norms.remove(0),
            span,
        })),
        _ => Some(Alt::Phrase(norms)),
    }
}

#[cfg(test)]
mod tests;
