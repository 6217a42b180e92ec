//! The import report: counts, rejections and warnings of one import run,
//! as `import --json`, `POST /api/imports` and `/imports/{id}` give it.

use serde::{Deserialize, Serialize};

use crate::dump::Reject;
use crate::quoted::Quoted;

/// At most this many new articles are listed by name in a report; the
/// count is always complete.
pub const LISTED_NEW_ARTICLES: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub import_id: i64,
    /// Every file and archive member read (a JSONL file counts once).
    pub files: u64,
    pub articles_new: u64,
    pub articles_enriched: u64,
    pub articles_duplicate: u64,
    /// Articles left out because they were taken down before (a takedown
    /// outlasts re-importing the dump that brought the article).
    #[serde(default)]
    pub articles_removed_earlier: u64,
    /// Relations added by this import (read-also links from the dumps,
    /// and computed ones once relations are on).
    pub related_links: u64,
    pub rejected: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// The first new articles, to link from the report page.
    #[serde(default)]
    pub new_articles: Vec<ArticleLink>,
    /// Why the run stopped early, when it failed as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A file, archive member or JSONL line that was rejected or warned about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    pub reason: String,
    /// Stable machine code of the reason (`binary`, `empty`, `date`, ...).
    #[serde(default)]
    pub code: String,
}

impl Problem {
    pub fn rejected(file: impl Into<String>, reason: &Reject) -> Problem {
        Problem {
            file: file.into(),
            reason: reason.to_string(),
            code: reason.code().to_owned(),
        }
    }

    pub fn warning(file: impl Into<String>, reason: impl Into<String>) -> Problem {
        Problem {
            file: file.into(),
            reason: reason.into(),
            code: "warning".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleLink {
    pub id: String,
    pub url: String,
    pub title: String,
}

impl Report {
    /// Articles stored or confirmed by this run.
    pub fn articles_seen(&self) -> u64 {
        self.articles_new + self.articles_enriched + self.articles_duplicate
    }

    /// A one-screen summary for the terminal.
    pub fn summary(&self, max_problems: usize) -> String {
        let mut out = format!(
            "import #{}: {} files read; articles: {} new, {} enriched, {} duplicate, {} removed earlier; {} related links; {} rejected, {} warnings\n",
            self.import_id,
            self.files,
            self.articles_new,
            self.articles_enriched,
            self.articles_duplicate,
            self.articles_removed_earlier,
            self.related_links,
            self.rejected.len(),
            self.warnings.len()
        );
        for (label, list) in [("rejected", &self.rejected), ("warning", &self.warnings)] {
            for p in list.iter().take(max_problems) {
                // Names and reasons come from dumps: quoted, so they
                // cannot forge a line of the log this summary goes to.
                out.push_str(&format!(
                    "  {label}: {}: {}\n",
                    Quoted(&p.file),
                    Quoted(&p.reason)
                ));
            }
            if list.len() > max_problems {
                out.push_str(&format!(
                    "  … and {} more (--json lists all)\n",
                    list.len() - max_problems
                ));
            }
        }
        out
    }
}
