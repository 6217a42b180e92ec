//! Behaviours of the zip and tar walkers: which members are read, how they
//! are named, and what a broken archive yields.

use super::*;

#[test]
fn reads_zip_members_in_nested_folders() {
    let zip = zip_bytes(&[
        ("a/b/c.txt", b"c"),
        ("top.txt", b"t"),
        ("a/d.ndjson", b"{}"),
    ]);
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "doc x.zip!/a/b/c.txt",
            "read",
            "doc x.zip!/top.txt",
            "read",
            "doc x.zip!/a/d.ndjson:1"
        ]
    );
    assert_eq!(docs(&events)[0].bytes, b"c");
}

/// A zip written to a pipe: each member's sizes and checksum follow its
/// data (a data descriptor) and its local header says zero; only the
/// central directory knows them, and the walk reads by its listing.
#[test]
fn reads_zip_members_whose_sizes_only_the_directory_holds() {
    let mut writer = zip::ZipWriter::new_stream(Vec::new());
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [("a.txt", &[b'a'; 3000][..]), ("b/c.txt", b"c")] {
        writer.start_file(name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    let zip = writer.finish().unwrap().into_inner();
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        ["read", "doc x.zip!/a.txt", "read", "doc x.zip!/b/c.txt"]
    );
    assert_eq!(docs(&events)[0].bytes, [b'a'; 3000]);
}

/// A self-extracting archive: a program before the zip, so every offset
/// the directory records is off by the program's length.
#[test]
fn reads_a_zip_behind_other_bytes() {
    let mut bytes = b"#!/bin/sh\nexit 0\n".repeat(20);
    bytes.extend(zip_bytes(&[("a.txt", b"a"), ("b.txt", b"b")]));
    let events = walk_bytes("x.zip", &bytes, &Limits::default());
    assert_eq!(
        summary(&events),
        ["read", "doc x.zip!/a.txt", "read", "doc x.zip!/b.txt"]
    );
    assert_eq!(docs(&events)[1].bytes, b"b");
}

#[test]
fn skips_macosx_and_dot_files_and_dot_folders_in_zip() {
    let zip = zip_bytes(&[
        ("__MACOSX/a/._p.txt", b"x"),
        ("a/.hidden.txt", b"x"),
        (".git/x.txt", b"x"),
        ("a/.cache/b/x.txt", b"x"),
        ("./kept.txt", b"k"),
        ("a/../also.txt", b"k"),
    ]);
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "doc x.zip!/./kept.txt",
            "read",
            "doc x.zip!/a/../also.txt"
        ]
    );
}

#[test]
fn reads_dangerous_member_names_in_memory_and_names_them_as_written() {
    // Not tempdir(): its `.tmp` name would make the absolute member a
    // dot-folder member.
    let dir = tempfile::Builder::new().prefix("arshif").tempdir().unwrap();
    let inner = dir.path().join("inner");
    let absolute = format!("{}/abs.txt", dir.path().display());
    let zip = zip_bytes(&[
        ("../../escape.txt", b"1"),
        (&absolute, b"2"),
        ("win\\dir\\page.txt", b"3"),
        ("win\\.hidden\\page.txt", b"4"),
    ]);
    let path = put(&inner, "up.zip", &zip);
    let events = walk_upload(&path, "up.zip", &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read".to_owned(),
            "doc up.zip!/../../escape.txt".to_owned(),
            "read".to_owned(),
            format!("doc up.zip!/{absolute}"),
            "read".to_owned(),
            "doc up.zip!/win\\dir\\page.txt".to_owned(),
        ]
    );
    let listing = |p: &Path| {
        fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect::<Vec<_>>()
    };
    assert_eq!(listing(dir.path()), ["inner"]);
    assert_eq!(listing(&inner), ["up.zip"]);
}

#[test]
fn does_not_open_archives_inside_archives() {
    let inner_zip = zip_bytes(&[("deep.txt", b"d")]);
    let inner_tgz = gzip(&tar_bytes(&[("deep.txt", b"d")]));
    let zip = zip_bytes(&[
        ("in.zip", &inner_zip),
        ("in.tgz", &inner_tgz),
        ("page.txt", b"p"),
    ]);
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(summary(&events), ["read", "doc x.zip!/page.txt"]);
}

#[test]
fn passes_over_non_text_members_silently() {
    let zip = zip_bytes(&[
        ("photo.jpg", b"\xff\xd8\xff"),
        ("readme.md", b"m"),
        ("dir/", b""),
        ("p.txt", b"p"),
    ]);
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(summary(&events), ["read", "doc x.zip!/p.txt"]);
}

