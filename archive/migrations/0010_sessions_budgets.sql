-- Issue 15. Web sessions the server knows: a session id (its SHA-256) is valid only while its
-- row exists, so sign-out, deactivation and a password change end sessions at once.
CREATE TABLE web_sessions (
    sid_hash    TEXT PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX web_sessions_member ON web_sessions(member_id);

-- Why an attachment has no (or only part of its) text in the index: over a cap or a budget.
ALTER TABLE attachments ADD COLUMN text_note TEXT NOT NULL DEFAULT '';
