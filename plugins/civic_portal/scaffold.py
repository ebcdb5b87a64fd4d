"""A new, fully commented group file for `civic new-group`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import yaml

from .load.group_contract import MAX_ITEMS, MAX_LENGTH
from .load.groups import Vocabulary

# Lists typed on one line: 「、」 or commas (not 「・」, which the fields' own names contain:
# 学術・文化・芸術・スポーツ is one field).
_SPLIT = re.compile(r"[、,，/\s]+")


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _list(text: str | list[str]) -> str:
    items = text if isinstance(text, list) else [item for item in _SPLIT.split(text) if item]
    return "[" + ", ".join(_yaml(i) for i in items) + "]"


def new_group_text(
    slug: str,
    answers: Mapping[str, str | list[str]],
    vocabulary: Vocabulary,
    *,
    extra: Mapping[str, Any] | None = None,
    body: str = "",
    source: str = "",
) -> str:
    """The file `civic new-group` writes; every key explained, optional ones commented out.
    `civic import groups` passes the register's other values as `extra` (written out, their
    examples left out) and its text as `body`; `source` names the register in the header."""
    fields = "、".join(f.short for f in vocabulary.fields)
    areas = "、".join(a.name for a in vocabulary.areas) or "（設定なし）"
    maintainer = answers.get("maintainer", "").lstrip("@")
    origin = f"\n# センターの名簿（{source}）から取り込みました。" if source else ""
    given = ""
    if extra:
        given = "\n# 名簿から取り込んだ項目です。\n" + yaml.safe_dump(
            dict(extra), allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000
        )
    examples = "\n".join(block for key, block in _examples(slug) if key not in (extra or {}))
    text = (
        body.strip()
        or "ここに団体の活動紹介を書きます（Markdown）。見出しは「## 」から使ってください。"
    )
    return f"""---
# 団体ページの設定です。書き方はサイトの「団体ページの編集方法」を見てください。
# 書いたら `civic check groups/{slug}.md` で確かめられます。{origin}

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
{given}
# ここから下は、書くときに行頭の「# 」を消してください。
{examples}
---
{text}
"""


def _examples(slug: str) -> tuple[tuple[str, str], ...]:
    """The optional keys, commented out, in the contract's order (one block a key)."""
    return (
        (
            "tags",
            f"# tags: [子育て, 多世代交流]            # キーワード（{MAX_ITEMS['tags']}個まで）",
        ),
        ("legal_form", "# legal_form: 任意団体                  # 法人格"),
        ("founded", "# founded: 2020                         # 設立年（または 2020-04-01）"),
        ("members", "# members: 10                           # 会員数"),
        ("activity", "# activity: 毎週水曜 19時〜21時         # 活動日時"),
        ("place", "# place: 川波市市民活動センター          # 活動場所"),
        (
            "contact",
            "# contact:                              # 連絡先（書いたものだけが公開されます）\n#   email: info@example.jp\n#   phone: 000-123-4567\n#   url: https://example.jp/\n#   private:                            # センターだけが使う連絡先（公開されません）\n#     person: 代表者の名前\n#     phone: 000-000-0000",
        ),
        (
            "links",
            "# links:                                # SNS（x, instagram, facebook, line, youtube, blog）\n#   instagram: https://instagram.example.jp/xxx",
        ),
        (
            "recruiting",
            "# recruiting:                           # ボランティア・会員募集\n#   - title: 会員募集\n#     detail: 一緒に活動する仲間を募集しています。\n#     until: 2027-03-31",
        ),
        (
            "logo",
            f"# logo: images/{slug}.png              # ロゴ（groups/images/ に置いた PNG・JPEG・WebP・GIF）",
        ),
        (
            "events",
            '# events:                               # イベント（書き方は「イベントの書き方」）\n#   - title: 定例会\n#     start: 2027-01-13 19:00\n#     end: "21:00"\n#     repeat: 毎週水曜',
        ),
    )
