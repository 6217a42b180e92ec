//! Which blocks are the article: the element with the most article-like
//! text under it (long runs with commas and few links, scored in the
//! manner of Readability), together with sibling parts of the same body,
//! then its blocks that read as paragraphs.
//!
//! Measured on the fixtures in `tests/data/html`, `dom_smoothie` (a port of
//! Readability) found the right element but kept captions, ad labels,
//! author notes and "read also" boxes, and took listing pages for
//! articles; this keeps its scoring idea and adds what Arabic news pages
//! need.

use std::collections::HashSet;

use super::blocks::{Block, Blocks};

/// A block shorter than this adds nothing to its container's score.
const MIN_SCORED_CHARS: usize = 25;
/// A sibling of the best element joins it when it scores this share of it.
const SIBLING_SHARE: f64 = 0.2;
/// Elements that hold one paragraph: their parent is the candidate.
const PARAGRAPH_TAGS: &[&str] = &["p", "li", "pre", "blockquote", "dd", "dt", "h2", "h3", "h4"];

/// The article text found in a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub paragraphs: Vec<String>,
    /// `href`s of the "read also" boxes inside the article, as written.
    pub read_also: Vec<String>,
    /// Headings that are links, under the article's element: teasers of
    /// other pages, which is what a section, tag or search page is made of.
    pub linked_headings: usize,
}

/// Picks the article out of `blocks`; `title` is left out of the paragraphs.
pub fn extract(blocks: &Blocks, title: &str) -> Body {
    let Some(chosen) = choose(blocks) else {
        return Body::default();
    };
    let inside = |owner: usize| blocks.chain(owner).any(|i| chosen.contains(&i));
    let mut body = Body::default();
    for block in blocks.blocks.iter().filter(|b| inside(b.owner)) {
        if block.heading && block.link_chars * 5 > block.chars * 4 && words(block) >= 3 {
            body.linked_headings += 1;
        }
        if is_paragraph(block, title) {
            body.paragraphs.push(block.text.clone());
        }
    }
    body.read_also = blocks
        .read_also
        .iter()
        .filter(|r| inside(r.owner))
        .flat_map(|r| r.hrefs.iter().cloned())
        .collect();
    body
}

/// The best-scoring element and its like-scored siblings.
fn choose(blocks: &Blocks) -> Option<HashSet<usize>> {
    let n = blocks.elements.len();
    let (mut score, mut chars, mut links) = (vec![0.0; n], vec![0usize; n], vec![0usize; n]);
    for block in &blocks.blocks {
        for i in blocks.chain(block.owner) {
            chars[i] += block.chars;
            links[i] += block.link_chars;
        }
        if block.heading || block.chars < MIN_SCORED_CHARS || block.link_chars * 4 > block.chars {
            continue;
        }
        let commas = block.text.matches([',', '،']).count() as f64;
        let points = 1.0 + commas + (block.chars as f64 / 100.0).min(3.0);
        let owner = &blocks.elements[block.owner];
        let target = match owner.parent {
            Some(parent) if PARAGRAPH_TAGS.contains(&owner.tag.as_str()) => parent,
            _ => block.owner,
        };
        score[target] += points;
        if let Some(parent) = blocks.elements[target].parent {
            score[parent] += points / 2.0;
        }
    }
    let weighted = |i: usize| score[i] * (1.0 - links[i] as f64 / chars[i].max(1) as f64);
    let best = (0..n)
        .filter(|&i| score[i] > 0.0)
        .max_by(|&a, &b| weighted(a).total_cmp(&weighted(b)))?;
    let mut chosen = HashSet::from([best]);
    if let Some(parent) = blocks.elements[best].parent {
        let threshold = weighted(best) * SIBLING_SHARE;
        chosen.extend(
            (0..n)
                .filter(|&i| blocks.elements[i].parent == Some(parent) && weighted(i) > threshold),
        );
    }
    Some(chosen)
}

/// A block that reads as a paragraph of the article: mostly not links,
/// not the title again, and a sentence (or a subheading) rather than a
/// stray label.
fn is_paragraph(block: &Block, title: &str) -> bool {
    if block.link_chars * 2 > block.chars || block.text == title {
        return false;
    }
    words(block) >= if block.heading { 2 } else { 4 }
}

fn words(block: &Block) -> usize {
    block.text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    const LONG: &str = "قال المتحدث باسم الوزارة، في بيان صدر اليوم، إن العمل مستمر في المشروع";

    fn extract_from(body: &str, title: &str) -> Body {
        let doc = Html::parse_document(&format!("<html><body>{body}</body></html>"));
        let root = doc
            .select(&Selector::parse("body").unwrap())
            .next()
            .unwrap();
        extract(&Blocks::of(root), title)
    }

    #[test]
    fn keeps_the_text_column_and_drops_the_rest() {
        let page = format!(
            "<div class='col'><h1>العنوان</h1><div class='text'><p>{LONG} 1</p><p>{LONG} 2</p><p>{LONG} 3</p></div></div>\
             <div class='other'><p><a href='/x'>خبر آخر تماماً في الموقع نفسه</a></p><p>قصير جداً</p></div>"
        );
        let body = extract_from(&page, "العنوان");
        assert_eq!(
            body.paragraphs,
            [
                format!("{LONG} 1"),
                format!("{LONG} 2"),
                format!("{LONG} 3")
            ]
        );
    }

    #[test]
    fn joins_an_article_split_over_sibling_divs() {
        let page = format!(
            "<div class='story'><div class='part'><p>{LONG} 1</p><p>{LONG} 2</p></div>\
             <div class='ad'>إعلان</div><div class='part'><p>{LONG} 3</p></div></div>"
        );
        assert_eq!(extract_from(&page, "").paragraphs.len(), 3);
    }

    #[test]
    fn counts_linked_headings_of_a_listing() {
        let card = |n| {
            format!(
                "<div class='card'><a href='/{n}'><h3>عنوان خبر رقم {n} في القسم</h3></a><p>{LONG}</p></div>"
            )
        };
        let page = format!(
            "<div class='cards'>{}</div>",
            (1..=4).map(card).collect::<String>()
        );
        assert_eq!(extract_from(&page, "").linked_headings, 4);
    }

    #[test]
    fn a_page_without_text_has_no_body() {
        assert_eq!(extract_from("<div id='root'></div>", ""), Body::default());
    }
}
