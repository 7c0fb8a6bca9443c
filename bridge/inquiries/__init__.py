"""Inquiries (照会) on the mail side: detect them in mail, read deadlines, plan reminders, digest sections.

May import archive, bridge.outbound (to send reminders) and the shared rules; not gateway or ingest."""
