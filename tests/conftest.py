"""Shared pytest hooks: show the extraction score table in the terminal summary."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    table = getattr(config, "_extraction_scores", None)
    if table:
        terminalreporter.section("extraction scores")
        terminalreporter.write_line(table)
