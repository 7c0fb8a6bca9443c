"""Indonesian, Malay, Filipino."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FORWARD, FROM, OPENER, SEPARATOR, TAGLINE, WROTE, rows

ROWS = (
    *rows("id", "Thunderbird / Gmail", WROTE,
          ("menulis", "Pada tanggal Sen, 13 Mei 2024 pukul 10.21 Budi Santoso <budi@example.co.id> menulis:"), inside=True),
    *rows("id", "Gmail / Thunderbird", OPENER, ("Pada(?: tanggal)?", "Pada 13/05/2024 10:21, Budi Santoso menulis:")),
    *rows("id", "Outlook / Thunderbird", SEPARATOR, ("Pesan Asli", "-------- Pesan Asli --------")),
    *rows("id", "Thunderbird", FORWARD, ("Pesan Diteruskan", "-------- Pesan Diteruskan --------")),
    *rows("id", "Outlook", FROM, ("Dari", "Dari: Budi Santoso <budi@example.co.id>")),
    *rows("id", "Outlook", FIELD, ("Dikirim", "Dikirim: Senin, 13 Mei 2024 10.21"), ("Kepada", "Kepada: Ken Sato"),
          ("Perihal", "Perihal: Notulen rapat"), ("Subjek", "Subjek: Notulen rapat"), ("Tanggal", "Tanggal: 13 Mei 2024")),
    *rows("id", "iOS Mail", TAGLINE, (r"Dikirim dari {d}", "Dikirim dari iPhone saya")),
    *rows("ms", "Thunderbird", WROTE, ("membalas", "Pada 13/05/2024 10:21, Siti Aminah membalas:"), inside=True),
    *rows("ms", "Outlook / Thunderbird", SEPARATOR, ("Mesej Asal", "-------- Mesej Asal --------")),
    *rows("ms", "Outlook", FROM, ("Daripada", "Daripada: Siti Aminah <siti@example.my>")),
    *rows("ms", "Outlook", FIELD, ("Dihantar", "Dihantar: Isnin, 13 Mei 2024 10:21 PG")),
    *rows("ms", "iOS Mail", TAGLINE, (r"Dihantar dari {d}", "Dihantar dari iPhone saya")),
    *rows("tl", "Gmail", WROTE, ("ay sumulat", "Noong Lun, Mayo 13, 2024 nang 10:21 AM, si Maria Santos <maria@example.ph> ay sumulat:"),
          inside=True),
)
