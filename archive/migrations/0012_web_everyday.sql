-- Everyday web use (issue 17): API tokens carry a name the member gives them (what they are for),
-- so the profile page can list them.
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';

-- A member may turn off sign-in by one-time link (then only the password signs them in).
ALTER TABLE members ADD COLUMN link_signin INTEGER NOT NULL DEFAULT 1;
