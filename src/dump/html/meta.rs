//! What a page says about its article besides the text: title, date,
//! source and tags, from Open Graph and `article:` meta tags, JSON-LD,
//! `<h1>`, `<time>`, dated text and tag links, in that order of trust.

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::jsonld::{LinkedData, split_keywords};
use super::{links, noise};
use crate::dump::Published;
use crate::dump::labels::{Label, match_label};

/// Title separators between an article's title and its site's name.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " :"];
/// Class and id words of elements that hold a publication date as text.
const DATE_WORDS: &[&str] = &["date", "time", "published", "timestamp", "pubdate"];

/// The page's `<meta>` values by `property`, `name` or `itemprop`.
pub struct Metas(Vec<(String, String)>);

impl Metas {
    pub fn of(doc: &Html) -> Metas {
        let selector = Selector::parse("meta[content]").expect("valid selector");
        let pairs = doc.select(&selector).filter_map(|m| {
            let v = m.value();
            let key = v
                .attr("property")
                .or(v.attr("name"))
                .or(v.attr("itemprop"))?;
            let content = v.attr("content")?.trim();
            (!content.is_empty()).then(|| (key.to_ascii_lowercase(), content.to_owned()))
        });
        Metas(pairs.collect())
    }

    pub fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .find_map(|k| self.0.iter().find(|(key, _)| key == k))
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// The text of the first element `css` selects, whitespace collapsed.
pub fn first_text(doc: &Html, css: &str) -> Option<String> {
    let selector = Selector::parse(css).expect("valid selector");
    doc.select(&selector).map(collapsed).find(|t| !t.is_empty())
}

pub fn collapsed(el: ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The site's own name, used to strip it from titles.
pub fn site_name(metas: &Metas, ld: &LinkedData) -> Option<String> {
    metas
        .first(&["og:site_name", "application-name"])
        .map(str::to_owned)
        .or_else(|| ld.publisher.clone())
}

/// `og:title`, JSON-LD `headline`, `<h1>`, then `<title>`; the site's name
/// is cut from whichever is used, and one that is only the site's name
/// (some sites give every page the same `og:title`) is passed over.
pub fn title(doc: &Html, metas: &Metas, ld: &LinkedData, site: Option<&str>) -> Option<String> {
    let candidates = [
        metas
            .first(&["og:title", "twitter:title"])
            .map(str::to_owned),
        ld.headline.clone(),
        first_text(doc, "h1"),
        first_text(doc, "title"),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|t| strip_site_name(&t, site))
        .find(|t| !t.is_empty() && !site.is_some_and(|s| same_words(t, s)))
}

/// `title` without a part that is the site's name; without a known name,
/// the longest part of a title that has separators.
fn strip_site_name(title: &str, site: Option<&str>) -> String {
    let title = title.trim();
    for separator in TITLE_SEPARATORS {
        let parts: Vec<&str> = title.split(separator).map(str::trim).collect();
        if parts.len() < 2 {
            continue;
        }
        let is_site = |p: &&str| site.is_some_and(|s| same_words(p, s));
        if parts.iter().any(is_site) {
            return parts
                .into_iter()
                .filter(|p| !is_site(p))
                .collect::<Vec<_>>()
                .join(separator);
        }
    }
    title.to_owned()
}

fn same_words(a: &str, b: &str) -> bool {
    crate::arabic::normalize(a) == crate::arabic::normalize(b)
}

/// The publication date: its raw text and, when readable, the date.
pub fn published(
    doc: &Html,
    metas: &Metas,
    ld: &LinkedData,
) -> Option<(String, Option<Published>)> {
    let declared = ld.date_published.clone().or_else(|| {
        metas
            .first(&[
                "article:published_time",
                "og:published_time",
                "datepublished",
                "pubdate",
                "publish-date",
                "date",
            ])
            .map(str::to_owned)
    });
    let declared = declared.or_else(|| time_element(doc));
    if let Some(raw) = declared {
        let parsed = Published::parse(&raw);
        return Some((raw, parsed));
    }
    dated_text(doc).map(|(raw, date)| (raw, Some(date)))
}

/// `datetime` of the `<time>` marked as the publication date, else of the
/// first `<time>`.
fn time_element(doc: &Html) -> Option<String> {
    let selector = Selector::parse("time[datetime]").expect("valid selector");
    let times: Vec<ElementRef> = doc.select(&selector).collect();
    let marked = times.iter().find(|t| {
        t.attr("itemprop") == Some("datePublished")
            || t.attr("pubdate").is_some()
            || noise::named(t.value(), &["published", "publish"])
    });
    marked
        .or(times.first())
        .and_then(|t| t.attr("datetime"))
        .map(|d| d.trim().to_owned())
}

/// The first element named as a date whose text (after a date label such
/// as `نشر في:`, split at `|`) reads as a date.
fn dated_text(doc: &Html) -> Option<(String, Published)> {
    let selector = Selector::parse("[class], [id]").expect("valid selector");
    doc.select(&selector)
        .filter(|el| {
            noise::named(el.value(), DATE_WORDS) && !noise::named(el.value(), &["today", "comment"])
        })
        .find_map(|el| {
            let text = collapsed(el);
            let value = match match_label(&text) {
                Some(line) if line.label == Label::Date => line.value.to_owned(),
                _ => text,
            };
            value
                .split('|')
                .map(str::trim)
                .find_map(|part| Published::parse(part).map(|date| (part.to_owned(), date)))
        })
}

/// `og:site_name`, the JSON-LD publisher, then the page's host.
pub fn source(metas: &Metas, ld: &LinkedData, page: Option<&Url>) -> Option<String> {
    metas
        .first(&["og:site_name"])
        .map(str::to_owned)
        .or_else(|| ld.publisher.clone())
        .or_else(|| page.and_then(links::host_name))
}

/// `article:tag`, JSON-LD keywords, `<meta name="keywords">`, then tag links.
pub fn tags(doc: &Html, metas: &Metas, ld: &LinkedData) -> Vec<String> {
    let article_tags = metas.all("article:tag");
    let found = if !article_tags.is_empty() {
        article_tags
    } else if !ld.keywords.is_empty() {
        ld.keywords.clone()
    } else if let Some(line) = metas.first(&["keywords", "news_keywords"]) {
        split_keywords(line)
    } else {
        tag_links(doc)
    };
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty() && seen.insert(crate::arabic::normalize(t)))
        .collect()
}

/// Texts of `rel="tag"` links, else of short links inside an element
/// named for tags.
fn tag_links(doc: &Html) -> Vec<String> {
    let rel = Selector::parse("a[rel~=tag]").expect("valid selector");
    let by_rel: Vec<String> = doc.select(&rel).map(collapsed).collect();
    if !by_rel.is_empty() {
        return by_rel;
    }
    let named = Selector::parse("[class] a, [id] a").expect("valid selector");
    doc.select(&named)
        .filter(|a| {
            a.ancestors()
                .filter_map(ElementRef::wrap)
                .take_while(|e| !matches!(e.value().name(), "body" | "html"))
                .any(|e| noise::named(e.value(), &["tags", "tag", "keywords", "tagcloud"]))
        })
        .map(collapsed)
        .filter(|t| t.split_whitespace().count() <= 5)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_the_site_name_from_either_end_of_a_title() {
        let site = Some("الخبر اليوم");
        assert_eq!(
            strip_site_name("خبر مهم جداً - الخبر اليوم", site),
            "خبر مهم جداً"
        );
        assert_eq!(
            strip_site_name("الخبر اليوم | خبر - مع شرطة", site),
            "خبر - مع شرطة"
        );
        assert_eq!(strip_site_name("خبر - مع شرطة", site), "خبر - مع شرطة");
    }

    #[test]
    fn an_og_title_that_is_only_the_site_name_is_passed_over() {
        let doc = Html::parse_document(
            "<meta property='og:title' content='الخبر اليوم'><h1>خبر مهم</h1>",
        );
        let metas = Metas::of(&doc);
        let got = title(&doc, &metas, &LinkedData::default(), Some("الخبر اليوم"));
        assert_eq!(got.as_deref(), Some("خبر مهم"));
    }

    #[test]
    fn reads_a_labelled_arabic_date_from_a_date_element() {
        let doc = Html::parse_document(
            "<p class='today-date'>الأحد 1 يونيو 2025</p><span class='news-date'>نشر في: الأحد 13 يوليو 2025 الساعة 09:45 ص | القاهرة</span>",
        );
        let (raw, date) = dated_text(&doc).unwrap();
        assert_eq!(raw, "الأحد 13 يوليو 2025 الساعة 09:45 ص");
        assert_eq!(date.rfc3339(), "2025-07-13T09:45:00");
    }

    #[test]
    fn prefers_the_marked_time_element() {
        let doc = Html::parse_document(
            "<time datetime='2025-01-01'>x</time><time itemprop='datePublished' datetime='2025-04-02'>y</time>",
        );
        assert_eq!(time_element(&doc).as_deref(), Some("2025-04-02"));
    }

    #[test]
    fn tags_come_from_rel_tag_links_when_no_meta_names_them() {
        let doc = Html::parse_document(
            "<div class='news-tags'>كلمات: <a href='/t/1'>تحلية المياه</a> <a href='/t/2'>الطاقة</a></div>",
        );
        let none = Metas(Vec::new());
        assert_eq!(
            tags(&doc, &none, &LinkedData::default()),
            ["تحلية المياه", "الطاقة"]
        );
    }
}
