"""The audit log's org.policy entries, as the sender-assurance tests read them."""

from __future__ import annotations

import json


async def policy_entries(db) -> list[dict]:
    if not await db.fetchone("SELECT 1 FROM sqlite_master WHERE name = 'stub_audit'"):
        return []
    rows = await db.fetchall("SELECT * FROM stub_audit WHERE action = 'org.policy'")
    return [{"actor": r["actor"], "action": r["action"], "target": r["target"], "detail": json.loads(r["detail"])}
            for r in rows]
