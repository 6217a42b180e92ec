//! Folders of generated dump pages for the backup and disk-full tests:
//! distinct titles, Arabic words from a small list, deterministic.

use std::path::{Path, PathBuf};

const WORDS: &[&str] = &[
    "الحكومة",
    "الوزير",
    "الاقتصاد",
    "السوق",
    "النفط",
    "المدينة",
    "الشرطة",
    "المحكمة",
    "الرئيس",
    "البرلمان",
    "الانتخابات",
    "المدرسة",
    "الجامعة",
    "المستشفى",
    "الطقس",
    "الزراعة",
    "المياه",
    "الكهرباء",
    "الطريق",
    "القطار",
    "الميناء",
    "المطار",
    "الصحة",
];

/// Writes `count` pages for part `part` into `root/part<part>/` and
/// returns that folder.
pub fn part(root: &Path, part: usize, count: usize) -> PathBuf {
    let folder = root.join(format!("part{part}"));
    std::fs::create_dir_all(&folder).unwrap();
    let mut seed = (part as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut word = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        WORDS[(seed % WORDS.len() as u64) as usize]
    };
    for i in 0..count {
        let title: Vec<&str> = (0..6).map(|_| word()).collect();
        let body: Vec<String> = (0..4)
            .map(|_| (0..40).map(|_| word()).collect::<Vec<_>>().join(" ") + ".")
            .collect();
        let page = format!(
            "خبر {part}-{i}: {}\nتاريخ النشر: 2025-07-{:02}\n{}\nالمصدر: مصدر {}\nكلمات دلالية: {}",
            title.join(" "),
            1 + i % 28,
            body.join("\n"),
            i % 5,
            word()
        );
        std::fs::write(folder.join(format!("{i:04}_page.txt")), page).unwrap();
    }
    folder
}
