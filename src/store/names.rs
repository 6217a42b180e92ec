//! The `sources` and `tags` tables: named things keyed by their normalized
//! name, with an article count the importer keeps current.

use crate::store::{Conn, per_backend};
use std::collections::HashMap;

use sqlx::{AssertSqlSafe, QueryBuilder};

use super::Result;

/// Which of the two name tables. Table names cannot be bound as
/// parameters, so they come only from this closed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameTable {
    Sources,
    Tags,
}

impl NameTable {
    pub fn table(self) -> &'static str {
        match self {
            NameTable::Sources => "sources",
            NameTable::Tags => "tags",
        }
    }
}

/// A name to create: its id (handed out by the importer), key and spelling.
#[derive(Debug, Clone)]
pub struct NewName {
    pub id: i64,
    pub key: String,
    pub name: String,
}

/// Ids of the names whose key is among `keys`.
#[per_backend]
pub async fn ids_by_key(
    conn: &mut Conn,
    table: NameTable,
    keys: &[String],
) -> Result<HashMap<String, i64>> {
    let mut ids = HashMap::new();
    for chunk in keys.chunks(1000) {
        let mut q = QueryBuilder::new(format!(
            "SELECT key, id FROM {} WHERE key IN (",
            table.table()
        ));
        let mut list = q.separated(", ");
        for key in chunk {
            list.push_bind(key.clone());
        }
        q.push(")");
        let rows: Vec<(String, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
        ids.extend(rows);
    }
    Ok(ids)
}

/// The highest id in use in `table` (0 when empty).
#[per_backend]
pub async fn max_id(conn: &mut Conn, table: NameTable) -> Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {}", table.table());
    let (id,): (i64,) = sqlx::query_as(AssertSqlSafe(sql)).fetch_one(conn).await?;
    Ok(id)
}

#[per_backend]
pub async fn insert(conn: &mut Conn, table: NameTable, rows: &[NewName]) -> Result<()> {
    for chunk in rows.chunks(1000) {
        let mut q = QueryBuilder::new(format!("INSERT INTO {} (id, key, name) ", table.table()));
        q.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.key.clone())
                .push_bind(r.name.clone());
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds `counts` (id → articles gained) to the names' article counts, in
/// one statement: the importer knows what it added, so counts never have to
/// be recomputed from the (growing) link tables.
#[per_backend]
pub async fn add_counts(
    conn: &mut Conn,
    table: NameTable,
    counts: &HashMap<i64, i64>,
) -> Result<()> {
    let rows: Vec<(i64, i64)> = counts.iter().map(|(&id, &n)| (id, n)).collect();
    for chunk in rows.chunks(1000) {
        let mut q = QueryBuilder::new("WITH delta(id, n) AS (");
        q.push_values(chunk, |mut b, (id, n)| {
            b.push_bind(*id).push_bind(*n);
        });
        q.push(format!(
            ") UPDATE {0} SET article_count = article_count + delta.n FROM delta \
             WHERE {0}.id = delta.id",
            table.table()
        ));
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Recomputes every article count of `table`.
#[per_backend]
pub async fn recount_all(conn: &mut Conn, table: NameTable) -> Result<()> {
    let sql = match table {
        NameTable::Sources => {
            "UPDATE sources SET article_count = (SELECT COUNT(*) FROM articles WHERE source_id = sources.id)"
        }
        NameTable::Tags => {
            "UPDATE tags SET article_count = (SELECT COUNT(*) FROM article_tags WHERE tag_id = tags.id)"
        }
    };
    sqlx::query(sql).execute(conn).await?;
    Ok(())
}
