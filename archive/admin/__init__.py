"""Administration: the one role check, the one audit log, the staff directory, member management
and bulk registration by CSV.

    roles.py       who may do what (beside archive.access.can_read, which says who may read)
    audit.py       the append-only, hash-chained audit log: record, list, verify
    directory.py   職員名簿: organizations → departments → people, Japanese order
    kana.py        the sort and search keys of Japanese names
    people.py      adding, changing, deactivating and reactivating members (checked, audited)
    organizations.py  adding and changing organizations (checked, audited)
    csvfile.py     reading and writing the member CSV (UTF-8, UTF-8 with BOM, CP932)
    importing.py   a CSV file's plan (the preview) and its all-or-nothing apply
"""
