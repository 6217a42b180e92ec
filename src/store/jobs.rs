//! Upload import jobs (`import_jobs`): queued by the node that received
//! the upload, run by whichever node holds the [`JobLock`] — so exactly one
//! upload import runs at a time across every node of the archive — and
//! deleted with their files when they end.

use sqlx::postgres::PgConnection;
use sqlx::{ConnectOptions, Connection};

use super::{Db, Pool, Result, imports, now, uploads};
use crate::store::{Conn, per_backend};

/// The session-level advisory lock of the job runner on PostgreSQL
/// ("jobs" in ASCII; the write lock of `handle.rs` is "arshif").
const JOB_LOCK: i64 = 0x6a6f_6273;

/// Creates import `origin` started by `started_by`, queued, and its job
/// holding the uploaded files `file_ids`, in one transaction: no node ever
/// sees the import without its job. Returns the import's id.
pub async fn queue(db: &Db, origin: &str, started_by: &str, file_ids: &[i64]) -> Result<i64> {
    let mut tx = db.write.begin().await?;
    let import_id = imports::create(&mut tx, origin, "queued").await?;
    imports::set_started_by(&mut tx, import_id, started_by).await?;
    insert(&mut tx, import_id).await?;
    uploads::attach(&mut tx, import_id, file_ids).await?;
    tx.commit().await?;
    Ok(import_id)
}

#[per_backend]
async fn insert(conn: &mut Conn, import_id: i64) -> Result<()> {
    sqlx::query("INSERT INTO import_jobs (import_id, queued_at) VALUES ($1, $2)")
        .bind(import_id)
        .bind(now())
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether any job is queued or running (a cheap look before taking the
/// lock: a running job whose node died is found this way too).
#[per_backend]
pub async fn any(conn: &mut Conn) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM import_jobs)")
            .fetch_one(conn)
            .await?,
    )
}

/// Takes the oldest queued job for `node`: its import id. Only the holder
/// of the [`JobLock`] calls it, so no two nodes take the same job.
#[per_backend]
pub async fn claim(conn: &mut Conn, node: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "UPDATE import_jobs SET state = 'running', node = $1, started_at = $2 \
         WHERE import_id = (SELECT import_id FROM import_jobs WHERE state = 'queued' \
         ORDER BY import_id LIMIT 1) RETURNING import_id",
    )
    .bind(node)
    .bind(now())
    .fetch_optional(conn)
    .await?)
}

/// Ends job `import_id`: its row and its uploaded files go.
#[per_backend]
pub async fn finish(conn: &mut Conn, import_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM import_jobs WHERE import_id = $1")
        .bind(import_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends the jobs left `running` by a node that stopped mid-job (their
/// imports are marked interrupted), and marks interrupted the server
/// imports left without a job (from before jobs were rows). Only the
/// holder of the [`JobLock`] calls it: holding it, no job can be running
/// anywhere else. Returns how many imports were marked.
pub async fn recover(db: &Db) -> Result<u64> {
    let mut tx = db.write.begin().await?;
    drop_running(&mut tx).await?;
    let marked = imports::mark_interrupted(&mut tx).await?;
    tx.commit().await?;
    Ok(marked)
}

#[per_backend]
async fn drop_running(conn: &mut Conn) -> Result<()> {
    sqlx::query("DELETE FROM import_jobs WHERE state = 'running'")
        .execute(conn)
        .await?;
    Ok(())
}

/// The right to run upload imports, held by one process at a time.
///
/// On PostgreSQL it is a session advisory lock on a connection of its
/// own: the server lets it go when the connection ends, so a node that
/// dies (process killed, machine lost once TCP keepalive notices) frees
/// it for the others, and the next holder ends the job it left
/// ([`recover`]). On SQLite one process serves the archive, and its one
/// runner is the only taker.
pub struct JobLock {
    db: Db,
    /// PostgreSQL: the connection that takes the lock, kept between tries.
    session: Option<PgConnection>,
    held: bool,
}

impl JobLock {
    pub fn new(db: &Db) -> JobLock {
        JobLock {
            db: db.clone(),
            session: None,
            held: false,
        }
    }

    /// Takes the lock if no other process holds it; whether it is held now.
    pub async fn try_take(&mut self) -> Result<bool> {
        if self.held {
            return Ok(true);
        }
        let Pool::Postgres(pool) = &self.db.write else {
            self.held = true;
            return Ok(true);
        };
        if self.session.is_none() {
            self.session = Some(pool.connect_options().connect().await?);
        }
        let session = self.session.as_mut().expect("connected above");
        let taken = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(JOB_LOCK)
            .fetch_one(&mut *session)
            .await;
        match taken {
            Ok(taken) => self.held = taken,
            Err(err) => {
                // A broken session is opened again at the next try.
                self.session = None;
                return Err(err.into());
            }
        }
        Ok(self.held)
    }

    /// Lets another process take the lock.
    pub async fn release(&mut self) -> Result<()> {
        if !std::mem::take(&mut self.held) {
            return Ok(());
        }
        if let Some(session) = self.session.as_mut() {
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(JOB_LOCK)
                .execute(&mut *session)
                .await;
            if let Err(err) = unlocked {
                // Closing the session is what frees the lock then.
                if let Some(session) = self.session.take() {
                    let _ = session.close().await;
                }
                return Err(err.into());
            }
        }
        Ok(())
    }

    /// Ends the session (and with it the lock), as a dying node would.
    pub async fn close(mut self) {
        if let Some(session) = self.session.take() {
            let _ = session.close().await;
        }
    }
}
