//! The real server process: the admin password from the environment (the
//! same one again signs nobody out), a generated password printed once,
//! graceful shutdown on SIGTERM, and the token and password commands.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::Scratch;

struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    fn start(s: &Scratch, password: Option<&str>) -> Server {
        let mut command = s.command("serve");
        command.env_remove("ARSHIF_ADMIN_PASSWORD");
        if let Some(p) = password {
            command.env("ARSHIF_ADMIN_PASSWORD", p);
        }
        // A restart over the same archive logs to a file of its own.
        let log = (0..)
            .map(|n| s.path(&format!("serve-{n}.log")))
            .find(|path| !path.exists())
            .unwrap();
        let (child, port) = crate::support::spawn_serve(command, &log);
        Server { child, port, log }
    }

    /// Stops with SIGTERM (graceful) and returns what it logged.
    fn stop(mut self) -> String {
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        assert!(status.success(), "graceful shutdown exits 0: {status:?}");
        std::fs::read_to_string(&self.log).unwrap()
    }

    /// One HTTP/1.1 request; returns (status, headers, body).
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, Vec<(String, String)>, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        stream
            .write_all(format!("{head}\r\n{body}").as_bytes())
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let status = line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let Some((k, v)) = line.trim_end().split_once(": ") else {
                break;
            };
            headers.push((k.to_ascii_lowercase(), v.to_owned()));
        }
        let mut body = String::new();
        let _ = reader.read_to_string(&mut body);
        (status, headers, body)
    }

    /// Signs in with `password`; the session cookie on success.
    fn sign_in(&self, password: &str) -> Option<String> {
        let (_, headers, body) = self.request("GET", "/login", &[], "");
        let cookie = cookie_value(&headers, "arshif_login_csrf").unwrap();
        let csrf = body
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let form = format!("csrf={csrf}&password={password}");
        let cookie_header = format!("arshif_login_csrf={cookie}");
        let (status, headers, _) = self.request(
            "POST",
            "/login",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", &cookie_header),
            ],
            &form,
        );
        (status == 303).then(|| {
            format!(
                "arshif_session={}",
                cookie_value(&headers, "arshif_session").unwrap()
            )
        })
    }

    fn upload_status(&self, cookie: &str) -> u16 {
        self.request("GET", "/upload", &[("Cookie", cookie)], "").0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cookie_value(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .find_map(|(_, v)| {
            v.strip_prefix(&format!("{name}="))
                .map(|r| r.split(';').next().unwrap().to_owned())
        })
}

#[test]
fn reapplying_the_same_password_at_start_signs_nobody_out() {
    let s = Scratch::new();
    let server = Server::start(&s, Some("first-password-1"));
    let cookie = server.sign_in("first-password-1").expect("signed in");
    assert_eq!(server.upload_status(&cookie), 200);
    server.stop();

    let again = Server::start(&s, Some("first-password-1"));
    assert_eq!(
        again.upload_status(&cookie),
        200,
        "same password, same session"
    );
    again.stop();

    let changed = Server::start(&s, Some("second-password-2"));
    assert_eq!(
        changed.upload_status(&cookie),
        303,
        "a new password ends old sessions"
    );
    assert!(changed.sign_in("first-password-1").is_none());
    assert!(changed.sign_in("second-password-2").is_some());
    changed.stop();
}

#[test]
fn first_start_without_a_password_generates_and_prints_one_once() {
    let s = Scratch::new();
    let server = Server::start(&s, None);
    std::thread::sleep(Duration::from_millis(300));
    let log = server.stop();
    let password = log
        .split("one was generated: ")
        .nth(1)
        .expect("the generated password is in the log")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let again = Server::start(&s, None);
    assert!(
        again.sign_in(&password).is_some(),
        "the printed password works"
    );
    let log = again.stop();
    assert!(!log.contains("generated"), "printed only once: {log}");
}

/// `arshif token <command> --db DB <rest…>`.
fn token(s: &Scratch, command: &str, rest: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_arshif"))
        .args(["token", command, "--db"])
        .arg(s.db())
        .args(rest)
        .output()
        .unwrap()
}

#[test]
fn token_create_prints_only_the_token_and_revoke_ends_it() {
    let s = Scratch::new();
    let out = token(&s, "create", &["--name", "backup script"]);
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed.trim().len(), 64, "only the token: {printed:?}");
    assert!(printed.trim().chars().all(|c| c.is_ascii_hexdigit()));
    let list = String::from_utf8(token(&s, "list", &[]).stdout).unwrap();
    assert!(
        list.contains("backup script") && list.contains("live") && !list.contains(printed.trim())
    );
    assert!(token(&s, "revoke", &["1"]).status.success());
    assert!(
        String::from_utf8(token(&s, "list", &[]).stdout)
            .unwrap()
            .contains("revoked")
    );
    let again = token(&s, "revoke", &["1"]);
    assert_eq!(again.status.code(), Some(1), "revoking twice is explained");
}

#[test]
fn admin_set_password_reads_stdin() {
    let s = Scratch::new();
    let set = |password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_arshif"))
            .args(["admin", "set-password", "--db"])
            .arg(s.db())
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let short = set("short");
    assert_eq!(short.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least"));
    assert!(set("set-from-stdin-123").status.success());
    let server = Server::start(&s, None);
    assert!(server.sign_in("set-from-stdin-123").is_some());
    server.stop();
}
