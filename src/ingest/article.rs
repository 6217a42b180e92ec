//! `NewArticle`: one article ready to store, built from a parsed page or
//! one of its read-also items, with its identity and slug.

use crate::arabic;
use crate::dump::{Item, Page, Published};

use super::identity;

/// An article as the importer stores it; the page's own article and each
/// read-also item become one each.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticle {
    pub identity: Vec<u8>,
    pub permalink: String,
    pub slug: String,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub published: Option<Published>,
    pub published_raw: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// `source` and `tags` normalized: the keys sources and tags are
    /// stored under (computed here, on the worker threads).
    pub source_key: Option<String>,
    pub tag_keys: Vec<String>,
    pub url: Option<String>,
    /// Known only as a read-also item inside another page: no date, no
    /// tags of its own, and a later full page replaces its text.
    pub embedded: bool,
}

impl NewArticle {
    pub fn from_page(page: &Page) -> NewArticle {
        let mut article = Self::new(&page.title, &page.paragraphs, false);
        article.published = page.published;
        article.published_raw = page.published_raw.clone();
        article.set_source(page.source.clone());
        article.tags = page.tags.clone();
        article.tag_keys = page.tags.iter().map(|t| arabic::normalize(t)).collect();
        article.url = page.url.clone();
        article
    }

    pub fn from_item(item: &Item) -> NewArticle {
        let mut article = Self::new(&item.title, &item.paragraphs, true);
        article.set_source(item.source.clone());
        article
    }

    fn new(title: &str, paragraphs: &[String], embedded: bool) -> NewArticle {
        let identity = identity::identity_hash(title, paragraphs);
        NewArticle {
            permalink: identity::permalink(&identity),
            identity,
            slug: arabic::slug(title),
            title: title.to_owned(),
            paragraphs: paragraphs.to_vec(),
            published: None,
            published_raw: None,
            source: None,
            tags: Vec::new(),
            source_key: None,
            tag_keys: Vec::new(),
            url: None,
            embedded,
        }
    }

    fn set_source(&mut self, source: Option<String>) {
        self.source_key = source
            .as_deref()
            .map(arabic::normalize)
            .filter(|k| !k.is_empty());
        self.source = source;
    }

    /// Source and tags as (key, spelling) pairs, for name resolution.
    pub fn names(&self) -> (Option<(&str, &str)>, impl Iterator<Item = (&str, &str)>) {
        let source = self.source_key.as_deref().zip(self.source.as_deref());
        let tags = self
            .tag_keys
            .iter()
            .zip(&self.tags)
            .filter(|(k, _)| !k.is_empty())
            .map(|(k, t)| (k.as_str(), t.as_str()));
        (source, tags)
    }

    /// The body as stored: one paragraph per line.
    pub fn body(&self) -> String {
        self.paragraphs.join("\n")
    }

    /// `published` as RFC 3339, the stored and exported form.
    pub fn published_rfc3339(&self) -> Option<String> {
        self.published.as_ref().map(Published::rfc3339)
    }

    /// Chronological sort key; '' for an undated article (listed last).
    pub fn sort_key(&self) -> String {
        self.published
            .as_ref()
            .map(Published::sort_key)
            .unwrap_or_default()
    }

    /// All articles a page brings: the page first, then its items in order.
    pub fn all_from(page: &Page) -> Vec<NewArticle> {
        std::iter::once(Self::from_page(page))
            .chain(page.read_also.iter().map(Self::from_item))
            .collect()
    }
}
