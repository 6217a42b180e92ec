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
    /// The text values of `expr` in a group, in the order of `order`,
    /// joined by commas.
    fn joined_in_order(expr: &str, order: &str) -> String;
    /// The group's rows as one byte string: per row, the text of each of
    /// `header` followed by a space, then `;`, then the bytes of each of
    /// `blobs`. One value instead of a row each: handing a row from
    /// SQLite's thread to the caller costs more than reading it.
    fn packed(header: &[&str], blobs: &[&str]) -> String;
    /// The start of an `INSERT` of many rows for a writer whose failure
    /// ends its whole transaction (an import's batch is then stored again
    /// one document at a time, each in a transaction of its own): SQLite's
    /// `OR FAIL` stops at a failing row without undoing the rows before
    /// it, so it keeps no statement journal, the copy of every page the
    /// statement changes (16 KiB each) that undoing the statement alone
    /// would need. The journal was 5% of the processor of an import into
    /// a million-article archive, the most of it for the leaves of
    /// `relations_to` a batch's links land in.
    fn insert_many() -> &'static str;
}

/// `printf`/`format` pattern of [`Dialect::packed`]'s header.
fn header_pattern(header: &[&str]) -> String {
    format!("'{}'", "%s ".repeat(header.len()) + ";")
}

/// [`Dialect::packed`]'s blobs, each appended to the header.
fn then(blobs: &[&str]) -> String {
    blobs.iter().map(|b| format!(" || {b}")).collect()
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
    fn insert_many() -> &'static str {
        "INSERT OR FAIL INTO"
    }
    fn joined_in_order(expr: &str, order: &str) -> String {
        format!("group_concat({expr}, ',' ORDER BY {order})")
    }
    fn packed(header: &[&str], blobs: &[&str]) -> String {
        // `||` and `group_concat` keep a blob's bytes as they are (zeros
        // included) in a database whose text is UTF-8, as the archive's is.
        format!(
            "CAST(group_concat(CAST(printf({}, {}) AS BLOB){}, '') AS BLOB)",
            header_pattern(header),
            header.join(", "),
            then(blobs)
        )
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
    fn insert_many() -> &'static str {
        "INSERT INTO"
    }
    fn joined_in_order(expr: &str, order: &str) -> String {
        format!("string_agg(CAST({expr} AS TEXT), ',' ORDER BY {order})")
    }
    fn packed(header: &[&str], blobs: &[&str]) -> String {
        format!(
            "string_agg(convert_to(format({}, {}), 'UTF8'){}, CAST('' AS BYTEA))",
            header_pattern(header),
            header.join(", "),
            then(blobs)
        )
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

/// [`Dialect::joined_in_order`] of the backend `conn` is on.
pub fn joined_in_order<C: Dialect>(_conn: &C, expr: &str, order: &str) -> String {
    C::joined_in_order(expr, order)
}

/// [`Dialect::packed`] of the backend `conn` is on.
pub fn packed<C: Dialect>(_conn: &C, header: &[&str], blobs: &[&str]) -> String {
    C::packed(header, blobs)
}

/// [`Dialect::insert_many`] of the backend `conn` is on.
pub fn insert_many<C: Dialect>(_conn: &C) -> &'static str {
    C::insert_many()
}
