"""Synthetic Japanese posts (with some English) for search benchmarks: deterministic from a seed.

Sentences are built from administrative vocabulary the way staff write: kanji
compounds, katakana loanwords, particles, numbers and dates, and now and then
an English product or acronym. Query terms are drawn from the same vocabulary.
"""

from __future__ import annotations

import random

KANJI_WORDS = (
    "固定資産税 減免 申請 議会 支援 災害 被災 家屋 課税 標準額 軽自動車税 住民税 納税 督促 滞納 徴収 "
    "防災 訓練 避難所 運営 研修 会場 日程 情報 セキュリティ 対策 個人情報 漏えい 事故 報告 照会 回答 期限 "
    "予算 決算 監査 契約 入札 委託 補助金 交付 申告 償却資産 評価 家屋調査 土地 地目 路線価 市町村 "
    "担当者 連絡会 会議 資料 様式 通知 要綱 条例 規則 改正 施行 運用 基準 目安 統一 判定 区分 "
    "福祉 介護 保険 年金 医療 子育て 教育 学校 図書館 観光 農業 林業 漁業 道路 河川 上下水道 環境 廃棄物"
).split()
KATAKANA_WORDS = ("システム メール ファイル データ サーバー パスワード マニュアル スケジュール チェックリスト "
                  "アンケート テンプレート ネットワーク クラウド バックアップ ログイン").split()
ENGLISH_WORDS = ("USB PDF Excel Word LGWAN VPN RPA DX AI Teams Zoom CSV API OCR GIS").split()
PARTICLES = ("の", "を", "に", "は", "が", "と", "で", "について", "に関する", "として")
ENDINGS = ("します。", "しました。", "をお願いします。", "を確認してください。", "はありますでしょうか。",
           "を共有します。", "の件です。", "を送付いたします。", "についてご検討ください。")
OPENINGS = ("各位", "お疲れ様です。", "いつもお世話になっております。", "ご担当者様")


def word(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.70:
        return rng.choice(KANJI_WORDS)
    if roll < 0.90:
        return rng.choice(KATAKANA_WORDS)
    return rng.choice(ENGLISH_WORDS)


def sentence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 4)):
        parts.append(word(rng) + rng.choice(PARTICLES))
    if rng.random() < 0.2:
        parts.insert(0, f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日の")
    if rng.random() < 0.15:
        parts.append(f"第{rng.randint(1, 9)}回")
    return "".join(parts) + word(rng) + rng.choice(ENDINGS)


def post(rng: random.Random) -> tuple[str, str]:
    """(subject, body) of about 150–600 characters."""
    subject = word(rng) + rng.choice(PARTICLES[:3]) + word(rng) + "について"
    body = [rng.choice(OPENINGS), ""] + [sentence(rng) for _ in range(rng.randint(3, 12))] + ["", "よろしくお願いします。"]
    return subject, "\n".join(body)


def query(rng: random.Random, terms: int) -> str:
    return " ".join(word(rng) for _ in range(terms))
