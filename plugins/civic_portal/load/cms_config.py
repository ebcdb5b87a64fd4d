"""The web form's configuration (Decap CMS, served at /admin/), generated from the group-file
contract: the same key tables, lists, limits, patterns and wording as `civic check` and the JSON
Schema. A key added to the contract appears in the form with no other change (as a one-line text
box, until a better widget is named for it in `_GROUP_WIDGETS` or `_EVENT_WIDGETS`).

What a form cannot check (a start that is not an occurrence of its repeat, a maintainer who is not
one, a logo file that is not an image) is left to the pull request's `civic check`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import yaml

from .. import urls
from ..model.events import STATUS_LABELS
from ..model.settings import CmsSettings, Settings
from ..schedule import MAX_REPEAT_LENGTH, REPEAT_CHOICES
from .group_contract import (
    CAPACITY,
    CONTACT_KEYS,
    EVENT_ID_PATTERN,
    EVENT_KEYS,
    EVENT_MAX_LENGTH,
    EVENT_REQUIRED,
    GITHUB_USER_PATTERN,
    GROUP_KEYS,
    KANA_AS_TYPED_PATTERN,
    LINK_KINDS,
    LOGO_PATTERN,
    MAX_EVENTS,
    MAX_ITEMS,
    MAX_LENGTH,
    MAX_LISTED_DATES,
    MESSAGES,
    PRIVATE_KEYS,
    REQUIRED_KEYS,
    STATUSES,
)
from .groups import Vocabulary

Field = dict[str, Any]

CONFIG_PATH = ("admin", "config.yml")  # in the docs folder: /admin/config.yml on the site
HEADER = (
    "# The web form (/admin/, Decap CMS): generated from the group-file contract by\n"
    "#   civic cms-config --write\n"
    "# Do not edit by hand; a test fails when this file differs from the generator.\n"
)
_DATE = r"^\d{4}-\d{1,2}-\d{1,2}$"
_MOMENT = r"^\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2})?$"
_END = r"^(\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2})?|\d{1,2}:\d{2})$"
_URL = r"^https?://[^\s/]+\S*$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PHONE = r"^\+?[0-9０-９][0-9０-９()（） \-‐ー－]{5,20}$"
_URL_MESSAGE = MESSAGES["url"].format(allowed="http://・https://")
PRIVATE_WARNING = (
    "⚠ サイトには表示されませんが、この欄も誰でも読める公開リポジトリ（GitHub）に保存されます。"
    "個人の電話番号や住所は書かないでください"
)
_PRIVATE_NAMES = {
    "person": "担当者",
    "phone": "電話番号",
    "email": "メールアドレス",
    "address": "住所",
    "note": "メモ",
}
_STATUS_NAMES = {"active": "活動中", "inactive": "休止中"}
_EVENT_STATUS_NAMES = {**STATUS_LABELS, "scheduled": "予定どおり開催"}


def _label(description: str) -> tuple[str, str]:
    """A contract description as (label, hint): 団体名の読みがな（ひらがな・カタカナ） splits at
    its first parenthesis."""
    label, _, rest = description.partition("（")
    return label, rest.removesuffix("）")


def _length(limit: int) -> str:
    return MESSAGES["too_long"].format(limit=limit)


def _field(key: str, description: str, widget: str, *, required: bool = False) -> Field:
    """What every field has: its key, a Japanese label and hint (from the contract's
    description), its widget, and whether it must be filled."""
    label, hint = _label(description)
    return {"name": key, "label": label, "widget": widget, "required": required, "hint": hint}


def pattern(
    key: str, description: str, regex: str, message: str, *, required: bool = False
) -> Field:
    """A one-line text box checked against `regex` (a string widget cannot hold a line break)."""
    return {**_field(key, description, "string", required=required), "pattern": [regex, message]}


def text(key: str, description: str, limit: int, *, required: bool = False) -> Field:
    field = pattern(key, description, rf"^[\s\S]{{1,{limit}}}$", _length(limit), required=required)
    return {**field, "hint": field["hint"] or f"{limit}文字以内"}


def lines(key: str, description: str, limit: int, *, required: bool = False) -> Field:
    """A text area (several lines)."""
    return {**text(key, description, limit, required=required), "widget": "text"}


def kana(key: str, description: str, limit: int, *, required: bool = False) -> Field:
    chars = KANA_AS_TYPED_PATTERN.removeprefix("^").removesuffix("+$")
    return pattern(
        key,
        description,
        rf"^(?=[\s\S]{{1,{limit}}}$){chars}+$",
        f"{MESSAGES['kana']}（{_length(limit)}）",
        required=required,
    )


def url(key: str, description: str) -> Field:
    field = pattern(key, description, _URL, _URL_MESSAGE)
    return {
        **field,
        "hint": field["hint"] or "https:// で始まるアドレス（例: https://example.jp/）",
    }


def date(key: str, description: str) -> Field:
    return {**pattern(key, description, _DATE, MESSAGES["date"]), "hint": "例: 2027-03-31"}


def number(key: str, description: str, minimum: int, maximum: int | None = None) -> Field:
    field = {**_field(key, description, "number"), "value_type": "int", "min": minimum, "step": 1}
    if maximum is not None:
        field["max"] = maximum
    return field


def choice(
    key: str,
    description: str,
    options: list[dict[str, str]],
    *,
    multiple: bool = False,
    required: bool = False,
    min_items: int | None = None,
    max_items: int | None = None,
) -> Field:
    field = {**_field(key, description, "select", required=required), "options": options}
    if multiple:
        field["multiple"] = True
        if min_items:
            field["min"] = min_items
        if max_items:
            field["max"] = max_items
    return field


def listing(key: str, description: str, item: Field, max_items: int, *, hint: str = "") -> Field:
    """A list of single values (tags, dates, user names), one box each."""
    field = {**_field(key, description, "list"), "max": max_items, "field": item}
    return {**field, "hint": hint or field["hint"]}


def group(
    key: str, description: str, fields: list[Field], *, collapsed: bool = False, hint: str = ""
) -> Field:
    field = {**_field(key, description, "object"), "collapsed": collapsed, "fields": fields}
    return {**field, "hint": hint or field["hint"]}


def _fields(
    keys: dict[str, str], widgets: dict[str, Callable[[str], Field]], required: tuple[str, ...]
) -> list[Field]:
    """A field for every key of a contract table, in its order: the widget named for the key,
    else a one-line text box; a key added to the contract is in the form with no other change."""
    fields = []
    for key, description in keys.items():
        make = widgets.get(key)
        field = make(description) if make else text(key, description, 200)
        if key in required:
            field["required"] = True
        fields.append(_clean(field))
    return fields


def _event_fields(vocabulary: Vocabulary) -> list[Field]:
    widgets = {**_EVENT_WIDGETS, "place": lambda d: _place(d, _LENGTH["place"], vocabulary)}
    return _fields(EVENT_KEYS, widgets, EVENT_REQUIRED)


def _place(description: str, length: int, vocabulary: Vocabulary) -> Field:
    """A text box that offers the registered venues (their ids, shown with their names)."""
    venues = vocabulary.venues.places.values()
    if not venues:
        return text("place", description, length)
    options = [{"value": p.id, "label": p.name} for p in sorted(venues, key=lambda p: p.id)]
    return {**text("place", description, length), "widget": "civic-suggest", "options": options}


_LENGTH = EVENT_MAX_LENGTH
_EVENT_WIDGETS: dict[str, Callable[[str], Field]] = {
    "title": lambda d: text("title", d, _LENGTH["title"]),
    "kana": lambda d: kana("kana", d, _LENGTH["kana"]),
    "start": lambda d: pattern("start", d, _MOMENT, MESSAGES["moment"]),
    "end": lambda d: {**pattern("end", d, _END, MESSAGES["end"]), "hint": "例: 2026-12-06 16:00、16:00、または終日なら 2026-12-07"},
    "place": lambda d: text("place", d, _LENGTH["place"]),
    "room": lambda d: text("room", d, _LENGTH["room"]),
    "address": lambda d: text("address", d, _LENGTH["address"]),
    "online_url": lambda d: url("online_url", d),
    "fee": lambda d: text("fee", d, _LENGTH["fee"]),
    "capacity": lambda d: number("capacity", d, CAPACITY[0], CAPACITY[1]),
    "apply": lambda d: lines("apply", d, _LENGTH["apply"]),
    "apply_url": lambda d: url("apply_url", d),
    "apply_until": lambda d: date("apply_until", d),
    "description": lambda d: {**lines("description", d, _LENGTH["description"]), "hint": "Markdown が使えます"},
    "status": lambda d: {
        **choice(
            "status", d, [{"label": _EVENT_STATUS_NAMES[s], "value": s} for s in STATUS_LABELS]
        ),
        "hint": "中止・延期・オンライン開催のときに選びます",
    },
    "id": lambda d: pattern("id", d, EVENT_ID_PATTERN, MESSAGES["event_id"]),
    "repeat": lambda d: {
        **text("repeat", d, MAX_REPEAT_LENGTH),
        "widget": "civic-suggest",
        "options": list(REPEAT_CHOICES),
        "hint": "一覧から選ぶか、書き方の例にならって書いてください（毎月第2土曜、毎週火曜・金曜 など）",
    },
    "until": lambda d: date("until", d),
    "except": lambda d: listing("except", d, date("date", "日付"), MAX_LISTED_DATES),
    "cancelled": lambda d: listing("cancelled", d, date("date", "日付"), MAX_LISTED_DATES),
}  # fmt: skip


def _group_widgets(vocabulary: Vocabulary) -> dict[str, Callable[[str], Field]]:
    fields = [{"label": f"{f.name}（{f.short}）", "value": f.short} for f in vocabulary.fields]
    areas = [{"label": a.name, "value": a.name} for a in vocabulary.areas]
    user = "^@?" + GITHUB_USER_PATTERN.removeprefix("^")
    return {
        "name": lambda d: text("name", d, MAX_LENGTH["name"]),
        "kana": lambda d: kana("kana", d, MAX_LENGTH["kana"]),
        "summary": lambda d: text("summary", d, MAX_LENGTH["summary"]),
        "fields": lambda d: choice("fields", d, fields, multiple=True, min_items=1, max_items=3),
        "areas": lambda d: choice(
            "areas", d, areas, multiple=True, max_items=MAX_ITEMS["areas"]
        ),
        "tags": lambda d: listing(
            "tags", d, text("tag", "キーワード", MAX_LENGTH["tag"]), MAX_ITEMS["tags"],
            hint="団体一覧の検索で使われます（1つ30文字以内、10個まで）",
        ),
        "legal_form": lambda d: choice(
            "legal_form", d, [{"label": f, "value": f} for f in vocabulary.legal_forms]
        ),
        "founded": lambda d: {**number("founded", d, 1868), "hint": "西暦の年（例: 2015）"},
        "members": lambda d: number("members", d, 0),
        "activity": lambda d: text("activity", d, MAX_LENGTH["activity"]),
        "place": lambda d: _place(d, MAX_LENGTH["place"], vocabulary),
        "room": lambda d: text("room", d, MAX_LENGTH["room"]),
        "contact": lambda d: group("contact", d, _contact_fields(), hint="サイトに公開されます"),
        "links": lambda d: group(
            "links", d, [url(kind, label) for kind, label in LINK_KINDS], collapsed=True,
            hint="https:// で始まるアドレスを書いてください",
        ),
        "recruiting": lambda d: {
            **listing("recruiting", d, {}, MAX_ITEMS["recruiting"]),
            "field": None,
            "fields": [
                {**text("title", "募集の見出し", MAX_LENGTH["recruit_title"]), "required": True},
                lines("detail", "募集の内容", MAX_LENGTH["recruit_detail"]),
                date("until", "締め切り日"),
            ],
            "summary": "{{fields.title}}",
            "hint": "募集が終わったら × で消すか、締め切り日を書いてください",
        },
        "logo": lambda d: {
            **pattern("logo", d, LOGO_PATTERN, MESSAGES["logo"]),
            "widget": "image",
            "choose_url": False,
            "hint": "PNG・JPEG・WebP・GIF、ファイル名は英数字（例: logo.png）",
        },
        "maintainers": lambda d: listing(
            "maintainers", d, pattern("user", "GitHub ユーザー名", user, MESSAGES["github_user"]),
            MAX_ITEMS["maintainers"],
            hint="新しく作るときは、自分の GitHub ユーザー名を書いてください（書かないと保存後の検査で止まります）。"
            "ほかの人を足す変更は、センターの職員が確認してから反映されます",
        ),
        "status": lambda d: {
            **choice(
                "status", d, [{"label": _STATUS_NAMES.get(s, s), "value": s} for s in STATUSES]
            ),
            "hint": "休止中にすると、団体一覧の「休止中の団体」に移ります",
        },
        "events": lambda d: {
            **listing("events", d, {}, MAX_EVENTS),
            "field": None,
            "fields": _event_fields(vocabulary),
            "summary": "{{fields.start}} {{fields.title}}",
            "collapsed": True,
            "hint": "くり返しの予定は1件で書けます（くり返し・最終日・休みの日）",
        },
    }  # fmt: skip


def _contact_fields() -> list[Field]:
    described = {
        "email": pattern("email", "メールアドレス", _EMAIL, MESSAGES["email"]),
        "phone": pattern("phone", "電話番号", _PHONE, MESSAGES["phone"]),
        "url": url("url", "ウェブサイト"),
        "address": text("address", "住所", MAX_LENGTH["address"]),
        "person": text("person", "担当者", MAX_LENGTH["person"]),
        "private": {
            **group(
                "private",
                "センターだけが使う連絡先",
                [lines(k, _PRIVATE_NAMES[k], MAX_LENGTH["private"]) for k in PRIVATE_KEYS],
                hint=PRIVATE_WARNING,
            ),
            "label": "センターだけが使う連絡先（⚠ 公開リポジトリに保存されます）",
        },
    }
    assert set(described) == set(CONTACT_KEYS)
    return [described[key] for key in CONTACT_KEYS]


# Hints the contract's descriptions do not give (an example, or what the value is for), by the
# field's dotted path; every field of the form has a label and a hint (tests/unit/test_contract).
_HINTS = {
    "name": "正式な団体名（例: NPO法人 川波子ども食堂）。100文字以内",
    "areas": "活動している地区を選びます（いくつでも）",
    "legal_form": "法人格がなければ「任意団体」を選びます",
    "members": "半角数字（例: 25）",
    "activity": "例: 毎週水曜 10:00〜12:00（200文字以内）",
    "place": "会場一覧にある場所は一覧から選びます（id が入ります）。ない場所は名前を書きます",
    "room": "例: 会議室A（place に会場一覧の id を入れたときだけ）",
    "contact.email": "例: info@example.jp",
    "contact.phone": "例: 000-123-4567",
    "contact.person": "ページに載る担当者の名前（例: 代表 川波 花子）",
    "contact.private.person": "センターだけが使います",
    "contact.private.phone": "センターだけが使います",
    "contact.private.email": "センターだけが使います",
    "contact.private.address": "センターだけが使います",
    "contact.private.note": "センターへの連絡事項など",
    "recruiting.title": "例: 見守りボランティア（100文字以内）",
    "recruiting.detail": "内容・日時・条件など（1000文字以内）",
    "maintainers.user": "例: hidamari-salon（@ はあってもなくてもかまいません）",
    "tags.tag": "例: 子育て（30文字以内）",
    "events.title": "例: 親子ふれあいサロン（100文字以内）",
    "events.place": "会場一覧にある場所は一覧から選びます（id が入ります）。ない場所は名前を書きます",
    "events.room": "例: 会議室A（place に会場一覧の id を入れたときだけ）",
    "events.address": "会場一覧にない場所の住所（例: 川波市中央2-5-8）",
    "events.apply": "例: 電話かメールでお申し込みください（300文字以内）",
}


def _with_hints(fields: list[Field], prefix: str = "") -> list[Field]:
    out = []
    for field in fields:
        path = prefix + field["name"]
        field = {**field, "hint": _HINTS.get(path, field.get("hint", ""))}
        if "fields" in field:
            field["fields"] = _with_hints(field["fields"], path + ".")
        if "field" in field:
            field["field"] = _with_hints([field["field"]], path + ".")[0]
        out.append(field)
    return out


def _clean(field: Field) -> Field:
    """Drop empty hints and unused keys, so the configuration reads plainly."""
    out = {k: v for k, v in field.items() if v is not None and v != ""}
    if "fields" in out:
        out["fields"] = [_clean(f) for f in out["fields"]]
    if "field" in out:
        out["field"] = _clean(out["field"])
    return out


def repository(cms: CmsSettings, edit_url: str | None) -> tuple[str, str]:
    """(owner/name, branch) from the settings, else from a GitHub edit_url."""
    repo, branch = cms.repo, cms.branch
    if edit_url and urlsplit(edit_url).hostname == "github.com":
        parts = urlsplit(edit_url).path.strip("/").split("/")
        if len(parts) >= 2:
            repo = repo or f"{parts[0]}/{parts[1]}"
        if len(parts) >= 4 and parts[2] in ("edit", "blob", "tree"):
            branch = branch or parts[3]
    return repo, branch or "main"


def cms_config(
    vocabulary: Vocabulary,
    cms: CmsSettings,
    *,
    site_url: str,
    edit_url: str | None,
    groups_dir: str,
) -> dict[str, Any]:
    """The Decap CMS configuration, as data."""
    fields = _with_hints(_fields(GROUP_KEYS, _group_widgets(vocabulary), REQUIRED_KEYS))
    fields.append(
        {
            "name": "body",
            "label": "本文",
            "widget": "markdown",
            "required": False,
            "hint": "団体ページの本文（Markdown）。見出しは ## から。画像は groups/images/ のものだけ使えます",
            # Markdown as written: the rich-text mode rewrites the whole body (list marks,
            # escapes) on the first keystroke, so one changed word would change every line.
            "modes": ["raw"],
            "editor_components": [],
        }
    )
    repo, branch = repository(cms, edit_url)
    backend: dict[str, Any] = {
        "name": "github",
        "repo": repo,
        "branch": branch,
        # People without write access get a fork and a pull request from it (Open Authoring).
        "open_authoring": True,
        "commit_messages": {
            "create": "団体ページを追加: {{slug}}（フォームから）",
            "update": "団体ページを更新: {{slug}}（フォームから）",
            "delete": "団体ページを削除: {{slug}}（フォームから）",
            "uploadMedia": "画像を追加: {{path}}（フォームから）",
            "deleteMedia": "画像を削除: {{path}}（フォームから）",
            "openAuthoring": "{{message}}",
        },
    }
    if cms.base_url:
        backend["base_url"] = cms.base_url
    if cms.auth_endpoint:
        backend["auth_endpoint"] = cms.auth_endpoint
    if cms.site_domain:
        backend["site_domain"] = cms.site_domain
    return {
        "locale": "ja",
        "backend": backend,
        "publish_mode": "editorial_workflow",
        # On localhost only, Decap uses `npx decap-server` (writes to the working tree) instead.
        "local_backend": True,
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": f"{groups_dir}/images",
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": False},
        "collections": [
            {
                "name": "groups",
                "label": "団体ページ",
                "label_singular": "団体ページ",
                "description": "自分の団体のページを選んで編集します。保存すると、センターの確認待ち（プルリクエスト）になります。",
                "folder": groups_dir,
                "extension": "md",
                "format": "yaml-frontmatter",
                "create": True,
                "delete": False,
                # A file name is its page's address: ASCII only, so a new group gets a dated
                # name that staff may rename before merging (the form cannot ask for it).
                "slug": "group-{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}",
                "identifier_field": "name",
                # 「ライブで見る」 opens the group's own page on the site
                "preview_path": urls.group_url("{{slug}}"),
                "summary": "{{name}}",
                "sortable_fields": ["kana", "name"],
                "fields": fields,
            }
        ],
    }


def portal_cms_config(settings: Settings, vocabulary: Vocabulary) -> dict[str, Any]:
    """This portal's form configuration, as data."""
    return cms_config(
        vocabulary,
        settings.cms,
        site_url=settings.site_url,
        edit_url=settings.edit_url,
        groups_dir=settings.groups_dir,
    )


