"""Greek."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FORWARD, FROM, OPENER, SEPARATOR, TAGLINE, WROTE, rows

ROWS = (
    *rows("el", "Thunderbird / Gmail", WROTE,
          ("έγραψε", "Στις Δευ 13 Μαΐ 2024 στις 10:21, ο/η Νίκος Παπαδόπουλος <nikos@example.gr> έγραψε:"), inside=True),
    *rows("el", "Gmail / Thunderbird", OPENER, ("Στις", "Στις 13/5/2024 10:21, ο/η Νίκος Παπαδόπουλος έγραψε:")),
    *rows("el", "Outlook / Thunderbird", SEPARATOR, ("Αρχικό μήνυμα", "-------- Αρχικό μήνυμα --------")),
    *rows("el", "Thunderbird", FORWARD, ("Προωθημένο μήνυμα", "-------- Προωθημένο μήνυμα --------")),
    *rows("el", "Outlook", FROM, ("Από", "Από: Νίκος Παπαδόπουλος <nikos@example.gr>")),
    *rows("el", "Outlook", FIELD, ("Στάλθηκε", "Στάλθηκε: Δευτέρα, 13 Μαΐου 2024 10:21"), ("Προς", "Προς: Ken Sato"),
          ("Θέμα", "Θέμα: Πρακτικά")),
    *rows("el", "iOS Mail", TAGLINE, (r"Στάλθηκε από (?:το )?{d}", "Στάλθηκε από το iPhone μου")),
)
