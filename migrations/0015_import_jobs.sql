-- Upload imports as jobs every `serve` node can run (issue 17): the job is a
-- row beside its import, and the uploaded files are chunks in the database,
-- so whichever node takes the job reads them (nothing shared between
-- machines). A file is written while its upload streams in, before its job
-- exists (`import_id` NULL); its chunks go when the job ends.
CREATE TABLE import_jobs (
    import_id  INTEGER PRIMARY KEY REFERENCES imports(id) ON DELETE CASCADE,
    -- queued, or running (on `node`).
    state      TEXT NOT NULL DEFAULT 'queued',
    node       TEXT,
    queued_at  TEXT NOT NULL,
    started_at TEXT
);

CREATE TABLE upload_files (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER REFERENCES import_jobs(import_id) ON DELETE CASCADE,
    -- The name the uploader gave it (a label only, never a path).
    name        TEXT NOT NULL,
    bytes       INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL
);
CREATE INDEX upload_files_job ON upload_files(import_id);

CREATE TABLE upload_chunks (
    file_id INTEGER NOT NULL REFERENCES upload_files(id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (file_id, seq)
);
