//! Behaviours under the import limits: bombs, oversize members, member
//! counts and total expansion. Bombs are built streaming, so the tests
//! hold only the compressed bytes.

use super::*;
use std::io::{self, Read};

const MIB: u64 = 1 << 20;

/// A zip whose first member is `zeros` bytes of zeros, deflated as they
/// are written, followed by a small `ok.txt`.
fn zip_with_zeros(name: &str, zeros: u64) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file(name, options).unwrap();
    io::copy(&mut io::repeat(0).take(zeros), &mut writer).unwrap();
    writer.start_file("ok.txt", options).unwrap();
    writer.write_all(b"ok").unwrap();
    writer.finish().unwrap().into_inner()
}

fn reasons(events: &[Event]) -> Vec<&Reject> {
    events
        .iter()
        .filter_map(|e| {
            if let Event::Rejected { reason, .. } = e {
                Some(reason)
            } else {
                None
            }
        })
        .collect()
}

#[test]
fn rejects_zip_bomb_member_and_keeps_its_sibling() {
    let zip = zip_with_zeros("bomb.txt", 200 * MIB);
    assert!(zip.len() < 2 * MIB as usize);
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "reject x.zip!/bomb.txt ratio_too_high",
            "read",
            "doc x.zip!/ok.txt"
        ]
    );
    assert!(
        matches!(reasons(&events)[0], Reject::RatioTooHigh { ratio, limit: 100 } if *ratio > 100)
    );
}

#[test]
fn stops_zip_member_whose_header_lies_at_its_declared_size() {
    let mut zip = zip_with_zeros("liar.txt", 20 * MIB);
    // Declare 1000 bytes expanded in the local header (size at 22) and in
    // the central directory entry (size at 24): the precheck passes, and
    // the zip reader refuses to expand past the declared size.
    zip[22..26].copy_from_slice(&1000u32.to_le_bytes());
    let central = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    zip[central + 24..central + 28].copy_from_slice(&1000u32.to_le_bytes());
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "reject x.zip!/liar.txt bad_archive",
            "read",
            "doc x.zip!/ok.txt"
        ]
    );
    let Reject::BadArchive(why) = reasons(&events)[0] else {
        unreachable!()
    };
    assert!(why.contains("declared"), "{why}");
}

#[test]
fn rejects_tar_gz_bomb_member_while_it_expands_and_keeps_the_next() {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(encoder);
    for (name, size) in [("bomb.txt", 20 * MIB), ("ok.txt", 2)] {
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, name, io::repeat(0).take(size))
            .unwrap();
    }
    let tgz = builder.into_inner().unwrap().finish().unwrap();
    let events = walk_bytes("x.tgz", &tgz, &Limits::default());
    assert_eq!(
        summary(&events),
        [
            "read",
            "reject x.tgz!/bomb.txt ratio_too_high",
            "read",
            "doc x.tgz!/ok.txt"
        ]
    );
}

#[test]
fn takes_compressible_member_below_the_ratio_floor() {
    let zip = zip_with_zeros("spaces.txt", MIB / 2);
    let events = walk_bytes("x.zip", &zip, &Limits::default());
    assert_eq!(
        summary(&events),
        ["read", "doc x.zip!/spaces.txt", "read", "doc x.zip!/ok.txt"]
    );
}

#[test]
fn rejects_oversize_zip_member_by_declared_size() {
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let zip = zip_bytes(&[("big.txt", &[b'a'; 11]), ("small.txt", b"s")]);
    let events = walk_bytes("x.zip", &zip, &limits);
    assert_eq!(
        summary(&events),
        [
            "read",
            "reject x.zip!/big.txt too_large",
            "read",
            "doc x.zip!/small.txt"
        ]
    );
    assert_eq!(
        reasons(&events),
        [&Reject::TooLarge {
            size: 11,
            limit: 10
        }]
    );
}

#[test]
fn rejects_oversize_tar_member_by_header_size() {
    let limits = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let tar = tar_bytes(&[("big.txt", &[b'a'; 11]), ("small.txt", b"s")]);
    let events = walk_bytes("x.tar", &tar, &limits);
    assert_eq!(
        summary(&events),
        [
            "read",
            "reject x.tar!/big.txt too_large",
            "read",
            "doc x.tar!/small.txt"
        ]
    );
}

#[test]
fn rejects_zip_with_too_many_members_whole() {
    let limits = Limits {
        max_archive_members: 3,
        ..Limits::default()
    };
    let names = ["1.txt", "2.txt", "3.txt", "4.txt", "5.txt"];
    let zip = zip_bytes(&names.map(|n| (n, b"x".as_slice())));
    let events = walk_bytes("x.zip", &zip, &limits);
    assert_eq!(
        events,
        [Event::Rejected {
            name: "x.zip".into(),
            reason: Reject::TooManyMembers { limit: 3 }
        }]
    );
}

#[test]
fn rejects_the_rest_of_a_tar_past_its_member_count() {
    let limits = Limits {
        max_archive_members: 3,
        ..Limits::default()
    };
    let names = ["1.txt", "2.txt", "3.txt", "4.txt", "5.txt"];
    let tar = tar_bytes(&names.map(|n| (n, b"x".as_slice())));
    let events = walk_bytes("x.tar", &tar, &limits);
    let expected = [
        "read",
        "doc x.tar!/1.txt",
        "read",
        "doc x.tar!/2.txt",
        "read",
        "doc x.tar!/3.txt",
    ];
    assert_eq!(summary(&events)[..6], expected);
    assert_eq!(summary(&events)[6..], ["reject x.tar too_many_members"]);
}

#[test]
fn stops_a_zip_past_its_total_expanded_limit() {
    let limits = Limits {
        max_archive_expanded_bytes: 250,
        ..Limits::default()
    };
    let page = [b'p'; 100];
    let zip = zip_bytes(&[
        ("a.txt", &page),
        ("b.txt", &page),
        ("c.txt", &page),
        ("d.txt", &page),
    ]);
    let events = walk_bytes("x.zip", &zip, &limits);
    let expected = [
        "read",
        "doc x.zip!/a.txt",
        "read",
        "doc x.zip!/b.txt",
        "read",
        "reject x.zip archive_too_large",
    ];
    assert_eq!(summary(&events), expected);
}

#[test]
fn stops_a_tar_gz_past_its_total_expanded_limit() {
    let limits = Limits {
        max_archive_expanded_bytes: 2500,
        ..Limits::default()
    };
    let page = [b'p'; 100];
    let tgz = gzip(&tar_bytes(&[
        ("a.txt", &page),
        ("b.txt", &page),
        ("c.txt", &page),
        ("d.txt", &page),
    ]));
    let events = walk_bytes("x.tgz", &tgz, &limits);
    let got = summary(&events);
    assert_eq!(got[..2], ["read", "doc x.tgz!/a.txt"]);
    assert_eq!(got.last().unwrap(), "reject x.tgz archive_too_large");
    assert!(
        !got.iter()
            .any(|e| e.contains("c.txt") || e.contains("d.txt")),
        "{got:?}"
    );
}
