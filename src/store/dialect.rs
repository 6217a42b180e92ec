//! The few pieces of SQL whose text differs between SQLite and PostgreSQL,
//! in one place. Everything else is written once in a form both accept
//! (`$1` parameters, `ON CONFLICT`, `CAST(… AS BIGINT)`, `string_agg`).
//!
//! Each piece is chosen by the concrete connection a `#[per_backend]` body
//! holds, so the choice is made at compile time: `dialect::id_list(&*conn, 1)`.

use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;

/// What one backend says differently.
pub trait Dialect {
    /// A table `j` of one column `value` (BIGINT) holding the ids of the
    /// JSON array bound as parameter `$n` (`store::json_ids`): a list of
    /// any length in one statement shape.
    fn id_list(n: u8) -> String;
    /// The same for a JSON array of strings.
    fn text_list(n: u8) -> String;
    /// The text values of `expr` in a group, distinct, joined by commas.
    fn distinct_joined(expr: &str) -> String;
    /// Days since 1970-01-01 of the date `YYYY-MM-DD` that `expr` starts with.
    fn epoch_day(expr: &str) -> String;
    /// An inner join whose left side is read first: an id list drives the
    /// lookups (SQLite's planner takes `CROSS JOIN` as that order; in
    /// PostgreSQL `CROSS JOIN` has no `ON`, and its planner chooses well).
    fn list_join() -> &'static str;
}

impl Dialect for SqliteConnection {
    fn id_list(n: u8) -> String {
        format!("json_each(${n}) AS j")
    }
    fn text_list(n: u8) -> String {
        format!("json_each(${n}) AS j")
    }
    fn distinct_joined(expr: &str) -> String {
        // SQLite allows DISTINCT only with the default separator (a comma).
        format!("group_concat(DISTINCT {expr})")
    }
    fn epoch_day(expr: &str) -> String {
        format!("CAST(julianday(substr({expr}, 1, 10)) - 2440587.5 AS INTEGER)")
    }
    fn list_join() -> &'static str {
        "CROSS JOIN"
    }
}

impl Dialect for PgConnection {
    fn id_list(n: u8) -> String {
        format!(
            "(SELECT CAST(value AS BIGINT) AS value \
             FROM jsonb_array_elements_text(CAST(${n} AS jsonb))) AS j"
        )
    }
    fn text_list(n: u8) -> String {
        format!("(SELECT value FROM jsonb_array_elements_text(CAST(${n} AS jsonb))) AS j")
    }
    fn distinct_joined(expr: &str) -> String {
        format!("string_agg(DISTINCT CAST({expr} AS TEXT), ',')")
    }
    fn epoch_day(expr: &str) -> String {
        format!("(CAST(substr({expr}, 1, 10) AS date) - DATE '1970-01-01')::BIGINT")
    }
    fn list_join() -> &'static str {
        "JOIN"
    }
}

/// [`Dialect::id_list`] of the backend `conn` is on.
pub fn id_list<C: Dialect>(_conn: &C, n: u8) -> String {
    C::id_list(n)
}

/// [`Dialect::text_list`] of the backend `conn` is on.
pub fn text_list<C: Dialect>(_conn: &C, n: u8) -> String {
    C::text_list(n)
}

/// [`Dialect::distinct_joined`] of the backend `conn` is on.
pub fn distinct_joined<C: Dialect>(_conn: &C, expr: &str) -> String {
    C::distinct_joined(expr)
}

/// [`Dialect::list_join`] of the backend `conn` is on.
pub fn list_join<C: Dialect>(_conn: &C) -> &'static str {
    C::list_join()
}

/// [`Dialect::epoch_day`] of the backend `conn` is on.
pub fn epoch_day<C: Dialect>(_conn: &C, expr: &str) -> String {
    C::epoch_day(expr)
}
