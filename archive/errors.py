"""Errors the archive raises; each message is a sentence a person can act on.

    ArchiveError
     ├── NotFound        the thing asked for does not exist (or may not be seen)
     ├── Conflict        it exists already, or would break a rule of the data
     ├── Invalid         the input itself is wrong
     └── Forbidden       the asker's role does not allow it (archive.admin.roles; web 403, CLI exit 1)
    OverBudget           a task over its time/memory budget, or its worker died (kairan.pool)
"""


class ArchiveError(Exception):
    pass


class NotFound(ArchiveError):
    pass


class Conflict(ArchiveError):
    pass


class Invalid(ArchiveError):
    pass


class Forbidden(ArchiveError):
    pass


class OverBudget(Exception):
    """A task ran out of its time or memory budget, or its worker process died (kairan.pool).

    `reason` is one of "time", "memory", "died", "error"; the message says which budget."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
