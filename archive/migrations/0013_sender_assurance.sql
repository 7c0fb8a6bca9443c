-- Sender assurance (issue 18): each organization's policy, and how each message's sender was verified.

-- Trusted relays (JSON list of CIDRs), whether its mail is DKIM-signed, and what happens to
-- mail that can't be verified: none (record only), mark (accept, mark the post), require (refuse).
CREATE TABLE org_assurance (
    org_id      INTEGER PRIMARY KEY REFERENCES orgs(id),
    relays      TEXT NOT NULL DEFAULT '[]',
    dkim        TEXT NOT NULL DEFAULT 'optional' CHECK (dkim IN ('optional', 'expected')),
    level       TEXT NOT NULL DEFAULT 'none' CHECK (level IN ('none', 'mark', 'require')),
    updated_at  TEXT NOT NULL
);

-- Decided in the SMTP session, carried by the spool row to the post. Evidence: a JSON object
-- (client address and how it was learnt, relay matched, DKIM signatures, SPF, upstream result,
-- the policy at the time, a temporary failure). 'web': posted by a signed-in member.
ALTER TABLE spool ADD COLUMN sender_assurance TEXT NOT NULL DEFAULT 'none';
ALTER TABLE spool ADD COLUMN assurance_evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN sender_assurance TEXT NOT NULL DEFAULT 'none'
    CHECK (sender_assurance IN ('relay', 'dkim', 'spf', 'upstream', 'none', 'web'));
ALTER TABLE posts ADD COLUMN assurance_evidence TEXT NOT NULL DEFAULT '';
