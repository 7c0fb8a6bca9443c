"""Inquiries (照会) in the archive: who was asked, by when (records), who answered (status), what
waits for whom (waiting). Imports only archive."""
