"""The audit log's org.policy entries, as the sender-assurance tests read them."""

from __future__ import annotations

import json


async def policy_entries(db) -> list[dict]:
    rows = await db.fetchall("SELECT actor, client, action, target, detail FROM audit_log "
                             "WHERE action = 'org.policy' ORDER BY id")
    return [dict(r) | {"detail": json.loads(r["detail"])} for r in rows]
