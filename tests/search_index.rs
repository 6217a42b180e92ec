//! The search index's guarantees: completeness (a phrase of common words is
//! found in the oldest article of a generated archive; totals equal a
//! brute-force count over the stored text), relevance (a title match above a
//! body-only one, an exact form above a stem-only one), paging without gaps
//! or repeats, catching up after a crash, committing a long catch-up along
//! the way, and following another process's import in a running server. A
//! batch command reads the archive's files by copying them, not mapping
//! them, and finds the same.

use arshif::dispatch;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use arshif::arabic;
use arshif::archive::Archive;
use arshif::search::{self, Order, SearchRequest, SearchResults};
use arshif::store::{DEFAULT_CONNECTIONS, Db, FileReads};

use crate::support::{SEED, Scratch, TestApp, import_into};

/// Words every generated article is made of: each is in nearly every article.
const WORDS: [&str; 12] = [
    "قال",
    "المتحدث",
    "إن",
    "الحكومة",
    "تدرس",
    "الخطة",
    "مع",
    "الشركاء",
    "في",
    "العاصمة",
    "خلال",
    "الأسبوع",
];
const ARTICLES: usize = 2500;

/// `ARTICLES` articles of pseudo-random common words, oldest first (one a
/// day from 2000-01-01); the first holds the phrase «الشركاء الأسبوع»,
/// which the others hold only by chance.
pub(crate) fn generated(scratch: &Scratch) -> std::path::PathBuf {
    let mut state = 7u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut lines = String::new();
    let start = time::macros::date!(2000 - 01 - 01);
    for i in 0..ARTICLES {
        let mut words: Vec<&str> = (0..40).map(|_| WORDS[next() % WORDS.len()]).collect();
        if i == 0 {
            words.splice(10..10, ["الشركاء", "الأسبوع"]);
        }
        let line = serde_json::json!({
            "title": format!("تقرير رقم {i}"),
            "published": (start + time::Duration::days(i as i64)).to_string(),
            "source": if i % 3 == 0 { "الأهرام" } else { "الشروق" },
            "body": words.join(" "),
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    scratch.file("generated.jsonl", lines)
}

fn request(q: &str, page: u32, order: Order) -> SearchRequest {
    SearchRequest {
        q: q.to_owned(),
        page,
        order,
        ..SearchRequest::default()
    }
}

async fn run(archive: &Archive, q: &str, page: u32, order: Order) -> SearchResults {
    search::search(&archive.search, &request(q, page, order))
        .await
        .expect(q)
}

/// Every page of `q` in `order`, in order: (titles, total of page 1).
async fn all_pages(archive: &Archive, q: &str, order: Order) -> (Vec<String>, u64) {
    let first = run(archive, q, 1, order).await;
    let mut titles: Vec<String> = first.hits.iter().map(|h| h.title.clone()).collect();
    let mut page = 1;
    let mut more = first.has_more;
    while more {
        page += 1;
        let r = run(archive, q, page, order).await;
        assert_eq!(r.total, first.total, "the total holds on every page");
        titles.extend(r.hits.iter().map(|h| h.title.clone()));
        more = r.has_more;
    }
    (titles, first.total)
}

/// Articles whose title or body has every word of `words` (norm or Q-variant
/// stem), or, with `phrase`, the words in sequence (exact norms, or stems).
async fn brute_force(db: &Db, words: &[&str], phrase: bool) -> u64 {
    let rows: Vec<(String, String)> = dispatch!(db.read, |c| sqlx::query_as(
        "SELECT title, body FROM articles"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    let norms: Vec<String> = words.iter().map(|w| arabic::normalize(w)).collect();
    let matches = |text: &str| -> Vec<bool> {
        let tokens = arabic::analyze(text);
        if phrase {
            let stems: Vec<String> = norms.iter().map(|n| arabic::stem(n)).collect();
            let hit = tokens.windows(norms.len()).any(|w| {
                w.iter().zip(&norms).all(|(t, n)| t.norm == *n)
                    || w.iter().zip(&stems).all(|(t, s)| t.stem == *s)
            });
            return vec![hit];
        }
        norms
            .iter()
            .map(|n| {
                let variants = arabic::query_variants(n);
                tokens
                    .iter()
                    .any(|t| t.norm == *n || variants.contains(&t.stem))
            })
            .collect()
    };
    rows.iter()
        .filter(|(title, body)| {
            let (t, b) = (matches(title), matches(body));
            if phrase {
                t[0] || b[0]
            } else {
                t.iter().zip(&b).all(|(x, y)| *x || *y)
            }
        })
        .count() as u64
}

#[tokio::test]
async fn a_phrase_of_common_words_is_found_in_the_oldest_article_and_totals_are_exact() {
    let app = TestApp::empty().await;
    let corpus = generated(&app.scratch);
    app.import(&[corpus.as_path()]).await;
    let db = &app.db;
    let (titles, total) = all_pages(&app.archive, "\"الشركاء الأسبوع\"", Order::Newest).await;
    assert_eq!(
        titles.last().map(String::as_str),
        Some("تقرير رقم 0"),
        "the oldest, last"
    );
    assert_eq!(titles.len() as u64, total, "every match reachable");
    assert_eq!(total, brute_force(db, &["الشركاء", "الأسبوع"], true).await);
    for q in ["الحكومة", "قال العاصمة", "الخطة مع الأسبوع"] {
        let words: Vec<&str> = q.split(' ').collect();
        let r = run(&app.archive, q, 1, Order::Relevance).await;
        assert!(!r.total_capped);
        assert_eq!(r.total, brute_force(db, &words, false).await, "{q}");
    }
    let r = run(&app.archive, "الحكومة", 1, Order::Relevance).await;
    let count = |name: &str| {
        r.facets
            .sources
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .count
    };
    assert_eq!(
        count("الأهرام") + count("الشروق"),
        r.total,
        "facets count every match"
    );
}

/// Lines of this process's memory map that name a file under `dir`, but
/// SQLite's shared-memory WAL index (`-shm`), which every connection maps
/// whatever its settings (a few pages).
fn mapped_under(dir: &Path) -> usize {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
    let dir = dir.to_str().expect("utf-8 path");
    maps.lines()
        .filter(|line| line.contains(dir) && !line.ends_with("-shm"))
        .count()
}

#[tokio::test]
async fn a_batch_command_copies_what_it_reads_and_finds_the_same() {
    let app = TestApp::empty().await;
    let corpus = generated(&app.scratch);
    app.import(&[corpus.as_path()]).await;
    let served = all_pages(&app.archive, "الخطة مع", Order::Relevance).await;
    assert!(
        mapped_under(app.scratch.dir.path()) > 0,
        "a server maps the index (the check sees maps)"
    );

    let scratch = Scratch::new();
    let db = Db::open_reading(&scratch.db(), DEFAULT_CONNECTIONS, FileReads::Copied)
        .await
        .unwrap()
        .with_local_base(scratch.path("archive.db"));
    let batch = Archive::new(db);
    import_into(&batch, &[corpus.as_path()]).await;
    let copied = all_pages(&batch, "الخطة مع", Order::Relevance).await;
    assert_eq!(copied, served, "the same matches in the same order");
    assert!(served.1 > 100, "a search over many segments' pages");
    assert_eq!(
        mapped_under(scratch.dir.path()),
        0,
        "a batch command maps none of the archive's files"
    );
}

#[tokio::test]
async fn pages_continue_each_other_without_gaps_or_repeats() {
    let app = TestApp::empty().await;
    let corpus = generated(&app.scratch);
    app.import(&[corpus.as_path()]).await;
    for order in [Order::Relevance, Order::Newest] {
        let (titles, total) = all_pages(&app.archive, "المتحدث", order).await;
        assert_eq!(titles.len() as u64, total, "{order:?}");
        assert_eq!(
            titles.iter().collect::<HashSet<_>>().len(),
            titles.len(),
            "{order:?}"
        );
    }
    // Past the last page: a clear user error, not an empty page.
    let r = run(&app.archive, "\"الشركاء الأسبوع\"", 1, Order::Relevance).await;
    let err = search::search(
        &app.archive.search,
        &request("\"الشركاء الأسبوع\"", 1000, Order::Relevance),
    )
    .await
    .unwrap_err();
    assert!(err.is_user_error() && r.total < 1000 * 20, "{err}");
}

#[tokio::test]
async fn titles_rank_above_bodies_and_exact_forms_above_stems() {
    let app = TestApp::empty().await;
    let lines = [
        (
            "عاجل من المدينة",
            "وقع زلزال قوي فجر اليوم في المدينة وخرج السكان",
        ),
        (
            "زلزال يضرب المدينة",
            "خرج السكان إلى الشوارع فجر اليوم في المدينة",
        ),
        ("لقاء في العاصمة", "التقت وزيرة الخارجية بالسفير في العاصمة"),
        (
            "اجتماع في العاصمة",
            "التقى الوزير الخارجية بالسفير في العاصمة",
        ),
    ];
    let jsonl: String = lines
        .iter()
        .map(|(t, b)| format!("{}\n", serde_json::json!({"title": t, "body": b})))
        .collect();
    let file = app.scratch.file("ranking.jsonl", jsonl);
    app.import(&[file.as_path()]).await;
    let titles = |r: SearchResults| r.hits.into_iter().map(|h| h.title).collect::<Vec<_>>();
    let r = run(&app.archive, "زلزال", 1, Order::Relevance).await;
    assert_eq!(titles(r), ["زلزال يضرب المدينة", "عاجل من المدينة"]);
    let r = run(&app.archive, "الوزير", 1, Order::Relevance).await;
    assert_eq!(titles(r), ["اجتماع في العاصمة", "لقاء في العاصمة"]);
}

#[tokio::test]
async fn the_index_catches_up_after_a_crash_and_is_rebuilt_when_missing() {
    let scratch = Scratch::new();
    let archive = scratch.open_archive().await;
    let mut conn = archive.db.write.acquire().await.unwrap();
    let id = arshif::store::imports::create(&mut conn, "cli", "running")
        .await
        .unwrap();
    drop(conn);
    search::index::of(&archive.search).await.unwrap();
    arshif::ingest::pipeline::run(
        &archive,
        id,
        vec![arshif::ingest::pipeline::Input::Path(SEED.into())],
        arshif::ingest::pipeline::ImportOptions::default(),
        &arshif::ingest::pipeline::Quiet,
    )
    .await
    .unwrap();
    assert_eq!(run(&archive, "لافروف", 1, Order::Relevance).await.total, 1);
    // A writer that stored an article and its log row, then died before
    // the index committed: the database has both, the index neither.
    let mut tx = archive.db.write.begin().await.unwrap();
    dispatch!(tx, |c| sqlx::query(
        "UPDATE articles SET title = 'عنوان بكلمة فريدةجدا' WHERE id = 1"
    )
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    arshif::store::search::log_changes(&mut tx, &[1])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        run(&archive, "فريدةجدا", 1, Order::Relevance).await.total,
        0,
        "not applied yet"
    );
    archive.close().await;
    let archive = scratch.open_archive().await;
    assert_eq!(
        run(&archive, "فريدةجدا", 1, Order::Relevance).await.total,
        1,
        "caught up on start"
    );
    let dir = scratch.index_dir();
    archive.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
    let archive = scratch.open_archive().await;
    assert_eq!(
        run(&archive, "فريدةجدا", 1, Order::Relevance).await.total,
        1,
        "rebuilt"
    );
    assert_eq!(
        run(&archive, "روسيا", 1, Order::Relevance).await.total,
        2,
        "no duplicates"
    );
    archive.close().await;
}

/// The log position the index's last commit recorded, read from its
/// folder as another process would (`None`: no stamped commit).
fn committed_seq(dir: &Path) -> Option<i64> {
    let meta = std::fs::read_to_string(dir.join("meta.json")).ok()?;
    let meta: serde_json::Value = serde_json::from_str(&meta).ok()?;
    let stamp: serde_json::Value = serde_json::from_str(meta["payload"].as_str()?).ok()?;
    stamp["seq"].as_i64()
}

/// An import logs articles faster than the index takes them in, so a
/// catch-up may not reach the end of the log for a long while; it commits
/// every 20,000 articles all the same: until it does, the writer holds
/// what it indexed and a removal for each replaced article in memory.
#[tokio::test]
async fn a_long_catch_up_commits_along_the_way() {
    let scratch = Scratch::new();
    let archive = scratch.open_archive().await;
    import_into(&archive, &[generated(&scratch).as_path()]).await;
    search::index::of(&archive.search).await.unwrap();
    let dir = scratch.index_dir();
    let before = committed_seq(&dir).expect("stamped after the import");
    // Every article logged nine times over: 22,500 articles to apply.
    let mut tx = archive.db.write.begin().await.unwrap();
    let ids: Vec<i64> = dispatch!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM articles ORDER BY id"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    assert_eq!(ids.len(), ARTICLES);
    for _ in 0..9 {
        arshif::store::search::log_changes(&mut tx, &ids)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    archive.close().await;
    let archive = scratch.open_archive().await;
    let seen = std::sync::Mutex::new(Vec::new());
    search::index::open(&archive.search, Some(&dir), &|_, _| {
        seen.lock().unwrap().push(committed_seq(&dir));
    })
    .await
    .unwrap();
    let after = committed_seq(&dir).unwrap();
    assert!(
        after >= before + 9 * ARTICLES as i64,
        "the whole log applied"
    );
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.iter()
            .flatten()
            .any(|&seq| before < seq && seq < after),
        "no commit between {before} and {after}: {seen:?}"
    );
    assert_eq!(
        run(&archive, "تقرير", 1, Order::Relevance).await.total,
        ARTICLES as u64
    );
    archive.close().await;
}

#[tokio::test]
async fn only_one_process_writes_the_index_and_a_rebuild_elsewhere_is_refused() {
    let scratch = Scratch::new();
    let writer = scratch.open_archive().await;
    search::index::of(&writer.search).await.unwrap();
    assert!(
        search::index::of(&writer.search)
            .await
            .unwrap()
            .is_writer()
            .await
    );
    let reader = scratch.open_archive().await;
    assert!(
        !search::index::of(&reader.search)
            .await
            .unwrap()
            .is_writer()
            .await
    );
    let err = search::index::rebuild(&reader.search, None, &|_, _| {})
        .await
        .unwrap_err();
    assert!(matches!(err, search::IndexError::Busy(_)), "{err}");
    reader.close().await;
    writer.close().await;
}

/// A running `arshif serve`.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(s: &Scratch) -> Server {
        let mut command = s.command("serve");
        command.env("ARSHIF_ADMIN_PASSWORD", "a long enough password");
        // Killed and reaped on drop, whatever happens below.
        let (child, port) = crate::support::spawn_serve(command, &s.path("serve.log"));
        Server { child, port }
    }

    fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let head = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        let mut body = String::new();
        let _ = reader.read_to_string(&mut body);
        body
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_import_by_another_process_becomes_searchable_in_a_running_server() {
    let scratch = Scratch::new();
    let server = Server::start(&scratch);
    let query = format!("/api/search?q={}", arshif::urls::query_value("لافروف"));
    assert!(server.get(&query).contains("\"total\":0"));
    // The server holds the index: this process only writes the log.
    scratch.import(&[Path::new(SEED)]);
    let started = Instant::now();
    loop {
        if server.get(&query).contains("\"total\":1") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not searchable after 60 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    println!("searchable after {:?}", started.elapsed());
}
