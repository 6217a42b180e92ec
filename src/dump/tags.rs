//! Rebuilding an article's tags from its tags line.
//!
//! Exporters flatten the tag links into one line. When the line still has
//! separators the tags are the pieces between them; when it is only words and
//! single spaces, multi-word tags (`كيم جونج أون`) are found again as the
//! longest runs of words that the article itself uses as a phrase.

use std::collections::{HashMap, HashSet};

use crate::arabic;

/// Characters that separate tags whenever they appear in the line. `؛` is
/// the Arabic semicolon, the same separator as `;` in Arabic typing.
const SEPARATORS: &[char] = &['،', ',', '|', '#', ';', '؛'];

/// The longest run of line words that can form one tag.
const MAX_RUN: usize = 5;

/// How many occurrences of a run's first word are tried. Real tag words occur
/// a few dozen times in an article; the cap keeps a hostile page (a tags
/// line and a body made of one common word) from costing words × words.
const MAX_PLACES: usize = 2_000;

/// The tags of a tags line, as written, in line order, without duplicates
/// (compared normalized, the first spelling kept). The article's `title` and
/// `paragraphs` are where multi-word tags are looked for.
pub fn rebuild(line: &str, title: &str, paragraphs: &[String]) -> Vec<String> {
    let line = line.trim();
    let tags = if has_separators(line) {
        split_explicit(line)
    } else {
        rebuild_phrases(line, title, paragraphs)
    };
    let mut seen = Vec::new();
    tags.into_iter()
        .filter(|tag| {
            let key = arabic::normalize(tag);
            let fresh = !key.is_empty() && !seen.contains(&key);
            seen.push(key);
            fresh
        })
        .collect()
}

/// Rule 1 applies when the line has a separator character or two or more
/// whitespace characters in a row.
fn has_separators(line: &str) -> bool {
    line.contains(SEPARATORS) || line.split(char::is_whitespace).any(str::is_empty)
}

/// Rule 1: the pieces between separators, trimmed. A single space stays
/// inside a piece, so `كيم جونج أون، موسكو` gives a three-word tag.
fn split_explicit(line: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let double_space = c.is_whitespace() && chars.peek().is_some_and(|n| n.is_whitespace());
        if SEPARATORS.contains(&c) || double_space {
            pieces.push(std::mem::take(&mut piece));
        } else {
            piece.push(c);
        }
    }
    pieces.push(piece);
    pieces
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// One word of the tags line: where it is, and its normalized tokens (none
/// for a lone punctuation mark, two for `كوفيد-19`).
struct Word {
    start: usize,
    end: usize,
    tokens: Vec<String>,
}

/// Rule 2: greedy, left to right, the longest run of words (2 to 5) that
/// occurs as a phrase in the title or in one paragraph; otherwise one word.
fn rebuild_phrases(line: &str, title: &str, paragraphs: &[String]) -> Vec<String> {
    let words = split_words(line);
    // One normalized string per text, split into borrowed tokens: this runs
    // on every imported page, and a String per word showed in profiles.
    let normalized: Vec<String> = std::iter::once(title)
        .chain(paragraphs.iter().map(String::as_str))
        .map(arabic::normalize)
        .collect();
    let texts: Vec<Vec<&str>> = normalized
        .iter()
        .map(|t| t.split(' ').filter(|w| !w.is_empty()).collect())
        .collect();
    let index = index_tokens(&texts, &words);
    let mut tags = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].tokens.is_empty() {
            // A lone mark (`-`) is no tag of its own; it is kept only inside a run.
            i += 1;
            continue;
        }
        let run = longest_run(&words[i..], &texts, &index);
        tags.push(line[words[i].start..words[i + run - 1].end].to_string());
        i += run;
    }
    tags
}

fn split_words(line: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (start, c.is_whitespace()) {
            (None, false) => start = Some(at),
            (Some(s), true) => {
                words.push(Word {
                    start: s,
                    end: at,
                    tokens: arabic::normalize_words(&line[s..at]),
                });
                start = None;
            }
            _ => {}
        }
    }
    words
}

/// Where each token that starts a line word occurs: (text, position), so a
/// run is only tried where its first token is.
fn index_tokens<'t>(
    texts: &[Vec<&'t str>],
    words: &[Word],
) -> HashMap<&'t str, Vec<(usize, usize)>> {
    let starts: HashSet<&str> = words
        .iter()
        .filter_map(|w| w.tokens.first())
        .map(String::as_str)
        .collect();
    let mut index: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (t, tokens) in texts.iter().enumerate() {
        for (p, token) in tokens.iter().enumerate() {
            if starts.contains(token) {
                index.entry(*token).or_default().push((t, p));
            }
        }
    }
    index
}

/// How many of `words` (at least 1) form the longest phrase found in one text.
fn longest_run(
    words: &[Word],
    texts: &[Vec<&str>],
    index: &HashMap<&str, Vec<(usize, usize)>>,
) -> usize {
    let max = words.len().min(MAX_RUN);
    let Some(places) = index.get(words[0].tokens[0].as_str()) else {
        return 1;
    };
    let mut best = 1;
    for &(t, p) in places.iter().take(MAX_PLACES) {
        for len in (best + 1..=max).rev() {
            if run_matches(&words[..len], &texts[t][p..]) {
                best = len;
                break;
            }
        }
        if best == max {
            break;
        }
    }
    best
}

/// Whether the run's tokens start `text`: all equal, except that the run's
/// very last token may be a prefix of the text's token (`الشمال` ~ `الشمالي`).
/// A run must end on a word with tokens, so no tag ends in a lone mark.
fn run_matches(run: &[Word], text: &[&str]) -> bool {
    if run.last().is_none_or(|w| w.tokens.is_empty()) {
        return false;
    }
    let tokens: Vec<&String> = run.iter().flat_map(|w| &w.tokens).collect();
    if tokens.len() > text.len() {
        return false;
    }
    let (last, head) = tokens
        .split_last()
        .expect("a run ends on a word with tokens");
    head.iter().zip(text).all(|(a, b)| a.as_str() == *b)
        && text[head.len()].starts_with(last.as_str())
}

#[cfg(test)]
mod tests;
