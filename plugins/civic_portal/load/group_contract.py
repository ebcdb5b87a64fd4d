"""The public contract of a group file: its keys, their Japanese names, limits and patterns.

Shared by the loader (groups.py, group_values.py) and the published JSON Schema (schema.py).
"""

from __future__ import annotations

import re

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
# Generated pages live beside group pages under /groups/; a group may not take their names.
RESERVED_SLUGS = frozenset(
    {"index", "fields", "areas", "inactive", "images", "search", "feed", "events", "schema"}
)
_KANA_RE = re.compile(r"^[\u3041-\u3096\u309b-\u309f\u30a1-\u30ff\u3000 ]+$")
_GITHUB_USER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")

LINK_KINDS: tuple[tuple[str, str], ...] = (
    ("x", "X（旧Twitter）"),
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("line", "LINE"),
    ("youtube", "YouTube"),
    ("blog", "ブログ"),
)
CONTACT_KEYS = ("email", "phone", "url", "address", "person", "private")
PRIVATE_KEYS = ("person", "phone", "email", "address", "note")
RECRUIT_KEYS = ("title", "detail", "until")
STATUSES = {"active": "active", "inactive": "inactive"}

# The public contract of a group file: key → Japanese description. Order is the documented order.
GROUP_KEYS: dict[str, str] = {
    "name": "団体名",
    "kana": "団体名の読みがな（ひらがな・カタカナ）",
    "summary": "団体の紹介（1行・120文字以内）",
    "fields": "活動分野（1〜3つ）",
    "areas": "活動地区",
    "tags": "キーワード",
    "legal_form": "法人格",
    "founded": "設立年または設立日",
    "members": "会員数",
    "activity": "活動日時",
    "place": "活動場所",
    "contact": "連絡先（email, phone, url, address, person）",
    "links": "SNS・ウェブサイト（x, instagram, facebook, line, youtube, blog）",
    "recruiting": "ボランティア・会員募集（title, detail, until）",
    "logo": "ロゴ画像（groups/images/ の中のファイル）",
    "maintainers": "このページを編集できる GitHub ユーザー名",
    "status": "活動状況（active または inactive）",
    "events": "イベント",
}
REQUIRED_KEYS = ("name", "kana", "summary", "fields")

# Length limits, shared by the loader and the published JSON Schema (load/schema.py).
MAX_LENGTH = {
    "name": 100,
    "kana": 200,
    "summary": 120,
    "tag": 30,
    "activity": 200,
    "place": 200,
    "address": 200,
    "person": 100,
    "recruit_title": 100,
    "recruit_detail": 1000,
    "logo": 200,
    "private": 1000,
}
MAX_ITEMS = {"tags": 10, "recruiting": 20, "maintainers": 20, "areas": 10}
# Dates one group file's events may produce within the site's event window (12 months back and
# 12 ahead by default: a daily activity is about 760). 200 events of 毎日 made 146,000 (17 s,
# 790 MB) before this limit.
MAX_OCCURRENCES_PER_FILE = 1500
