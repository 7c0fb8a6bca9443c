-- Outbound mail: a member's own digest hour, the delivery ledger, and each member's digest mark.

-- NULL: the deployment's default hour (kairan.toml [digest] hour).
ALTER TABLE members ADD COLUMN digest_hour INTEGER CHECK (digest_hour BETWEEN 0 AND 23);

-- One row per mail kairan means to send, created (with its Message-ID) before the mail is
-- sent, so a crash or a rerun neither sends twice nor skips. notify: key is the post id;
-- digest: key is the member's local date, and the row covers posts (from_post_id, to_post_id];
-- reminder (inquiries, 0005): key is 'inquiry:THREAD:before|after:DEADLINE'.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('notify', 'digest', 'reminder')),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    key             TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    post_id         INTEGER,
    from_post_id    INTEGER,
    to_post_id      INTEGER,
    status          TEXT NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    error           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (kind, member_id, key)
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at) WHERE status = 'due';

-- The last daily digest slot a member used (even when nothing was new) and the last post it covered.
CREATE TABLE digest_marks (
    member_id   INTEGER PRIMARY KEY REFERENCES members(id),
    day         TEXT NOT NULL,
    to_post_id  INTEGER NOT NULL
);

-- Finding "the last post stored before time T" without scanning.
CREATE INDEX posts_created ON posts(created_at);
