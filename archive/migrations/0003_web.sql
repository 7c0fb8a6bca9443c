-- The web archive: what each member has read, and one-time sign-in links.

-- How many posts of a thread the member had seen when they last opened it;
-- unread = threads.post_count - read_count.
CREATE TABLE thread_reads (
    member_id   INTEGER NOT NULL REFERENCES members(id),
    thread_id   INTEGER NOT NULL REFERENCES threads(id),
    read_count  INTEGER NOT NULL,
    read_at     TEXT NOT NULL,
    PRIMARY KEY (member_id, thread_id)
);
CREATE INDEX thread_reads_thread ON thread_reads(thread_id);

-- A sign-in link sent by mail: only the SHA-256 of its token is kept; usable once, until expires_at.
CREATE TABLE signin_links (
    token_sha256 TEXT PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
CREATE INDEX signin_links_member ON signin_links(member_id, created_at);
