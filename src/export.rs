//! The export schema of `interfaces.md`: one article as the JSONL export
//! and `/api/articles` give it, made from what `store::export` reads (the
//! URL from `urls`, the paragraphs from the stored body).

use crate::store::Conn;
use serde::Serialize;

use crate::store::{self, export::ExportRow};
use crate::urls;

/// One article, exactly the documented export shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportArticle {
    pub id: String,
    pub url: String,
    pub title: String,
    pub published: Option<String>,
    pub published_raw: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub paragraphs: Vec<String>,
    pub related: Vec<ExportRelation>,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportRelation {
    pub id: String,
    pub relation: String,
}

impl From<ExportRow> for ExportArticle {
    fn from(row: ExportRow) -> ExportArticle {
        ExportArticle {
            url: urls::article(&row.permalink, &row.slug),
            id: row.permalink,
            title: row.title,
            published: row.published,
            published_raw: row.published_raw,
            source: row.source,
            tags: row.tags,
            paragraphs: row.body.lines().map(str::to_owned).collect(),
            related: row
                .related
                .into_iter()
                .map(|(id, relation)| ExportRelation { id, relation })
                .collect(),
            files: row.files,
        }
    }
}

/// Up to `limit` articles whose permalink sorts after `after`.
pub async fn page_after(
    conn: &mut Conn,
    after: &str,
    limit: i64,
) -> store::Result<Vec<ExportArticle>> {
    let rows = store::export::page_after(conn, after, limit).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One article by permalink.
pub async fn by_permalink(
    conn: &mut Conn,
    permalink: &str,
) -> store::Result<Option<ExportArticle>> {
    let row = store::export::by_permalink(conn, permalink).await?;
    Ok(row.map(Into::into))
}
