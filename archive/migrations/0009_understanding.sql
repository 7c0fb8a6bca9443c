-- Issue 14 (mail understanding): how sure the reply extraction was, and Outlook's conversation id.
-- confidence: 'high' | 'low'; confidence_reasons: reason codes, one per line (bridge.replies.confidence).
-- thread_index: the first 22 bytes of the Thread-Index header (hex), '' when missing: every reply in
-- one Outlook conversation shares them, so a reply whose References were cut still finds its thread.
ALTER TABLE posts ADD COLUMN confidence TEXT NOT NULL DEFAULT 'high';
ALTER TABLE posts ADD COLUMN confidence_reasons TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN thread_index TEXT NOT NULL DEFAULT '';
CREATE INDEX posts_space_thread_index ON posts(space_id, thread_index) WHERE thread_index != '';
CREATE INDEX posts_low_confidence ON posts(created_at) WHERE confidence = 'low';
CREATE INDEX posts_in_reply_to ON posts(space_id, in_reply_to) WHERE in_reply_to != '';
