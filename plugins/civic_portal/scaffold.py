"""A new, fully commented group file for `civic new-group`."""

from __future__ import annotations

import json
import re

from .load.group_contract import MAX_ITEMS, MAX_LENGTH
from .load.groups import Vocabulary

_SPLIT = re.compile(r"[、,，・/\s]+")


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _list(text: str) -> str:
    items = [item for item in _SPLIT.split(text) if item]
    return "[" + ", ".join(_yaml(i) for i in items) + "]"


def new_group_text(slug: str, answers: dict[str, str], vocabulary: Vocabulary) -> str:
    """The file `civic new-group` writes; every key explained, optional ones commented out."""
    fields = "、".join(f.short for f in vocabulary.fields)
    areas = "、".join(a.name for a in vocabulary.areas) or "（設定なし）"
    maintainer = answers.get("maintainer", "").lstrip("@")
    return f"""---
# 団体ページの設定です。書き方はサイトの「団体ページの編集方法」を見てください。
# 書いたら `civic check groups/{slug}.md` で確かめられます。

# 団体名（必須・{MAX_LENGTH["name"]}文字以内）
name: {_yaml(answers.get("name", ""))}
# 読みがな（必須・ひらがなかカタカナ）。五十音順の並びに使います
kana: {_yaml(answers.get("kana", ""))}
# 団体の紹介（必須・1行・{MAX_LENGTH["summary"]}文字以内）
summary: {_yaml(answers.get("summary", ""))}
# 活動分野（必須・1〜3つ）。使えるもの: {fields}
fields: {_list(answers.get("fields", ""))}
# 活動地区。使えるもの: {areas}
areas: {_list(answers.get("areas", ""))}
# このページを編集できる GitHub ユーザー名
maintainers: {_list(maintainer)}

# ここから下は、書くときに行頭の「# 」を消してください。
# tags: [子育て, 多世代交流]            # キーワード（{MAX_ITEMS["tags"]}個まで）
# legal_form: 任意団体                  # 法人格
# founded: 2020                         # 設立年（または 2020-04-01）
# members: 10                           # 会員数
# activity: 毎週水曜 19時〜21時         # 活動日時
# place: 川波市市民活動センター          # 活動場所
# contact:                              # 連絡先（書いたものだけが公開されます）
#   email: info@example.jp
#   phone: 000-123-4567
#   url: https://example.jp/
#   private:                            # センターだけが使う連絡先（公開されません）
#     person: 代表者の名前
#     phone: 000-000-0000
# links:                                # SNS（x, instagram, facebook, line, youtube, blog）
#   instagram: https://instagram.example.jp/xxx
# recruiting:                           # ボランティア・会員募集
#   - title: 会員募集
#     detail: 一緒に活動する仲間を募集しています。
#     until: 2027-03-31
# logo: images/{slug}.png              # ロゴ（groups/images/ に置いた PNG・JPEG・WebP・GIF）
# events:                               # イベント（書き方は「イベントの書き方」）
#   - title: 定例会
#     start: 2027-01-13 19:00
#     end: "21:00"
#     repeat: 毎週水曜
---
ここに団体の活動紹介を書きます（Markdown）。見出しは「## 」から使ってください。
"""
