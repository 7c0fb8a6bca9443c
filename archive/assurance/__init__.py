"""Sender assurance: per-organization policy (trusted relays, DKIM, enforcement level)."""
