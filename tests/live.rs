//! A real `arshif serve` process over an archive (a SQLite file, or a
//! PostgreSQL database with `ARSHIF_TEST_BACKEND=postgres`), a small
//! HTTP/1.1 client for it, and SQL on the archive's database. Tests that must see what a
//! deployed server does (start-up housekeeping, settings, the middleware
//! stack, what survives a restart) go through these three doors only, so
//! they keep working however the code behind them is arranged.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use arshif::dispatch;
use arshif::store::Db;

use crate::support::Scratch;

/// A running `arshif serve`; killed when dropped. Its HTTP methods are
/// those of its [`Client`].
pub struct Live {
    child: Option<Child>,
    client: Client,
    log: PathBuf,
}

/// Sends requests to a server's port, one connection each; cheap to copy
/// into another thread.
#[derive(Debug, Clone, Copy)]
pub struct Client {
    pub port: u16,
}

impl std::ops::Deref for Live {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

/// One HTTP answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// Lowercased names.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value the answer sets for cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .find_map(|(_, v)| {
                v.strip_prefix(&format!("{name}="))
                    .map(|r| r.split(';').next().unwrap().to_owned())
            })
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

impl Live {
    /// Starts `arshif serve --db DB ARGS…` over the scratch archive on a
    /// free port with `env` added (and no `ARSHIF_ADMIN_PASSWORD` unless
    /// given), and waits until it answers.
    pub fn start(s: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Live {
        Live::spawn(s.command("serve"), &s.path("archive.db"), args, env)
    }

    /// [`Live::start`] over the SQLite file `db` (an archive an earlier
    /// release wrote).
    pub fn start_file(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Live {
        Live::spawn(crate::support::arshif_command(db, "serve"), db, args, env)
    }

    /// Starts `arshif serve --db DB ARGS…` (`db` a path or a URL) working
    /// in `dir` — its `data/` folder and its log are there — as
    /// [`start`](Self::start) does.
    pub fn start_in(dir: &Path, db: &str, args: &[&str], env: &[(&str, &str)]) -> Live {
        let mut command = Command::new(env!("CARGO_BIN_EXE_arshif"));
        command.current_dir(dir).args(["serve", "--db", db]);
        Live::spawn(command, &dir.join("node"), args, env)
    }

    /// Runs `command` (`arshif serve --db …`) on a free port, logging to a
    /// file beside `near`.
    fn spawn(mut command: Command, near: &Path, args: &[&str], env: &[(&str, &str)]) -> Live {
        command
            .args(args)
            .env_remove("ARSHIF_ADMIN_PASSWORD")
            .envs(env.iter().copied());
        // Named after the process: one scratch folder may see several.
        let log = near.with_extension(format!("serve-{}.log", unique()));
        let (child, port) = crate::support::spawn_serve(command, &log);
        Live {
            child: Some(child),
            client: Client { port },
            log,
        }
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits for the process to end by itself (a fault hook killed it).
    pub fn wait_for_exit(mut self) -> std::process::ExitStatus {
        self.child.take().unwrap().wait().unwrap()
    }

    /// Whether the process has ended (by itself: a fault hook killed it).
    pub fn has_exited(&mut self) -> bool {
        let child = self.child.as_mut().expect("not stopped");
        child.try_wait().unwrap().is_some()
    }

    /// Stops with SIGTERM (graceful) and returns what it logged.
    pub fn stop(mut self) -> String {
        let mut child = self.child.take().unwrap();
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
        let status = child.wait().unwrap();
        assert!(status.success(), "graceful shutdown exits 0: {status:?}");
        self.log()
    }
}

impl Client {
    pub fn get(&self, path: &str) -> Answer {
        self.request("GET", path, &[], b"")
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        self.request("GET", path, headers, b"")
    }

    /// One request on its own connection.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        read_answer(stream)
    }

    /// Posts the sign-in form with `password`; the answer (303 when right).
    pub fn sign_in(&self, password: &str) -> Answer {
        let form = self.get("/login");
        let cookie = form.cookie("arshif_login_csrf").expect("a form cookie");
        let csrf = hidden(&form.body, "csrf");
        let body = format!("csrf={csrf}&password={}", form_value(password));
        self.request(
            "POST",
            "/login",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", &format!("arshif_login_csrf={cookie}")),
            ],
            body.as_bytes(),
        )
    }

    /// Signs in and returns the `Cookie` header value of the session.
    pub fn session(&self, password: &str) -> String {
        let answer = self.sign_in(password);
        assert_eq!(answer.status, 303, "signed in: {}", answer.body);
        format!(
            "arshif_session={}",
            answer.cookie("arshif_session").unwrap()
        )
    }

    /// `POST /api/imports` of one file with a bearer token.
    pub fn api_import(&self, token: &str, name: &str, bytes: &[u8]) -> Answer {
        let (content_type, body) = multipart(&[("file", Some(name), bytes)]);
        self.request(
            "POST",
            "/api/imports",
            &[
                ("Authorization", &format!("Bearer {token}")),
                ("Content-Type", &content_type),
            ],
            &body,
        )
    }
}

/// A number no other server of this test run has, for its log's name.
fn unique() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn read_answer(stream: TcpStream) -> Answer {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let Some((k, v)) = line.trim_end().split_once(": ") else {
            break;
        };
        headers.push((k.to_ascii_lowercase(), v.to_owned()));
    }
    let mut raw = Vec::new();
    let _ = reader.read_to_end(&mut raw);
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked { unchunk(&raw) } else { raw };
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// The payload of a chunked HTTP/1.1 body.
fn unchunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
    out
}

