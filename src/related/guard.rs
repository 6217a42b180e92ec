//! The relating engine's state in one process, and the one order its two
//! locks are taken in: the resident set first, then the write transaction.
//!
//! `relate --all` holds the set across many transactions, and an import
//! takes both for each batch. The write pool has a single connection, so a
//! caller that held a write connection while it waited for the set would
//! wait forever on a `relate --all` waiting for that connection. Here the
//! order is a type: a write transaction that relates ([`RelatingTx`]) is
//! only opened by [`RelatingRun::begin`], which needs the set already held
//! ([`Relating::hold`]), and the set is only reached through it.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::store::{Conn, Tx};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::store::relating as db;
use crate::store::{Db, StoreError};

use super::resident::{Limits, Resident};

/// The resident set of one archive, shared by everything that relates in
/// this process (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Relating {
    set: Arc<Mutex<Resident>>,
}

impl Relating {
    /// A set that holds at most `limits` of the archive (the default's
    /// are [`Limits::default`]).
    pub fn with_limits(limits: Limits) -> Relating {
        Relating {
            set: Arc::new(Mutex::new(Resident::new(limits))),
        }
    }

    /// Holds the resident set for a run of relating transactions, once no
    /// other run holds it.
    pub async fn hold(&self) -> RelatingRun {
        RelatingRun {
            set: self.set.clone().lock_owned().await,
        }
    }

    /// Gives the set's memory back once no run holds it: work that relates
    /// calls this when it ends, so an idle server holds none of it.
    pub async fn release(&self) {
        self.set.lock().await.release();
    }

    /// Articles in the set's same-story window now (once no run holds it).
    pub async fn articles(&self) -> usize {
        self.set.lock().await.articles()
    }
}

/// The resident set, held by one run: the only way to a transaction that
/// relates.
#[derive(Debug)]
pub struct RelatingRun {
    set: OwnedMutexGuard<Resident>,
}

impl RelatingRun {
    /// Opens the write transaction (`BEGIN IMMEDIATE`) and brings the held
    /// set in line with the database (rebuilt if another process or a
    /// rolled-back transaction moved it on), claiming the next generation.
    pub async fn begin(&mut self, db: &Db) -> Result<RelatingTx<'_>, StoreError> {
        let mut tx = db.write.begin_writing().await?;
        let carried_over = self.set.begin(&mut tx).await?;
        Ok(RelatingTx {
            tx,
            set: &mut self.set,
            carried_over,
        })
    }

    /// [`begin`](Self::begin) on emptied relating tables: every computed
    /// relation and sketch is forgotten (read-also links stay), and the set
    /// starts empty without reading the old tables (`relate --all`).
    pub(super) async fn begin_emptied(&mut self, db: &Db) -> Result<RelatingTx<'_>, StoreError> {
        let mut tx = db.write.begin_writing().await?;
        db::clear_all(&mut tx).await?;
        self.set.release();
        self.set.begin(&mut tx).await?;
        Ok(RelatingTx {
            tx,
            set: &mut self.set,
            carried_over: false,
        })
    }

    /// Gives the set's memory back; the next [`begin`](Self::begin) rebuilds.
    pub fn release(&mut self) {
        self.set.release();
    }
}

/// A write transaction that relates, with the held set: taken in that
/// order. Derefs to its connection for the other writes of the same
/// transaction.
#[derive(Debug)]
pub struct RelatingTx<'run> {
    tx: Tx,
    set: &'run mut Resident,
    /// The set carried over from this run's last transaction: what was
    /// read between the two, on other connections, is still what is stored.
    carried_over: bool,
}

impl RelatingTx<'_> {
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }

    /// Undoes the transaction; the set, now ahead of the database, is
    /// rebuilt by the next transaction (the generation tells).
    pub async fn rollback(self) -> Result<(), StoreError> {
        Ok(self.tx.rollback().await?)
    }

    /// Whether the set carried over from this run's last transaction
    /// (false: it was rebuilt, or this is the run's first).
    pub fn carried_over(&self) -> bool {
        self.carried_over
    }

    /// Articles in the held set's same-story window.
    pub fn articles(&self) -> usize {
        self.set.articles()
    }

    /// Profiles the held set holds now.
    pub fn profiles_held(&self) -> usize {
        self.set.profiles_held()
    }

    /// The connection and the set, to work on both at once.
    pub(super) fn parts(&mut self) -> (&mut Conn, &mut Resident) {
        (&mut self.tx, self.set)
    }
}

impl Deref for RelatingTx<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl DerefMut for RelatingTx<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}
