"""The group file's JSON Schema, generated from the loader's own key tables, lists and limits.

Editors use it for completion and inline errors; `civic check` remains the authority (it also
checks what a schema cannot: files on disk, dates that exist, a start matching its repeat).
"""

from __future__ import annotations

import json
from typing import Any

from .group_contract import (
    CAPACITY,
    CONTACT_KEYS,
    EVENT_ID_PATTERN,
    EVENT_KEYS,
    EVENT_MAX_LENGTH,
    EVENT_REQUIRED,
    EVENT_STATUSES,
    GITHUB_USER_PATTERN,
    GROUP_KEYS,
    KANA_AS_TYPED_PATTERN,
    LINK_KINDS,
    LOGO_PATTERN,
    MAX_EVENTS,
    MAX_ITEMS,
    MAX_LENGTH,
    MAX_LISTED_DATES,
    PRIVATE_KEYS,
    RECRUIT_KEYS,
    REQUIRED_KEYS,
    STATUSES,
)
from .groups import Vocabulary

SCHEMA_URL = (
    "http://json-schema.org/draft-07/schema#"  # what editor tooling (ajv, YAML LS) reads by default
)
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_MOMENT = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$"}
_URL = {"type": "string", "pattern": "^https?://", "maxLength": 2000}


def _text(limit: int, *, one_line: bool = True, title: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": limit}
    if one_line:
        out["pattern"] = r"^[^\n]*$"
    if title:
        out["title"] = title
    return out


def _object(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = list(required)
    return out


def group_schema(vocabulary: Vocabulary, site_url: str = "") -> dict[str, Any]:
    """JSON Schema (draft-07) of a group file's front matter for this portal's configuration."""
    field_names = sorted({s for f in vocabulary.fields for s in (f.short, f.name, f.slug)})
    area_names = sorted({s for a in vocabulary.areas for s in (a.name, a.slug)})
    field = {"enum": field_names}
    properties: dict[str, Any] = {
        "name": _text(MAX_LENGTH["name"]),
        "kana": {
            **_text(MAX_LENGTH["kana"]),
            "pattern": KANA_AS_TYPED_PATTERN,
        },
        "summary": _text(MAX_LENGTH["summary"]),
        "fields": {
            "oneOf": [
                field,
                {
                    "type": "array",
                    "items": field,
                    "minItems": 1,
                    "maxItems": 3,
                    "uniqueItems": True,
                },
            ]
        },
        "areas": {
            "type": "array",
            "items": {"enum": area_names},
            "maxItems": MAX_ITEMS["areas"],
            "uniqueItems": True,
        },
        "tags": {"type": "array", "items": _text(MAX_LENGTH["tag"]), "maxItems": MAX_ITEMS["tags"]},
        "legal_form": {"enum": list(vocabulary.legal_forms)},
        # no upper year here: the schema is committed and must not change each New Year
        "founded": {"oneOf": [{"type": "integer", "minimum": 1868}, _DATE]},
        "members": {"type": "integer", "minimum": 0},
        "activity": _text(MAX_LENGTH["activity"]),
        "place": _text(MAX_LENGTH["place"]),
        "room": _text(MAX_LENGTH["room"]),
        "contact": _object(
            {
                "email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
                "phone": {
                    "type": "string",
                    "pattern": r"^\+?[0-9０-９][0-9０-９()（） \-‐ー－]{5,20}$",
                },
                "url": _URL,
                "address": _text(MAX_LENGTH["address"]),
                "person": _text(MAX_LENGTH["person"]),
                "private": _object(
                    {k: _text(MAX_LENGTH["private"], one_line=False) for k in PRIVATE_KEYS}
                ),
            }
        ),
        "links": _object({kind: _URL for kind, _ in LINK_KINDS}),
        "recruiting": {
            "type": "array",
            "maxItems": MAX_ITEMS["recruiting"],
            "items": _object(
                {
                    "title": _text(MAX_LENGTH["recruit_title"]),
                    "detail": _text(MAX_LENGTH["recruit_detail"], one_line=False),
                    "until": _DATE,
                },
                ("title",),
            ),
        },
        "logo": {
            "type": "string",
            "pattern": LOGO_PATTERN,
        },
        "maintainers": {
            "type": "array",
            "items": {
                "type": "string",
                "pattern": "^@?" + GITHUB_USER_PATTERN.removeprefix("^"),
            },
        },
        "status": {"enum": list(STATUSES)},
        "events": {"type": "array", "maxItems": MAX_EVENTS, "items": _event_schema()},
    }
    assert set(properties) == set(GROUP_KEYS), "every key the loader accepts is in the schema"
    assert set(properties["contact"]["properties"]) == set(CONTACT_KEYS)
    assert set(properties["recruiting"]["items"]["properties"]) == set(RECRUIT_KEYS)
    for key, description in GROUP_KEYS.items():
        properties[key].setdefault("description", description)
    schema: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "title": "団体ファイル（groups/<名前>.md）の設定",
        "description": "市民活動ポータルの団体ファイルのフロントマター。書き方はサイトの「団体ページの編集方法」を見てください。",
        "type": "object",
        "required": list(REQUIRED_KEYS),
        "additionalProperties": False,
        "properties": properties,
    }
    if site_url:
        schema["$id"] = site_url.rstrip("/") + "/schema/group.json"
    return schema


def _event_schema() -> dict[str, Any]:
    dates = {"type": "array", "items": _DATE, "maxItems": MAX_LISTED_DATES}
    length = EVENT_MAX_LENGTH
    properties: dict[str, Any] = {
        "title": _text(length["title"]), "kana": {**_text(length["kana"]), "pattern": KANA_AS_TYPED_PATTERN},
        "start": _MOMENT,
        "end": {"oneOf": [_MOMENT, {"type": "string", "pattern": r"^\d{1,2}:\d{2}$"}]},
        "place": _text(length["place"]), "room": _text(length["room"]), "address": _text(length["address"]), "online_url": _URL,
        "fee": _text(length["fee"]),
        "capacity": {"type": "integer", "minimum": CAPACITY[0], "maximum": CAPACITY[1]},
        "apply": _text(length["apply"], one_line=False),
        "apply_url": _URL, "apply_until": _DATE,
        "description": _text(length["description"], one_line=False),
        "status": {"enum": list(EVENT_STATUSES)},
        "id": {"type": "string", "pattern": EVENT_ID_PATTERN},
        "repeat": _text(length["repeat"]), "until": _DATE, "except": dates, "cancelled": dates,
    }  # fmt: skip
    assert set(properties) == set(EVENT_KEYS)
    for key, description in EVENT_KEYS.items():
        properties[key].setdefault("description", description)
    return _object(properties, EVENT_REQUIRED)


def schema_json(vocabulary: Vocabulary, site_url: str = "") -> str:
    return json.dumps(group_schema(vocabulary, site_url), ensure_ascii=False, indent=2) + "\n"
