"""Vietnamese (Austroasiatic) and Thai (Kra-Dai)."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FORWARD, FROM, OPENER, SEPARATOR, TAGLINE, WROTE, rows

ROWS = (
    *rows("vi", "Thunderbird / Gmail", WROTE,
          ("đã viết", "Vào Th 2, 13 thg 5, 2024 vào lúc 10:21 Nguyễn Văn An <an@example.vn> đã viết:"), inside=True),
    *rows("vi", "Gmail / Thunderbird", OPENER, ("Vào(?: lúc)?", "Vào lúc 10:21 13/05/2024, Nguyễn Văn An đã viết:")),
    *rows("vi", "Outlook / Thunderbird", SEPARATOR, ("Thư gốc", "-------- Thư gốc --------")),
    *rows("vi", "Thunderbird", FORWARD, ("Tin nhắn đã được chuyển tiếp", "-------- Tin nhắn đã được chuyển tiếp --------")),
    *rows("vi", "Outlook", FROM, ("Từ", "Từ: Nguyễn Văn An <an@example.vn>")),
    *rows("vi", "Outlook", FIELD, ("Đã gửi", "Đã gửi: Thứ Hai, ngày 13 tháng 5 năm 2024 10:21"), ("Đến", "Đến: Ken Sato"),
          ("Chủ đề", "Chủ đề: Biên bản họp"), ("Tiêu đề", "Tiêu đề: Biên bản họp")),
    *rows("vi", "iOS Mail", TAGLINE, (r"Gửi từ {d}", "Gửi từ iPhone của tôi")),
    *rows("th", "Thunderbird / Gmail", WROTE,
          ("เขียนว่า", "เมื่อ จ. 13 พ.ค. 2024 เวลา 10:21 Somchai Dee <somchai@example.co.th> เขียนว่า:"), inside=True),
    *rows("th", "Thunderbird", OPENER, ("เมื่อ", "เมื่อ 13/05/2024 เวลา 10:21 สมชาย ดี เขียนว่า:")),
    *rows("th", "Outlook / Thunderbird", SEPARATOR, ("ข้อความต้นฉบับ", "-------- ข้อความต้นฉบับ --------")),
    *rows("th", "Thunderbird", FORWARD, ("ข้อความที่ส่งต่อ", "-------- ข้อความที่ส่งต่อ --------")),
    *rows("th", "Outlook", FROM, ("จาก", "จาก: สมชาย ดี <somchai@example.co.th>")),
    *rows("th", "Outlook", FIELD, ("ส่ง", "ส่ง: 13 พฤษภาคม 2567 10:21"), ("ถึง", "ถึง: Ken Sato"), ("เรื่อง", "เรื่อง: บันทึกการประชุม")),
    *rows("th", "iOS Mail", TAGLINE, (r"ส่งจาก {d}", "ส่งจาก iPhone ของฉัน")),
)
