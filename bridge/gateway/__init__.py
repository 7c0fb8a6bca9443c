"""The SMTP/LMTP session: resolve recipients, apply the policy, spool durably, answer.

May import archive, bridge.addresses and bridge.parsing.headers (for the header block); nothing of
ingest, replies, outbound or inquiries."""
