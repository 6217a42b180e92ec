//! A whole archive from one database into another, either backend to
//! either (`arshif copy`): every table of [`TABLES`] streamed from one
//! consistent snapshot of the source, written in batches of a few hundred
//! rows, one transaction each, ids as they were; then PostgreSQL's
//! identity sequences set past the copied ids. Memory holds one batch.

mod tables;

use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, ColumnIndex, Decode, Row, Type};

pub use tables::{Kind, NOT_COPIED, TABLES, Table, table};

use super::{Backend, Conn, Db, Pool, StoreError, per_backend};

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(
        "the target already holds an archive ({rows} rows in its table {table}): \
         copy only into a new, empty database"
    )]
    TargetNotEmpty { table: &'static str, rows: i64 },
    #[error(
        "copying the table {table} failed: {source} (the target is left part-copied: \
         delete it, or drop and create the database again, before copying again)"
    )]
    Table {
        table: &'static str,
        source: StoreError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CopyError {
    fn from(err: sqlx::Error) -> Self {
        CopyError::Store(err.into())
    }
}

/// Rows of one table copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: &'static str,
    pub rows: u64,
}

/// Reports `(table, rows copied, rows in the source)` as the copy goes.
pub type Progress<'a> = &'a (dyn Fn(&'static str, u64, u64) + Sync);

/// One column's value, as neither backend in particular stores it.
#[derive(Debug)]
enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
    Flag(Option<bool>),
}

impl Value {
    fn size(&self) -> usize {
        match self {
            Value::Text(Some(text)) => text.len(),
            Value::Bytes(Some(bytes)) => bytes.len(),
            _ => 8,
        }
    }
}

/// Rows per INSERT (and per transaction): few enough for SQLite's limit
/// on parameters, and a batch of originals stays a few megabytes.
const BATCH_ROWS: usize = 500;
/// A batch is written early once its values hold this many bytes.
const BATCH_BYTES: usize = 8 << 20;

/// Copies the archive in `from` into `to`, which must hold no archive yet
/// (its schema is already migrated: [`Db::open`] does that). The target's
/// own administrator account (made by its migrations) gives way to the
/// source's accounts.
pub async fn copy(from: &Db, to: &Db, progress: Progress<'_>) -> Result<Vec<Copied>, CopyError> {
    prepare_target(&mut *to.write.acquire().await?).await?;
    let mut source = from.read.begin().await?;
    snapshot(&mut source).await?;
    let mut copied = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let total = count(&mut source, table).await?;
        progress(table.name, 0, total);
        let rows = copy_table(&mut source, &to.write, table, &|done| {
            progress(table.name, done, total)
        })
        .await
        .map_err(|source| CopyError::Table {
            table: table.name,
            source,
        })?;
        copied.push(Copied {
            table: table.name,
            rows,
        });
    }
    source.rollback().await?;
    advance_identities(&mut *to.write.acquire().await?).await?;
    Ok(copied)
}

