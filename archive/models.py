"""The archive's nouns, as frozen dataclasses built from rows."""

from __future__ import annotations

from dataclasses import dataclass, field

DELIVERY_MODES = ("each", "digest", "none")
ROLES = ("member", "admin")


@dataclass(frozen=True)
class Org:
    id: int
    slug: str
    name: str
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    org_id: int
    org_slug: str
    org_name: str
    dept: str
    is_org_admin: bool
    is_admin: bool
    active: bool
    email: str                      # the primary address
    lang: str = "ja"
    reading: str = ""               # ふりがな in hiragana ('' unknown): the directory sorts by it
    is_rep: bool = False            # 課代表ユーザー: their department's representative


@dataclass(frozen=True)
class Space:
    id: int
    slug: str
    title: str
    description: str = ""
    state: str = "open"             # open | closed (read-only: readable, no new posts, mail refused)

    @property
    def closed(self) -> bool:
        return self.state == "closed"

    def address(self, domain: str) -> str:
        return f"{self.slug}@{domain}"


@dataclass(frozen=True)
class Membership:
    space_id: int
    member_id: int
    role: str
    mode: str


@dataclass(frozen=True)
class Thread:
    id: int
    space_id: int
    subject: str
    norm_subject: str
    token: str
    created_at: str
    last_post_at: str
    post_count: int


@dataclass(frozen=True)
class Attachment:
    id: int
    post_id: int
    position: int
    filename: str | None
    content_type: str
    size: int | None
    sha256: str
    content_id: str = ""


@dataclass(frozen=True)
class Post:
    id: int
    space_id: int
    thread_id: int
    message_id: str
    in_reply_to: str
    refs: str
    author_id: int | None
    from_name: str
    from_address: str
    date_utc: str
    tz_offset_min: int
    subject: str
    body_text: str
    body_html: str
    reply_text: str
    quoted_text: str
    signature: str
    raw_sha256: str
    source: str
    created_at: str
    attachments: tuple[Attachment, ...] = field(default=())
    # Who the author was when the post was stored (their organization's name, their department).
    author_org_name: str = ""
    author_dept: str = ""
    sender_assurance: str = "none"          # relay | dkim | spf | upstream | none | web (archive/assurance)
    assurance_evidence: str = ""            # JSON object: what the gateway saw
    imported_from: str = ""         # '' live mail or web; mbox | maildir | eml | msg (issue 13)
    confidence: str = "high"                    # how sure the reply extraction was: "high" | "low"
    confidence_reasons: tuple[str, ...] = ()    # reason codes when low (bridge.replies.confidence)
    thread_index: str = ""                      # Outlook conversation id (hex of Thread-Index's first 22 bytes)


@dataclass(frozen=True)
class SpoolEntry:
    id: int
    received_at: str
    mail_from: str
    rcpts: tuple[str, ...]
    size: int
    status: str
    decided_by: str
    error: str
    attempts: int
    raw_sha256: str
    sender_assurance: str = "none"
    assurance_evidence: str = ""
    peer: str = ""                  # who handed it in: the client's address, or import:KIND:LOCATION
