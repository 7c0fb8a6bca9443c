"""Reply extraction (placeholder: the extraction work replaces it)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    reply_text: str
    quoted_text: str
    signature: str


_ATTRIBUTION = re.compile(r"^(On .* wrote:|.*<[^>]+>:)\s*$")


def extract_reply(body_text: str, body_html: str = "") -> Reply:
    lines = body_text.replace("\r\n", "\n").split("\n")
    new, quoted, signature = [], [], []
    target = new
    for line in lines:
        if line.rstrip() in ("-- ", "--") and target is new:
            target = signature
        if line.startswith(">") or _ATTRIBUTION.match(line):
            quoted.append(line)
            continue
        target.append(line)
    return Reply("\n".join(new).strip() + "\n" if any(x.strip() for x in new) else "",
                 "\n".join(quoted).strip(), "\n".join(signature).strip())
