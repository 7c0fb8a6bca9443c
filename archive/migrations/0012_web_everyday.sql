-- Everyday web use (issue 17): API tokens carry a name the member gives them (what they are for),
-- so the profile page can list them.
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
