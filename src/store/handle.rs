//! The database handles the rest of the program holds, whichever backend
//! the archive lives on: a pool ([`Pool`]), a connection taken from it
//! ([`Pooled`]), a transaction ([`Tx`]), and the connection every store
//! function takes ([`Conn`], what both of those lend). [`dispatch!`] runs
//! one query text on the backend a handle is for, so each query is written
//! once and compiled for SQLite and for PostgreSQL.
//!
//! An enum rather than sqlx's `Any` driver: `Any` copies every row into its
//! own value type and hides the concrete connection, which the SQLite side
//! needs (pragmas, the write lock taken at `BEGIN IMMEDIATE`, backups).

use std::ops::{Deref, DerefMut};

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use sqlx::{Postgres, Sqlite, Transaction};

/// The advisory lock key of [`Pool::begin_writing`] on PostgreSQL ("arshif"
/// in ASCII, so it is recognisable in `pg_locks`).
const WRITE_LOCK: i64 = 0x6172_7368_6966;

/// One value per backend: what [`dispatch!`] matches on. `S` is the SQLite
/// side, `P` the PostgreSQL one (a connection, or a pool).
pub enum Backend<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// Runs `$body` with `$c` bound to the concrete connection (or pool) behind
/// `$handle`: the body is compiled once per backend, so one query text (with
/// `$1`-style parameters, which both understand) serves both.
///
/// `$handle` is a `&mut Conn` (or anything that derefs to one) or a `&Pool`.
#[macro_export]
macro_rules! dispatch {
    ($handle:expr, |$c:ident| $body:expr) => {
        match $handle.backend() {
            $crate::store::Backend::Sqlite($c) => $body,
            $crate::store::Backend::Postgres($c) => $body,
        }
    };
}

/// A pool of connections to the archive's database.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    /// A connection from the pool, returned to it when dropped.
    pub async fn acquire(&self) -> Result<Pooled, sqlx::Error> {
        Ok(Pooled(Conn(match self {
            Pool::Sqlite(pool) => Link::SqlitePooled(pool.acquire().await?),
            Pool::Postgres(pool) => Link::PostgresPooled(pool.acquire().await?),
        })))
    }

    /// A transaction (`BEGIN`): on SQLite it takes the write lock at its
    /// first write, see [`begin_writing`](Self::begin_writing).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(Tx(Conn(match self {
            Pool::Sqlite(pool) => Link::SqliteTx(pool.begin().await?),
            Pool::Postgres(pool) => Link::PostgresTx(pool.begin().await?),
        })))
    }

    /// A transaction that writes, one at a time: on SQLite it takes the
    /// database's write lock at once (`BEGIN IMMEDIATE`), so it never fails
    /// half-way on a busy lock after reading; on PostgreSQL it takes the
    /// same lock as a transaction-scoped advisory lock, across every
    /// process on the database. One writer at a time is what the relating
    /// engine's generation and the search log's order rely on.
    pub async fn begin_writing(&self) -> Result<Tx, sqlx::Error> {
        Ok(Tx(Conn(match self {
            Pool::Sqlite(pool) => Link::SqliteTx(pool.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Link::PostgresTx(tx)
            }
        })))
    }

    /// The SQLite pool behind this one (`None` on PostgreSQL), for what
    /// only SQLite has: the FTS5 comparison benchmark.
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }

    /// The pool itself, for [`dispatch!`].
    pub fn backend(&self) -> Backend<&SqlitePool, &PgPool> {
        match self {
            Pool::Sqlite(pool) => Backend::Sqlite(pool),
            Pool::Postgres(pool) => Backend::Postgres(pool),
        }
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// A connection to the archive's database, lent by a [`Pooled`] connection
/// or a [`Tx`]: what store functions take, so the caller decides whether
/// they run in a transaction.
#[derive(Debug)]
pub struct Conn(Link);

#[derive(Debug)]
enum Link {
    SqlitePooled(PoolConnection<Sqlite>),
    SqliteTx(Transaction<'static, Sqlite>),
    PostgresPooled(PoolConnection<Postgres>),
    PostgresTx(Transaction<'static, Postgres>),
}

impl Conn {
    /// The concrete connection, for [`dispatch!`].
    pub fn backend(&mut self) -> Backend<&mut SqliteConnection, &mut PgConnection> {
        match &mut self.0 {
            Link::SqlitePooled(conn) => Backend::Sqlite(conn),
            Link::SqliteTx(tx) => Backend::Sqlite(tx),
            Link::PostgresPooled(conn) => Backend::Postgres(conn),
            Link::PostgresTx(tx) => Backend::Postgres(tx),
        }
    }

    /// Whether this is a connection to PostgreSQL (for the few statements
    /// whose text differs between the two, see `store::dialect`).
    pub fn is_postgres(&self) -> bool {
        matches!(self.0, Link::PostgresPooled(_) | Link::PostgresTx(_))
    }
}

/// A connection taken from a [`Pool`], returned to it when dropped.
#[derive(Debug)]
pub struct Pooled(Conn);

impl Deref for Pooled {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// An open transaction; dropped without [`commit`](Tx::commit), it is
/// rolled back.
#[derive(Debug)]
pub struct Tx(Conn);

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.0.0 {
            Link::SqliteTx(tx) => tx.commit().await,
            Link::PostgresTx(tx) => tx.commit().await,
            Link::SqlitePooled(_) | Link::PostgresPooled(_) => {
                unreachable!("a Tx holds a transaction")
            }
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.0.0 {
            Link::SqliteTx(tx) => tx.rollback().await,
            Link::PostgresTx(tx) => tx.rollback().await,
            Link::SqlitePooled(_) | Link::PostgresPooled(_) => {
                unreachable!("a Tx holds a transaction")
            }
        }
    }
}

impl Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// A row type that both backends can produce (`sqlx::FromRow` for each):
/// the bound of store helpers generic over what they select.
pub trait DecodeRow:
    for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
    + Send
    + Unpin
{
}

impl<T> DecodeRow for T where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin
{
}