/// The `value` of the hidden field `name` in a page.
pub fn hidden(body: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    body.split(&marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no hidden {name} in {body}"))
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// `text` percent-encoded for a form or query value.
pub fn form_value(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A multipart/form-data body: (content type, bytes).
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "arshif-live-test-boundary";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match file {
            Some(f) => format!("form-data; name=\"{name}\"; filename=\"{f}\""),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(format!("Content-Disposition: {disposition}\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `arshif token create --db DB`: a new API token.
pub fn token(db: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["token", "create", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The test's own handle on the archive's database (`--db`: a SQLite file
/// or a PostgreSQL URL), as the server opens it (foreign keys on).
pub async fn connect(db: &Path) -> Db {
    Db::open(db).await.unwrap()
}

/// Runs statements on the archive's database.
pub async fn execute(db: &Path, sql: &str) {
    let db = connect(db).await;
    dispatch!(db.write, |c| sqlx::raw_sql(sqlx::AssertSqlSafe(
        sql.to_owned()
    ))
    .execute(c)
    .await
    .map(drop))
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// One integer from the archive's database.
pub async fn scalar(db: &Path, sql: &str) -> i64 {
    let db = connect(db).await;
    dispatch!(db.read, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        sql.to_owned()
    ))
    .fetch_one(c)
    .await)
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// No link names a missing article (`relations` has no foreign keys since
/// migration 0016: a trigger deletes an article's links), and, on SQLite,
/// `PRAGMA integrity_check` says ok and `PRAGMA foreign_key_check` finds
/// no dangling reference (a failing check fails the test). PostgreSQL
/// checks every foreign key at every statement and has no file to check.
pub async fn assert_sound(db: &Path) {
    let dangling = scalar(
        db,
        "SELECT count(*) FROM relations r WHERE NOT EXISTS \
         (SELECT 1 FROM articles a WHERE a.id = r.article_id) OR NOT EXISTS \
         (SELECT 1 FROM articles a WHERE a.id = r.other_id)",
    )
    .await;
    assert_eq!(dangling, 0, "links to or from a missing article");
    if crate::support::on_postgres() {
        return;
    }
    let mut conn = sqlite_connection(db).await;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .expect("integrity_check runs");
    assert_eq!(check, "ok");
    let dangling: Vec<(String, Option<i64>, String, i64)> =
        sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&mut conn)
            .await
            .expect("foreign_key_check runs");
    assert!(dangling.is_empty(), "dangling references: {dangling:?}");
}

/// SQL for the text at `key` of the JSON object in `column`, on this run's
/// backend (SQLite's `json_extract`, PostgreSQL's `->>`).
pub fn json_text(column: &str, key: &str) -> String {
    if crate::support::on_postgres() {
        format!("(CAST({column} AS json) ->> '{key}')")
    } else {
        format!("json_extract({column}, '$.{key}')")
    }
}

/// SQL for the bytes written in hexadecimal as `hex`, on this run's
/// backend.
pub fn blob(hex: &str) -> String {
    if crate::support::on_postgres() {
        format!("decode('{hex}', 'hex')")
    } else {
        format!("X'{hex}'")
    }
}

/// A connection of the test's own to a SQLite archive file (SQLite-only
/// tests: upgrades of archives earlier releases wrote).
pub async fn sqlite_connection(db: &Path) -> sqlx::SqliteConnection {
    use sqlx::ConnectOptions;
    sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await
        .unwrap()
}
