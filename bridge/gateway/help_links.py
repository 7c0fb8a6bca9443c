"""Refusals people can read: each SMTP refusal names a page on kairan's web that explains it.

SMTP replies are ASCII and short, so the sentence stays English; the page
(Japanese first) says why the mail was refused and what to do. Staff see the
link in the bounce their own mail server writes. The pages themselves are
web's (`/help/refused/NAME`); this table says which rule points to which.
"""

from __future__ import annotations

HELP_PATH = "/help/refused/"

PAGES = {
    "no_such_space": "unknown-space",
    "no_such_thread": "unknown-thread",
    "envelope_not_member": "not-member",
    "sender_not_member": "not-member",
    "space_closed": "closed",
    "too_big": "too-big",
    "too_many_recipients": "too-many-recipients",
    "auto_submitted": "auto-reply",
    "bulk_precedence": "auto-reply",
    "delivery_report": "auto-reply",
    "our_own_loop": "loop",
    "from_our_domain": "loop",
    "no_from": "no-from",
}


def help_url(base_url: str, rule: str) -> str:
    """The page for a rule (the index of all refusals for a rule without its own page)."""
    return base_url.rstrip("/") + HELP_PATH + PAGES.get(rule, "")


def with_help(reply: str, rule: str, base_url: str) -> str:
    """`reply` with the page's address appended, in ASCII; unchanged when there is no base_url."""
    if not base_url:
        return reply
    return (reply.rstrip(". ") + f" (see {help_url(base_url, rule)})").encode("ascii", "replace").decode("ascii")