/// Refuses a target that holds anything but what its migrations put there,
/// then removes its seeded administrator.
#[per_backend]
async fn prepare_target(conn: &mut Conn) -> Result<(), CopyError> {
    for table in TABLES
        .iter()
        .filter(|t| !matches!(t.name, "settings" | "users"))
    {
        let sql = format!("SELECT count(*) FROM {}", table.name);
        let (rows,): (i64,) = sqlx::query_as(AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
        if rows > 0 {
            return Err(CopyError::TargetNotEmpty {
                table: table.name,
                rows,
            });
        }
    }
    let (users,): (i64,) = sqlx::query_as("SELECT count(*) FROM users WHERE name <> 'admin'")
        .fetch_one(&mut *conn)
        .await?;
    if users > 0 {
        return Err(CopyError::TargetNotEmpty {
            table: "users",
            rows: users + 1,
        });
    }
    sqlx::query("DELETE FROM users").execute(&mut *conn).await?;
    Ok(())
}

/// Makes the source's transaction read one snapshot for every table (on
/// SQLite a read transaction already does; PostgreSQL's default reads a
/// new one per statement).
async fn snapshot(conn: &mut Conn) -> Result<(), sqlx::Error> {
    if let Backend::Postgres(conn) = conn.backend() {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(conn)
            .await?;
    }
    Ok(())
}

#[per_backend]
async fn count(conn: &mut Conn, table: &Table) -> Result<u64, sqlx::Error> {
    let sql = format!("SELECT count(*) FROM {} WHERE {}", table.name, table.rows);
    let (rows,): (i64,) = sqlx::query_as(AssertSqlSafe(sql)).fetch_one(conn).await?;
    Ok(rows.max(0) as u64)
}

/// Streams one table out of `source` into `target`, a batch at a time.
#[per_backend]
async fn copy_table(
    source: &mut Conn,
    target: &Pool,
    table: &Table,
    done: &(dyn Fn(u64) + Sync),
) -> Result<u64, StoreError> {
    let sql = select_rows(table);
    let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(source);
    let (mut batch, mut bytes, mut copied) = (Vec::new(), 0, 0u64);
    while let Some(row) = rows.try_next().await? {
        let values = decode(&row, table.columns)?;
        bytes += values.iter().map(Value::size).sum::<usize>();
        batch.push(values);
        if batch.len() == BATCH_ROWS || bytes >= BATCH_BYTES {
            copied += write(target, table, &batch).await?;
            done(copied);
            (batch, bytes) = (Vec::new(), 0);
        }
    }
    if !batch.is_empty() {
        copied += write(target, table, &batch).await?;
        done(copied);
    }
    Ok(copied)
}

/// One row's values, read as `columns` say.
fn decode<'r, R>(row: &'r R, columns: &[(&str, Kind)]) -> Result<Vec<Value>, sqlx::Error>
where
    R: Row,
    usize: ColumnIndex<R>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
    f64: Decode<'r, R::Database> + Type<R::Database>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    Vec<u8>: Decode<'r, R::Database> + Type<R::Database>,
    bool: Decode<'r, R::Database> + Type<R::Database>,
{
    let mut values = Vec::with_capacity(columns.len());
    for (i, (_, kind)) in columns.iter().enumerate() {
        values.push(match kind {
            Kind::Int => Value::Int(row.try_get(i)?),
            Kind::Real => Value::Real(row.try_get(i)?),
            Kind::Text => Value::Text(row.try_get(i)?),
            Kind::Bytes => Value::Bytes(row.try_get(i)?),
            Kind::Flag => Value::Flag(row.try_get(i)?),
        });
    }
    Ok(values)
}

/// Inserts `rows` into `table` in one statement and one transaction.
async fn write(target: &Pool, table: &Table, rows: &[Vec<Value>]) -> Result<u64, StoreError> {
    let mut tx = target.begin_writing().await?;
    insert(&mut tx, table, rows).await?;
    tx.commit().await?;
    Ok(rows.len() as u64)
}

#[per_backend]
async fn insert(conn: &mut Conn, table: &Table, rows: &[Vec<Value>]) -> Result<(), StoreError> {
    let width = table.columns.len();
    let tuples: Vec<String> = (0..rows.len())
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {} {}",
        table.name,
        names.join(", "),
        tuples.join(", "),
        table.on_conflict
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for value in rows.iter().flatten() {
        query = match value {
            Value::Int(v) => query.bind(*v),
            Value::Real(v) => query.bind(*v),
            Value::Text(v) => query.bind(v.as_deref()),
            Value::Bytes(v) => query.bind(v.as_deref()),
            Value::Flag(v) => query.bind(*v),
        };
    }
    query.execute(conn).await?;
    Ok(())
}

/// Sets each PostgreSQL identity sequence past the ids copied into its
/// table, so the next import takes new ids (SQLite's rowids follow the
/// highest id by themselves).
async fn advance_identities(conn: &mut Conn) -> Result<(), sqlx::Error> {
    let Backend::Postgres(conn) = conn.backend() else {
        return Ok(());
    };
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, column) in identities
        .iter()
        .filter(|(t, _)| tables::table(t).is_some())
    {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), max({column})) \
             FROM {table} HAVING max({column}) IS NOT NULL"
        );
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Every row of `table` (the rows the copy moves) as one line of text,
/// sorted, the same for the same values on either backend: how two
/// archives are compared table by table (the copy's tests; a check by hand).
#[per_backend]
pub async fn rows_as_text(conn: &mut Conn, table: &Table) -> Result<Vec<String>, StoreError> {
    let sql = select_rows(table);
    let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(conn).await?;
    let mut lines = Vec::with_capacity(rows.len());
    for row in &rows {
        lines.push(format!("{:?}", decode(row, table.columns)?));
    }
    lines.sort_unstable();
    Ok(lines)
}

/// The query reading the rows of `table` the copy moves, column by column.
fn select_rows(table: &Table) -> String {
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    format!(
        "SELECT {} FROM {} WHERE {}",
        names.join(", "),
        table.name,
        table.rows
    )
}
