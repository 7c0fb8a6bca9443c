"""Arabic and Hebrew (written right to left: clients wrap names and addresses in bidi controls)."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FORWARD, FROM, OPENER, SEPARATOR, TAGLINE, WROTE, rows

ROWS = (
    *rows("ar", "Thunderbird / Gmail / Apple Mail", WROTE,
          ("كتب", "في الاثنين، 13 مايو 2024 في 10:21 ص، كتب Ahmed Hassan <ahmed@example.eg>:"), inside=True),
    *rows("ar", "Gmail / Apple Mail", OPENER, ("في", "في 13 مايو 2024، الساعة 10:21، كتب أحمد حسن:")),
    *rows("ar", "Outlook / Thunderbird", SEPARATOR, ("الرسالة الأصلي(?:ّ)?ة", "-----الرسالة الأصلية-----")),
    *rows("ar", "Thunderbird", FORWARD, ("رسالة ممر(?:ّ)?رة", "-------- رسالة ممرّرة --------")),
    *rows("ar", "Outlook", FROM, ("من", "من: أحمد حسن <ahmed@example.eg>")),
    *rows("ar", "Outlook", FIELD, ("تم الإرسال", "تم الإرسال: الاثنين، 13 مايو 2024 10:21 ص"), ("إلى", "إلى: Ken Sato"),
          ("الموضوع", "الموضوع: محضر الاجتماع"), ("التاريخ", "التاريخ: 13 مايو 2024")),
    *rows("ar", "iOS Mail", TAGLINE, (r"أ?ُ?رسلت من (?:الـ ?)?{d}", "أُرسلت من الـ iPhone")),
    *rows("he", "Thunderbird / Apple Mail", WROTE, ("כתב(?:/ה|ה)?", "ב-13 במאי 2024, בשעה 10:21, דנה כהן <dana@example.co.il> כתב/ה:"),
          inside=True),
    *rows("he", "Thunderbird", OPENER, ("נכתב על ידי", "נכתב על ידי דנה כהן, ב־13/05/2024 בשעה 10:21:"), inside=True),
    *rows("he", "Gmail", OPENER, ("בתאריך", "\u202bבתאריך יום ב׳, 13 במאי 2024 ב-10:21 מאת \u202aדנה כהן\u202c <\u200edana@example.co.il\u200e>:\u202c")),
    *rows("he", "Outlook / Thunderbird", SEPARATOR, ("הודעה מקורית", "-------- הודעה מקורית --------")),
    *rows("he", "Thunderbird", FORWARD, ("הודעה שהועברה", "-------- הודעה שהועברה --------")),
    *rows("he", "Outlook", FROM, ("מאת", "מאת: דנה כהן <dana@example.co.il>")),
    *rows("he", "Outlook", FIELD, ("נשלח", "נשלח: יום שני 13 מאי 2024 10:21"), ("אל", "אל: Ken Sato"), ("נושא", "נושא: סיכום")),
    *rows("he", "iOS Mail", TAGLINE, (r"נשלח מה-?{d}", "נשלח מה-iPhone שלי")),
)
