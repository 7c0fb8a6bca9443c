"""The demo deployment's people, spaces and mail (Japanese, as staff write it)."""

from __future__ import annotations

ORGS = (
    ("pref", "山河県", "pref.yamakawa.lg.jp"),
    ("aoba", "青葉市", "city.aoba.lg.jp"),
    ("wakaba", "若葉町", "town.wakaba.lg.jp"),
)

# email, name, org, dept, org admin
MEMBERS = (
    ("sato-k@pref.yamakawa.lg.jp", "佐藤 健一", "pref", "総務部 税務課", True),
    ("tanaka-y@pref.yamakawa.lg.jp", "田中 由美", "pref", "危機管理局 防災課", False),
    ("suzuki-h@city.aoba.lg.jp", "鈴木 裕子", "aoba", "財務部 資産税課", True),
    ("takahashi-m@city.aoba.lg.jp", "高橋 誠", "aoba", "総務部 危機管理課", False),
    ("ito-s@town.wakaba.lg.jp", "伊藤 翔太", "wakaba", "税務住民課", True),
    ("watanabe-a@town.wakaba.lg.jp", "渡辺 明美", "wakaba", "総務課 情報政策係", False),
)

# slug, title, member emails (all), admins
SPACES = (
    ("zeimu", "税務担当者連絡会", ("sato-k@pref.yamakawa.lg.jp", "suzuki-h@city.aoba.lg.jp",
                                   "ito-s@town.wakaba.lg.jp"), ("sato-k@pref.yamakawa.lg.jp",)),
    ("bousai", "防災・危機管理", ("tanaka-y@pref.yamakawa.lg.jp", "takahashi-m@city.aoba.lg.jp",
                                  "ito-s@town.wakaba.lg.jp", "sato-k@pref.yamakawa.lg.jp"),
     ("tanaka-y@pref.yamakawa.lg.jp",)),
    ("kenshu", "職員研修・情報セキュリティ", tuple(m[0] for m in MEMBERS), ("watanabe-a@town.wakaba.lg.jp",)),
)

# Delivery modes other than the default (digest): each mode is shown, and the README's first mail
# (佐藤 → zeimu) makes a notification for 鈴木 at once (DATA/outbox/ with no relay).
MODES = (
    ("zeimu", "suzuki-h@city.aoba.lg.jp", "each"),
    ("bousai", "takahashi-m@city.aoba.lg.jp", "each"),
    ("bousai", "sato-k@pref.yamakawa.lg.jp", "none"),
    ("kenshu", "watanabe-a@town.wakaba.lg.jp", "each"),
    ("kenshu", "tanaka-y@pref.yamakawa.lg.jp", "none"),
)

DEMO_PASSWORD = "kairan-demo-2026"

