//! Lists show each story once: home, source, tag and date pages give a
//! story one card (its newest version) with a link to all its versions,
//! paging never loses an article, and feeds stay complete.

use arshif::dispatch;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use arshif_testkit::synth::Vocabulary;
use arshif_testkit::synth::stories::{StorySet, StorySpec, Synonyms};

use crate::support::TestApp;

const STORIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stories");
const SYNONYMS: &str = include_str!("data/related/synonyms.tsv");

/// `tests/data/stories`, where one story (`000030_*`, five versions) is
/// the newest but one; `000030_1` is moved to the source of `000030_0` so
/// that a source page holds two versions of it.
fn stories_folder(dir: &Path) -> PathBuf {
    let folder = dir.join("stories");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(STORIES).unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if path.ends_with("000030_1.txt") {
            text = text.replace("المصدر: العربية", "المصدر: الشروق");
        }
        std::fs::write(folder.join(path.file_name().unwrap()), text).unwrap();
    }
    folder
}

/// The permalinks of the five versions of story `000030`, newest first
/// (as lists order them).
async fn story_30(app: &TestApp) -> Vec<String> {
    let titles: Vec<String> = (0..5)
        .map(|i| {
            let text = std::fs::read_to_string(format!("{STORIES}/000030_{i}.txt")).unwrap();
            text.lines().next().unwrap().to_owned()
        })
        .collect();
    let mut versions: Vec<(String, String, i64, i64)> = Vec::new();
    for title in titles {
        versions.push(
            dispatch!(app.db.read, |c| sqlx::query_as(
                "SELECT a.permalink, a.sort_key, a.id, d.cluster_id FROM articles a \
                 JOIN related_docs d ON d.article_id = a.id WHERE a.title = $1",
            )
            .bind(&title)
            .fetch_one(c)
            .await)
            .unwrap(),
        );
    }
    assert!(
        versions.iter().all(|v| v.3 == versions[0].3),
        "the five versions are one story: {versions:?}"
    );
    versions.sort_by(|a, b| (&b.1, b.2).cmp(&(&a.1, a.2)));
    versions.into_iter().map(|v| v.0).collect()
}

/// Permalinks of the cards of a list page, in order.
fn cards(html: &str) -> Vec<String> {
    links(html, "<h2 class=\"card-title\"><a href=\"/a/", '/')
}

/// Permalinks named by the story links of a list page's cards.
fn story_links(html: &str) -> Vec<String> {
    links(html, "<p class=\"story\"><a href=\"/stories/", '"')
}

fn links(html: &str, before: &str, end: char) -> Vec<String> {
    html.split(before)
        .skip(1)
        .map(|rest| rest[..rest.find(end).unwrap()].to_owned())
        .collect()
}

/// The versions of `story` among the cards of `html`.
fn shown<'a>(html: &str, story: &'a [String]) -> Vec<&'a str> {
    let cards = cards(html);
    story
        .iter()
        .filter(|p| cards.contains(p))
        .map(String::as_str)
        .collect()
}

fn story_line(permalink: &str, text: &str) -> String {
    format!("<p class=\"story\"><a href=\"/stories/{permalink}\">{text}</a></p>")
}

#[tokio::test]
async fn home_shows_a_story_of_five_versions_once_with_a_link_to_all_of_them() {
    let app = TestApp::empty().await;
    app.import(&[&stories_folder(app.scratch.dir.path())]).await;
    let story = story_30(&app).await;
    let newest = &story[0];

    let home = app.get("/").await;
    assert_eq!(home.status, 200);
    assert_eq!(
        shown(&home.body, &story),
        [newest.as_str()],
        "one card, the newest"
    );
    assert!(
        home.body
            .contains(&story_line(newest, "4 روايات أخرى لهذا الخبر")),
        "the card links to the story, counting its other versions"
    );
    // Every story of the archive is one card; only stories told again link.
    let (stories, retold): (i64, i64) = dispatch!(app.db.read, |c| sqlx::query_as(
        "SELECT count(DISTINCT coalesce(d.cluster_id, -a.id)), \
         (SELECT count(DISTINCT cluster_id) FROM related_docs x WHERE EXISTS (SELECT 1 FROM relations r \
           WHERE r.article_id = x.article_id AND r.kind = 'same_story')) \
         FROM articles a LEFT JOIN related_docs d ON d.article_id = a.id",
    )
    .fetch_one(c).await)
    .unwrap();
    assert_eq!(cards(&home.body).len() as i64, stories);
    assert_eq!(story_links(&home.body).len() as i64, retold);
    assert!(retold >= 3 && stories < 21, "{retold} of {stories}");

    // The story page behind the link lists every version.
    let all = app.get(&arshif::urls::story(newest)).await;
    for permalink in &story {
        assert!(all.body.contains(&format!("href=\"/a/{permalink}/")));
    }
}

#[tokio::test]
async fn source_tag_and_day_pages_show_a_story_once_counting_all_its_versions() {
    let app = TestApp::empty().await;
    app.import(&[&stories_folder(app.scratch.dir.path())]).await;
    let story = story_30(&app).await;
    let four = "4 روايات أخرى لهذا الخبر";

    // الشروق published 000030_0 and (here) 000030_1; الصحة tags _0, _1, _4;
    // 14 October holds _0, _1 and _4.
    for url in [
        arshif::urls::source("الشروق"),
        arshif::urls::tag("الصحة"),
        "/archive/2025/10/14".to_owned(),
        "/archive/2025/10".to_owned(),
    ] {
        let page = app.get(&url).await;
        assert_eq!(page.status, 200, "{url}");
        let one = shown(&page.body, &story);
        assert_eq!(one.len(), 1, "{url}: {one:?}");
        assert!(
            page.body.contains(&story_line(one[0], four)),
            "{url}: the count is the story's, not the page's"
        );
    }
}

