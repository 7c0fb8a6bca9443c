"""Fills web/locale/en/LC_MESSAGES/messages.po from the table below and compiles the .mo.

Run after `pybabel extract`/`update` (see the Makefile target `messages`). Source strings are Japanese.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

EN = {
    '%(org)s の設定を保存': 'Save %(org)s',
    '%(org)s の設定を保存しました。': 'Saved the settings of %(org)s.',
    'Authentication-Results ヘッダー %(n)s 件は信頼できる経路で付けられたものではないため、使いませんでした': '%(n)s Authentication-Results header(s) ignored: not added on a trusted path',
    'DKIM署名': 'DKIM signature',
    'DNS が応答せず確認できませんでした（一時的な失敗）': 'DNS did not answer, so it could not be checked (temporary failure)',
    'DNS の確認は設定されていません': 'DNS checks are not configured',
    'kairan は、スペースに届いたメールが本当に送信者の団体から送られたかを確かめます。根拠は順に、団体の信頼する中継サーバーからの接続、差出人（From）のドメインの DKIM 署名、SPF、信頼する上流の中継サーバーの認証結果です。': "kairan checks that mail to a space really comes from the sender's organization. The evidence, in order: a connection from one of the organization's trusted relays, a DKIM signature of the From domain, SPF, and the authentication results of a trusted upstream relay.",
    '「一時的な失敗」（4.7.0）の場合は、しばらくしてから送り直してください。送信側のメールサーバーが自動で再送することもあります。': 'After a temporary failure (4.7.0), send it again a little later; your mail server may also retry by itself.',
    'このメールは、送信者の団体（%(org)s）のメールサーバーから送られたことを確認できませんでした。': "kairan could not verify that this mail was sent by the mail servers of the sender's organization (%(org)s).",
    'この団体は DKIM 署名が必須のため、SPF は根拠にしません': 'This organization signs its mail with DKIM, so SPF is not taken as evidence',
    'どうすればよいか': 'What to do',
    'なし': 'None',
    '一時的な失敗': 'Temporary failure',
    '上流の認証結果': 'Upstream results',
    '不明': 'Unknown',
    '任意（SPFでも確認できればよい）': 'Optional (SPF is enough)',
    '保存できませんでした:': 'Not saved:',
    '信頼する中継サーバーではありません': 'not a trusted relay',
    '信頼する中継サーバー（1行に1つ、例: 192.0.2.0/24）': 'Trusted relays (one per line, e.g. 192.0.2.0/24)',
    '受け付けて「送信元未確認」と表示': 'Accept and mark “sender not verified”',
    '受け付けない（送信時に拒否）': 'Refuse (during sending)',
    '団体ごとに、メールが本当にその団体から送られたことをどう確かめるかを決めます。確かめる順番は、信頼する中継サーバー、DKIM署名、SPF、上流の認証結果です。': 'For each organization, how kairan verifies that its mail really comes from it. The order: trusted relays, DKIM signature, SPF, upstream authentication results.',
    '団体のメールサーバーから送っても拒否される場合は、団体の情報担当者か kairan の管理者に連絡してください（中継サーバーや DKIM の設定が必要です）。': "If mail from your organization's server is refused too, contact your IT staff or kairan's administrators (relays or DKIM need to be set up).",
    '差出人（From）のドメインと一致しません': 'does not match the From domain',
    '必ず署名される（SPFだけでは確認としない）': 'Expected (SPF alone is not enough)',
    '所属する団体のメールシステム（庁内のメールサーバー）から送り直してください。自宅のメールや外部のサービスからは送らないでください。': "Send it again from your organization's mail system, not from private mail or outside services.",
    '接続元': 'Client',
    '有効': 'valid',
    '検証に失敗しました（署名後に内容が変わったか、鍵が違います）': 'did not verify (changed after signing, or a wrong key)',
    '確認していません': 'Not checked',
    '確認できないメール': "Mail that can't be verified",
    '署名なし': 'No signature',
    '署名は有効ですが、差出人（From）のドメインと一致しません': 'valid, but not of the From domain',
    '記録のみ': 'Record only',
    '送信元の確認': 'Sender verification',
    '送信元を確認できなかったメール': 'Mail whose sender could not be verified',
    '送信元未確認': 'Sender not verified',
    '送信者の団体が「確認できないメールは受け付けない」と設定している場合、どれも確認できないメールは送信の時点で拒否され、送信者にエラーが返ります。メールは kairan に保存されていません。': "When the sender's organization refuses unverified mail, such mail is refused while it is being sent and the sender gets an error. kairan has not stored it.",
    '送信者の団体のメールサーバーから送られたことを確認できませんでした。クリックで根拠を表示します。': "Not verified as sent by the sender's organization. Click for the evidence.",
    '（信頼する中継サーバーの Received ヘッダーから）': "(from a trusted relay's Received header)",
    '（前段のメールサーバーが XCLIENT で通知）': '(named by the server in front, XCLIENT)',
    '（前段のメールサーバーが XFORWARD で通知）': '(named by the server in front, XFORWARD)',
    '（直接接続）': '(direct connection)',
    "%(n)s 件のスレッド": "%(n)s threads",
    "%(n)s 件の投稿": "%(n)s posts",
    "%(page)s / %(pages)s ページ": "Page %(page)s of %(pages)s",
    "HTMLメールとして表示": "Show as HTML mail",
    "Webから投稿": "Posted on the web",
    "kairan サインイン用リンク": "Your kairan sign-in link",
    "{name} 様\n\n次のリンクから kairan にサインインできます（15分間、1回だけ有効）。\n\n{url}\n\n"
    "お心当たりがない場合は、このメールを破棄してください。\n":
        "Dear {name},\n\nUse this link to sign in to kairan (valid once, for 15 minutes):\n\n{url}\n\n"
        "If you did not ask for it, you can delete this mail.\n",
    "「%(q)s」の検索結果：%(n)s 件": "%(n)s results for “%(q)s”",
    "このスペースで検索": "Search this space",
    "このリンクは1回だけ使えます。": "This link works only once.",
    "このリンクは使えません": "This link can't be used",
    "この操作は受け付けられませんでした": "This action was not accepted",
    "しばらく待ってからお試しください": "Please wait a moment and try again",
    "すべてのスペース": "All spaces",
    "または": "or",
    "まだどのスペースにも参加していません。管理者にお問い合わせください。":
        "You are not a member of any space yet. Please ask your administrator.",
    "まだ投稿はありません": "No posts yet",
    "まだ投稿はありません。%(address)s にメールを送ると、最初のスレッドになります。":
        "No posts yet. Mail %(address)s to start the first thread.",
    "アドレスが間違っているか、このスペースを閲覧する権限がありません。":
        "The address is wrong, or you are not allowed to read this space.",
    "アーカイブを検索": "Search the archive",
    "キーワード": "Keywords",
    "キーワード（例：減免 基準）": "Keywords (e.g. tax relief criteria)",
    "サインアウト": "Sign out",
    "サインイン": "Sign in",
    "サインインしますか？": "Sign in now?",
    "サインイン画面へ": "Go to sign-in",
    "サーバーでエラーが発生しました": "Something went wrong on the server",
    "スペース": "Space",
    "スペースのアドレスにメールを送ると、ここに記録されます。": "Mail sent to a space's address is kept here.",
    "パスワード": "Password",
    "ファイルを添付": "Attach files",
    "フォームの有効期限が切れた可能性があります。ページを再読み込みしてから、もう一度お試しください。":
        "The form may have expired. Reload the page and try again.",
    "ページ": "Pages",
    "ページが見つかりません": "Page not found",
    "ホーム": "Home",
    "ホームへ戻る": "Back to home",
    "メンバー": "Members",
    "メールでサインイン用リンクを受け取る": "Get a sign-in link by mail",
    "メールアドレス": "Email address",
    "メールアドレスまたはパスワードが正しくありません。": "The email address or password is not correct.",
    "リクエストの内容が正しくありません": "The request was not valid",
    "リンクの有効期限（15分）が切れたか、すでに使われています。":
        "The link has expired (after 15 minutes) or was used already.",
    "リンクを送信": "Send link",
    "一致する投稿はありませんでした。別の言葉でお試しください。": "No posts matched. Try other words.",
    "並べ替え": "Sort",
    "元のメール（.eml）": "Original message (.eml)",
    "前へ": "Previous",
    "参加しているスペース": "Your spaces",
    "引用と署名を表示": "Show quoted text and signature",
    "引用をすべて表示": "Show all quotes",
    "メールで返信するときの宛先:": "To reply by mail, write to:",
    "管理": "Admin",
    "処理できなかったメール": "Mail that could not be processed",
    "受け付けたメールは失われません。解析に失敗したメールはここに残り、原因を直してから再処理できます。":
        "Accepted mail is never lost. Mail that failed to parse stays here; fix the cause, then process it again.",
    "%(n)s 件を再処理の待ち行列に戻しました。": "%(n)s message(s) put back in the queue.",
    "受信日時": "Received",
    "送信者": "Sender",
    "宛先": "To",
    "原因": "Reason",
    "再処理": "Process again",
    "すべて再処理": "Process all again",
    "処理できなかったメールはありません。": "No mail failed to process.",
    "投稿はメールと同じくアーカイブに保存され、メンバーに通知されます。":
        "Your post is archived like mail and the members are notified.",
    "投稿数": "Posts",
    "投稿用アドレス": "Address for posting",
    "新しい順": "Newest first",
    "新着": "New",
    "新着 %(n)s": "%(n)s new",
    "時間をおいて、もう一度お試しください。続く場合は管理者にお知らせください。":
        "Please try again later. If it keeps happening, tell your administrator.",
    "最終更新": "Last activity",
    "未読 %(n)s": "%(n)s unread",
    "本文": "Message",
    "本文が長すぎます（10万文字まで）。": "The message is too long (100,000 characters at most).",
    "本文を入力するか、ファイルを添付してください。": "Write a message or attach a file.",
    "検索": "Search",
    "検索は現在利用できません。": "Search is not available right now.",
    "検索語を解釈できませんでした。言葉を変えてお試しください。": "The search could not be understood. Try other words.",
    "次へ": "Next",
    "添付ファイルが大きすぎます（合計 %(mb)s MB まで）。": "The attachments are too large (%(mb)s MB in total at most).",
    "登録されているアドレスであれば、サインイン用リンクをお送りしました。メールをご確認ください（15分間有効）。":
        "If the address is registered, a sign-in link is on its way. Check your mail (valid for 15 minutes).",
    "自治体間の連絡・照会アーカイブ": "The archive for mail between municipalities",
    "試行回数が多すぎます。15分ほど待ってから、もう一度お試しください。":
        "Too many attempts. Please wait about 15 minutes and try again.",
    "返信する": "Reply",
    "返信を入力… スペースのメンバーに届きます": "Write a reply… it goes to the space's members",
    "返信を投稿": "Post reply",
    "送信されたデータが大きすぎます": "What was sent is too large",
    "開始": "Started",
    "関連度順": "Best match",
    "すべての語を含む": "all of the words",
    "どちらかを含む": "either word",
    "含まないもの": "without this word",
    "差出人・団体": "sender, organization",
    "期間": "date range",
    "検索のヒント": "Search tips",
    "添付ファイルあり": "has attachments",
    "語句そのまま": "this exact phrase",
    "照会": "Inquiry",
    "照会元": "asked by",
    "回答期限": "deadline",
    "回答状況を見る": "See the answers",
    "照会として管理": "Track as inquiry",
    # inquiries
    "回答状況": "Answers",
    "詳細・変更": "Details and changes",
    "集計": "Totals",
    "期限なし": "no deadline",
    "団体": "Organization",
    "状況": "Status",
    "回答日時": "Answered at",
    "回答者": "By",
    "回答": "Answer",
    "添付ファイル": "Attachments",
    "回答済み": "Answered",
    "未回答": "Waiting",
    "期限超過": "Overdue",
    "該当なし": "Not applicable",
    "期限後の回答": "answered after the deadline",
    "回答待ちに戻す": "Reopen",
    "該当なしにする": "Mark not applicable",
    "該当なし（団体管理者が登録）": "Not applicable (marked by the organization's admin)",
    "回答 %(n)s 件・最新を表示": "%(n)s answers, the latest shown",
    "ダウンロード": "Download",
    "Excel（XLSX）": "Excel (XLSX)",
    "CSV（Excel 用）": "CSV (for Excel)",
    "入力に誤りがあります。回答期限は日付で、対象団体は1つ以上選んでください。":
        "Please check the form: the deadline must be a date, and at least one organization must be asked.",
    "このスレッドは照会ではありません。照会にすると、スペースの各団体の回答状況を一覧で確認できます。":
        "This thread is not an inquiry. Make it one to see which organizations of the space have answered.",
    "照会にする（%(org)sから、このスペースの他の団体へ）":
        "Make it an inquiry (from %(org)s to the other organizations of this space)",
    "照会の変更（照会元のみ）": "Change the inquiry (asking organization only)",
    "空欄で期限なし": "empty for no deadline",
    "対象団体": "Organizations asked",
    "変更する": "Save changes",
    "履歴": "History",
    "照会を開始": "opened the inquiry",
    "回答期限を変更": "changed the deadline",
    "対象団体を変更": "changed the organizations asked",
    "該当なしにした": "marked not applicable",
    "回答待ちに戻した": "reopened",
    # unsubscribe
    "配信停止の確認": "Stop mail?",
    "%(what)sの配信を停止しますか？": "Stop %(what)s?",
    "配信を停止する": "Stop the mail",
    "停止しても、スペースのメンバーのままです。投稿はウェブでいつでも読めます。":
        "You stay a member of the space and can read every post on the web.",
    "配信方法（1通ずつ・ダイジェスト・受け取らない）は、いつでも設定で変えられます。":
        "You can change the delivery (each post, digest, no mail) in your settings at any time.",
    "設定を開く": "Open settings",
    "配信を停止しました": "Mail stopped",
    "配信はすでに停止されています": "This mail was already stopped",
    "%(what)sは今後届きません。": "You will no longer receive %(what)s.",
    "元に戻すには、設定で配信方法を選んでください。": "To undo it, choose a delivery in your settings.",
    "無効なリンク": "Invalid link",
    "このリンクは無効です": "This link is not valid",
    "配信停止のリンクが途中で切れているか、正しくありません。メールにあるリンクを最後までコピーして開くか、サインインして設定から変更してください。":
        "The unsubscribe link is cut off or wrong. Copy the whole link from the mail, or sign in and change it in "
        "your settings.",
    "ダイジェスト（毎日のまとめメール）": "the daily digest",
    "「%(title)s」のメール": "mail from “%(title)s”",
    "このスペースのメール": "mail from this space",
    # settings
    "設定": "Settings",
    "スペースごとのメールの受け取り方、ダイジェストの時刻、表示言語を変えられます。":
        "How mail from each of your spaces reaches you, the hour of your digest, and your language.",
    "設定を保存しました。": "Your settings are saved.",
    "1通ずつ": "Each post",
    "ダイジェスト": "Digest",
    "受け取らない": "No mail",
    "投稿のたびにメールが届きます": "A mail for every post",
    "1日1回、まとめて届きます": "One mail a day with everything",
    "ウェブでだけ読みます": "Read it on the web only",
    "メールの受け取り方": "Mail delivery",
    "ダイジェストの時刻": "Digest time",
    "「ダイジェスト」にしたスペースの投稿を、毎日この時刻（日本時間）にまとめてお送りします。":
        "Posts in your “Digest” spaces are sent together every day at this hour (Japan time).",
    "既定（%(hour)s時）": "Default (%(hour)s:00)",
    "%(hour)s時": "%(hour)s:00",
    "表示言語": "Language",
    "設定を保存": "Save settings",
    "ダイジェストの時刻は 0〜23 時から選んでください（空欄は既定の時刻）。":
        "Choose a digest hour from 0 to 23 (empty for the default).",
    "参加していないスペースの設定は変更できません。": "You can only change spaces you are a member of.",
    "配信方法は「1通ずつ」「ダイジェスト」「受け取らない」から選んでください。":
        "Choose “Each post”, “Digest” or “No mail” as the delivery.",
    "言語は「日本語」か「English」を選んでください。": "Choose 日本語 or English as the language.",
    "設定を保存できませんでした。入力内容をご確認ください。": "The settings could not be saved. Please check what you entered.",
    "（件名なし）": "(no subject)",
    "（名前のないファイル）": "(unnamed file)",
    "（本文はありません）": "(no text)",
    # Administration (issue 11): directory, member management, CSV registration, audit log.
    "%(n)s 件": "%(n)s entries",
    "CSV ファイルを選んでください。": "Choose a CSV file.",
    "CSVで一括登録": "Register from CSV",
    "CSVに書き出す": "Export as CSV",
    "CSVファイル": "CSV file",
    "CSV一括登録": "CSV registration",
    "Excel で作った CSV（UTF-8 または Shift_JIS）を読み込みます。まず内容を確認し、問題がなければ登録します。1行でも問題があれば何も登録しません。":
        "Reads a CSV saved from Excel (UTF-8 or Shift_JIS). You see what it would do first, then register it. "
        "If any line has a problem, nothing is registered.",
    "「%(q)s」に該当する職員：%(n)s 人": "%(n)s staff match “%(q)s”",
    "この内容で登録する": "Register these",
    "この操作を行う権限がありません。権限が必要な場合は、団体管理者または総合管理者にお問い合わせください。":
        "You are not allowed to do this. Ask your organization's administrator or the system administrator if you need to.",
    "ふりがな": "Reading",
    "やめる": "Cancel",
    "ファイルにない職員を無効にする": "Deactivate staff missing from the file",
    "ファイルを選び直す": "Choose another file",
    "メールアドレス（1行に1つ。先頭が主アドレス）": "Email addresses (one per line; the first is the primary one)",
    "メールドメイン（空白区切り）": "Mail domains (separated by spaces)",
    "保存": "Save",
    "保存しました。": "Saved.",
    "内容": "Details",
    "内容を確認する": "Check the file",
    "列：メールアドレス, 氏名, ふりがな, 団体, 所属, 課代表, 団体管理者（英語の見出し email, name, reading, org, dept, rep, org_admin も可）。課代表・団体管理者は 1/0、○/空欄、true/false。":
        "Columns: メールアドレス, 氏名, ふりがな, 団体, 所属, 課代表, 団体管理者 (or the English headers email, name, "
        "reading, org, dept, rep, org_admin). rep and org_admin are 1/0, ○/empty or true/false.",
    "受け付けない": "Refused",
    "受け付けない行があるため、登録できません。CSVを直してから、もう一度読み込んでください。":
        "Some lines are refused, so nothing can be registered. Fix the CSV and upload it again.",
    "名称": "Name",
    "団体ごとに、メールドメインと職員数、課代表がいない所属を示します。":
        "Each organization with its mail domains, its staff count and its departments without a representative.",
    "団体ごとに、所属と氏名（ふりがな順）で並んでいます。★は課代表です。":
        "By organization, department and name (in reading order). ★ marks a department representative.",
    "団体を追加": "Add an organization",
    "団体管理者": "Organization admin",
    "団体（空欄なら各行の「団体」列）": "Organization (empty: each line's 団体 column)",
    "変更": "Change",
    "変更なし": "Unchanged",
    "実行者": "By",
    "対象": "Target",
    "役割": "Roles",
    "所属": "Department",
    "所属なし": "No department",
    "操作": "Action",
    "日時": "When",
    "有効": "Active",
    "有効に戻しました。": "Reactivated.",
    "有効に戻す": "Reactivate",
    "氏名": "Name",
    "氏名・ふりがな・所属・メールアドレスで探す": "Find by name, reading, department or address",
    "無効": "Deactivated",
    "無効 %(n)s 人": "%(n)s deactivated",
    "無効にしました。": "Deactivated.",
    "無効にする": "Deactivate",
    "無効にすると、サインイン・APIトークン・メールの送信ができなくなります。過去の投稿は残ります。":
        "A deactivated member can't sign in, use API tokens or send mail. Their past posts stay.",
    "状態": "Status",
    "登録しました": "Registered",
    "監査ログ": "Audit log",
    "確認": "Check",
    "管理メニュー": "Administration",
    "管理操作とサインインの記録です。追記のみで、各記録は前の記録のハッシュを持ちます（kairan audit verify で検証）。時刻は日本時間です。":
        "Administrative acts and sign-ins. Append-only; each entry carries the hash of the one before "
        "(check with kairan audit verify). Times are Japan time.",
    "終了日": "Until",
    "結果": "Result",
    "絞り込む": "Filter",
    "総合管理者": "System admin",
    "編集": "Edit",
    "職員 %(n)s 人": "%(n)s staff",
    "職員の管理": "Staff",
    "職員の編集": "Edit staff member",
    "職員の追加・変更・無効化ができます。無効にした職員はサインインできず、メールも受け付けられません。過去の投稿は当時の氏名・所属のまま残ります。":
        "Add, change and deactivate staff. A deactivated member can't sign in and their mail is refused; "
        "their past posts keep the name and department of their time.",
    "職員を追加": "Add a staff member",
    "職員を追加しました。": "Staff member added.",
    "職員名簿": "Directory",
    "職員（メールアドレス）": "Staff member (email address)",
    "行": "Line",
    "該当する職員はいません。": "No staff found.",
    "該当する記録はありません。": "No entries.",
    "課代表": "Representative",
    "課代表がいない所属：": "Departments without a representative:",
    "課代表なし": "No representative",
    "識別名（半角英数字）": "Identifier (lowercase letters and digits)",
    "追加": "Add",
    "開始日": "From",
    "（先頭の %(n)s 人を表示しています。条件を絞り込んでください）": "(showing the first %(n)s; narrow the search)",
    "メールアドレスが正しくありません（%(value)s）": "Not an email address (%(value)s)",
    "団体「%(value)s」はありません": "There is no organization “%(value)s”",
    "団体が空欄です（「団体」列に記入するか、団体を選んでください）":
        "No organization (fill the 団体 column, or choose the organization)",
    "%(scope)s の取り込みに、%(org)s の行があります": "This import is for %(scope)s; the line is for %(org)s",
    "別の職員（%(primary)s）の追加アドレスです。主アドレスを使ってください":
        "A further address of another member (%(primary)s): use their primary address",
    "すでに %(org)s の職員です（団体の異動は CSV ではできません）":
        "Already a member of %(org)s (moving between organizations is not done by CSV)",
    "総合管理者は総合管理者だけが変更できます": "Only a system admin may change a system admin",
    "%(line)s 行目と同じメールアドレスです": "The same address as line %(line)s",
    "新しい職員には氏名が必要です": "A new member needs a name",
    "%(column)s が長すぎるか、使えない文字があります": "%(column)s is too long or has characters that can't be used",
    "%(column)s は 1/0、○/空欄、true/false のいずれかです（「%(value)s」）":
        "%(column)s must be 1/0, ○/empty or true/false (“%(value)s”)",
    # /help/refused/* (issue 16)
    'kairan はメールを受け取るその場で確かめ、受け付けられないメールはすぐに送り返します（エラーメールの英語の一文の後に、このページへのリンクがあります）。送り返されたメールは保存されていません。':
        "kairan checks mail while receiving it and turns away, at once, mail it can't accept (the error mail you got has an English sentence followed by a link to this page). Mail turned away is not stored.",
    'kairan 自身が送ったメール（通知やダイジェスト）がスペースに戻ってきました。そのまま受け付けるとメールが循環します。':
        'Mail that kairan itself sent (a notification or digest) came back to a space. Accepting it would make mail go round in circles.',
    'このスペースは閉鎖され、新しい投稿を受け付けていません。これまでの投稿はアーカイブで読めます。':
        'This space is closed and takes no new posts. Its posts can still be read in the archive.',
    'どうすればよいか':
        'What to do',
    'なぜ':
        'Why',
    'ふだんのメールソフトから送り直してください。':
        'Send it again from your usual mail program.',
    'ほかの理由':
        'Other reasons',
    'アドレスの綴りを確かめてください。サインインすると、参加しているスペースとそのアドレスが一覧できます。':
        'Check the spelling of the address. After signing in you see your spaces and their addresses.',
    'スペースに投稿できるのはそのメンバーだけです。送信に使ったアドレス（差出人とエンベロープの送信者）が、スペースのメンバーとして登録されたアドレスではありませんでした。':
        "Only a space's members can post to it. The address the mail was sent from (its From and envelope sender) is not one registered for a member of the space.",
    'スペースのアドレス（+ より前の部分だけ）に送ってください。件名で元のスレッドにつながります。':
        "Send it to the space's address (the part before the +). The subject joins it to its thread.",
    'スペースは閉鎖されています':
        'The space is closed',
    'メンバーでない場合は、スペース管理者にメンバーへの追加を依頼してください。':
        "If you are not a member, ask the space's admin to add you.",
    'メールが受け付けられなかったとき':
        'When your mail was not accepted',
    'メールが大きすぎます':
        'The mail is too big',
    'メールに差出人（From）のアドレスがなく、誰からのメールか分かりませんでした。':
        'The mail had no From address, so kairan could not tell who sent it.',
    'メールの大きさが上限（%(mb)s MB）を超えていました。添付ファイルが大きいと、こうなります。':
        'The mail was larger than the limit (%(mb)s MB). Large attachments do this.',
    'メールの循環を防ぐため受け付けませんでした':
        'Not accepted, to stop a mail loop',
    '一通のメールに指定された宛先が多すぎました（一時的な拒否です）。':
        'The mail named too many recipients (a temporary refusal).',
    '不在通知などの自動応答、一斉配信（メールマガジン等）、配信不能の通知は、スペースに載せないよう受け付けていません。':
        "Automatic replies such as out-of-office notices, bulk mail (newsletters and the like) and delivery reports are not accepted, so that they don't appear in spaces.",
    '人が書いたメールであれば、自動応答の設定を外して送り直してください。不在通知の対象からスペースのアドレスを除くと、このエラーは出なくなります。':
        'If a person wrote it, send it again without the automatic-reply setting. Leaving space addresses out of your out-of-office replies stops this error.',
    '大きなファイルは庁内のファイル共有などで共有し、メールにはその場所を書いてください。ファイルを分けて複数のメールで送ることもできます。':
        "Share large files another way (your office's file share, for example) and write where they are in the mail. You can also split the files over several mails.",
    '宛先が多すぎます':
        'Too many recipients',
    '宛先のアドレスに当たるスペースがありません。スペースのアドレスは スペース名@%(domain)s の形です。':
        'No space has this address. Space addresses look like SPACE@%(domain)s.',
    '宛先のスペースがありません':
        'No such space',
    '宛先を分けて送ってください。多くのメールソフトは残りを自動で送り直します。':
        'Send to the recipients in several mails. Most mail programs send the rest again by themselves.',
    '差出人（From）がありません':
        'The mail has no From address',
    '引き続き話し合う必要があれば、スペース管理者に再開を依頼するか、新しいスペースを使ってください。':
        "If the discussion must go on, ask the space's admin to reopen it, or use a new space.",
    '登録済みのアドレス（ふだんの職場のアドレス）から送り直してください。転送や別アドレスからの送信は受け付けません。':
        'Send it again from your registered address (your usual work address). Forwarded mail and mail from other addresses is not accepted.',
    '自動応答・一斉配信のメールは受け付けません':
        'Automatic replies and bulk mail are not accepted',
    '自動転送の設定を確かめてください。返信するときは、本文を自分で書いて送ってください。':
        'Check your automatic forwarding. To reply, write the text yourself and send it.',
    '返信先のスレッドが見つかりません':
        'The thread you replied to was not found',
    '返信用アドレス（スペース名+記号@ドメイン）が指すスレッドが、このスペースにありません。':
        'The reply address (SPACE+CODE@DOMAIN) names a thread this space does not have.',
    '送信者がスペースのメンバーではありません':
        'The sender is not a member of the space',
    # /admin/deliveries (issue 16)
    '送信できていないメール': 'Mail not delivered',
    '通知・ダイジェスト・リマインダーのうち、送信に失敗したものと再送を待っているものです。中継サーバーの応答をそのまま示します。': "Notifications, digests and reminders that failed or are waiting to be tried again, with the relay's answer as it was given.",
    '種類': 'Kind',
    '状態': 'State',
    '試行': 'Attempts',
    '次の試行': 'Next attempt',
    '中継サーバーの応答': "The relay's answer",
    '通知': 'Notification',
    'リマインダー': 'Reminder',
    '失敗': 'Failed',
    '再送待ち': 'Waiting to retry',
    '送信できていないメールはありません。': 'All mail has been delivered.',
}


def main() -> None:
    folder = Path(__file__).resolve().parent.parent / "web" / "locale" / "en" / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale="en")
    missing = []
    for message in catalog:
        if message.id:
            message.string = EN.get(message.id, "")
            if not message.string:
                missing.append(message.id)
    with open(folder / "messages.po", "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, no_location=True)
    with open(folder / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    for message_id in missing:
        print(f"untranslated: {message_id!r}")


if __name__ == "__main__":
    main()
