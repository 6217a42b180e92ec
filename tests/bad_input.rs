//! Bad input never stops an import: each bad file, member or line is
//! rejected with its name and a reason, and the good files of the same
//! run still import (`dump-format.md`, last section).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{SEED, Scratch};

/// Imports `bad` together with the seed and returns the rejection of the
/// file whose name ends with `name`, after checking the seed imported.
fn rejected_beside_seed(s: &Scratch, bad: &Path, name: &str, extra: &[&str]) -> Value {
    let report = s.import_with(&[bad, Path::new(SEED)], extra);
    assert_eq!(
        report["articles_new"], 2,
        "the good file still imports: {report}"
    );
    report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} is not reported as rejected: {report}"))
        .clone()
}

fn assert_reason(rejection: &Value, words: &str) {
    let reason = rejection["reason"].as_str().unwrap();
    assert!(
        reason.contains(words),
        "reason {reason:?} should mention {words:?}"
    );
}

#[test]
fn rejects_empty_file() {
    let s = Scratch::new();
    let r = rejected_beside_seed(&s, &s.file("empty.txt", ""), "empty.txt", &[]);
    assert_reason(&r, "empty");
}

#[test]
fn rejects_whitespace_only_file() {
    let s = Scratch::new();
    let r = rejected_beside_seed(&s, &s.file("blank.txt", " \n\t\r\n  \n"), "blank.txt", &[]);
    assert_reason(&r, "empty");
}

#[test]
fn rejects_page_without_title() {
    let s = Scratch::new();
    let r = rejected_beside_seed(
        &s,
        &s.file("labels.txt", "المصدر: الأهرام\nكلمات دلالية: مصر\n"),
        "labels.txt",
        &[],
    );
    assert_reason(&r, "no title");
}

#[test]
fn rejects_file_with_nul_bytes() {
    let s = Scratch::new();
    let r = rejected_beside_seed(&s, &s.file("nul.txt", b"title\0body\nmore"), "nul.txt", &[]);
    assert_reason(&r, "binary");
}

#[test]
fn rejects_file_with_known_binary_signature() {
    let s = Scratch::new();
    let png = [
        0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', b'I', b'H', b'D', b'R',
    ];
    let r = rejected_beside_seed(&s, &s.file("image.txt", png), "image.txt", &[]);
    assert_reason(&r, "binary");
}

#[test]
fn rejects_file_full_of_control_characters() {
    let s = Scratch::new();
    let text: Vec<u8> = "عنوان\n"
        .bytes()
        .chain((0..200).flat_map(|_| [b'a', 0x07]))
        .collect();
    let r = rejected_beside_seed(&s, &s.file("bell.txt", text), "bell.txt", &[]);
    assert_reason(&r, "binary");
}

#[test]
fn rejects_undecodable_text() {
    let s = Scratch::new();
    // Latin-1 French: not UTF-8, and its Windows-1256 reading is not Arabic.
    let latin1: Vec<u8> =
        b"Le ministre a d\xe9clar\xe9 que l'\xe9t\xe9 sera tr\xe8s chaud cette ann\xe9e\n"
            .repeat(4);
    let r = rejected_beside_seed(&s, &s.file("french.txt", latin1), "french.txt", &[]);
    assert_reason(&r, "undecodable");
}

#[test]
fn rejects_oversize_file() {
    let s = Scratch::new();
    let big = format!("عنوان\n{}", "نص طويل جدا.\n".repeat(120_000));
    let r = rejected_beside_seed(
        &s,
        &s.file("big.txt", big),
        "big.txt",
        &["--max-file-mib", "1"],
    );
    assert_reason(&r, "too large");
}

fn zip_of(s: &Scratch, name: &str, members: &[(&str, Vec<u8>)]) -> PathBuf {
    let path = s.path(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (member, bytes) in members {
        zip.start_file(*member, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

#[test]
fn rejects_zip_bomb_member_and_imports_its_siblings() {
    let s = Scratch::new();
    let bomb = vec![b'a'; 40 << 20];
    let seed = std::fs::read(SEED).unwrap();
    let zip = zip_of(&s, "bomb.zip", &[("bomb.txt", bomb), ("seed.txt", seed)]);
    let report = s.import(&[&zip]);
    assert_eq!(
        report["articles_new"], 2,
        "the sibling member imports: {report}"
    );
    let rejected = report["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1, "{report}");
    assert_eq!(rejected[0]["file"], "bomb.zip!/bomb.txt");
    let reason = rejected[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("ratio") || reason.contains("expands"),
        "{reason}"
    );
}

#[test]
fn rejects_archive_with_too_many_members() {
    let s = Scratch::new();
    let seed = std::fs::read(SEED).unwrap();
    let members: Vec<(String, Vec<u8>)> = (0..5)
        .map(|i| (format!("m{i}.txt"), seed.clone()))
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.clone()))
        .collect();
    let zip = zip_of(&s, "many.zip", &refs);
    let r = rejected_beside_seed(&s, &zip, "many.zip", &["--max-members", "3"]);
    assert_reason(&r, "too many members");
}

#[test]
fn rejects_malformed_json_line_and_imports_the_others() {
    let s = Scratch::new();
    let text = "{\"title\": \"خبر أول\", \"body\": \"نص أول.\"}\n{not json\n{\"title\": \"خبر ثالث\", \"body\": \"نص ثالث.\"}\n";
    let report = s.import(&[&s.file("feed.jsonl", text)]);
    assert_eq!(report["articles_new"], 2, "{report}");
    let rejected = report["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1);
    assert!(
        rejected[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("feed.jsonl:2"),
        "{report}"
    );
    assert_reason(&rejected[0], "malformed JSON");
}

#[test]
fn rejects_unsupported_file_type() {
    let s = Scratch::new();
    let r = rejected_beside_seed(
        &s,
        &s.file("report.pdf", b"%PDF-1.7 ..."),
        "report.pdf",
        &[],
    );
    assert_reason(&r, "unsupported");
}

#[test]
fn command_fails_with_one_line_when_nothing_imports() {
    let s = Scratch::new();
    let out = s.arshif(&["import", s.file("empty.txt", "").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty.txt"), "names the file: {stderr}");
    assert!(
        stderr
            .lines()
            .last()
            .unwrap()
            .starts_with("arshif: nothing imported"),
        "{stderr}"
    );
}

#[test]
fn bad_usage_exits_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_arshif"))
        .arg("import")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
