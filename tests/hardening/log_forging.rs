//! A member name made to look like a log line stays inside its own line,
//! quoted and escaped, in the server's log and the terminal summary.

use std::io::Write;

use crate::support::Scratch;

use super::server::Server;

const FORGED: &str = "x\n2026-12-03T00:00:00Z  WARN arshif: FORGED";

fn zip_with_forged_name(s: &Scratch) -> std::path::PathBuf {
    let path = s.path("forged.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    // Empty, so the import rejects it and names it in the summary.
    zip.start_file(format!("{FORGED}.txt"), options).unwrap();
    zip.start_file("binary\u{202E}txt.exe", options).unwrap();
    zip.write_all(b"\x7fELF\x02\x01\x01\0\0\0").unwrap();
    zip.finish().unwrap();
    path
}

fn assert_not_forged(log: &str) {
    assert!(
        !log.lines().any(|l| l.starts_with("2026-12-03T00:00:00Z")),
        "a forged line in the log:\n{log}"
    );
    assert!(!log.contains('\u{202E}'), "a bidi override reached the log");
    assert!(
        log.contains(r#""forged.zip!/x\n2026-12-03T00:00:00Z  WARN arshif: FORGED.txt""#),
        "the name is logged quoted and escaped:\n{log}"
    );
}

#[test]
fn a_member_name_cannot_forge_a_line_of_the_server_log() {
    let s = Scratch::new();
    let zip = zip_with_forged_name(&s);
    let server = Server::start(&s.db(), &["--import", zip.to_str().unwrap()], &[]);
    assert_not_forged(&server.stop());
}

#[test]
fn nor_a_line_of_the_import_summary() {
    let s = Scratch::new();
    let zip = zip_with_forged_name(&s);
    let out = s.arshif(&["import", zip.to_str().unwrap()]);
    assert_not_forged(&String::from_utf8_lossy(&out.stderr));
}
