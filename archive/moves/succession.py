"""A successor (後任) takes over a leaver's spaces: the one rule, for moves and `user deactivate`.

The successor gets every membership of the leaver that they don't have, with the same delivery
mode and role; where they are a member already and the leaver was the space's admin, they become
admin, so no space loses its admin when the leaver goes. Inquiries need nothing: they are asked
of organizations, never of people, and stay pending for the organization.
"""

from __future__ import annotations

from archive.admin.audit import Actor, record
from archive.db import Tx


async def hand_over(tx: Tx, actor: Actor, leaver_id: int, successor_id: int, now_iso: str,
                    why: str) -> list[dict]:
    """Inside the caller's transaction; returns [{space, role, mode, change}] and audits each."""
    rows = await tx.fetchall(
        """SELECT s.slug, ms.space_id, ms.role, ms.mode, mine.role AS have_role
           FROM memberships ms JOIN spaces s ON s.id = ms.space_id
           LEFT JOIN memberships mine ON mine.space_id = ms.space_id AND mine.member_id = ?
           WHERE ms.member_id = ? ORDER BY s.slug""", (successor_id, leaver_id))
    successor = await tx.fetchval(
        "SELECT address FROM member_addresses WHERE member_id = ? ORDER BY is_primary DESC, address LIMIT 1",
        (successor_id,))
    moved = []
    for row in rows:
        if row["have_role"] is None:
            await tx.execute("INSERT INTO memberships (space_id, member_id, role, mode, joined_at) VALUES (?,?,?,?,?)",
                             (row["space_id"], successor_id, row["role"], row["mode"], now_iso))
            change = {"space": row["slug"], "role": row["role"], "mode": row["mode"], "change": "added"}
            await record(tx, actor, "space.member.add", f"space:{row['slug']}",
                         {"member": successor, "role": row["role"], "mode": row["mode"], "why": why})
        elif row["role"] == "admin" and row["have_role"] != "admin":
            await tx.execute("UPDATE memberships SET role = 'admin' WHERE space_id = ? AND member_id = ?",
                             (row["space_id"], successor_id))
            change = {"space": row["slug"], "role": "admin", "mode": None, "change": "made admin"}
            await record(tx, actor, "space.member.change", f"space:{row['slug']}",
                         {"member": successor, "before": {"role": row["have_role"]}, "after": {"role": "admin"},
                          "why": why})
        else:
            continue
        moved.append(change)
    return moved

