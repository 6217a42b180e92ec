//! Deleting articles and original files (takedowns, undone imports): the
//! article rows go with everything that hangs off them (tags, further
//! sources, provenance, sketches: `ON DELETE CASCADE`; relations: the
//! trigger of migration 0016), and the counts the importer keeps (sources,
//! tags, days, the archive's total) are taken down by what left, in the
//! same transaction.

use crate::dispatch;
use crate::store::dialect;
use crate::store::{Conn, per_backend};
use std::collections::HashMap;

use super::names::{self, NameTable};
use super::relating::by_ids;
use super::{Result, day_counts, json_ids, search, settings};

/// Settings keys: the highest article id ever handed out (an id is never
/// given again, even once its article is gone), and how many articles were
/// deleted, so the archive's total stays one index lookup (`lists::totals`).
pub const IDS_USED_KEY: &str = "article_ids_used";
pub const DELETED_KEY: &str = "articles_deleted";

/// What a removal needs to know of an article before its row goes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Doomed {
    pub id: i64,
    pub permalink: String,
    pub identity: Vec<u8>,
    pub title: String,
    pub sort_key: String,
    pub source_id: Option<i64>,
    pub created_import: i64,
}

const DOOMED: &str = "SELECT id, permalink, identity, title, sort_key, source_id, created_import \
    FROM articles ";

/// The articles at `permalinks` (those that exist), in id order.
#[per_backend]
pub async fn by_permalinks(conn: &mut Conn, permalinks: &[String]) -> Result<Vec<Doomed>> {
    let list = serde_json::to_string(permalinks).expect("strings serialize");
    let texts = dialect::text_list(&*conn, 1);
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{DOOMED} WHERE permalink IN (SELECT value FROM {texts}) ORDER BY id"
    )))
    .bind(list)
    .fetch_all(conn)
    .await?)
}

/// The articles with ids `ids` (those that exist), in id order.
pub async fn by_ids_doomed(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Doomed>> {
    let mut rows: Vec<Doomed> = by_ids(conn, &format!("{DOOMED} WHERE id IN ("), ")", ids).await?;
    rows.sort_by_key(|d| d.id);
    Ok(rows)
}

/// (file, position) of every provenance link of each article.
pub async fn provenance(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Vec<(i64, i64)>>> {
    let rows: Vec<(i64, i64, i64)> = by_ids(
        conn,
        "SELECT article_id, file_id, position FROM article_files WHERE article_id IN (",
        ") ORDER BY article_id, file_id, position",
        ids,
    )
    .await?;
    let mut out: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for (article, file, position) in rows {
        out.entry(article).or_default().push((file, position));
    }
    Ok(out)
}

/// The files in which any of `ids` is the page itself (position 0): the
/// originals a takedown deletes.
pub async fn page_files(conn: &mut Conn, ids: &[i64]) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = by_ids(
        conn,
        "SELECT DISTINCT file_id FROM article_files WHERE position = 0 AND article_id IN (",
        ") ORDER BY file_id",
        ids,
    )
    .await?;
    Ok(rows.into_iter().map(|(f,)| f).collect())
}

/// Embedded articles (read-also items) that only `files` brought: once the
/// files go, nothing in the archive says them any more.
#[per_backend]
pub async fn only_from(conn: &mut Conn, files: &[i64]) -> Result<Vec<i64>> {
    let files_sql = dialect::id_list(&*conn, 1);
    let rows: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT af.article_id FROM article_files af \
         JOIN articles a ON a.id = af.article_id AND a.embedded \
         WHERE af.file_id IN (SELECT value FROM {files_sql}) AND NOT EXISTS \
         (SELECT 1 FROM article_files o WHERE o.article_id = af.article_id \
          AND o.file_id NOT IN (SELECT value FROM {files_sql})) ORDER BY 1",
    )))
    .bind(json_ids(files))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Deletes the original files `files` and every provenance link to them.
#[per_backend]
pub async fn delete_files(conn: &mut Conn, files: &[i64]) -> Result<()> {
    for chunk in files.chunks(1000) {
        let list = json_ids(chunk);
        let ids = dialect::id_list(&*conn, 1);
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM article_files WHERE file_id IN (SELECT value FROM {ids})"
        )))
        .bind(&list)
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM removed_article_files WHERE file_id IN (SELECT value FROM {ids})"
        )))
        .bind(&list)
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM files WHERE id IN (SELECT value FROM {ids})"
        )))
        .bind(&list)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes the articles `doomed` and takes their share out of every count,
/// inside the caller's transaction; the search index follows through its
/// change log. The caller has taken them out of the relating engine first.
pub async fn delete_articles(conn: &mut Conn, doomed: &[Doomed]) -> Result<()> {
    if doomed.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = doomed.iter().map(|d| d.id).collect();
    let mut sources: HashMap<i64, i64> = HashMap::new();
    let mut days: HashMap<String, i64> = HashMap::new();
    for d in doomed {
        if let Some(source) = d.source_id {
            *sources.entry(source).or_default() -= 1;
        }
        if let Some(day) = d.sort_key.get(..10).filter(|_| !d.sort_key.is_empty()) {
            *days.entry(day.to_owned()).or_default() -= 1;
        }
    }
    let tag_rows: Vec<(i64, i64)> = by_ids(
        conn,
        "SELECT tag_id, -count(*) FROM article_tags WHERE article_id IN (",
        ") GROUP BY tag_id",
        &ids,
    )
    .await?;
    let tags: HashMap<i64, i64> = tag_rows.into_iter().collect();
    names::add_counts(conn, NameTable::Sources, &sources).await?;
    names::add_counts(conn, NameTable::Tags, &tags).await?;
    day_counts::add(conn, &days).await?;
    dispatch!(conn, |c| {
        sqlx::query("DELETE FROM day_counts WHERE article_count <= 0")
            .execute(c)
            .await
            .map(drop)
    })?;
    remember_ids(conn, ids.len() as i64).await?;
    search::log_changes(conn, &ids).await?;
    for chunk in ids.chunks(1000) {
        dispatch!(conn, |c| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM articles WHERE id IN (SELECT value FROM {})",
                dialect::id_list(&*c, 1)
            )))
            .bind(json_ids(chunk))
            .execute(c)
            .await
            .map(drop)
        })?;
    }
    Ok(())
}

