"""Command groups (`kairan org …`, `kairan user …`) that several command modules extend.

A module asks for its group by name and adds its actions; the first to ask creates it. The
groups live on the parser being built, so nothing outlives one `build_parser()`.
"""

from __future__ import annotations


def group(sub, common, name: str, help: str):
    """The subparsers of `kairan NAME`, created on first use."""
    groups = getattr(sub, "kairan_groups", None)
    if groups is None:
        groups = sub.kairan_groups = {}
    if name not in groups:
        actions = sub.add_parser(name, parents=[common], help=help).add_subparsers(dest="action", metavar="ACTION")
        actions.required = True
        groups[name] = actions
    return groups[name]
