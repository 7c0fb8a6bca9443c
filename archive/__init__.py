"""The domain and its storage. Imports nothing of kairan's other packages."""
