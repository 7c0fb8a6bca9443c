"""Japanese, Chinese (simplified and traditional), Korean."""

from __future__ import annotations

from bridge.replies.languages import FIELD, FORWARD, FROM, OPENER, SEPARATOR, TAGLINE, WROTE, rows

ROWS = (
    # --- Japanese ---
    *rows("ja", "Apple Mail", WROTE, ("のメッセージ", "2024/05/13 10:21、山本 恵 <yamamoto@example.lg.jp>のメッセージ:"),
          ("のメール", "2024/05/13 10:21、山本 恵 <yamamoto@example.lg.jp>のメール:"),
          ("からのメッセージ", "2024年5月13日 10:21 山本 恵 からのメッセージ:")),
    *rows("ja", "Becky! / Shuriken / Thunderbird ja add-ons", WROTE,
          ("さんは書きました", "On Mon, 13 May 2024 10:21:33 +0900\n山本 恵 <yamamoto@example.lg.jp> さんは書きました:"),
          ("が書きました", "2024/05/13 10:21、山本 恵 が書きました:"),
          ("書きました", "山本さん (2024/05/13 10:21) 書きました:"),
          (r">\s?のメール", "At 2024/05/13 10:21, 山本 恵 <yamamoto@example.lg.jp>のメール")),
    *rows("ja", "Outlook ja", SEPARATOR, ("元のメッセージ", "-----元のメッセージ-----"),
          ("オリジナルメッセージ", "-----オリジナルメッセージ-----"), ("返信元メッセージ", "----- 返信元メッセージ -----")),
    *rows("ja", "Becky! / Outlook ja", FORWARD, ("転送メッセージ", "----- 転送メッセージ -----"),
          ("転送されたメッセージ", "----- 転送されたメッセージ -----"),
          ("以下転送", "------ 以下転送 ------")),
    *rows("ja", "Outlook ja", FROM, ("差出人", "差出人: 山本 恵 <yamamoto@example.lg.jp>"), ("送信者", "送信者: 山本 恵"),
          ("送信元", "送信元: 山本 恵")),
    *rows("ja", "Outlook ja", FIELD, ("送信日時", "送信日時: 2024年5月13日 10:21"), ("送信日", "送信日: 2024年5月13日"),
          ("日時", "日時: 2024年5月13日(月) 10:21"), ("日付", "日付: 2024年5月13日"), ("宛先", "宛先: 佐藤 健一"),
          ("件名", "件名: 会議資料について")),
    *rows("ja", "iOS Mail / Outlook mobile / Samsung / au / docomo", TAGLINE,
          (r"{d}から送信", "iPhoneから送信"), (r"{d}より送信", "iPadより送信"),
          (r"{d}.{0,20}を使用して送信", "Android版Outlookを使用して送信"),
          (r"{d}.{0,10}版 ?Outlook ?を入手", "iOS 版 Outlook を入手"),
          (r"{d}.{0,20}から送信されました", "Galaxy スマートフォンから送信されました")),
    # --- Chinese ---
    *rows("zh", "Thunderbird / Gmail / Foxmail", WROTE, ("写道", "在 2024/5/13 10:21, 王伟 写道:"),
          ("寫道", "王偉 於 2024/5/13 上午10:21 寫道:")),
    *rows("zh", "Gmail / Thunderbird", OPENER, ("在", "在 2024年5月13日 10:21, 王伟 <wangwei@example.cn> 写道:")),
    *rows("zh", "Outlook zh / Thunderbird", SEPARATOR, ("原始邮件", "------------------ 原始邮件 ------------------"),
          ("原始郵件", "------- 原始郵件 -------"), ("原始消息", "-------- 原始消息 --------")),
    *rows("zh", "Thunderbird / Outlook zh", FORWARD, ("转发的消息", "-------- 转发的消息 --------"),
          ("轉寄郵件", "-------- 轉寄郵件 --------"), ("转发邮件信息", "-------- 转发邮件信息 --------")),
    *rows("zh", "Outlook zh", FROM, ("发件人", "发件人: 王伟 <wangwei@example.cn>"), ("寄件者", "寄件者: 王偉 <wangwei@example.tw>")),
    *rows("zh", "Outlook zh", FIELD, ("发送时间", "发送时间: 2024年5月13日 10:21"), ("收件人", "收件人: 佐藤 健一"),
          ("主题", "主题: 会议纪要"), ("抄送", "抄送: 团队"), ("日期", "日期: 2024年5月13日"),
          ("寄件日期", "寄件日期: 2024年5月13日 上午 10:21"), ("收件者", "收件者: 佐藤 健一"), ("主旨", "主旨: 會議紀錄"),
          ("副本", "副本: 團隊")),
    *rows("zh", "iOS Mail", TAGLINE, (r"(?:发自|從|从)我的 ?{d}", "发自我的iPhone"),
          (r"從我的 ?{d} ?傳送", "從我的 iPhone 傳送")),
    # --- Korean ---
    *rows("ko", "Gmail / Apple Mail / Thunderbird", WROTE, ("님이 작성", "2024년 5월 13일 (월) 오전 10:21, 김민준 <minjun@example.kr>님이 작성:"),
          ("작성", "2024. 5. 13. 오전 10:21, 김민준 <minjun@example.kr> 작성:"),
          (r"이\(가\) 쓴 글", "2024-05-13 오전 10:21에 김민준 이(가) 쓴 글:")),
    *rows("ko", "Outlook ko / Thunderbird", SEPARATOR, ("원본 메시지", "-----원본 메시지-----")),
    *rows("ko", "Thunderbird", FORWARD, ("전달된 메시지", "-------- 전달된 메시지 --------")),
    *rows("ko", "Outlook ko", FROM, ("보낸 사람", "보낸 사람: 김민준 <minjun@example.kr>")),
    *rows("ko", "Outlook ko", FIELD, ("보낸 날짜", "보낸 날짜: 2024년 5월 13일 월요일 오전 10:21"), ("받는 사람", "받는 사람: 사토 켄이치"),
          ("제목", "제목: 회의록"), ("참조", "참조: 팀"), ("날짜", "날짜: 2024년 5월 13일")),
    *rows("ko", "iOS Mail / Samsung", TAGLINE, (r"{d}에서 보냄", "iPhone에서 보냄"), (r"{d}에서 보낸 메일", "Galaxy에서 보낸 메일")),
)
