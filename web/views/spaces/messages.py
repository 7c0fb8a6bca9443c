"""The sentences for the space rules (archive.admin.spaces.RuleBroken codes), translated per request."""

from __future__ import annotations

from starlette.requests import Request

from archive.admin.spaces import RuleBroken
from web.errors import N_
from web.templating import translate

RULES = {
    "slug_missing": N_("アドレスを入力してください。"),
    "slug_format": N_("アドレスには半角の英小文字・数字・ハイフンが使えます（先頭は英数字、63文字まで）。"),
    "slug_reserved": N_("このアドレスはメールシステム用に予約されています。別のアドレスにしてください。"),
    "slug_taken": N_("このアドレスは既に使われています。別のアドレスにしてください。"),
    "title_missing": N_("タイトルを入力してください。"),
    "title_long": N_("タイトルは200文字までです。"),
    "description_long": N_("説明は4000文字までです。"),
    "mode": N_("配信方法は「1通ずつ」「ダイジェスト」「受け取らない」から選んでください。"),
    "member_address": N_("%(address)s はメールアドレスではありません。"),
    "member_unknown": N_("%(address)s のメンバーは見つかりません。"),
    "too_few_orgs": N_("スペースのメンバーは %(need)s つ以上の団体から選んでください（いまは %(have)s 団体です）。"
                       "スペースは作成されていません。"),
    "last_admin": N_("スペースには管理者が1人以上必要です。先に別のメンバーを管理者にしてください。"),
}


def rule_message(request: Request, error: RuleBroken) -> str:
    text = RULES.get(error.code)
    if text is None:
        return translate(request, "入力内容をご確認ください。")
    return translate(request, text) % error.values if error.values else translate(request, text)
