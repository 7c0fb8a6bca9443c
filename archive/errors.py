"""Errors the archive raises; each message is a sentence a person can act on.

    ArchiveError
     ├── NotFound        the thing asked for does not exist (or may not be seen)
     ├── Conflict        it exists already, or would break a rule of the data
     └── Invalid         the input itself is wrong
"""


class ArchiveError(Exception):
    pass


class NotFound(ArchiveError):
    pass


class Conflict(ArchiveError):
    pass


class Invalid(ArchiveError):
    pass
