"""Mail that kairan sends: notifications, digests, sign-in links, through a relay or the Maildir.

May import archive and bridge.addresses/subjects; nothing of gateway, parsing, replies or ingest."""
