//! Static files: served by tower-http from `static/`, linked with a content
//! hash in the URL (`/static/app.css?v=3fa1…`), so browsers may keep them
//! for a year and still see every change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Versioned URLs of the static files the templates link.
#[derive(Debug, Clone)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub font_arabic: String,
    pub font_arabic_bold: String,
    pub font_latin: String,
    pub font_latin_bold: String,
}

impl Assets {
    /// Hashes every linked file under `dir`; a missing file is linked
    /// unversioned (and logged), so a broken install still serves pages.
    pub fn load(dir: &Path) -> Assets {
        let mut versions = HashMap::new();
        Self::linking(|file| {
            let version = versions
                .entry(file.to_owned())
                .or_insert_with(|| match std::fs::read(dir.join(file)) {
                    Ok(bytes) => hex8(&Sha256::digest(&bytes)),
                    Err(err) => {
                        tracing::warn!(file, %err, "static file missing");
                        String::new()
                    }
                })
                .clone();
            format!("/static/{file}?v={version}")
        })
    }

    /// Links without versions, for error pages in processes that never
    /// installed the real ones (tests).
    pub fn unversioned() -> Assets {
        Self::linking(|file| format!("/static/{file}"))
    }

    /// The assets, each linked by `url(file)`.
    fn linking(mut url: impl FnMut(&str) -> String) -> Assets {
        Assets {
            css: url("app.css"),
            js: url("app.js"),
            font_arabic: url("fonts/noto-naskh-arabic-arabic-400-normal.woff2"),
            font_arabic_bold: url("fonts/noto-naskh-arabic-arabic-700-normal.woff2"),
            font_latin: url("fonts/noto-naskh-arabic-latin-400-normal.woff2"),
            font_latin_bold: url("fonts/noto-naskh-arabic-latin-700-normal.woff2"),
        }
    }
}

fn hex8(digest: &[u8]) -> String {
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// Where the static files are: `static/` in the working directory when it
/// exists (a checkout), else the one beside the sources this binary was
/// built from.
pub fn default_dir() -> PathBuf {
    let here = PathBuf::from("static");
    if here.join("app.css").exists() {
        here
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/static"))
    }
}
