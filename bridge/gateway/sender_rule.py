"""The DATA rule of sender assurance: refuse unverified mail where the organization requires it.

Beside the rule table (policy.py): its facts need DNS, so the handler asks for them only
after the cheap rules have passed. Under `none` and `mark` nothing is refused here; the
verdict is recorded on the post.
"""

from __future__ import annotations

from bridge.assurance.evaluate import Verdict
from bridge.gateway.policy import Decision

REPLY_UNVERIFIED = ("550 5.7.1 kairan could not verify that {address} sent this through {org}'s mail servers "
                    "(no trusted relay, DKIM or SPF): {org} requires it. Send from your organization's own "
                    "mail system{help}")
REPLY_UNVERIFIED_LATER = ("451 4.7.0 kairan could not verify the sender right now (DNS did not answer): "
                          "please try again later")


def sender_unverified(verdict: Verdict, from_address: str, help_url: str = "") -> Decision | None:
    if verdict.verified or verdict.level != "require":
        return None
    if verdict.temporary:
        return Decision("sender_unverified_temporary", REPLY_UNVERIFIED_LATER)
    org = verdict.evidence.get("org", "the organization")
    return Decision("sender_unverified", REPLY_UNVERIFIED.format(
        address=from_address, org=org, help=f"; see {help_url}" if help_url else ""))
