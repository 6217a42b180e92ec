//! Uploaded files on their way through the database: [`Received`] writes
//! an upload's files as chunks while the body streams in (so any node can
//! run its job), and [`fetch`] copies a job's files back into temporary
//! files on the node that runs it (the readers of zip and tar archives
//! need a seekable file).

use std::path::Path;

use tokio::io::AsyncWriteExt;

use crate::store::{self, Db, uploads};

/// Bytes per stored chunk: large enough that a 100 MB upload is a hundred
/// rows, small enough that neither side holds much in memory.
const CHUNK: usize = 1 << 20;

/// The files of one upload as it is received. Files never handed to a job
/// ([`Received::into_ids`]) are deleted when this is dropped: a refused
/// upload, or one whose client went away, leaves nothing behind.
pub struct Received {
    db: Db,
    ids: Vec<i64>,
    current: Option<Current>,
    bytes: u64,
}

struct Current {
    id: i64,
    seq: i64,
    bytes: i64,
    buffer: Vec<u8>,
}

impl Received {
    pub fn new(db: &Db) -> Received {
        Received {
            db: db.clone(),
            ids: Vec::new(),
            current: None,
            bytes: 0,
        }
    }

    /// Starts the next file, named `name` by the uploader.
    pub async fn start_file(&mut self, name: &str) -> store::Result<()> {
        self.end_file().await?;
        let id = uploads::create(&mut *self.db.write.acquire().await?, name).await?;
        self.ids.push(id);
        self.current = Some(Current {
            id,
            seq: 0,
            bytes: 0,
            buffer: Vec::with_capacity(CHUNK),
        });
        Ok(())
    }

    /// Adds `data` to the current file.
    pub async fn write(&mut self, data: &[u8]) -> store::Result<()> {
        let current = self.current.as_mut().expect("write after start_file");
        current.buffer.extend_from_slice(data);
        current.bytes += data.len() as i64;
        self.bytes += data.len() as u64;
        if current.buffer.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    /// Stores what is buffered of the current file and its size.
    pub async fn end_file(&mut self) -> store::Result<()> {
        if self.current.is_none() {
            return Ok(());
        }
        self.flush().await?;
        let current = self.current.take().expect("checked above");
        uploads::set_bytes(
            &mut *self.db.write.acquire().await?,
            current.id,
            current.bytes,
        )
        .await
    }

    async fn flush(&mut self) -> store::Result<()> {
        let Some(current) = self.current.as_mut().filter(|c| !c.buffer.is_empty()) else {
            return Ok(());
        };
        let mut conn = self.db.write.acquire().await?;
        uploads::append(&mut conn, current.id, current.seq, &current.buffer).await?;
        current.seq += 1;
        current.buffer.clear();
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Bytes received in every file.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The stored files' ids, to hand to a job: they are no longer
    /// deleted when this goes. Call after [`end_file`](Self::end_file).
    pub fn into_ids(mut self) -> Vec<i64> {
        std::mem::take(&mut self.ids)
    }
}

impl Drop for Received {
    fn drop(&mut self) {
        let ids = std::mem::take(&mut self.ids);
        if ids.is_empty() {
            return;
        }
        let db = self.db.clone();
        // Dropped in a handler whose client went away: the runtime is there.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let deleted = match db.write.acquire().await {
                    Ok(mut conn) => uploads::delete(&mut conn, &ids).await,
                    Err(err) => Err(err.into()),
                };
                if let Err(err) = deleted {
                    tracing::warn!(%err, "the files of an unfinished upload stay until the next start");
                }
            });
        }
    }
}

/// An uploaded file copied out of the database for its import; the copy
/// is deleted when this is dropped.
pub struct Fetched {
    pub path: tempfile::TempPath,
    /// The name the uploader gave it (a label only, never a path).
    pub name: String,
}

/// Copies the files of import `import_id`'s job into temporary files in
/// `dir`, in upload order.
pub async fn fetch(db: &Db, import_id: i64, dir: &Path) -> Result<Vec<Fetched>, FetchError> {
    let files = uploads::of_job(&mut *db.read.acquire().await?, import_id).await?;
    let mut fetched = Vec::with_capacity(files.len());
    for file in files {
        let temp = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(dir)?;
        let mut out = tokio::fs::File::from_std(temp.as_file().try_clone()?);
        for seq in 0.. {
            let chunk = uploads::chunk(&mut *db.read.acquire().await?, file.id, seq).await?;
            let Some(chunk) = chunk else { break };
            out.write_all(&chunk).await?;
        }
        out.flush().await?;
        fetched.push(Fetched {
            path: temp.into_temp_path(),
            name: file.name,
        });
    }
    Ok(fetched)
}

/// Why a job's files could not be copied out for its import.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot read the uploaded files from the database: {0}")]
    Store(#[from] store::StoreError),
    #[error("cannot write the uploaded files to a temporary folder: {0}")]
    Disk(#[from] std::io::Error),
}

impl From<sqlx::Error> for FetchError {
    fn from(err: sqlx::Error) -> FetchError {
        FetchError::Store(err.into())
    }
}
