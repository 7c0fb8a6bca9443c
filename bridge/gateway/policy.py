"""Posting policy: small pure rules, read in order; the first that refuses decides.

Each rule looks at the facts of one message (gathered by the SMTP handler) and
returns a Decision to refuse it, or None. The rule's name is recorded with the
refusal, so an admin can see why a message was turned away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

REPLY_TOO_BIG = "552 5.3.4 Message too big for this space: the limit is {limit_mb} MB. Share large files another way"
REPLY_LOOP = "554 5.4.6 Mail loop detected: this message came from kairan itself"
REPLY_AUTO_REPLY = "550 5.7.1 Automatic replies and bulk mail are not accepted by spaces"
REPLY_BOUNCE = "550 5.7.1 Delivery reports are not accepted by spaces"
REPLY_NOT_MEMBER = ("550 5.7.1 {address} is not a member of space {slug}: "
                    "ask the space's admin to add you, or send from your registered address")
REPLY_NO_FROM = "550 5.7.1 The message has no From address: kairan can't tell who sent it"


@dataclass(frozen=True)
class SpaceFacts:
    slug: str
    from_is_member: bool
    envelope_is_member: bool


@dataclass(frozen=True)
class MailFacts:
    size: int
    size_limit: int
    envelope_sender: str
    from_address: str
    auto_submitted: str = ""
    precedence: str = ""
    x_loops: tuple[str, ...] = ()
    message_id: str = ""
    our_domain: str = ""
    our_loop_marker: str = ""
    spaces: tuple[SpaceFacts, ...] = field(default=())


@dataclass(frozen=True)
class Decision:
    rule: str
    reply: str


def too_big(mail: MailFacts) -> Decision | None:
    if mail.size > mail.size_limit:
        return Decision("too_big", REPLY_TOO_BIG.format(limit_mb=mail.size_limit // (1024 * 1024)))
    return None


def our_own_loop(mail: MailFacts) -> Decision | None:
    marker = mail.our_loop_marker.lower()
    if marker and any(value.strip().lower() == marker for value in mail.x_loops):
        return Decision("our_own_loop", REPLY_LOOP)
    if mail.our_domain and mail.message_id.lower().rstrip(">").endswith("@" + mail.our_domain.lower()):
        return Decision("our_own_loop", REPLY_LOOP)
    return None


def from_our_domain(mail: MailFacts) -> Decision | None:
    if mail.our_domain and mail.from_address.lower().endswith("@" + mail.our_domain.lower()):
        return Decision("from_our_domain", REPLY_LOOP)
    return None


def delivery_report(mail: MailFacts) -> Decision | None:
    local = mail.from_address.split("@", 1)[0].lower()
    if mail.envelope_sender in ("", "<>") or local in ("mailer-daemon", "postmaster"):
        return Decision("delivery_report", REPLY_BOUNCE)
    return None


def auto_submitted(mail: MailFacts) -> Decision | None:
    value = mail.auto_submitted.strip().lower()
    if value and value != "no":
        return Decision("auto_submitted", REPLY_AUTO_REPLY)
    return None


def bulk_precedence(mail: MailFacts) -> Decision | None:
    if mail.precedence.strip().lower() in ("bulk", "junk", "list"):
        return Decision("bulk_precedence", REPLY_AUTO_REPLY)
    return None


def no_from(mail: MailFacts) -> Decision | None:
    if "@" not in mail.from_address:
        return Decision("no_from", REPLY_NO_FROM)
    return None


def sender_not_member(mail: MailFacts) -> Decision | None:
    for space in mail.spaces:
        if not space.from_is_member:
            return Decision("sender_not_member", REPLY_NOT_MEMBER.format(address=mail.from_address, slug=space.slug))
        if not space.envelope_is_member:
            return Decision("sender_not_member",
                            REPLY_NOT_MEMBER.format(address=mail.envelope_sender, slug=space.slug))
    return None


Rule = Callable[[MailFacts], "Decision | None"]

POLICY_RULES: tuple[Rule, ...] = (
    too_big,
    our_own_loop,
    from_our_domain,
    delivery_report,
    auto_submitted,
    bulk_precedence,
    no_from,
    sender_not_member,
)

ACCEPTED_BY = "accepted"


def decide(mail: MailFacts, rules: tuple[Rule, ...] = POLICY_RULES) -> Decision | None:
    for rule in rules:
        decision = rule(mail)
        if decision is not None:
            return decision
    return None
