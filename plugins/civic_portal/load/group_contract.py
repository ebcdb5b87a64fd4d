"""The public contract of a group file: its keys, their Japanese names, limits and patterns.

Shared by the loader (groups.py, group_values.py) and the published JSON Schema (schema.py).
"""

from __future__ import annotations

import re

from ..model.events import STATUS_LABELS
from ..schedule import MAX_REPEAT_LENGTH

# Patterns are written once, as strings both Python's `re` and JSON Schema (ECMA-262) read the
# same way; the loader compiles them, load/schema.py publishes them.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"  # file names, field/area/category slugs: 2-63
SLUG_RE = re.compile(SLUG_PATTERN)
# Generated pages live beside group pages under /groups/; a group may not take their names.
RESERVED_SLUGS = frozenset(
    {"index", "fields", "areas", "inactive", "images", "search", "feed", "events", "schema"}
)
# Readings: hiragana, katakana (not U+30A0 ゠), the (semi-)voiced marks, ー and spaces. The loader
# checks them after NFKC, which turns half-width katakana into these; an editor sees the text as
# typed, so the published pattern also admits the half-width forms.
KANA_CHARS = "\u3041-\u3096\u309b-\u309f\u30a1-\u30ff\u3000 "
KANA_PATTERN = f"^[{KANA_CHARS}]+$"
KANA_AS_TYPED_PATTERN = f"^[{KANA_CHARS}\uff66-\uff9f]+$"
_KANA_RE = re.compile(KANA_PATTERN)
GITHUB_USER_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$"
_GITHUB_USER_RE = re.compile(GITHUB_USER_PATTERN)
LOGO_PATTERN = (
    r"^(?:images/)?[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:png|jpe?g|gif|webp|PNG|JPE?G|GIF|WEBP)$"
)
LOGO_RE = re.compile(LOGO_PATTERN)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
GROUP_SUFFIXES = (".md", ".markdown")


def is_group_file(name: str) -> bool:
    """A group file's name: Markdown, and not the folder's README (README.markdown in the sample,
    so that the web form, which lists every .md file, does not offer it as a group)."""
    stem, dot, suffix = name.rpartition(".")
    return bool(dot) and f".{suffix.lower()}" in GROUP_SUFFIXES and stem.lower() != "readme"


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
    "place": "活動場所（会場一覧の id、または場所の名前）",
    "room": "部屋（place に会場の id を書いたとき。例: 会議室A）",
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
    "room": 60,
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

# Events (load/events.py): keys, limits, vocabularies.
EVENT_KEYS: dict[str, str] = {
    "title": "イベント名",
    "kana": "イベント名の読みがな（オープンデータ用）",
    "start": "開始（2026-12-06 または 2026-12-06 10:00）",
    "end": '終了（日付、日時、または "16:00"）',
    "place": "会場（会場一覧の id、または会場の名前）",
    "room": "部屋（place に会場の id を書いたとき。例: 会議室A）",
    "address": "会場の住所（会場一覧にない場所のとき）",
    "online_url": "オンライン参加のURL",
    "fee": "参加費（無料、500円 など）",
    "capacity": "定員（人数）",
    "apply": "申し込み方法",
    "apply_url": "申し込みページのURL",
    "apply_until": "申し込みの締め切り日",
    "description": "内容（Markdown）",
    "status": "開催状況（scheduled, cancelled, postponed, online）",
    "id": "イベントの名前（英小文字・数字・ハイフン）",
    "repeat": "くり返し（毎週水曜、毎月第2土曜 など）",
    "until": "くり返しの最終日",
    "except": "くり返しのうち休みにする日（表示しません）",
    "cancelled": "くり返しのうち中止になった日（中止と表示します）",
}
EVENT_REQUIRED = ("title", "start")
EVENT_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,40}$"
EVENT_ID_RE = re.compile(EVENT_ID_PATTERN)
EVENT_STATUSES = tuple(STATUS_LABELS)
MAX_EVENTS = 200
MAX_DESCRIPTION = 2000
EVENT_MAX_LENGTH = {
    "title": 100,
    "kana": 200,
    "place": 200,
    "room": 60,
    "address": 200,
    "fee": 100,
    "apply": 300,
    "description": MAX_DESCRIPTION,
    "repeat": MAX_REPEAT_LENGTH,
}
CAPACITY = (1, 100_000)

# What the loader says about a wrong value, and what the web form (load/cms_config.py) says
# before saving: one wording. The loader adds what it found (「今は…」); the form cannot.
MESSAGES = {
    "required": "必須の項目です。「{key}: 」を書いてください",
    "too_long": "{limit}文字以内にしてください",
    "integer": "半角数字だけで書いてください（例: 25）",
    "range": "{minimum}から{maximum}までの数で書いてください",
    "min_items": "少なくとも{count}つ書いてください",
    "max_items": "{count}個までにしてください",
    "kana": "読みがなは ひらがな か カタカナ で書いてください",
    "date": "日付は 2026-12-06 のように 年-月-日 で書いてください",
    "moment": "日付は 2026-12-06、日時は 2026-12-06 10:00 のように書いてください",
    "end": "日付は 2026-12-06、日時は 2026-12-06 10:00、時刻だけなら 16:00 のように書いてください",
    "email": "メールアドレスの形になっていません。例: info@example.jp",
    "phone": "電話番号は半角数字とハイフンで書いてください（例: 000-123-4567）",
    "url": "URLは {allowed} で始まるものだけ使えます",
    "github_user": "GitHub のユーザー名（英数字とハイフン）を書いてください",
    "logo": "ロゴは groups/images/ に置いた画像を images/logo.png のように書いてください"
    "（フォルダの移動や日本語のファイル名は使えません）",
    "event_id": "id は英小文字・数字・ハイフンで書いてください（例: winter-salon）",
}
MAX_LISTED_DATES = 366  # `except` and `cancelled`

# The venue register the centre keeps (load/places.py): one entry per venue, keyed by its id.
PLACES_FILE = "groups/places.yml"
PLACE_ID_RE = SLUG_RE  # kawanami-plaza-2f: what a group writes as `place:`
PLACE_KEYS: dict[str, str] = {
    "name": "会場名",
    "kana": "会場名の読みがな",
    "postal_code": "郵便番号（000-0001）",
    "prefecture": "都道府県（省略時は mkdocs.yml の events.prefecture）",
    "municipality": "市区町村（省略時は mkdocs.yml の events.municipality）",
    "address": "町名・番地（中央1-2-3）",
    "building": "建物名・階（方書）",
    "lat": "緯度（世界測地系、度の小数）",
    "lon": "経度（世界測地系、度の小数）",
    "access": "最寄り駅・バス停と道順",
    "parking": "駐車場",
    "wheelchair": "車いすで入れるか（true / false）",
    "toilet": "多目的トイレがあるか（true / false）",
    "nursing_room": "授乳室があるか（true / false）",
    "note": "そのほかの案内（ヒアリングループ など）",
    "url": "会場のウェブサイト",
    "rooms": "部屋の一覧（書けば、イベントの room: はこの中から選びます）",
    "aliases": "別の呼び方（会場の提案に使います）",
}
PLACE_REQUIRED = ("name", "kana", "postal_code", "address")
PLACE_MAX_LENGTH = {
    "name": 100,
    "kana": 200,
    "prefecture": 10,
    "municipality": 30,
    "address": 100,
    "building": 100,
    "access": 300,
    "parking": 200,
    "note": 300,
}
