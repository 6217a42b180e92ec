//! Finding the article in a saved web page: decode the bytes (`charset`),
//! parse them as HTML5 (html5ever through `scraper`), read what the page
//! says about itself (`meta`, `jsonld`), cut its text into blocks
//! (`blocks`, leaving `noise` out) and pick the article's (`body`). A page
//! that is not an article (a section front, a tag or search page) is
//! refused with the reason.

mod blocks;
mod body;
mod charset;
mod jsonld;
pub mod links;
mod meta;
mod noise;

use scraper::{Html, Selector};
use url::Url;

use super::{Page, Reject};
use blocks::Blocks;
use meta::Metas;

/// A page needs this much article text: one real paragraph, or several
/// short ones.
const MIN_PARAGRAPH_CHARS: usize = 80;
const MIN_TOTAL_CHARS: usize = 200;
/// A body with this many linked headings, and not twice as many
/// paragraphs, is a list of other pages.
const MIN_LISTING_HEADINGS: usize = 3;

/// What is known of a page from where it was captured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Capture<'a> {
    /// The address it was fetched from (a WARC record's target).
    pub url: Option<&'a str>,
    /// The charset its HTTP response named.
    pub charset: Option<&'a str>,
}

/// A page's article, with the addresses that tie it to other pages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WebPage {
    /// The article; `page.url` is the address it was captured from, else
    /// its canonical address.
    pub page: Page,
    /// The address the page names as its own (`<link rel="canonical">`,
    /// `og:url`).
    pub canonical: Option<String>,
    /// Absolute addresses of the "read also" links inside the article.
    pub read_also: Vec<String>,
}

/// Reads one saved HTML page.
pub fn parse_html(bytes: &[u8], capture: Capture) -> Result<WebPage, Reject> {
    let text = charset::decode_html(bytes, capture.charset)?;
    if text.trim().is_empty() {
        return Err(Reject::Empty);
    }
    let doc = Html::parse_document(&text);
    let metas = Metas::of(&doc);
    let script = Selector::parse(r#"script[type="application/ld+json"]"#).expect("valid selector");
    let ld = jsonld::read(
        doc.select(&script)
            .map(|s| s.text().collect::<String>())
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    let captured = capture.url.and_then(|u| links::resolve(None, u));
    let canonical = canonical(&doc, &metas, captured.as_ref());
    let page_url = captured.clone().or_else(|| canonical.clone());
    let base = attr_of(&doc, "base[href]", "href")
        .and_then(|href| links::resolve(page_url.as_ref(), &href))
        .or_else(|| page_url.clone());
    let site = meta::site_name(&metas, &ld);
    let title = meta::title(&doc, &metas, &ld, site.as_deref()).ok_or(Reject::NoTitle)?;
    let body_el = Selector::parse("body").expect("valid selector");
    let body = match doc.select(&body_el).next() {
        Some(root) => body::extract(&Blocks::of(root), &title),
        None => body::Body::default(),
    };
    let paragraphs = choose_paragraphs(body.paragraphs, ld.article_body.as_deref());
    judge(
        &paragraphs,
        body.linked_headings,
        &metas,
        ld.is_article,
        ld.is_listing,
    )?;
    let published = meta::published(&doc, &metas, &ld);
    let mut warnings = Vec::new();
    if let Some((raw, None)) = &published {
        warnings.push(format!("unreadable date: '{raw}'"));
    }
    let own_keys: Vec<String> = [page_url.as_ref(), canonical.as_ref()]
        .into_iter()
        .flatten()
        .map(links::url_key)
        .collect();
    let mut read_also: Vec<String> = Vec::new();
    for url in body
        .read_also
        .iter()
        .filter_map(|h| links::resolve(base.as_ref(), h))
    {
        let key = links::url_key(&url);
        if !own_keys.contains(&key)
            && !read_also
                .iter()
                .any(|r| links::key_of(r).as_deref() == Some(&key))
        {
            read_also.push(url.to_string());
        }
    }
    let page = Page {
        source: meta::source(&metas, &ld, canonical.as_ref().or(page_url.as_ref())),
        tags: meta::tags(&doc, &metas, &ld),
        published: published.as_ref().and_then(|(_, p)| *p),
        published_raw: published.map(|(raw, _)| raw),
        title,
        paragraphs,
        url: page_url.map(String::from),
        warnings,
        ..Page::default()
    };
    Ok(WebPage {
        page,
        canonical: canonical.map(String::from),
        read_also,
    })
}

/// `<link rel="canonical">`, else `og:url`, made absolute.
fn canonical(doc: &Html, metas: &Metas, captured: Option<&Url>) -> Option<Url> {
    attr_of(doc, r#"link[rel="canonical"][href]"#, "href")
        .or_else(|| metas.first(&["og:url"]).map(str::to_owned))
        .and_then(|href| links::resolve(captured, &href))
}

fn attr_of(doc: &Html, css: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(css).expect("valid selector");
    doc.select(&selector)
        .find_map(|e| e.attr(attr))
        .map(str::to_owned)
}

/// The page's own paragraphs, unless its JSON-LD carries a longer text
/// (a single-page app renders the article from it with JavaScript).
fn choose_paragraphs(from_html: Vec<String>, article_body: Option<&str>) -> Vec<String> {
    let Some(article_body) = article_body else {
        return from_html;
    };
    let html_chars: usize = from_html.iter().map(|p| p.chars().count()).sum();
    if article_body.chars().count() <= html_chars {
        return from_html;
    }
    article_body
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Refuses pages that are not one article, with the reason.
fn judge(
    paragraphs: &[String],
    linked_headings: usize,
    metas: &Metas,
    declared_article: bool,
    declared_listing: bool,
) -> Result<(), Reject> {
    let lengths = paragraphs.iter().map(|p| p.chars().count());
    let total: usize = lengths.clone().sum();
    if lengths.max().unwrap_or(0) < MIN_PARAGRAPH_CHARS && total < MIN_TOTAL_CHARS {
        return Err(Reject::NotArticle(
            "no article text found in the page".to_owned(),
        ));
    }
    let listing = linked_headings >= MIN_LISTING_HEADINGS && paragraphs.len() < 2 * linked_headings;
    let says_website = metas
        .first(&["og:type"])
        .is_some_and(|t| t.eq_ignore_ascii_case("website"));
    if !declared_article && (listing || declared_listing) {
        let why = format!(
            "a list of {linked_headings} links to other pages (a section, tag or search page){}",
            if says_website {
                ", og:type website"
            } else {
                ""
            }
        );
        return Err(Reject::NotArticle(why));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
