-- Inquiries (照会): a thread that asks organizations for an answer by a deadline.
-- Answers are not stored here: an answer is a post in the thread by a member of a
-- target organization, found at read time. Only what posts can't say is kept:
-- who asks, whom, by when, which organizations said 該当なし, what was changed.

CREATE TABLE inquiries (
    thread_id     INTEGER PRIMARY KEY REFERENCES threads(id),
    space_id      INTEGER NOT NULL REFERENCES spaces(id),
    asker_org_id  INTEGER NOT NULL REFERENCES orgs(id),
    deadline      TEXT,                  -- 'YYYY-MM-DD', end of that day in the deployment's zone; NULL: 期限なし
    opened_by     INTEGER REFERENCES members(id),
    opened_at     TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT 'mail' CHECK (source IN ('mail', 'web', 'cli'))
);
CREATE INDEX inquiries_space ON inquiries(space_id);
CREATE INDEX inquiries_deadline ON inquiries(deadline);

CREATE TABLE inquiry_targets (
    thread_id   INTEGER NOT NULL REFERENCES inquiries(thread_id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    na_at       TEXT,                    -- marked 該当なし (not applicable) at; NULL: not marked
    na_by       INTEGER REFERENCES members(id),
    PRIMARY KEY (thread_id, org_id)
);
CREATE INDEX inquiry_targets_org ON inquiry_targets(org_id);

-- What people changed, for the record: deadline, targets, 該当なし, reopen.
CREATE TABLE inquiry_events (
    id          INTEGER PRIMARY KEY,
    thread_id   INTEGER NOT NULL REFERENCES inquiries(thread_id),
    at          TEXT NOT NULL,
    member_id   INTEGER REFERENCES members(id),
    action      TEXT NOT NULL,           -- opened | deadline | targets | not_applicable | reopened
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inquiry_events_thread ON inquiry_events(thread_id, id);

-- Reminders go through the delivery ledger (0004) as kind 'reminder', key
-- 'inquiry:THREAD:before|after:DEADLINE', so each member gets each reminder once,
-- and a moved deadline earns a new one.
