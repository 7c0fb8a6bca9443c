"""The domain and its storage (SQLite through aiosqlite, the blob store, migrations) and the one
access check (access.py). Imports nothing of kairan's other packages; a feature with several
modules has its own subpackage (inquiries/)."""
