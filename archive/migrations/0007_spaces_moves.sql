-- Spaces run by their members, and personnel changes (人事異動) staged for a date.

-- A space's description, and whether it takes new posts: a closed space stays readable
-- and searchable for its members, and mail to it is refused at RCPT.
ALTER TABLE spaces ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE spaces ADD COLUMN state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed'));
ALTER TABLE spaces ADD COLUMN closed_at TEXT;

-- An address a member no longer signs in with, still taken for mail until this instant
-- (the old address after a move; NULL: an ordinary address). Removed when it has passed.
ALTER TABLE member_addresses ADD COLUMN mail_until TEXT;

-- One row per move, from the CSV import on. `state` changes from 'scheduled' to 'applied'
-- in the same transaction as the move's effects (and its audit entry), so each move is
-- applied exactly once whatever crashes when. The from_* columns say what it was before.
CREATE TABLE moves (
    id            INTEGER PRIMARY KEY,
    batch         TEXT NOT NULL,                 -- the import that scheduled it
    line          INTEGER NOT NULL DEFAULT 0,    -- its row in that CSV file
    member_id     INTEGER NOT NULL REFERENCES members(id),
    email         TEXT NOT NULL,
    effective     TEXT NOT NULL,                 -- 'YYYY-MM-DD', from 00:00 in the deployment's zone
    new_org_id    INTEGER REFERENCES orgs(id),   -- NULL: stays in the organization
    new_dept      TEXT,                          -- NULL: unchanged
    new_address   TEXT,                          -- NULL: unchanged
    successor_id  INTEGER REFERENCES members(id),
    leave         INTEGER NOT NULL DEFAULT 0,    -- 1: leaves the service
    state         TEXT NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'applied', 'cancelled')),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL DEFAULT '',
    applied_at    TEXT,
    cancelled_at  TEXT,
    from_org_id   INTEGER REFERENCES orgs(id),
    from_dept     TEXT,
    from_address  TEXT,
    inherited     TEXT NOT NULL DEFAULT '',      -- JSON: the spaces the successor was given
    note          TEXT NOT NULL DEFAULT '',      -- what could not be done when it was applied
    report        TEXT                           -- the org admins' summary mail that told of it
);
CREATE INDEX moves_due ON moves(state, effective, id);
CREATE INDEX moves_member ON moves(member_id);
CREATE INDEX moves_report ON moves(report);
