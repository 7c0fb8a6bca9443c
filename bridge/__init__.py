"""Mail in and out, by stage: gateway (SMTP/LMTP session and spool) → ingest (parse, extract,
thread, store) → outbound (notifications, digests); inquiries beside them. Imports archive only;
addresses.py and subjects.py are the shared rules every stage may use."""
