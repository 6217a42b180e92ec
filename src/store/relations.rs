//! The `relations` table: links between articles (read-also from dumps;
//! same-story and similar computed at import).

mod links;

pub use links::*;

use crate::store::{Conn, per_backend};
use sqlx::QueryBuilder;

use super::Result;

/// The kinds of relation, in the order pages and the API list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelationKind {
    ReadAlso,
    SameStory,
    Similar,
}

impl RelationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::ReadAlso => "read_also",
            RelationKind::SameStory => "same_story",
            RelationKind::Similar => "similar",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "read_also" => Some(RelationKind::ReadAlso),
            "same_story" => Some(RelationKind::SameStory),
            "similar" => Some(RelationKind::Similar),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub article_id: i64,
    pub other_id: i64,
    pub kind: RelationKind,
    pub score: f64,
    /// `similar`: the names both share, joined by U+001F (see migration 0006).
    pub reason: Option<String>,
}

/// Inserts relations that do not exist yet; returns how many were new.
#[per_backend]
pub async fn add(conn: &mut Conn, rows: &[Relation]) -> Result<u64> {
    let mut added = 0;
    for chunk in super::chunks::statement_sized(rows, 1000) {
        // Every caller's transaction ends on an error (see `insert_many`).
        let mut q = QueryBuilder::new(format!(
            "{} relations (article_id, other_id, kind, score, reason) ",
            super::dialect::insert_many(&*conn)
        ));
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.article_id)
                .push_bind(r.other_id)
                .push_bind(r.kind.as_str())
                .push_bind(r.score)
                .push_bind(r.reason.as_deref());
        });
        q.push(" ON CONFLICT DO NOTHING");
        added += q.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(added)
}

/// Removes the relations of one kind that start at `article_id`.
#[per_backend]
pub async fn clear_from(conn: &mut Conn, article_id: i64, kind: RelationKind) -> Result<()> {
    sqlx::query("DELETE FROM relations WHERE article_id = $1 AND kind = $2")
        .bind(article_id)
        .bind(kind.as_str())
        .execute(conn)
        .await?;
    Ok(())
}
