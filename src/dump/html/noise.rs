//! What is not the article, judged by tag and by the words of an element's
//! `class` and `id`: navigation, share buttons, "most read" lists,
//! comments, ads, cookie banners, captions, bylines.
//!
//! Names are split into words at `-`, `_` and case changes, and whole
//! words are compared (`ad` must not match `head` or `read`).

use scraper::node::Element;

/// Elements whose whole subtree never holds article text.
const SKIPPED_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "input",
    "label",
    "figure",
    "figcaption",
    "object",
    "embed",
    "video",
    "audio",
    "canvas",
    "img",
    "picture",
    "dialog",
    "menu",
];

/// Words of class or id names that mark page furniture.
const NOISE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "adsbygoogle",
    "dfp",
    "gpt",
    "sponsor",
    "sponsored",
    "promo",
    "banner",
    "leaderboard",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "share",
    "sharing",
    "sharer",
    "social",
    "follow",
    "comment",
    "comments",
    "respond",
    "related",
    "relatedposts",
    "recommended",
    "more",
    "most",
    "popular",
    "trending",
    "latest",
    "sidebar",
    "widget",
    "rail",
    "newsletter",
    "subscribe",
    "subscription",
    "breadcrumb",
    "breadcrumbs",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "footer",
    "masthead",
    "topbar",
    "author",
    "byline",
    "writer",
    "meta",
    "date",
    "time",
    "views",
    "tags",
    "tag",
    "tagcloud",
    "keywords",
    "pagination",
    "pager",
    "print",
    "tools",
    "actions",
    "caption",
    "credit",
    "summary",
    "kicker",
    "video",
    "gallery",
    "slider",
    "poll",
    "login",
    "modal",
    "popup",
];

/// Words of class or id names that mark a "read also" box.
const READ_ALSO_WORDS: &[&str] = &["readalso", "alsoread", "readmore", "inlinerelated"];

/// The element's tag is never article text.
pub fn skipped_tag(element: &Element) -> bool {
    SKIPPED_TAGS.contains(&element.name())
}

/// The element's class or id names it as page furniture. `html`, `body`
/// and `main` are exempt: their classes describe the whole page
/// (`<body class="tag">` on a tag page).
pub fn is_furniture(element: &Element) -> bool {
    !matches!(element.name(), "html" | "body" | "main")
        && name_words(element)
            .iter()
            .any(|w| NOISE_WORDS.contains(&w.as_str()))
}

/// The element's class or id names it as a "read also" box.
pub fn names_read_also(element: &Element) -> bool {
    let words = name_words(element);
    let joined = words.concat();
    READ_ALSO_WORDS.iter().any(|w| joined.contains(w))
        || (words.iter().any(|w| w == "read") && words.iter().any(|w| w == "also"))
}

/// One of the element's class or id words is in `wanted`.
pub fn named(element: &Element, wanted: &[&str]) -> bool {
    name_words(element)
        .iter()
        .any(|w| wanted.contains(&w.as_str()))
}

/// The lowercase words of the element's class names and id.
fn name_words(element: &Element) -> Vec<String> {
    let names = element.classes().chain(element.id());
    let mut words = Vec::new();
    for name in names {
        let mut word = String::new();
        let mut previous_lower = false;
        for c in name.chars() {
            let boundary = c == '-' || c == '_' || (c.is_uppercase() && previous_lower);
            if boundary && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if c != '-' && c != '_' {
                word.extend(c.to_lowercase());
            }
            previous_lower = c.is_lowercase();
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn first(html: &str) -> Element {
        let doc = Html::parse_fragment(html);
        let any = Selector::parse("div, body").unwrap();
        doc.select(&any).next_back().unwrap().value().clone()
    }

    #[test]
    fn whole_words_of_class_and_id_names_count() {
        assert!(is_furniture(&first(
            r#"<div class="share-links share-top"></div>"#
        )));
        assert!(is_furniture(&first(r#"<div id="mostRead"></div>"#)));
        assert!(is_furniture(&first(r#"<div class="ads_wrapper"></div>"#)));
        assert!(!is_furniture(&first(
            r#"<div class="entry-header-read thread"></div>"#
        )));
        assert!(!is_furniture(&first(
            r#"<div class="article-body details-text"></div>"#
        )));
    }

    #[test]
    fn names_read_also_boxes() {
        assert!(names_read_also(&first(
            r#"<div class="read-also-box"></div>"#
        )));
        assert!(names_read_also(&first(r#"<div class="readAlso"></div>"#)));
        assert!(!names_read_also(&first(r#"<div class="reader"></div>"#)));
    }
}
