"""Finnish, Hungarian, Estonian."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FORWARD, FROM, SEPARATOR, TAGLINE, WROTE, rows

ROWS = (
    *rows("fi", "Thunderbird / Gmail / Apple Mail", WROTE,
          ("kirjoitti", "ma 13.5.2024 klo 10.21 Matti Virtanen (matti.virtanen@example.fi) kirjoitti:"), inside=True),
    *rows("fi", "Outlook / Thunderbird", SEPARATOR, ("Alkuperäinen viesti", "-----Alkuperäinen viesti-----")),
    *rows("fi", "Thunderbird", FORWARD, ("Välitetty viesti", "-------- Välitetty viesti / Fwd.Msg --------")),
    *rows("fi", "Outlook", FROM, ("Lähettäjä", "Lähettäjä: Matti Virtanen <matti.virtanen@example.fi>")),
    *rows("fi", "Outlook", FIELD, ("Lähetetty", "Lähetetty: 13. toukokuuta 2024 10.21"),
          ("Vastaanottaja", "Vastaanottaja: Ken Sato"), ("Aihe", "Aihe: Pöytäkirja"), ("Päivämäärä", "Päivämäärä: 13.5.2024")),
    *rows("fi", "iOS Mail", TAGLINE, (r"Lähetetty (?:laitteesta )?{d}", "Lähetetty iPhonesta")),
    *rows("hu", "Thunderbird / Gmail", WROTE, ("írta", "Kovács Péter <peter.kovacs@example.hu> ezt írta (időpont: 2024. máj. 13., H, 10:21):"),
          inside=True),
    *rows("hu", "Outlook / Thunderbird", SEPARATOR, ("Eredeti üzenet", "-----Eredeti üzenet-----")),
    *rows("hu", "Thunderbird", FORWARD, ("Továbbított üzenet", "-------- Továbbított üzenet --------")),
    *rows("hu", "Outlook", FROM, ("Feladó", "Feladó: Kovács Péter <peter.kovacs@example.hu>")),
    *rows("hu", "Outlook", FIELD, ("Elküldve", "Elküldve: 2024. május 13. 10:21"), ("Címzett", "Címzett: Sato Ken"),
          ("Tárgy", "Tárgy: Jegyzőkönyv")),
    *rows("hu", "iOS Mail", TAGLINE, (r"{d}.{0,12}(?:küldve|küldöm)", "iPhone-ról küldve")),
    *rows("et", "Thunderbird / Gmail", WROTE, ("kirjutas", "E, 13. mai 2024 kell 10:21 Mari Tamm <mari@example.ee> kirjutas:"), inside=True),
    *rows("et", "Thunderbird", SEPARATOR, ("Algne (?:kiri|sõnum)", "-------- Algne kiri --------")),
    *rows("et", "Outlook", FROM, ("Saatja", "Saatja: Mari Tamm <mari@example.ee>")),
    *rows("et", "Outlook", FIELD, ("Saadetud", "Saadetud: 13. mai 2024 10:21"), ("Teema", "Teema: Protokoll")),
)
