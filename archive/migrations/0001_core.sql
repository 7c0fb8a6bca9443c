-- The core archive: organizations, members, spaces, threads, posts, attachments,
-- the spool of raw messages, and the durable queues later stages drain.
-- Dates are ISO-8601 UTC strings ('2026-11-27T01:00:00Z'); offsets in minutes.

CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE org_domains (
    domain      TEXT PRIMARY KEY COLLATE NOCASE,
    org_id      INTEGER NOT NULL REFERENCES orgs(id)
);

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    dept          TEXT NOT NULL DEFAULT '',
    is_org_admin  INTEGER NOT NULL DEFAULT 0,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT,
    lang          TEXT NOT NULL DEFAULT 'ja',
    created_at    TEXT NOT NULL
);

-- A member may send from several addresses; the first one added is primary.
CREATE TABLE member_addresses (
    address     TEXT PRIMARY KEY COLLATE NOCASE,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    is_primary  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX member_addresses_member ON member_addresses(member_id);

CREATE TABLE spaces (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE memberships (
    space_id    INTEGER NOT NULL REFERENCES spaces(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    role        TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    mode        TEXT NOT NULL DEFAULT 'digest' CHECK (mode IN ('each', 'digest', 'none')),
    joined_at   TEXT NOT NULL,
    PRIMARY KEY (space_id, member_id)
);
CREATE INDEX memberships_member ON memberships(member_id);

CREATE TABLE threads (
    id            INTEGER PRIMARY KEY,
    space_id      INTEGER NOT NULL REFERENCES spaces(id),
    subject       TEXT NOT NULL,
    norm_subject  TEXT NOT NULL,
    token         TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_post_at  TEXT NOT NULL,
    post_count    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX threads_space_activity ON threads(space_id, last_post_at DESC);
CREATE INDEX threads_space_subject ON threads(space_id, norm_subject, last_post_at);

CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    space_id       INTEGER NOT NULL REFERENCES spaces(id),
    thread_id      INTEGER NOT NULL REFERENCES threads(id),
    message_id     TEXT NOT NULL,
    in_reply_to    TEXT NOT NULL DEFAULT '',
    refs           TEXT NOT NULL DEFAULT '',
    author_id      INTEGER REFERENCES members(id),
    from_name      TEXT NOT NULL DEFAULT '',
    from_address   TEXT NOT NULL DEFAULT '',
    date_utc       TEXT NOT NULL,
    tz_offset_min  INTEGER NOT NULL DEFAULT 0,
    subject        TEXT NOT NULL DEFAULT '',
    body_text      TEXT NOT NULL DEFAULT '',
    body_html      TEXT NOT NULL DEFAULT '',
    reply_text     TEXT NOT NULL DEFAULT '',
    quoted_text    TEXT NOT NULL DEFAULT '',
    signature      TEXT NOT NULL DEFAULT '',
    raw_sha256     TEXT NOT NULL DEFAULT '',
    spool_id       INTEGER REFERENCES spool(id),
    source         TEXT NOT NULL DEFAULT 'mail' CHECK (source IN ('mail', 'web', 'demo')),
    defects        TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    UNIQUE (space_id, message_id)
);
CREATE INDEX posts_thread ON posts(thread_id, date_utc, id);
CREATE INDEX posts_message_id ON posts(message_id);
CREATE INDEX posts_space_created ON posts(space_id, created_at);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts(id),
    position      INTEGER NOT NULL,
    filename      TEXT,
    content_type  TEXT NOT NULL,
    size          INTEGER,
    sha256        TEXT NOT NULL,
    content_id    TEXT NOT NULL DEFAULT '',
    UNIQUE (post_id, position)
);
CREATE INDEX attachments_sha ON attachments(sha256);

-- Raw messages as accepted over SMTP. Small messages sit inline in `raw` until
-- the ingest worker has moved them to the blob store (so many sessions can be
-- made durable by one transaction); large ones are in the blob store already.
CREATE TABLE spool (
    id           INTEGER PRIMARY KEY,
    received_at  TEXT NOT NULL,
    mail_from    TEXT NOT NULL DEFAULT '',
    rcpts        TEXT NOT NULL,            -- JSON list of recipient addresses
    peer         TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL,
    raw          BLOB,
    raw_sha256   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'failed')),
    decided_by   TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    processed_at TEXT
);
CREATE INDEX spool_status ON spool(status, id);

-- Messages refused during the SMTP session, with the rule that decided (for admins).
CREATE TABLE refusals (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    mail_from    TEXT NOT NULL DEFAULT '',
    rcpt         TEXT NOT NULL DEFAULT '',
    decided_by   TEXT NOT NULL,
    reply        TEXT NOT NULL
);

-- Durable work queues: a row is work to do; the consumer deletes it when done.
CREATE TABLE index_queue (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL,
    op          TEXT NOT NULL DEFAULT 'add' CHECK (op IN ('add', 'remove')),
    enqueued_at TEXT NOT NULL
);

CREATE TABLE notify_queue (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL,
    enqueued_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_sha256 TEXT PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    created_at   TEXT NOT NULL
);
