//! The page's text as blocks: one per paragraph-like run of text (a `<p>`,
//! a heading, text between `<br>`s), each knowing the element it sits in,
//! with furniture (see `noise`) left out and "read also" boxes set aside
//! with their links. `body` then decides which blocks are the article.

use scraper::{ElementRef, Node};

use super::noise;
use crate::dump::labels::{Label, match_label};

/// Elements that end the text run before them and start a new one.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "body",
];

/// A "read also" box is a short element: a whole article section whose
/// first words happen to be the label is not one.
const MAX_READ_ALSO_CHARS: usize = 1500;

/// One element of the walked tree, by its pre-order index.
#[derive(Debug, Clone)]
pub struct Element {
    pub parent: Option<usize>,
    pub tag: String,
}

/// A run of text with the element that holds it.
#[derive(Debug, Clone)]
pub struct Block {
    pub text: String,
    pub chars: usize,
    pub link_chars: usize,
    pub heading: bool,
    pub owner: usize,
}

/// The links of one "read also" box, and where the box sits.
#[derive(Debug, Clone)]
pub struct ReadAlsoBox {
    pub owner: usize,
    pub hrefs: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Blocks {
    pub elements: Vec<Element>,
    pub blocks: Vec<Block>,
    pub read_also: Vec<ReadAlsoBox>,
}

impl Blocks {
    /// Walks `root` (the document's `<body>`).
    pub fn of(root: ElementRef) -> Blocks {
        let mut walk = Walk::default();
        walk.element(root, None, false);
        walk.flush();
        walk.out
    }

    /// `index` and its ancestors, nearest first.
    pub fn chain(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(index), |&i| self.elements[i].parent)
    }
}

#[derive(Default)]
struct Walk {
    out: Blocks,
    run: String,
    run_links: usize,
    owner: usize,
}

impl Walk {
    fn element(&mut self, el: ElementRef, parent: Option<usize>, in_link: bool) {
        let value = el.value();
        if noise::skipped_tag(value) {
            return;
        }
        if noise::names_read_also(value) || starts_with_read_also_label(el) {
            self.flush();
            let hrefs = el
                .descendent_elements()
                .filter(|a| a.value().name() == "a")
                .filter_map(|a| a.attr("href").map(str::to_owned))
                .collect();
            self.out.read_also.push(ReadAlsoBox {
                owner: parent.unwrap_or(0),
                hrefs,
            });
            return;
        }
        if noise::is_furniture(value) {
            return;
        }
        let tag = value.name();
        if tag == "br" {
            return self.flush();
        }
        let block = BLOCK_TAGS.contains(&tag);
        let index = self.out.elements.len();
        self.out.elements.push(Element {
            parent,
            tag: tag.to_owned(),
        });
        let outer_owner = self.owner;
        if block {
            self.flush();
            self.owner = index;
        }
        let in_link = in_link || tag == "a";
        for child in el.children() {
            match child.value() {
                Node::Text(text) => self.text(text, in_link),
                Node::Element(_) => {
                    let child = ElementRef::wrap(child).expect("an element node");
                    self.element(child, Some(index), in_link);
                }
                _ => {}
            }
        }
        if block {
            self.flush();
            self.owner = outer_owner;
        }
    }

    fn text(&mut self, text: &str, in_link: bool) {
        let before = self.run.chars().count();
        for (i, word) in text.split_whitespace().enumerate() {
            let glued = i == 0 && !text.starts_with(char::is_whitespace);
            if !self.run.is_empty() && !glued && !self.run.ends_with(' ') {
                self.run.push(' ');
            }
            self.run.push_str(word);
        }
        if text.ends_with(char::is_whitespace) && !self.run.is_empty() {
            self.run.push(' ');
        }
        if in_link {
            self.run_links += self.run.chars().count() - before;
        }
    }

    fn flush(&mut self) {
        let text = self.run.trim();
        if !text.is_empty() {
            let tag = &self
                .out
                .elements
                .get(self.owner)
                .map_or("", |e| e.tag.as_str());
            let heading = matches!(*tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
            let chars = text.chars().count();
            self.out.blocks.push(Block {
                text: text.to_owned(),
                chars,
                link_chars: self.run_links.min(chars),
                heading,
                owner: self.owner,
            });
        }
        self.run.clear();
        self.run_links = 0;
    }
}

/// The element's first words are a "read also" label (`اقرأ أيضاً:`) and
/// it is short, like the boxes and one-line links sites put in articles.
fn starts_with_read_also_label(el: ElementRef) -> bool {
    let Some(first) = el.text().map(str::trim).find(|t| !t.is_empty()) else {
        return false;
    };
    let labelled = match_label(first).is_some_and(|l| l.label == Label::ReadAlso);
    labelled && el.text().map(|t| t.chars().count()).sum::<usize>() <= MAX_READ_ALSO_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn blocks(body: &str) -> Blocks {
        let doc = Html::parse_document(&format!("<html><body>{body}</body></html>"));
        let root = doc
            .select(&Selector::parse("body").unwrap())
            .next()
            .unwrap();
        Blocks::of(root)
    }

    fn texts(b: &Blocks) -> Vec<&str> {
        b.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn paragraphs_breaks_and_inline_markup_make_blocks() {
        let b = blocks(
            "<div><p>أولى <b>بخط</b> عريض</p>نص حر<br><br>نص <i>آخر</i><h2>عنوان</h2></div>",
        );
        assert_eq!(texts(&b), ["أولى بخط عريض", "نص حر", "نص آخر", "عنوان"]);
        assert!(b.blocks[3].heading && !b.blocks[0].heading);
    }

    #[test]
    fn counts_link_text_and_leaves_furniture_out() {
        let b = blocks(
            r#"<p>اقرأ <a href="/x">هذا الخبر</a></p><div class="share-links">فيسبوك</div><script>x</script>"#,
        );
        assert_eq!(texts(&b), ["اقرأ هذا الخبر"]);
        assert_eq!(b.blocks[0].link_chars, "هذا الخبر".chars().count());
    }

    #[test]
    fn sets_read_also_boxes_aside_with_their_links() {
        let b = blocks(concat!(
            r#"<p>فقرة</p><p><strong>اقرأ أيضا:</strong> <a href="/a.html">خبر</a></p>"#,
            r#"<div class="related-box"><h3>اقرأ أيضاً</h3><a href="/b.html">ب</a><a href="/c.html">ج</a></div>"#,
        ));
        assert_eq!(texts(&b), ["فقرة"]);
        let hrefs: Vec<&Vec<String>> = b.read_also.iter().map(|r| &r.hrefs).collect();
        assert_eq!(
            hrefs,
            [
                &vec!["/a.html".to_owned()],
                &vec!["/b.html".to_owned(), "/c.html".to_owned()]
            ]
        );
    }

    #[test]
    fn a_long_section_starting_with_the_label_is_not_a_box() {
        let long = "كلمة ".repeat(400);
        let b = blocks(&format!(
            "<div><p>اقرأ أيضا: <a href=\"/a\">خبر</a></p><p>{long}</p></div>"
        ));
        assert_eq!(b.read_also.len(), 1);
        assert_eq!(b.blocks.len(), 1);
    }
}
