//! Turns a [`Query`] into an FTS5 `MATCH` expression (arabic-text.md §c). Only
//! analyzer output reaches the expression, and every term is double-quoted (inner
//! `"` doubled), so user text can never become FTS5 syntax: no column filters,
//! `NEAR`, `*`, `^` or bare operators. Layout, for one word with norm `n`:
//!
//! `({title_norm body_norm} : "n" OR {title_stem body_stem} : ("v1" OR "v2"))`
//!
//! where `v…` are the word's Q-variants (§b). Groups are `OR`s of alternatives,
//! groups are `AND`ed, and exclusions follow one `NOT`.

use crate::arabic;

use super::query::{Alt, Query};

/// Which columns the positive terms may match in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// Titles and bodies: the query as typed.
    All,
    /// Titles only, norms or stems: a tier of very common queries.
    Title,
    /// The exact normalized words in titles: the first tier of very common queries.
    TitleExact,
}

impl Columns {
    fn norm(self) -> &'static str {
        match self {
            Columns::All => "{title_norm body_norm}",
            Columns::Title | Columns::TitleExact => "{title_norm}",
        }
    }

    /// `None`: stems are not searched.
    fn stem(self) -> Option<&'static str> {
        match self {
            Columns::All => Some("{title_stem body_stem}"),
            Columns::Title => Some("{title_stem}"),
            Columns::TitleExact => None,
        }
    }
}

/// The MATCH expression for `query` over titles and bodies; `None` when the query
/// has nothing to match (then no FTS query must run).
pub fn build(query: &Query) -> Option<String> {
    build_in(query, Columns::All)
}

/// The MATCH expression with the positive terms restricted to `columns`.
/// Exclusions always apply to the whole article.
pub fn build_in(query: &Query, columns: Columns) -> Option<String> {
    if query.is_empty() {
        return None;
    }
    let all: Vec<usize> = (0..query.groups.len()).collect();
    let mut expr = groups(query, &all, columns)?;
    if !query.excluded.is_empty() {
        let excluded: Vec<String> = query
            .excluded
            .iter()
            .map(|a| alt(a, Columns::All))
            .collect();
        expr = format!("{expr} NOT ({})", excluded.join(" OR "));
    }
    Some(expr)
}

/// The AND of the groups `which` of `query` (no exclusions): a group alone, to
/// count how common it is, or the rarer groups that bm25 scores.
pub fn groups(query: &Query, which: &[usize], columns: Columns) -> Option<String> {
    let parts: Vec<String> = which
        .iter()
        .filter_map(|&i| query.groups.get(i))
        .map(|group| {
            let alts: Vec<String> = group.iter().map(|a| alt(a, columns)).collect();
            format!("({})", alts.join(" OR "))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("({})", parts.join(" AND ")))
}

/// The expression of one normalized word alone (used to find zero-hit words).
pub fn word(norm: &str) -> String {
    word_in(norm, Columns::All)
}

fn alt(alt: &Alt, columns: Columns) -> String {
    match alt {
        Alt::Word(w) => word_in(&w.norm, columns),
        Alt::Phrase(words) => phrase_in(words, columns),
    }
}

fn word_in(norm: &str, columns: Columns) -> String {
    let variants: Vec<String> = arabic::query_variants(norm)
        .iter()
        .map(|v| quote(v))
        .collect();
    match columns.stem() {
        Some(stem) => format!(
            "({} : {} OR {stem} : ({}))",
            columns.norm(),
            quote(norm),
            variants.join(" OR ")
        ),
        None => format!("({} : {})", columns.norm(), quote(norm)),
    }
}

/// A phrase matches its exact normalized words, or (ranked lower, on the stem
/// columns) the same sequence of stems: the spec's looser variant, which lets
/// `"الحكومة الجديدة"` find `حكومة جديدة`.
fn phrase_in(words: &[String], columns: Columns) -> String {
    let stems: Vec<String> = words.iter().map(|w| arabic::stem(w)).collect();
    match columns.stem() {
        Some(stem) => format!(
            "({} : {} OR {stem} : {})",
            columns.norm(),
            quote(&words.join(" ")),
            quote(&stems.join(" "))
        ),
        None => format!("({} : {})", columns.norm(), quote(&words.join(" "))),
    }
}

/// An FTS5 string: double quotes around, inner double quotes doubled. Inside a
/// string FTS5 only tokenizes, so no character can act as syntax.
pub fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests;
