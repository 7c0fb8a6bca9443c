"""Operating a data folder: consistent backups, integrity checks, and the figures monitoring reads."""
