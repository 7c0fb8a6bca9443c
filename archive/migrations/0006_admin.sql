-- Administration (issue 11): readings and representatives on members, who the author of a post
-- was when posting, the append-only hash-chained audit log, and CSV uploads awaiting their apply.

-- ふりがな, kept in hiragana (the directory sorts by it); '' when not known.
ALTER TABLE members ADD COLUMN reading TEXT NOT NULL DEFAULT '';
-- 課代表ユーザー: the department's contact; every department should have one.
ALTER TABLE members ADD COLUMN is_rep INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN deactivated_at TEXT;

-- The author's organization name and department at the moment the post was stored, so old posts
-- keep showing who the author was then (after a move, a rename or a deactivation).
ALTER TABLE posts ADD COLUMN author_org_name TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN author_dept TEXT NOT NULL DEFAULT '';

-- 監査ログ. Each entry carries the SHA-256 of the previous entry's canonical form
-- (archive/admin/audit.py says what that is); audit_head holds the last entry's own hash,
-- so removing or editing the newest entry shows too. Rows are never updated or deleted.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,                 -- ISO-8601 UTC
    actor_id     INTEGER,                       -- the member, NULL for the command line / nobody
    actor        TEXT NOT NULL,                 -- the member's primary address, or 'system'
    client       TEXT NOT NULL DEFAULT '',      -- the client address of a web request
    action       TEXT NOT NULL,
    target       TEXT NOT NULL DEFAULT '',
    org_id       INTEGER,                       -- the organization the target belongs to (org admins see theirs)
    detail       TEXT NOT NULL DEFAULT '{}',    -- JSON: before/after, summaries; never post content
    prev_sha256  TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_org ON audit_log(org_id, id);
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);

CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    entry_id  INTEGER NOT NULL,
    sha256    TEXT NOT NULL
);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- A CSV file uploaded on the web, kept between its preview and its apply (then deleted).
CREATE TABLE member_uploads (
    token        TEXT PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    created_at   TEXT NOT NULL,
    filename     TEXT NOT NULL DEFAULT '',
    content      BLOB NOT NULL
);
