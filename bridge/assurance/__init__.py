"""Sender assurance: did the member's own organization really send this message?

Evidence, in order: the client is a trusted relay of the sender's organization; a valid
DKIM signature aligned with From; SPF pass for an aligned envelope domain; an
Authentication-Results header by a trusted upstream relay. The gateway asks `SenderCheck`
at the end of DATA; the verdict travels with the spool row to the post.
"""
