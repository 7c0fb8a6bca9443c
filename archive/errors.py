"""Errors the archive raises; each message is a sentence a person can act on.

    ArchiveError
     ├── NotFound        the thing asked for does not exist (or may not be seen)
     ├── Conflict        it exists already, or would break a rule of the data
     ├── Invalid         the input itself is wrong
     └── Forbidden       the asker's role does not allow it (archive.admin.roles; web 403, CLI exit 1)
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
