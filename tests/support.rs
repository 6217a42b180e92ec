//! Helpers shared by the integration tests: a temporary archive, running
//! the real `arshif` binary, reading its JSON output, and the sample pages
//! as a folder.
//!
//! The backend: every archive a helper here makes is a SQLite file, or,
//! with `ARSHIF_TEST_BACKEND=postgres`, a fresh PostgreSQL database on the
//! `ARSHIF_TEST_POSTGRES` server (its URL is what `--db` gets). A test
//! that checks what only SQLite has returns early through
//! [`only_on_sqlite`], which says why.

use arshif::dispatch;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use arshif_testkit::postgres::TestDatabase;
pub use arshif_testkit::postgres::{on_postgres, only_on_sqlite};
use serde_json::Value;

/// The seed page and its expected parse, from `../shared/examples`.
pub const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/seed/000_32f10a57e3468d13.txt"
);
pub const SEED_EXPECTED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/seed/000_32f10a57e3468d13.expected.json"
);

/// A scratch folder with an archive database inside it, or beside it on
/// the PostgreSQL test server (its derived files stay in the folder).
pub struct Scratch {
    /// Declared first: the database goes before the folder.
    postgres: Option<TestDatabase>,
    pub dir: tempfile::TempDir,
}

impl Scratch {
    /// A scratch archive on this run's backend.
    pub fn new() -> Scratch {
        let postgres = on_postgres().then(|| {
            TestDatabase::create_blocking().expect("ARSHIF_TEST_POSTGRES names the server")
        });
        Scratch {
            postgres,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A scratch archive on SQLite whatever the run's backend: for tests
    /// that compare both backends, and SQLite-only checks.
    pub fn sqlite() -> Scratch {
        Scratch {
            postgres: None,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A scratch archive on PostgreSQL whatever the run's backend, when
    /// `ARSHIF_TEST_POSTGRES` names a server: for tests that compare both.
    pub fn postgres() -> Option<Scratch> {
        Some(Scratch {
            postgres: Some(TestDatabase::create_blocking()?),
            dir: tempfile::tempdir().expect("temp dir"),
        })
    }

    /// What `--db` takes: the SQLite file, or the PostgreSQL database's URL.
    pub fn db(&self) -> PathBuf {
        match &self.postgres {
            Some(pg) => PathBuf::from(pg.url()),
            None => self.dir.path().join("archive.db"),
        }
    }

    /// The search index's folder, on either backend.
    pub fn index_dir(&self) -> PathBuf {
        self.path("archive.search")
    }

    /// Opens the archive's database in-process (its derived files in the
    /// folder on either backend).
    pub async fn open_db(&self) -> arshif::store::Db {
        arshif::store::Db::open(&self.db())
            .await
            .expect("db opens")
            .with_local_base(self.path("archive.db"))
    }

    /// Opens the archive in-process.
    pub async fn open_archive(&self) -> arshif::archive::Archive {
        arshif::archive::Archive::new(self.open_db().await)
    }

    /// `arshif` with `--db`, in the scratch folder, its search index
    /// there on either backend: run it with its arguments.
    pub fn command(&self, cmd: &str) -> Command {
        let mut command = arshif_command(&self.db(), cmd);
        command
            .current_dir(self.dir.path())
            .env("ARSHIF_INDEX_DIR", self.index_dir());
        command
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `bytes` to a file named `name` in the scratch folder.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Runs `arshif <args…> --db <db>`.
    pub fn arshif(&self, args: &[&str]) -> Output {
        let (cmd, rest) = args.split_first().expect("a command");
        self.command(cmd).args(rest).output().expect("arshif runs")
    }

    /// `arshif import --json PATHS…`: the report, after asserting success.
    pub fn import(&self, paths: &[&Path]) -> Value {
        self.import_with(paths, &[])
    }

    pub fn import_with(&self, paths: &[&Path], extra: &[&str]) -> Value {
        let mut args = vec!["import", "--json"];
        args.extend_from_slice(extra);
        let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        args.extend(paths.iter().map(String::as_str));
        let out = self.arshif(&args);
        assert!(
            out.status.success(),
            "import failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("import --json prints JSON")
    }

    /// Every exported article.
    pub fn export(&self) -> Vec<Value> {
        let out = self.arshif(&["export"]);
        assert!(
            out.status.success(),
            "export failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).expect("export line is JSON"))
            .collect()
    }
}

pub fn arshif_db(db: &Path, args: &[&str]) -> Output {
    let (cmd, rest) = args.split_first().expect("a command");
    arshif_command(db, cmd)
        .args(rest)
        .output()
        .expect("arshif runs")
}

/// `arshif <cmd> --db <db>`, quiet but for warnings.
pub fn arshif_command(db: &Path, cmd: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_arshif"));
    command.arg(cmd).arg("--db").arg(db).env("RUST_LOG", "warn");
    command
}

/// Reads a JSON file.
/// Spawns `command` (an `arshif serve …` without `--addr`) on a port the
/// server picks itself, logging to `log`, and waits until it listens: the
/// process and its port. A free port found here and handed over could be
/// found by a test running beside this one too, and its requests would
/// then reach that test's server (and be cut off when it stops).
pub fn spawn_serve(mut command: Command, log: &Path) -> (std::process::Child, u16) {
    command
        .args(["--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "arshif=info")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(log).unwrap());
    let mut child = command.spawn().unwrap();
    let said = |text: &str| {
        let (_, rest) = text.split_once("listening on 127.0.0.1:")?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    for _ in 0..1200 {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(port) = said(&text) {
            return (child, port);
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the server exited ({status}): {text}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!(
        "the server did not start: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

pub fn json_file(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The exported article with this title.
pub fn by_title<'a>(articles: &'a [Value], title: &str) -> &'a Value {
    articles
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no article titled {title}"))
}

/// Ids of exported articles, sorted.
pub fn ids(articles: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = articles
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// An archive served in-process: the router of `arshif::web::app` over a
/// temporary database, driven with `tower::ServiceExt::oneshot`.
pub struct TestApp {
    pub scratch: Scratch,
    pub archive: arshif::archive::Archive,
    /// `archive.db`.
    pub db: arshif::store::Db,
    pub router: axum::Router,
}

/// One response, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    /// An empty archive.
    pub async fn empty() -> TestApp {
        Self::configured(|_| {}).await
    }

    /// An empty archive with its web configuration adjusted by `adjust`.
    pub async fn configured(adjust: impl FnOnce(&mut arshif::web::WebConfig)) -> TestApp {
        let scratch = Scratch::new();
        let archive = scratch.open_archive().await;
        let db = archive.db.clone();
        let mut config = Self::config(&scratch);
        adjust(&mut config);
        let router = arshif::web::app(arshif::web::AppState::new(archive.clone(), config));
        TestApp {
            scratch,
            archive,
            db,
            router,
        }
    }

    /// The web configuration of a test archive.
    pub fn config(scratch: &Scratch) -> arshif::web::WebConfig {
        let upload_dir = scratch.path("uploads");
        std::fs::create_dir_all(&upload_dir).unwrap();
        arshif::web::WebConfig {
            public_url: "http://archive.test".to_owned(),
            static_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/static")),
            upload_dir,
            max_upload_bytes: 512 << 20,
            import: arshif::ingest::pipeline::ImportOptions::default(),
            trusted_proxies: Vec::new(),
            page_timeout: std::time::Duration::from_secs(30),
            digits: arshif::arabic::numbers::Digits::Latn,
            private: false,
        }
    }

    /// A second server over the same database (a restart).
    pub fn restarted(&self) -> axum::Router {
        let config = Self::config(&self.scratch);
        arshif::web::app(arshif::web::AppState::new(self.archive.clone(), config))
    }

    /// An archive holding `paths`, imported in-process.
    pub async fn with(paths: &[&Path]) -> TestApp {
        let app = Self::empty().await;
        app.import(paths).await;
        app
    }

    pub async fn import(&self, paths: &[&Path]) -> arshif::ingest::report::Report {
        import_into(&self.archive, paths).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        let request = axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub async fn send(&self, request: axum::http::Request<axum::body::Body>) -> Reply {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// The root-relative permalink of the article titled `title`.
    pub async fn url_of(&self, title: &str) -> String {
        let (permalink, slug): (String, String) = dispatch!(self.db.read, |c| sqlx::query_as(
            "SELECT permalink, slug FROM articles WHERE title = $1"
        )
        .bind(title)
        .fetch_one(c)
        .await)
        .unwrap_or_else(|_| panic!("no article titled {title}"));
        arshif::urls::article_encoded(&permalink, &slug)
    }
}

/// The seed page's title and its read-also item's title.
pub const SEED_TITLE: &str = "زعيم كوريا الشمالية: دعم غير مشروط لكل إجراءات روسيا بخصوص أوكرانيا";
pub const SEED_ITEM_TITLE: &str = "روسيا تهدد برد قاسٍ على أي إجراءات أوروبية ضد أصولها المجمدة";

/// The seed and the stories, as files of a folder named `pages` in `s`;
/// only the first `count` of them (in name order, the order imports read
/// a folder in) when given.
pub fn pages(s: &Scratch, count: Option<usize>) -> PathBuf {
    let stories = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stories");
    let mut files: Vec<PathBuf> = std::fs::read_dir(stories)
        .unwrap()
        .map(|e| e.unwrap().path())
        .chain([PathBuf::from(SEED)])
        .collect();
    files.sort_by_key(|p| p.file_name().unwrap().to_owned());
    let folder = s.path("in/pages");
    std::fs::create_dir_all(&folder).unwrap();
    for file in files.iter().take(count.unwrap_or(usize::MAX)) {
        std::fs::copy(file, folder.join(file.file_name().unwrap())).unwrap();
    }
    folder
}

/// Imports `paths` into `archive` in-process, as `arshif import` does.
pub async fn import_into(
    archive: &arshif::archive::Archive,
    paths: &[&Path],
) -> arshif::ingest::report::Report {
    use arshif::ingest::pipeline::{self, ImportOptions, Input, Quiet};
    let mut conn = archive.db.write.acquire().await.unwrap();
    let id = arshif::store::imports::create(&mut conn, "cli", "running")
        .await
        .unwrap();
    drop(conn);
    let inputs = paths.iter().map(|p| Input::Path(p.to_path_buf())).collect();
    pipeline::run(archive, id, inputs, ImportOptions::default(), &Quiet)
        .await
        .unwrap()
}
