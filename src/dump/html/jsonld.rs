//! JSON-LD (`<script type="application/ld+json">`): the schema.org object
//! that describes the page's article, if there is one. Single-page apps
//! often carry the whole article here and nothing in their HTML.

use serde_json::Value;

/// What an article's JSON-LD says, as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkedData {
    /// The object's `@type` is one of schema.org's article types.
    pub is_article: bool,
    /// A listing type (`CollectionPage`, `SearchResultsPage`) described the page.
    pub is_listing: bool,
    pub headline: Option<String>,
    pub date_published: Option<String>,
    pub publisher: Option<String>,
    pub keywords: Vec<String>,
    pub article_body: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
];
const LISTING_TYPES: &[&str] = &["CollectionPage", "SearchResultsPage", "ItemList"];

/// Reads every JSON-LD script's text; unreadable ones are passed over (a
/// page's broken metadata is no reason to lose its article).
pub fn read<'a>(scripts: impl Iterator<Item = &'a str>) -> LinkedData {
    let mut found = LinkedData::default();
    for script in scripts {
        let Ok(value) = serde_json::from_str::<Value>(script.trim()) else {
            continue;
        };
        let mut objects = Vec::new();
        flatten(&value, &mut objects);
        for object in objects {
            if has_type(object, LISTING_TYPES) {
                found.is_listing = true;
            }
            if !found.is_article && has_type(object, ARTICLE_TYPES) {
                found.is_article = true;
                fill(&mut found, object);
            }
        }
    }
    found
}

/// Top-level objects, array items and `@graph` members, in order.
fn flatten<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| flatten(item, out)),
        Value::Object(map) => {
            out.push(value);
            if let Some(graph) = map.get("@graph") {
                flatten(graph, out);
            }
        }
        _ => {}
    }
}

fn has_type(object: &Value, types: &[&str]) -> bool {
    let named = |v: &Value| v.as_str().is_some_and(|t| types.contains(&t));
    match object.get("@type") {
        Some(Value::Array(list)) => list.iter().any(named),
        Some(value) => named(value),
        None => false,
    }
}

fn fill(found: &mut LinkedData, object: &Value) {
    found.headline = text(object.get("headline"));
    found.date_published = text(object.get("datePublished"));
    found.publisher = match object.get("publisher") {
        Some(Value::Array(list)) => list.iter().find_map(|p| text(p.get("name"))),
        Some(publisher) => text(publisher.get("name")).or_else(|| text(Some(publisher))),
        None => None,
    };
    found.keywords = match object.get("keywords") {
        Some(Value::Array(list)) => list.iter().filter_map(|k| text(Some(k))).collect(),
        Some(Value::String(line)) => split_keywords(line),
        _ => Vec::new(),
    };
    found.article_body = text(object.get("articleBody"));
}

/// A non-empty trimmed string value.
fn text(value: Option<&Value>) -> Option<String> {
    let s = value?.as_str()?.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// A keywords line: comma-separated (Latin or Arabic comma).
pub fn split_keywords(line: &str) -> Vec<String> {
    line.split([',', '،'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_article_among_other_objects_and_in_a_graph() {
        let crumbs = r#"{"@type":"BreadcrumbList","itemListElement":[]}"#;
        let graph = r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
            {"@type":["NewsArticle"],"headline":" عنوان الخبر ","datePublished":"2025-06-02T08:15:00Z",
             "publisher":{"@type":"Organization","name":"المسار"},"keywords":["صحة","تطعيم"],
             "articleBody":"فقرة أولى\nفقرة ثانية"}]}"#;
        let got = read([crumbs, graph].into_iter());
        assert!(got.is_article && !got.is_listing);
        assert_eq!(got.headline.as_deref(), Some("عنوان الخبر"));
        assert_eq!(got.date_published.as_deref(), Some("2025-06-02T08:15:00Z"));
        assert_eq!(got.publisher.as_deref(), Some("المسار"));
        assert_eq!(got.keywords, ["صحة", "تطعيم"]);
        assert_eq!(got.article_body.as_deref(), Some("فقرة أولى\nفقرة ثانية"));
    }

    #[test]
    fn splits_a_keywords_string_on_latin_and_arabic_commas() {
        let got = read([r#"{"@type":"Article","keywords":"صحة، تطعيم , الحصبة"}"#].into_iter());
        assert_eq!(got.keywords, ["صحة", "تطعيم", "الحصبة"]);
    }

    #[test]
    fn marks_listing_pages_and_skips_broken_scripts() {
        let got = read(["{not json", r#"{"@type":"CollectionPage","name":"اقتصاد"}"#].into_iter());
        assert!(got.is_listing && !got.is_article);
    }
}