#[test]
fn reads_jsonl_inside_zip_line_by_line() {
    let zip = zip_bytes(&[("a/b.jsonl", b"{\"n\":1}\n\n{\"n\":3}\n")]);
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        ["read", "doc x.zip!/a/b.jsonl:1", "doc x.zip!/a/b.jsonl:3"]
    );
    assert_eq!(docs(&events)[1].kind, DocKind::JsonLine { line: 3 });
}

#[test]
fn reads_tar_members() {
    let tar = tar_bytes(&[
        ("a/p.txt", b"p"),
        ("a/.x.txt", b"x"),
        ("q.jsonl", b"{}\n{}\n"),
        ("r.bin", b"r"),
    ]);
    let events = walk_bytes("x.tar", &tar, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "doc x.tar!/a/p.txt",
            "read",
            "doc x.tar!/q.jsonl:1",
            "doc x.tar!/q.jsonl:2"
        ]
    );
    assert_eq!(docs(&events)[0].bytes, b"p");
}

#[test]
fn reads_tar_gz_and_tgz_members() {
    let tgz = gzip(&tar_bytes(&[
        ("d/p.txt", "صفحة".as_bytes()),
        ("__MACOSX/d/._p.txt", b"x"),
    ]));
    for name in ["x.tar.gz", "x.tgz", "X.TAR.GZ"] {
        let events = walk_bytes(name, &tgz, &Limits::default());
        assert_eq!(
            summary(&events),
            ["read".to_owned(), format!("doc {name}!/d/p.txt")]
        );
        assert_eq!(docs(&events)[0].bytes, "صفحة".as_bytes());
    }
}

#[test]
fn reads_tar_members_with_long_names() {
    let long = format!("{}/page.txt", "folder".repeat(30));
    let events = walk_bytes("x.tar", &tar_bytes(&[(&long, b"p")]), &Limits::default());
    assert_eq!(
        summary(&events),
        ["read".to_owned(), format!("doc x.tar!/{long}")]
    );
}

#[test]
fn passes_over_tar_links_and_folders() {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Symlink);
    header.set_size(0);
    builder
        .append_link(&mut header, "link.txt", "/etc/passwd")
        .unwrap();
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Directory);
    header.set_size(0);
    builder
        .append_data(&mut header, "dir.txt/", &[][..])
        .unwrap();
    let tar = builder.into_inner().unwrap();
    assert_eq!(walk_bytes("x.tar", &tar, &Limits::default()), []);
}

#[test]
fn rejects_corrupt_zip_as_bad_archive() {
    let limits = Limits::default();
    let events = walk_bytes("x.zip", b"this is not a zip at all", &limits);
    assert_eq!(summary(&events), ["reject x.zip bad_archive"]);
    let mut truncated = zip_bytes(&[("a.txt", b"a")]);
    truncated.truncate(truncated.len() - 10);
    assert_eq!(
        summary(&walk_bytes("t.zip", &truncated, &limits)),
        ["reject t.zip bad_archive"]
    );
}

#[test]
fn rejects_corrupt_zip_member_and_keeps_the_others() {
    let mut zip = zip_bytes(&[("a.txt", &[b'a'; 500]), ("b.txt", b"b")]);
    // Flip a byte of a.txt's compressed data, which follows its local
    // header: 30 bytes, then the name and extra field lengths at 26 and 28.
    let field = |at: usize| usize::from(u16::from_le_bytes([zip[at], zip[at + 1]]));
    let data_start = 30 + field(26) + field(28);
    zip[data_start + 2] ^= 0xff;
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "reject x.zip!/a.txt bad_archive",
            "read",
            "doc x.zip!/b.txt"
        ]
    );
}

#[test]
fn rejects_corrupt_tar_and_tar_gz_as_bad_archive() {
    let limits = Limits::default();
    let garbage = vec![b'x'; 2048];
    assert_eq!(
        summary(&walk_bytes("x.tar", &garbage, &limits)),
        ["reject x.tar bad_archive"]
    );
    assert_eq!(
        summary(&walk_bytes("x.tgz", &garbage, &limits)),
        ["reject x.tgz bad_archive"]
    );
}

#[test]
fn keeps_members_read_before_a_tar_gz_breaks_off() {
    let big: Vec<u8> = (0..200_000u32)
        .flat_map(|i| i.to_le_bytes())
        .map(|b| b'a' + b % 26)
        .collect();
    let mut tgz = gzip(&tar_bytes(&[
        ("a.txt", b"a"),
        ("b.txt", &big),
        ("c.txt", b"c"),
    ]));
    tgz.truncate(tgz.len() / 2);
    let events = walk_bytes("x.tgz", &tgz, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "doc x.tgz!/a.txt",
            "read",
            "reject x.tgz bad_archive"
        ]
    );
    let Event::Rejected {
        reason: Reject::BadArchive(why),
        ..
    } = &events[3]
    else {
        unreachable!()
    };
    assert!(why.contains("b.txt"), "{why}");
}
