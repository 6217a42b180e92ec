//! Deterministic synthetic corpora of seed-format pages, for benchmarks and
//! tests: Arabic vocabulary, dated pages from many sources, read-also items
//! and stories republished by several sources. Same seed, same bytes.

mod rng;
mod vocabulary;
pub mod rewrites;
pub mod stories;

use std::io::Write;
use std::path::Path;

pub use rng::Rng;
pub use vocabulary::Vocabulary;

/// How many pages and of what kind.
#[derive(Debug, Clone)]
pub struct CorpusSpec {
    pub pages: usize,
    pub seed: u64,
    /// Share of pages that republish an earlier story (same identity).
    pub republish_share: f64,
}

impl CorpusSpec {
    pub fn new(pages: usize) -> CorpusSpec {
        CorpusSpec {
            pages,
            seed: 0x5eed_a2c4,
            republish_share: 0.1,
        }
    }
}

/// One news story: the same story may appear in several pages.
#[derive(Debug, Clone)]
pub struct Story {
    pub title: String,
    pub paragraphs: Vec<String>,
    /// The source that first published it (read-also items name it).
    pub source: &'static str,
}

const SOURCES: [&str; 24] = [
    "صدى البلد",
    "الثورة نت",
    "اليوم السابع",
    "الأهرام",
    "الشروق",
    "المصري اليوم",
    "الجزيرة نت",
    "العربية",
    "سكاي نيوز عربية",
    "الشرق الأوسط",
    "الرأي",
    "الغد",
    "النهار",
    "السفير",
    "الخليج",
    "البيان",
    "الوطن",
    "الرياض",
    "عكاظ",
    "هسبريس",
    "الشروق أونلاين",
    "الصباح",
    "القدس العربي",
    "روسيا اليوم",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// A generator of pages over one vocabulary.
pub struct Corpus<'v> {
    pub spec: CorpusSpec,
    vocabulary: &'v Vocabulary,
}

impl<'v> Corpus<'v> {
    pub fn new(spec: CorpusSpec, vocabulary: &'v Vocabulary) -> Corpus<'v> {
        Corpus { spec, vocabulary }
    }

    /// Story `n`: a pure function of the seed and `n`.
    pub fn story(&self, n: u64) -> Story {
        let mut rng = Rng::new(self.spec.seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let v = self.vocabulary;
        let title = v.sentence(&mut rng, 6, 12);
        let paragraphs = (0..rng.range(4, 9))
            .map(|_| {
                (0..rng.range(1, 4))
                    .map(|_| format!("{}.", v.sentence(&mut rng, 12, 30)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let source = SOURCES[rng.below(SOURCES.len() as u64) as usize];
        Story {
            title,
            paragraphs,
            source,
        }
    }

    /// File name and text of page `i`.
    pub fn page(&self, i: usize) -> (String, String) {
        let mut rng = Rng::new(
            self.spec
                .seed
                .wrapping_add(i as u64)
                .wrapping_mul(0xd6e8_feb8_6659_fd93),
        );
        let republished = i > 10 && rng.chance(self.spec.republish_share);
        let story = self.story(if republished {
            rng.below(i as u64)
        } else {
            i as u64
        });
        // A republication comes from another source than the original.
        let source = if republished {
            SOURCES[rng.below(SOURCES.len() as u64) as usize]
        } else {
            story.source
        };
        let mut text = String::with_capacity(8 << 10);
        text.push_str(&story.title);
        text.push('\n');
        if !rng.chance(0.03) {
            text.push_str(&format!("تاريخ النشر: {}\n", date_line(&mut rng)));
        }
        for p in &story.paragraphs {
            text.push_str(p);
            text.push('\n');
        }
        text.push_str(&format!("المصدر: {source}\n"));
        text.push_str(&format!(
            "كلمات دلالية: {}\n",
            self.tags_line(&mut rng, &story)
        ));
        let items = rng.range(0, 3);
        if items > 0 {
            text.push_str("إقرأ أيضاً:\n");
            for _ in 0..items {
                let item = self.story(rng.below(self.spec.pages as u64));
                text.push_str(&format!("{}\n{} /..\n", item.title, item.source));
                for p in item.paragraphs.iter().take(3) {
                    text.push_str(p);
                    text.push('\n');
                }
            }
        }
        let text = text.trim_end().to_owned();
        (format!("{:06}_{:016x}.txt", i, rng.next_u64()), text)
    }

    /// Tags: a few title words and body words, space-separated like the
    /// dumps (multi-word tags are rebuilt by the importer from the text).
    fn tags_line(&self, rng: &mut Rng, story: &Story) -> String {
        let words: Vec<&str> = story.title.split(' ').collect();
        let mut tags = Vec::new();
        for _ in 0..rng.range(2, 6) {
            let start = rng.below(words.len() as u64) as usize;
            let len = rng.range(1, 3).min(words.len() - start);
            tags.push(words[start..start + len].join(" "));
        }
        tags.join(" ")
    }

    /// Writes every page into a zip archive at `path`; returns the raw
    /// text bytes written (for size ratios).
    pub fn write_zip(&self, path: &Path) -> std::io::Result<u64> {
        let file = std::fs::File::create(path)?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        let mut raw = 0u64;
        for i in 0..self.spec.pages {
            let (name, text) = self.page(i);
            zip.start_file(format!("corpus/{name}"), options)
                .map_err(std::io::Error::other)?;
            zip.write_all(text.as_bytes())?;
            raw += text.len() as u64;
        }
        zip.finish().map_err(std::io::Error::other)?;
        Ok(raw)
    }

    /// Writes every page as a `.txt` file into the folder `dir`.
    pub fn write_dir(&self, dir: &Path) -> std::io::Result<u64> {
        std::fs::create_dir_all(dir)?;
        let mut raw = 0u64;
        for i in 0..self.spec.pages {
            let (name, text) = self.page(i);
            std::fs::write(dir.join(name), &text)?;
            raw += text.len() as u64;
        }
        Ok(raw)
    }
}

/// A publication date in one of the forms dumps use.
fn date_line(rng: &mut Rng) -> String {
    let year = 2015 + rng.below(11);
    let month = rng.below(12) as usize;
    let day = 1 + rng.below(28);
    match rng.below(10) {
        0 => format!("{year}-{:02}-{day:02}", month + 1),
        1 => format!("{day} {} {year}", MONTHS_AR[month]),
        2 => format!(
            "{year}-{:02}-{day:02}T{:02}:{:02}:00Z",
            month + 1,
            rng.below(24),
            rng.below(60)
        ),
        _ => {
            format!("{day}{} {}, {year} GMT", ordinal(day), MONTHS_EN[month]).replacen(' ', ", ", 0)
        }
    }
    .replace(" ,", ",")
    .replacen(
        &format!("{day}{} ", ordinal(day)),
        &format!("{day}{}, ", ordinal(day)),
        1,
    )
}

fn ordinal(day: u64) -> &'static str {
    match day {
        1 | 21 | 31 => "st",
        2 | 22 => "nd",
        3 | 23 => "rd",
        _ => "th",
    }
}
