"""The pipeline after the 250: spool → parse → extract → thread → one archive transaction.

Composes parsing and replies (understand.py) and detects inquiries; may import every bridge
stage but gateway and outbound."""
