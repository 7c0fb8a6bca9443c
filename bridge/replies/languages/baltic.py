"""Lithuanian and Latvian."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FROM, SEPARATOR, WROTE, rows

ROWS = (
    *rows("lt", "Thunderbird / Gmail", WROTE, ("rašė", "2024-05-13, pr, 10:21 Jonas Kazlauskas <jonas@example.lt> rašė:"), inside=True),
    *rows("lt", "Outlook / Thunderbird", SEPARATOR, ("Originalus (?:laiškas|pranešimas)", "-------- Originalus laiškas --------")),
    *rows("lt", "Outlook", FROM, ("Nuo", "Nuo: Jonas Kazlauskas <jonas@example.lt>")),
    *rows("lt", "Outlook", FIELD, ("Išsiųsta", "Išsiųsta: 2024 m. gegužės 13 d. 10:21"), ("Kam", "Kam: Ken Sato")),
    *rows("lv", "Thunderbird / Gmail", WROTE, ("rakstīja", "pirmd., 2024. g. 13. maijs, plkst. 10:21 — lietotājs Jānis Bērziņš (<janis@example.lv>) rakstīja:"),
          inside=True),
    *rows("lv", "Outlook / Thunderbird", SEPARATOR, ("Sākotnējā vēstule", "-------- Sākotnējā vēstule --------"),
          ("Sākotnējais ziņojums", "-----Sākotnējais ziņojums-----")),
    *rows("lv", "Outlook", FIELD, ("Nosūtīts", "Nosūtīts: 2024. gada 13. maijs 10:21"), ("Tēma", "Tēma: Protokols")),
)
