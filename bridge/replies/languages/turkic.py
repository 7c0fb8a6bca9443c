"""Turkish, Kazakh, Uzbek."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FORWARD, FROM, SEPARATOR, TAGLINE, WROTE, rows

ROWS = (
    *rows("tr", "Thunderbird / Gmail / Apple Mail", WROTE,
          ("yazdı", "13.05.2024 10:21 tarihinde Ayşe Yılmaz yazdı:"),
          ("şunu yazdı", "Ayşe Yılmaz <ayse@example.com.tr>, 13 May 2024 Pzt, 10:21 tarihinde şunu yazdı:"),
          ("şunları yazdı", "13 May 2024 tarihinde 10:21 saatinde, Ayşe Yılmaz <ayse@example.com.tr> şunları yazdı:"),
          inside=True),
    *rows("tr", "Outlook / Thunderbird", SEPARATOR, ("Özgün İleti", "-------- Özgün İleti --------"),
          ("Orijinal (?:İleti|Mesaj)", "-----Orijinal Mesaj-----")),
    *rows("tr", "Thunderbird", FORWARD, ("İletilen İleti", "-------- İletilen İleti --------")),
    *rows("tr", "Outlook", FROM, ("Kimden", "Kimden: Ayşe Yılmaz <ayse@example.com.tr>")),
    *rows("tr", "Outlook", FIELD, ("Gönderildi", "Gönderildi: 13 Mayıs 2024 Pazartesi 10:21"), ("Kime", "Kime: Ken Sato"),
          ("Konu", "Konu: Toplantı notları"), ("Tarih", "Tarih: 13 Mayıs 2024"), ("Bilgi", "Bilgi: Ekip")),
    *rows("tr", "iOS Mail", TAGLINE, (r"{d}.{0,12}(?:gönderildi)", "iPhone'umdan gönderildi")),
    *rows("kk", "Thunderbird", WROTE, ("жазған", "13.05.2024 10:21 уақытында, Айгүл Сейіт жазған:"), inside=True),
    *rows("uz", "Thunderbird", WROTE, ("yozdi", "13.05.2024 10:21, Dilnoza Karimova da yozdi:"), inside=True),
    *rows("uz", "Thunderbird", SEPARATOR, ("Asl xabar", "-------- Asl xabar --------")),
)
