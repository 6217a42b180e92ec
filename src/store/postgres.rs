//! Opening an archive that lives on a PostgreSQL server: where `--db`
//! points (a URL or a SQLite path), the pools, and the PostgreSQL
//! migrations (`migrations/postgres`, numbered as SQLite's).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::{Db, Pool, Result, StoreError};

/// Where an archive's database is, as `--db` / `ARSHIF_DB` say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file (a path, or `sqlite://path`).
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://…` or `postgresql://…`).
    Postgres(String),
}

impl Location {
    /// Where `--db` points: it is read as a path, which may hold a URL.
    pub fn of(given: &Path) -> Location {
        given
            .to_str()
            .map_or_else(|| Location::Sqlite(given.to_owned()), Location::parse)
    }

    pub fn parse(given: &str) -> Location {
        if given.starts_with("postgres://") || given.starts_with("postgresql://") {
            Location::Postgres(given.to_owned())
        } else {
            Location::Sqlite(PathBuf::from(
                given.strip_prefix("sqlite://").unwrap_or(given),
            ))
        }
    }
}

impl std::fmt::Display for Location {
    /// The file, or the URL without its password (for logs and messages).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redacted(url)),
        }
    }
}

/// Where a PostgreSQL archive's derived files go by default (its search
/// index is `<this>.search`): `data/<database name>`, as `data/arshif.db`
/// is SQLite's.
fn local_base(options: &PgConnectOptions) -> PathBuf {
    let name = options.get_database().unwrap_or("arshif");
    Path::new("data").join(name)
}

impl Db {
    /// Opens the archive at `location`, bringing its schema up to date.
    pub async fn connect(location: &Location) -> Result<Db> {
        match location {
            Location::Sqlite(path) => Db::open(path).await,
            Location::Postgres(url) => Db::open_postgres(url).await,
        }
    }

    /// The same archive with the files derived from it (its search index,
    /// `<base>.search`) under `base` instead of `data/<database name>`; a
    /// SQLite archive keeps them beside its file, and is returned as is.
    pub fn with_local_base(mut self, base: PathBuf) -> Db {
        if matches!(self.write, Pool::Postgres(_)) {
            self.path = base;
        }
        self
    }

    /// Connects to the PostgreSQL database at `url` and applies the
    /// PostgreSQL migrations.
    pub async fn open_postgres(url: &str) -> Result<Db> {
        Db::open_postgres_with(url, super::DEFAULT_CONNECTIONS).await
    }

    /// [`open_postgres`](Self::open_postgres) with `connections` per pool:
    /// PostgreSQL serves several writers, so unlike SQLite's single writer
    /// both pools have as many (and the upload worker one more of its own).
    pub async fn open_postgres_with(url: &str, connections: u32) -> Result<Db> {
        let open_err = |source| StoreError::Open {
            path: redacted(url),
            source,
        };
        let options = PgConnectOptions::from_str(url)
            .map_err(open_err)?
            .disable_statement_logging();
        let pool = || {
            PgPoolOptions::new()
                .max_connections(connections)
                .connect_with(options.clone())
        };
        let write = pool().await.map_err(open_err)?;
        sqlx::migrate!("./migrations/postgres").run(&write).await?;
        let read = pool().await.map_err(open_err)?;
        Ok(Db {
            read: Pool::Postgres(read),
            write: Pool::Postgres(write),
            path: local_base(&options),
            file_reads: super::FileReads::default(),
        })
    }
}

/// `url` without its password, for messages and logs.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("…"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_postgres_and_everything_else_a_sqlite_path() {
        let pg = "postgres://u@localhost/arshif";
        assert_eq!(Location::parse(pg), Location::Postgres(pg.to_owned()));
        let pg = "postgresql://u@localhost/arshif";
        assert_eq!(Location::parse(pg), Location::Postgres(pg.to_owned()));
        assert_eq!(
            Location::parse("sqlite://data/a.db"),
            Location::Sqlite(PathBuf::from("data/a.db"))
        );
        assert_eq!(
            Location::parse("data/postgres.db"),
            Location::Sqlite(PathBuf::from("data/postgres.db"))
        );
    }

    #[test]
    fn a_password_never_reaches_a_message() {
        let given = Path::new("postgres://arshif:secret@db.example/arshif");
        let shown = Location::of(given).to_string();
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("db.example/arshif"), "{shown}");
    }

    #[test]
    fn derived_files_default_beside_data_named_for_the_database() {
        let options = PgConnectOptions::from_str("postgres://u@h/news").unwrap();
        assert_eq!(local_base(&options), Path::new("data/news"));
    }
}