#[tokio::test]
async fn feeds_stay_complete() {
    let app = TestApp::empty().await;
    app.import(&[&stories_folder(app.scratch.dir.path())]).await;
    let story = story_30(&app).await;
    let feed = app.get("/feed.xml").await;
    assert_eq!(feed.status, 200);
    for permalink in &story {
        assert!(
            feed.body.contains(&format!("/a/{permalink}/")),
            "{permalink} missing"
        );
    }
    let health: i64 = dispatch!(app.db.read, |c| sqlx::query_scalar(
        "SELECT article_count FROM tags WHERE name = 'الصحة'"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    let tag = app
        .get(&format!("{}/feed.xml", arshif::urls::tag("الصحة")))
        .await;
    assert_eq!(tag.body.matches("<entry>").count() as i64, health);
    assert!(health > 5, "{health}");
}

/// One page of a list: its URL, its cards and the stories it links to.
struct ListPage {
    url: String,
    cards: Vec<String>,
    stories: Vec<String>,
}

/// Walks a list page by page along its `link` ("older" or "newer") from
/// `start` until a page has none.
async fn walk(app: &TestApp, start: &str, link: &str) -> Vec<ListPage> {
    let mut pages = Vec::new();
    let mut next = Some(start.to_owned());
    while let Some(url) = next {
        let page = app.get(&url).await;
        assert_eq!(page.status, 200, "{url}");
        next = links(&page.body, &format!("<a class=\"{link}\" href=\""), '"')
            .first()
            .map(|u| u.replace("&amp;", "&"));
        pages.push(ListPage {
            url,
            cards: cards(&page.body),
            stories: story_links(&page.body),
        });
        assert!(pages.len() < 100, "no end to {link} pages");
    }
    pages
}

/// Checks one walk through a list (`order`: its permalinks, newest first):
/// at most one card per story on a page; a page between the ends of the
/// walk is full unless it hid so many versions that it read its whole
/// share of rows (twice the page size); no article twice a card; every
/// article reached as a card or on the page of a story linked from a card.
async fn check_walk(app: &TestApp, pages: &[ListPage], order: &[String], clusters: &Clusters) {
    let at = |permalink: &String| order.iter().position(|p| p == permalink).unwrap();
    let mut reached: HashSet<String> = HashSet::new();
    let mut shown: HashSet<&String> = HashSet::new();
    for (i, page) in pages.iter().enumerate() {
        let url = &page.url;
        assert!(!page.cards.is_empty() && page.cards.len() <= SIZE, "{url}");
        if i > 0 && i + 1 < pages.len() {
            // Walking down, a page covers the rows from its first card to
            // the next page's; walking up, from the previous page's.
            let bound = if at(&pages[i + 1].cards[0]) > at(&page.cards[0]) {
                &pages[i + 1]
            } else {
                &pages[i - 1]
            };
            let rows = at(&page.cards[0]).abs_diff(at(&bound.cards[0]));
            assert!(
                page.cards.len() == SIZE || rows == 2 * SIZE,
                "{url}: {} cards of {rows} rows",
                page.cards.len()
            );
        }
        let stories: HashSet<_> = page.cards.iter().map(|c| clusters[c]).collect();
        assert_eq!(stories.len(), page.cards.len(), "{url}: one card per story");
        for card in &page.cards {
            assert!(shown.insert(card), "{card} is a card twice");
            reached.insert(card.clone());
        }
        for story in &page.stories {
            let versions = app.get(&arshif::urls::story(story)).await;
            reached.extend(links(&versions.body, "href=\"/a/", '/'));
        }
    }
    let missing: Vec<&String> = order.iter().filter(|p| !reached.contains(*p)).collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
}

/// Each article's story cluster (minus its id when not related), by permalink.
type Clusters = HashMap<String, i64>;

/// Cards per list page.
const SIZE: usize = arshif::web::cards::PAGE_SIZE as usize;

#[tokio::test]
async fn paging_home_either_way_reaches_every_article_as_a_card_or_through_its_story() {
    let app = TestApp::empty().await;
    let folder = app.scratch.path("set");
    std::fs::create_dir_all(&folder).unwrap();
    let synonyms = Synonyms::parse(SYNONYMS);
    for page in StorySet::new(StorySpec::evaluation(), &synonyms, &Vocabulary::builtin()).pages() {
        std::fs::write(folder.join(&page.name), &page.text).unwrap();
    }
    app.import(&[&folder]).await;
    let order: Vec<(String, i64)> = dispatch!(app.db.read, |c| sqlx::query_as(
        "SELECT a.permalink, coalesce(d.cluster_id, -a.id) FROM articles a LEFT JOIN related_docs d ON d.article_id = a.id \
         ORDER BY a.sort_key DESC, a.id DESC",
    )
    .fetch_all(c).await)
    .unwrap();
    let clusters: Clusters = order.iter().cloned().collect();
    let order: Vec<String> = order.into_iter().map(|(p, _)| p).collect();
    let hidden: i64 = dispatch!(app.db.read, |c| sqlx::query_scalar(
        "SELECT count(*) - count(DISTINCT cluster_id) FROM related_docs"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    assert!(hidden >= 50, "the set retells many stories: {hidden}");

    let older = walk(&app, "/", "older").await;
    assert!(older.len() >= 5, "{} pages", older.len());
    assert_eq!(older[0].cards.len(), SIZE, "the first page is full");
    check_walk(&app, &older, &order, &clusters).await;

    let newer = walk(&app, &older.last().unwrap().url, "newer").await;
    assert!(newer.len() >= 5, "{} pages back", newer.len());
    check_walk(&app, &newer, &order, &clusters).await;
}