/// Records the highest id handed out so far, before rows go (so the next
/// new article never takes a deleted one's id), and counts the deleted.
async fn remember_ids(conn: &mut Conn, deleted: i64) -> Result<()> {
    let highest = super::articles::max_id(conn).await?;
    settings::set(conn, IDS_USED_KEY, &highest.to_string()).await?;
    let before: i64 = settings::get(conn, DELETED_KEY)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    settings::set(conn, DELETED_KEY, &(before + deleted).to_string()).await
}

/// An article that an import's files hold, with the other imports whose
/// files hold it too (comma-separated ids; `None`: no other import).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Supplied {
    pub id: i64,
    pub others: Option<String>,
}

/// Every article the files of import `import_id` hold, in id order.
#[per_backend]
pub async fn supplied_by(conn: &mut Conn, import_id: i64) -> Result<Vec<Supplied>> {
    let others = dialect::distinct_joined(&*conn, "g.import_id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT af.article_id AS id, (SELECT {others} \
           FROM article_files o JOIN files g ON g.id = o.file_id \
           WHERE o.article_id = af.article_id AND g.import_id <> $1) AS others \
         FROM files f JOIN article_files af ON af.file_id = f.id \
         WHERE f.import_id = $1 GROUP BY af.article_id ORDER BY af.article_id",
    )))
    .bind(import_id)
    .fetch_all(conn)
    .await?)
}

/// The files of import `import_id`, in id order.
#[per_backend]
pub async fn files_of_import(conn: &mut Conn, import_id: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM files WHERE import_id = $1 ORDER BY id")
        .bind(import_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The files of other imports than `import_id` that hold any of `ids`,
/// in id order (the order a reparse reads them in).
#[per_backend]
pub async fn other_files(conn: &mut Conn, ids: &[i64], import_id: i64) -> Result<Vec<i64>> {
    let mut files: Vec<i64> = Vec::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT o.file_id FROM article_files o JOIN files f ON f.id = o.file_id \
             WHERE o.article_id IN (SELECT value FROM {}) AND f.import_id <> $2",
            dialect::id_list(&*conn, 1)
        )))
        .bind(json_ids(chunk))
        .bind(import_id)
        .fetch_all(&mut *conn)
        .await?;
        files.extend(rows.into_iter().map(|(f,)| f));
    }
    files.sort_unstable();
    files.dedup();
    Ok(files)
}

#[cfg(test)]
mod tests {
    /// Deleting an article runs one lookup per foreign key that names it
    /// (`ON DELETE CASCADE`) and per column its triggers delete by.
    /// Without an index led by that column, each lookup reads the whole
    /// child table: a takedown of 10,000 articles of a 100k archive then
    /// takes most of an hour (it did, before migration 0014). Partial
    /// indexes do not count: the cascade's lookup has no `WHERE` to match
    /// them. A table's own single-column key (its rowid or primary key)
    /// serves as well.
    #[tokio::test]
    async fn every_column_naming_an_article_is_indexed_for_the_cascade() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::store::Db::open(&dir.path().join("a.db"))
            .await
            .unwrap();
        // SQLite's catalogue; PostgreSQL's schema is checked against it
        // in tests/postgres.rs.
        let mut conn = db.write.as_sqlite().unwrap().acquire().await.unwrap();
        let mut children: Vec<(String, String)> = sqlx::query_as(
            "SELECT m.name, f.\"from\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table' AND f.\"table\" = 'articles' ORDER BY 1, 2",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert!(children.len() >= 5, "{children:?}");
        // `relations` follows its articles by a trigger (migration 0016)
        // that deletes by either end: the same lookups.
        children.extend(
            [("relations", "article_id"), ("relations", "other_id")]
                .map(|(t, c)| (t.to_owned(), c.to_owned())),
        );
        let mut unindexed = Vec::new();
        for (table, column) in &children {
            let leading: Vec<(String,)> = sqlx::query_as(
                "SELECT i.name FROM pragma_index_list(?1) l, pragma_index_info(l.name) i \
                 WHERE l.partial = 0 AND i.seqno = 0",
            )
            .bind(table)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            let (rowid_key,): (bool,) = sqlx::query_as(
                "SELECT count(*) = 1 AND sum(name = ?2) = 1 FROM pragma_table_info(?1) WHERE pk > 0",
            )
            .bind(table)
            .bind(column)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            if !rowid_key && !leading.iter().any(|(c,)| c == column) {
                unindexed.push(format!("{table}.{column}"));
            }
        }
        assert!(unindexed.is_empty(), "no index leads with {unindexed:?}");
    }
}
