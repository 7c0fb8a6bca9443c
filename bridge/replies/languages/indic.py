"""Hindi and Bengali."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FROM, SEPARATOR, TAGLINE, WROTE, rows

ROWS = (
    *rows("hi", "Gmail", WROTE, ("ने लिखा", "सोम, 13 मई 2024 को 10:21 am बजे Rahul Sharma <rahul@example.in> ने लिखा:"), inside=True),
    *rows("hi", "Outlook", SEPARATOR, ("मूल संदेश", "-----मूल संदेश-----")),
    *rows("hi", "Outlook", FROM, ("प्रेषक", "प्रेषक: राहुल शर्मा <rahul@example.in>")),
    *rows("hi", "Outlook", FIELD, ("भेजा गया", "भेजा गया: सोमवार, 13 मई 2024 10:21"), ("विषय", "विषय: बैठक")),
    *rows("hi", "iOS Mail", TAGLINE, (r"मेरे {d} से भेजा गया", "मेरे iPhone से भेजा गया")),
    *rows("bn", "Gmail", WROTE, ("লিখেছেন", "সোম, ১৩ মে, ২০২৪ ১০:২১ AM তারিখে Rahim Uddin <rahim@example.bd> লিখেছেন:"), inside=True),
)