# Each mail: key, space, from, hours ago, subject, body, reply-to key (or None), attachment (name, text) or None.
MAILS = (
    ("z1", "zeimu", "suzuki-h@city.aoba.lg.jp", 120, "固定資産税の減免申請（災害被災家屋）について",
     "山河県 税務課 佐藤様\n\nいつもお世話になっております。青葉市資産税課の鈴木です。\n\n"
     "先月の豪雨で被災した家屋について、固定資産税の減免申請が増えています。\n"
     "減免割合の判定基準（り災証明の区分ごと）について、県として統一の目安はありますでしょうか。\n"
     "他市町村の運用もあわせて教えていただけると助かります。\n\nよろしくお願いいたします。\n\n"
     "━━━━━━━━━━━━━━━━━━━━\n青葉市 財務部 資産税課\n鈴木 裕子\nTEL 0123-45-6789（内線 2301）\n"
     "━━━━━━━━━━━━━━━━━━━━\n", None, None),
    ("z2", "zeimu", "sato-k@pref.yamakawa.lg.jp", 100, "RE: 固定資産税の減免申請（災害被災家屋）について",
     "鈴木様\n\n県税務課の佐藤です。\n県としての統一基準はありませんが、多くの市町村は次の目安で運用しています。\n\n"
     "・全壊：10割\n・大規模半壊：8割\n・半壊：5割\n\n若葉町さんの運用も伺えればと思います。\n\n佐藤\n",
     "z1", None),
    ("z3", "zeimu", "ito-s@town.wakaba.lg.jp", 96, "Re: 固定資産税の減免申請（災害被災家屋）について",
     "若葉町の伊藤です。\n当町も県の目安どおりですが、準半壊は3割としています。\n"
     "要綱を添付しますのでご参考まで。\n\n伊藤\n", "z2", ("若葉町固定資産税減免要綱（抜粋）.txt",
     "第3条 準半壊の家屋については、税額の10分の3を減免する。\n")),
    ("z4", "zeimu", "suzuki-h@city.aoba.lg.jp", 90, "Re: 固定資産税の減免申請（災害被災家屋）について",
     "佐藤様、伊藤様\n\nありがとうございます。大変参考になりました。\n準半壊の扱いは当市でも検討します。\n\n鈴木\n",
     "z3", None),
    ("z5", "zeimu", "sato-k@pref.yamakawa.lg.jp", 70, "令和8年度 税務職員研修の日程について",
     "各位\n\n県税務課の佐藤です。\n令和8年度の税務職員研修（初任者向け）の日程が決まりました。\n"
     "日程表を添付します。受講者の取りまとめを12月12日までにお願いします。\n\n佐藤\n", None,
     ("税務研修日程表.csv", "日付,科目,講師\n2027-01-14,地方税法概論,県税務課\n2027-01-15,固定資産評価,県税務課\n")),
    ("z6", "zeimu", "ito-s@town.wakaba.lg.jp", 60, "Re: 令和8年度 税務職員研修の日程について",
     "佐藤様\n\n若葉町から2名受講予定です。名簿は来週お送りします。\n\n伊藤\n", "z5", None),
    ("b1", "bousai", "tanaka-y@pref.yamakawa.lg.jp", 80, "【照会】避難所の備蓄状況について（回答期限：12月5日）",
     "各市町 防災担当者様\n\n県防災課の田中です。\n冬季に備え、指定避難所の備蓄状況を照会します。\n"
     "毛布・暖房器具・非常食（3日分）の備蓄数を、回答期限：12月5日 までに返信でお知らせください。\n\n"
     "田中\n", None, None),
    ("b2", "bousai", "takahashi-m@city.aoba.lg.jp", 50, "Re: 【照会】避難所の備蓄状況について（回答期限：12月5日）",
     "田中様\n\n青葉市危機管理課の高橋です。備蓄状況を添付のとおり回答します。\n"
     "毛布は1,200枚、暖房器具は40台、非常食は3日分を確保済みです。\n\n高橋\n", "b1",
     ("備蓄状況_青葉市.csv", "品目,数量\n毛布,1200\n暖房器具,40\n非常食,3日分\n")),
    ("b3", "bousai", "tanaka-y@pref.yamakawa.lg.jp", 30, "防災訓練（12月）の日程調整",
     "各位\n\n12月の合同防災訓練の日程を調整させてください。\n候補は12月10日（木）と12月17日（木）です。\n"
     "ご都合をお知らせください。\n\n田中\n", None, None),
    ("b4", "bousai", "takahashi-m@city.aoba.lg.jp", 26, "Re: 防災訓練（12月）の日程調整",
     "青葉市は12月17日を希望します。10日は市議会と重なります。\n\n高橋\n", "b3", None),
    ("b5", "bousai", "ito-s@town.wakaba.lg.jp", 20, "Re: 防災訓練（12月）の日程調整",
     "若葉町もどちらでも対応できますが、17日だと助かります。\n\n伊藤\n", "b4", None),
    ("b6", "bousai", "tanaka-y@pref.yamakawa.lg.jp", 12, "Re: 防災訓練（12月）の日程調整",
     "それでは12月17日（木）で確定します。詳細は追ってお送りします。\n\n田中\n", "b5", None),
    ("k1", "kenshu", "watanabe-a@town.wakaba.lg.jp", 110, "情報セキュリティ研修（標的型メール訓練）の受講者募集",
     "各位\n\n若葉町情報政策係の渡辺です。\n県・市町合同で標的型メール訓練とeラーニングを実施します。\n"
     "受講希望者を各団体で取りまとめてください。\n\n渡辺\n", None, None),
    ("k2", "kenshu", "sato-k@pref.yamakawa.lg.jp", 100, "Re: 情報セキュリティ研修（標的型メール訓練）の受講者募集",
     "県税務課から3名受講します。\n\n佐藤\n", "k1", None),
    ("k3", "kenshu", "suzuki-h@city.aoba.lg.jp", 95, "Re: 情報セキュリティ研修（標的型メール訓練）の受講者募集",
     "青葉市からは5名です。LGWAN端末から受講できますか？\n\n鈴木\n", "k1", None),
    ("k4", "kenshu", "watanabe-a@town.wakaba.lg.jp", 90, "Re: 情報セキュリティ研修（標的型メール訓練）の受講者募集",
     "鈴木様\n\nはい、LGWAN端末から受講できます。URLは別途お知らせします。\n\n渡辺\n", "k3", None),
    ("k5", "kenshu", "tanaka-y@pref.yamakawa.lg.jp", 48, "研修会場の変更について",
     "各位\n\n1月の研修会場を県庁講堂から自治会館3階に変更します。\nお間違えのないようお願いします。\n\n田中\n",
     None, None),
    ("k6", "kenshu", "ito-s@town.wakaba.lg.jp", 44, "Re: 研修会場の変更について",
     "承知しました。駐車場は自治会館のものを使えますか？\n\n伊藤\n", "k5", None),
    ("k7", "kenshu", "tanaka-y@pref.yamakawa.lg.jp", 40, "Re: 研修会場の変更について",
     "伊藤様\n\n自治会館の地下駐車場（30台）が使えます。\n\n田中\n", "k6", None),
    ("k8", "kenshu", "takahashi-m@city.aoba.lg.jp", 6, "USBメモリの持ち出し手順の見直し",
     "各位\n\n青葉市危機管理課の高橋です。\nUSBメモリの持ち出し手順を見直しました。\n"
     "他団体の手順も参考にしたいので、差し支えなければ共有ください。\n\n高橋\n", None, None),
)
