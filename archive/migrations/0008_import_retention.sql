-- Past mail in, everything out, records retention (公文書管理): import, deletion, disposal.

-- Where an imported post came from: '' for live mail and the web, else mbox | maildir | eml | msg
-- ('msg': converted from Outlook's .msg; the converted RFC 5322 message is kept as the raw one).
-- Imported posts are indexed, but never notified, digested or counted as inquiry answers.
ALTER TABLE posts ADD COLUMN imported_from TEXT NOT NULL DEFAULT '';
-- An import run again skips a message by its bytes without parsing it.
CREATE INDEX posts_space_raw ON posts(space_id, raw_sha256);
-- A message imported before its parent: the parent's Message-ID, and the thread the child went to.
-- When the parent comes (later in the file, or in a later import) the threads are joined.
CREATE TABLE import_orphans (
    space_id    INTEGER NOT NULL REFERENCES spaces(id),
    message_id  TEXT NOT NULL,
    thread_id   INTEGER NOT NULL,
    PRIMARY KEY (space_id, message_id, thread_id)
);
-- An import run, from the command line or the web (its progress, for the web page that shows it).
CREATE TABLE import_runs (
    id          INTEGER PRIMARY KEY,
    space_id    INTEGER NOT NULL REFERENCES spaces(id),
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    total       INTEGER NOT NULL DEFAULT 0,
    imported    INTEGER NOT NULL DEFAULT 0,
    existing    INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
-- Failed imports are kept in the spool (status failed); a rerun doesn't add them twice.
CREATE INDEX spool_raw_sha ON spool(raw_sha256);

-- A deleted post (誤送信): its row, attachments and blobs are gone; this stays, so the thread
-- says 「この投稿は削除されました」 with date and who, and an import doesn't bring it back.
-- No content here: neither subject nor text (the reason and subject are in the audit log).
CREATE TABLE post_tombstones (
    post_id      INTEGER PRIMARY KEY,
    space_id     INTEGER NOT NULL REFERENCES spaces(id),
    thread_id    INTEGER NOT NULL,
    message_id   TEXT NOT NULL,
    date_utc     TEXT NOT NULL,             -- the post's own date: its place in the thread
    deleted_at   TEXT NOT NULL,
    deleted_by   INTEGER REFERENCES members(id),
    deleted_by_label TEXT NOT NULL
);
CREATE INDEX post_tombstones_thread ON post_tombstones(thread_id);
CREATE INDEX post_tombstones_message ON post_tombstones(space_id, message_id);

-- Ids only grow, even when the newest post or thread was erased (digest windows, the delivery
-- ledger and the index count on it): the highest id erased per table; archive.ids reads it.
CREATE TABLE id_floors (
    name        TEXT PRIMARY KEY,
    max_id      INTEGER NOT NULL
);

-- Blobs whose last reference may be gone, written in the transaction that removed it: the one
-- garbage collector (archive/removal/blobgc.py) erases them after the commit, or on the next run.
CREATE TABLE blob_garbage (
    sha256      TEXT PRIMARY KEY,
    queued_at   TEXT NOT NULL
);

-- Retention class (保存期間): 1y 3y 5y 10y 30y permanent; NULL: the deployment's default
-- (kairan.toml [retention] default). A space under legal hold is never disposed.
ALTER TABLE spaces ADD COLUMN retention TEXT;
ALTER TABLE spaces ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;

-- A disposal approved by a system admin, and its register (廃棄簿): one row per thread,
-- written 'approved' with the approval, then 'disposed' in the transaction that erased it
-- ('held' if its space came under legal hold in between). The register outlives the threads.
CREATE TABLE disposals (
    id              INTEGER PRIMARY KEY,
    as_of           TEXT NOT NULL,
    approved_at     TEXT NOT NULL,
    approved_by     INTEGER REFERENCES members(id),
    approved_by_label TEXT NOT NULL
);
CREATE TABLE disposal_register (
    id           INTEGER PRIMARY KEY,
    disposal_id  INTEGER NOT NULL REFERENCES disposals(id),
    space_id     INTEGER NOT NULL,
    space_slug   TEXT NOT NULL,
    space_title  TEXT NOT NULL,
    thread_id    INTEGER NOT NULL,
    subject      TEXT NOT NULL,
    retention    TEXT NOT NULL,
    first_post   TEXT NOT NULL,
    last_post    TEXT NOT NULL,
    expires      TEXT NOT NULL,             -- YYYY-MM-DD: the first day the thread may be disposed
    posts        INTEGER NOT NULL,
    attachments  INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'disposed', 'held')),
    disposed_at  TEXT,
    UNIQUE (disposal_id, thread_id)
);
CREATE INDEX disposal_register_thread ON disposal_register(thread_id);
CREATE INDEX disposal_register_status ON disposal_register(status, id);
