-- Replies stored before their parent, live or imported, wait for it in one table (archive.orphans):
-- the import's table becomes the one both use. Found by key, never by scanning a space's posts.
ALTER TABLE import_orphans RENAME TO awaited_parents;
CREATE INDEX awaited_parents_thread ON awaited_parents(thread_id);
-- Replies already stored whose parent never came keep waiting for it (live ingest found them by
-- scanning before; now they are rows like any other).
INSERT OR IGNORE INTO awaited_parents (space_id, message_id, thread_id)
    SELECT p.space_id, p.in_reply_to, p.thread_id FROM posts p
    WHERE p.in_reply_to != ''
      AND NOT EXISTS (SELECT 1 FROM posts q WHERE q.space_id = p.space_id AND q.message_id = p.in_reply_to);