def config_text(data: dict[str, Any]) -> str:
    """The configuration as committed in content/admin/config.yml."""
    body = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False
    )
    return HEADER + body


def cms_config_yaml(settings: Settings, vocabulary: Vocabulary) -> str:
    """The committed form configuration (content/admin/config.yml) of this portal."""
    return config_text(portal_cms_config(settings, vocabulary))


def key_order(config: dict[str, Any]) -> dict[str, list[str]]:
    """Each mapping's keys in the form's (the contract's) order, by dotted path without list
    indexes ("" the front matter, "events", "contact.private"): the form writes every mapping
    in this order (Decap alone would write an event's keys in the order of their hashes)."""
    out: dict[str, list[str]] = {}

    def walk(fields: list[Field], path: str) -> None:
        out[path] = [f["name"] for f in fields]
        for field in fields:
            if "fields" in field:
                walk(field["fields"], f"{path}.{field['name']}" if path else field["name"])

    walk(config["collections"][0]["fields"], "")
    return out


def form_keys(config: dict[str, Any]) -> set[str]:
    """Every key path the form can write (events.title, contact.private.note): for the test that
    walks the JSON Schema and the form side by side."""
    out: set[str] = set()

    def walk(fields: list[Field], prefix: str) -> None:
        for field in fields:
            name = prefix + field["name"]
            out.add(name)
            if "fields" in field:
                walk(field["fields"], name + ".")

    walk(config["collections"][0]["fields"], "")
    return out
