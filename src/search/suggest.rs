//! "Did you mean": for a query with no hit, each required word that matches nothing
//! on its own is replaced by the closest indexed word (edit distance on normalized
//! forms, read from the index's vocabulary of exact title and body words, the most
//! common on a tie), shown as an article spells it (`الحكومة`, not the folded `الحكومه`).

use crate::store::Conn;

use crate::arabic;
use crate::store::search as db;

use super::SearchError;
use super::index::SearchIndex;
use super::plan;
use super::query::Query;

/// Indexed words read per look-up (one prefix range of the vocabulary).
const CANDIDATES: usize = 2000;
/// Zero-hit words corrected per query.
const MAX_CORRECTIONS: usize = 3;

/// The query text with its zero-hit words replaced, or `None` when there is
/// nothing better to offer.
pub async fn suggest(
    (index, conn): (&SearchIndex, &mut Conn),
    text: &str,
    query: &Query,
) -> Result<Option<String>, SearchError> {
    let mut replacements = Vec::new();
    for word in query.required_words() {
        if replacements.len() == MAX_CORRECTIONS {
            break;
        }
        if index
            .first(&*plan::word(&word.norm, index.fields()))?
            .is_some()
        {
            continue;
        }
        if let Some(better) = closest(index, &word.norm)? {
            let spelled = spelling((index, &mut *conn), &better)
                .await?
                .unwrap_or(better);
            replacements.push((word.span.clone(), spelled));
        }
    }
    if replacements.is_empty() {
        return Ok(None);
    }
    replacements.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_owned();
    for (span, with) in replacements {
        if out.is_char_boundary(span.start) && span.end <= out.len() {
            out.replace_range(span, &with);
        }
    }
    Ok(Some(out))
}

/// The indexed word nearest to `norm`, within 1 edit (2 for words of 6+ letters).
fn closest(index: &SearchIndex, norm: &str) -> Result<Option<String>, SearchError> {
    let chars: Vec<char> = norm.chars().collect();
    if chars.len() < 3 {
        return Ok(None);
    }
    let max = if chars.len() >= 6 { 2 } else { 1 };
    // A typo is rarely in the first letters; with the article ال, look past it.
    let keep = if norm.starts_with("ال") && chars.len() >= 5 {
        3
    } else {
        2
    };
    let prefix: String = chars[..keep].iter().collect();
    let mut best: Option<(usize, i64, String)> = None;
    for (term, docs) in index.words_with_prefix(&prefix, CANDIDATES)? {
        let docs = docs as i64;
        let distance = edit_distance(&chars, &term.chars().collect::<Vec<_>>());
        if distance == 0 || distance > max {
            continue;
        }
        let better = match &best {
            None => true,
            Some((d, n, _)) => (distance, -docs) < (*d, -*n),
        };
        if better {
            best = Some((distance, docs, term));
        }
    }
    Ok(best.map(|(_, _, term)| term))
}

/// The word `norm` as first written in an article that holds it (title first).
async fn spelling(
    (index, conn): (&SearchIndex, &mut Conn),
    norm: &str,
) -> Result<Option<String>, SearchError> {
    let Some(id) = index.first(&*plan::exact_word(norm, index.fields()))? else {
        return Ok(None);
    };
    let texts = db::texts(conn, &[id]).await?;
    Ok(texts.first().and_then(|t| {
        [t.title.as_str(), t.body.as_str()]
            .into_iter()
            .find_map(|text| {
                arabic::analyze(text)
                    .into_iter()
                    .find(|tok| tok.norm == norm)
                    .map(|tok| text[tok.start..tok.end].to_owned())
            })
    }))
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and
/// swaps of two neighbouring letters each cost 1.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (i, row) in rows.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[..width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = d;
        }
    }
    rows[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> usize {
        edit_distance(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn counts_edits_and_neighbour_swaps_as_one() {
        assert_eq!(d("الحكومه", "الحكومه"), 0);
        assert_eq!(d("الحكومه", "الحكمه"), 1);
        assert_eq!(d("الحكومه", "الحكوهم"), 1);
        assert_eq!(d("وزير", "وزيرة"), 1);
        assert_eq!(d("", "abc"), 3);
    }
}
