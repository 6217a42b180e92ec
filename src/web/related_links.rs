//! The related blocks of an article page (اقرأ أيضاً / ذُكر في / نفس الخبر /
//! مواضيع ذات صلة): at most [`MOST_LINKS`] links in all, each group with its
//! reason, no article twice, never the article itself.

use std::collections::HashSet;

use crate::store::Conn;

use crate::store::StoreError;
use crate::store::browse::{self, ArticleRecord, RelatedRow};
use crate::urls;

/// Related links on one article page, all groups together.
pub const MOST_LINKS: usize = 8;

/// What each group gets first (page order), before what the others leave
/// is handed out again in the same order.
const FIRST_SHARE: [usize; 4] = [3, 2, 3, MOST_LINKS];

/// A link in one of the related blocks, with why it is there.
#[derive(Debug, Clone)]
pub struct RelatedView {
    pub url: String,
    pub title: String,
    pub source: Option<String>,
    /// Why this article (`similar`: the tags or words both share).
    pub reason: Option<String>,
}

impl RelatedView {
    fn new(row: &RelatedRow, reason: Option<String>) -> RelatedView {
        RelatedView {
            url: urls::article(&row.permalink, &row.slug),
            title: row.title.clone(),
            source: row.source.clone(),
            reason,
        }
    }
}

/// The groups as the page shows them.
#[derive(Debug, Clone, Default)]
pub struct RelatedGroups {
    /// The page's own read-also links.
    pub read_also: Vec<RelatedView>,
    /// Pages that list this one under "read also".
    pub mentioned_in: Vec<RelatedView>,
    /// Other versions of this story (each with its source).
    pub same_story: Vec<RelatedView>,
    /// Every other source that told this story (not this page's), with its URL.
    pub story_sources: Vec<(String, String)>,
    /// How many other versions the story has (shown or not).
    pub story_size: usize,
    pub similar: Vec<RelatedView>,
}

impl RelatedGroups {
    /// Reads the related links of `article` with what explains them (one
    /// query: the reasons were stored with the links).
    pub async fn load(
        conn: &mut Conn,
        article: &ArticleRecord,
    ) -> Result<RelatedGroups, StoreError> {
        let rows = browse::related(conn, article.id).await?;
        Ok(RelatedGroups::new(
            &article.permalink,
            article.source.as_deref(),
            &rows,
        ))
    }

    /// Groups `rows` (in `browse::related` order).
    pub fn new(permalink: &str, own_source: Option<&str>, rows: &[RelatedRow]) -> RelatedGroups {
        let mut seen: HashSet<&str> = HashSet::from([permalink]);
        let mut kinds: [Vec<RelatedView>; 4] = Default::default();
        let mut story_sources: Vec<(String, String)> = Vec::new();
        let mut story_size = 0;
        for row in rows.iter().filter(|r| r.permalink != permalink) {
            let group = match row.kind.as_str() {
                "read_also" => 0,
                "mentioned_in" => 1,
                "same_story" => 2,
                _ => 3,
            };
            let reason = match group {
                2 => {
                    story_size += 1;
                    if let Some(source) = &row.source
                        && Some(source.as_str()) != own_source
                        && !story_sources.iter().any(|(_, s)| s == source)
                    {
                        story_sources.push((urls::source(source), source.clone()));
                    }
                    Some(match &row.source {
                        Some(source) => format!("الخبر نفسه من {source}"),
                        None => "الخبر نفسه بصياغة أخرى".to_owned(),
                    })
                }
                3 => topics_reason(row.shared_names()),
                _ => None,
            };
            if seen.insert(row.permalink.as_str()) {
                kinds[group].push(RelatedView::new(row, reason));
            }
        }
        let shown = allot(kinds.each_ref().map(Vec::len));
        for (views, n) in kinds.iter_mut().zip(shown) {
            views.truncate(n);
        }
        let [read_also, mentioned_in, same_story, similar] = kinds;
        RelatedGroups {
            read_also,
            mentioned_in,
            same_story,
            story_sources,
            story_size,
            similar,
        }
    }
}

/// "shared topics: <tags or words>" in Arabic.
fn topics_reason(shown: Vec<String>) -> Option<String> {
    (!shown.is_empty()).then(|| {
        let list: Vec<String> = shown.into_iter().take(crate::related::SHOWN).collect();
        format!("مواضيع مشتركة: {}", list.join("، "))
    })
}

/// How many links of each group the page shows: each group its first
/// share, then what is left of [`MOST_LINKS`] to the groups in page order.
fn allot(available: [usize; 4]) -> [usize; 4] {
    let mut shown = [0; 4];
    let mut left = MOST_LINKS;
    for i in 0..4 {
        shown[i] = available[i].min(FIRST_SHARE[i]).min(left);
        left -= shown[i];
    }
    for i in 0..4 {
        let more = (available[i] - shown[i]).min(left);
        shown[i] += more;
        left -= more;
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_gets_its_share_and_the_rest_goes_in_page_order() {
        assert_eq!(allot([1, 0, 2, 8]), [1, 0, 2, 5]);
        assert_eq!(allot([6, 5, 10, 8]), [3, 2, 3, 0]);
        assert_eq!(allot([0, 0, 12, 2]), [0, 0, 6, 2]);
        assert_eq!(allot([0, 0, 0, 3]), [0, 0, 0, 3]);
        assert_eq!(allot([10, 10, 10, 10]).iter().sum::<usize>(), MOST_LINKS);
    }

    fn row(kind: &str, permalink: &str, source: Option<&str>) -> RelatedRow {
        RelatedRow {
            kind: kind.to_owned(),
            permalink: permalink.to_owned(),
            slug: "s".to_owned(),
            title: permalink.to_owned(),
            source: source.map(str::to_owned),
            reason: None,
        }
    }

    #[test]
    fn never_itself_never_twice_and_reasons_name_sources_and_topics() {
        let rows = vec![
            row("read_also", "b", Some("ب")),
            row("same_story", "me", Some("أ")),
            row("same_story", "b", Some("ب")),
            row("same_story", "c", Some("ج")),
            row("same_story", "d", Some("ج")),
            row("same_story", "x", Some("د")),
            RelatedRow {
                reason: Some("روسيا\u{1f}أوكرانيا".to_owned()),
                ..row("similar", "g", None)
            },
            RelatedRow {
                reason: Some("النفط\u{1f}الأسعار".to_owned()),
                ..row("similar", "e", None)
            },
            row("similar", "f", None),
        ];
        let groups = RelatedGroups::new("me", Some("د"), &rows);
        assert_eq!(groups.read_also.len(), 1);
        let story: Vec<&str> = groups.same_story.iter().map(|v| v.url.as_str()).collect();
        assert_eq!(
            story,
            ["/a/c/s", "/a/d/s", "/a/x/s"],
            "not itself, not b again"
        );
        assert_eq!(
            groups.same_story[0].reason.as_deref(),
            Some("الخبر نفسه من ج")
        );
        let sources: Vec<&str> = groups
            .story_sources
            .iter()
            .map(|(_, s)| s.as_str())
            .collect();
        assert_eq!(
            sources,
            ["ب", "ج"],
            "every other source once, not this page's own"
        );
        assert_eq!(groups.story_size, 4);
        let reasons: Vec<Option<&str>> =
            groups.similar.iter().map(|v| v.reason.as_deref()).collect();
        assert_eq!(
            reasons,
            [
                Some("مواضيع مشتركة: روسيا، أوكرانيا"),
                Some("مواضيع مشتركة: النفط، الأسعار"),
                None
            ],
            "each similar link with the names it shares, none when nothing is named"
        );
    }
}
