//! A real `arshif serve` process for these tests: started with chosen
//! options and environment on a port it picks, raw HTTP/1.1 requests to it,
//! its peak memory, and its log once stopped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

pub struct Server {
    child: Child,
    pub port: u16,
    log: std::path::PathBuf,
    _log_dir: tempfile::TempDir,
}

impl Server {
    /// `arshif serve --db DB ARGS…` with `env`, on a port it picks.
    pub fn start(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        // The log goes to a file: a pipe nobody reads could fill and stall
        // the server.
        let log_dir = tempfile::tempdir().unwrap();
        let log = log_dir.path().join("serve.log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_arshif"));
        command
            .args(["serve", "--db"])
            .arg(db)
            .args(args)
            .env_remove("ARSHIF_ADMIN_PASSWORD")
            .envs(env.iter().copied());
        if crate::support::on_postgres() {
            // The files a PostgreSQL archive derives go under `data/` of
            // the working folder: here, gone with the log.
            command.current_dir(log_dir.path());
        }
        let (child, port) = crate::support::spawn_serve(command, &log);
        Server {
            child,
            port,
            log,
            _log_dir: log_dir,
        }
    }

    pub fn connect(&self) -> TcpStream {
        TcpStream::connect(("127.0.0.1", self.port)).unwrap()
    }

    /// One request on a connection of its own: (status, head, body).
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut stream = self.connect();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
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
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Reply::parse(&String::from_utf8_lossy(&raw))
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], "")
    }

    /// The most memory the server process ever held (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status")
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops it with SIGTERM (a graceful stop) and returns its log.
    pub fn stop(mut self) -> String {
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        assert!(status.success(), "graceful stop exits 0: {status:?}");
        self.log()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    fn parse(raw: &str) -> Reply {
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            body: body.to_owned(),
        }
    }
}
