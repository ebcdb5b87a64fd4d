"""One group-file contract: the published JSON Schema and the web form (/admin/) accept and refuse
exactly what the loader does, on a table of edge cases (U+30A0, half-width kana, slug and id
lengths, logo names, limits). The schema is what editors check as you type and the form before it
saves; the loader is what the gate enforces. Before they were generated from one table the kana
patterns had drifted (the schema let ゠ through). The form covers every key of the schema."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from civic_portal.load.cms_config import cms_config, form_keys, key_order
from civic_portal.load.group_contract import (
    CONTACT_KEYS,
    EVENT_KEYS,
    GROUP_KEYS,
    PRIVATE_KEYS,
    RECRUIT_KEYS,
    SLUG_RE,
)
from civic_portal.load.groups import Vocabulary, load_groups
from civic_portal.load.schema import group_schema
from civic_portal.model import ActivityField, Area
from civic_portal.model.settings import NPO_ACT_FIELDS, CmsSettings

from ..conftest import PNG

VOCABULARY = Vocabulary(
    fields=tuple(ActivityField(*f) for f in NPO_ACT_FIELDS),
    areas=(Area("chuo", "中央地区"),),
    legal_forms=("NPO法人",),
    today=dt.date(2026, 11, 21),
)
SCHEMA = jsonschema.Draft7Validator(group_schema(VOCABULARY))
FORM = cms_config(
    VOCABULARY,
    CmsSettings(),
    site_url="https://portal.example.jp/",
    edit_url="https://github.com/example/portal/edit/main/",
    groups_dir="groups",
)
BASE = {"name": "テスト団体", "kana": "てすと", "summary": "紹介です。", "fields": ["まちづくり"]}
EVENT = {"title": "会", "start": "2026-12-05"}

CASES = [
    # (key path, value, accepted)
    (("kana",), "ひだまりさろん", True),
    (("kana",), "ヒダマリ　サロン", True),
    (("kana",), "ｶﾀｶﾅ", True),  # half-width: the loader reads it after NFKC
    (("kana",), "ゔぁいおりん", True),
    (("kana",), "\u30a0", False),  # ゠ KATAKANA-HIRAGANA DOUBLE HYPHEN
    (("kana",), "ひだまり2", False),
    (("kana",), "abc", False),
    (("logo",), "images/logo.png", True),
    (("logo",), "logo.JPG", True),
    (("logo",), "images/a" + "b" * 99 + ".png", True),
    (("logo",), "images/a" + "b" * 100 + ".png", False),
    (("logo",), "images/ロゴ.png", False),
    (("logo",), "images/../logo.png", False),
    (("logo",), "images/.hidden.png", False),
    (("logo",), "images/logo.svg", False),
    (("maintainers",), ["hidamari-salon"], True),
    (("maintainers",), ["@Hidamari"], True),
    (("maintainers",), ["-hidamari"], False),
    (("maintainers",), ["hida--mari"], False),
    (("maintainers",), ["a" * 40], False),
    (("events", "id"), "a", True),
    (("events", "id"), "a" * 41, True),
    (("events", "id"), "a" * 42, False),
    (("events", "id"), "-winter", False),
    (("events", "id"), "Winter", False),
    (("events", "kana"), "くりすますかい", True),
    (("events", "kana"), "\u30a0", False),
    (("events", "capacity"), 1, True),
    (("events", "capacity"), 100_000, True),
    (("events", "capacity"), 0, False),
    (("events", "capacity"), 100_001, False),
    (("events", "status"), "cancelled", True),
    (("events", "status"), "canceled", False),
    (("events", "except"), ["2026-12-12"] * 366, None),  # length alone: see below
    (("events", "title"), "あ" * 100, True),
    (("events", "title"), "あ" * 101, False),
]


def _front_matter(path: tuple[str, ...], value: object) -> dict[str, object]:
    data: dict[str, object] = dict(BASE)
    if path[0] == "events":
        data["events"] = [{**EVENT, path[1]: value}]
    else:
        data[path[0]] = value
    return data


def _loader_accepts(tmp_path: Path, path: tuple[str, ...], front: dict[str, object]) -> bool:
    groups = tmp_path / "groups"
    (groups / "images").mkdir(parents=True, exist_ok=True)
    logo = front.get("logo")
    if isinstance(logo, str) and "/" not in logo.removeprefix("images/"):
        try:
            (groups / "images" / logo.removeprefix("images/")).write_bytes(PNG)
        except OSError:
            pass  # a name the file system refuses is refused by both anyway
    file = groups / "contract-case.md"
    file.write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n本文\n", encoding="utf-8"
    )
    _, problems = load_groups([file], tmp_path, VOCABULARY, groups / "images")
    key = path[0] if path[0] != "events" else f"events[0].{path[1]}"
    return not any(p.key.startswith(key) for p in problems)


def _schema_accepts(front: dict[str, object]) -> bool:
    return not list(SCHEMA.iter_errors(json.loads(json.dumps(front))))


@pytest.mark.parametrize(("path", "value", "accepted"), CASES, ids=lambda v: str(v)[:24])
def test_schema_and_loader_agree(
    tmp_path: Path, path: tuple[str, ...], value: object, accepted: bool | None
) -> None:
    if path == ("events", "except"):
        return  # dates that must be repeat days: only the loader can judge (needs `repeat`)
    front = _front_matter(path, value)
    assert _loader_accepts(tmp_path, path, front) is accepted, ("loader", path, value)
    assert _schema_accepts(front) is accepted, ("schema", path, value)
    assert _form_accepts(path, value) is accepted, ("form", path, value)


def _form_field(path: tuple[str, ...]) -> dict[str, Any]:
    fields = FORM["collections"][0]["fields"]
    for name in path:
        field = next(f for f in fields if f["name"] == name)
        fields = field.get("fields", [])
    return field


def _form_accepts(path: tuple[str, ...], value: object) -> bool:
    """What Decap checks before saving: the field's pattern (JavaScript's RegExp.test, the same as
    Python's re.search for these anchored patterns), a select's options, a number's range, and
    the same for each item of a list of single values."""
    field = _form_field(path)
    if "field" in field:
        return all(_value_fits(field["field"], item) for item in value)  # type: ignore[attr-defined]
    return _value_fits(field, value)


def _value_fits(field: dict[str, Any], value: object) -> bool:
    if "pattern" in field and not re.search(field["pattern"][0], str(value)):
        return False
    if field["widget"] == "select":
        return value in {o["value"] for o in field["options"]}
    if field["widget"] == "number":
        return field.get("min", value) <= value <= field.get("max", value)  # type: ignore[operator]
    return True


def test_the_form_has_every_key_of_the_schema() -> None:
    """Walk the schema and the form side by side: each key a group may write is in the form,
    and the form writes no key the schema does not know (`body` is the Markdown after it)."""
    schema_keys: set[str] = set()

    def walk(properties: dict[str, Any], prefix: str) -> None:
        for key, spec in properties.items():
            schema_keys.add(prefix + key)
            inner = spec.get("items", spec) if spec.get("type") == "array" else spec
            if "properties" in inner:
                walk(inner["properties"], f"{prefix}{key}.")

    walk(group_schema(VOCABULARY)["properties"], "")
    assert form_keys(FORM) - {"body"} == schema_keys


def test_every_field_of_the_form_has_a_japanese_label_and_hint() -> None:
    def walk(fields: list[dict[str, Any]], prefix: str) -> list[str]:
        missing = []
        for field in fields:
            path = prefix + field["name"]
            inner = [field["field"]] if "field" in field else field.get("fields", [])
            if not field.get("label") or not field.get("hint"):
                missing.append(path)
            missing += walk(inner, path + ".")
        return missing

    assert walk(FORM["collections"][0]["fields"], "") == []


def test_the_form_writes_each_mapping_in_the_contracts_order() -> None:
    order = key_order(FORM)
    assert order[""] == [*GROUP_KEYS, "body"]
    assert order["events"] == list(EVENT_KEYS)
    assert order["contact"] == list(CONTACT_KEYS)
    assert order["contact.private"] == list(PRIVATE_KEYS)
    assert order["recruiting"] == list(RECRUIT_KEYS)


def test_the_form_asks_for_the_required_keys_and_offers_the_portals_lists() -> None:
    fields = {f["name"]: f for f in FORM["collections"][0]["fields"]}
    assert [n for n, f in fields.items() if f["required"]] == ["name", "kana", "summary", "fields"]
    assert [o["value"] for o in fields["fields"]["options"]] == [f[2] for f in NPO_ACT_FIELDS]
    assert fields["fields"]["options"][0]["label"].startswith("保健、医療又は福祉の増進を図る活動")
    assert [o["value"] for o in fields["areas"]["options"]] == ["中央地区"]
    private = _form_field(("contact", "private"))
    assert "公開リポジトリ" in private["label"] and "公開リポジトリ" in private["hint"]
    repeat = _form_field(("events", "repeat"))
    assert repeat["widget"] == "civic-suggest" and "毎月第2土曜" in repeat["options"]
    assert FORM["backend"]["repo"] == "example/portal" and FORM["backend"]["branch"] == "main"
    assert FORM["publish_mode"] == "editorial_workflow"  # saving opens a pull request
    assert FORM["collections"][0]["preview_path"] == "groups/{{slug}}/"
    assert FORM["backend"]["open_authoring"] is True


@pytest.mark.parametrize(
    ("slug", "accepted"),
    [("a", False), ("ab", True), ("a" * 63, True), ("a" * 64, False), ("-ab", False),
     ("ab-c", True), ("Ab", False), ("ab_c", False)],
)  # fmt: skip
def test_one_slug_rule_for_files_and_configured_slugs(
    tmp_path: Path, slug: str, accepted: bool
) -> None:
    """Group file names and the slugs of fields, areas and news categories in mkdocs.yml follow
    the same rule (they used to differ in length)."""
    from civic_portal.config import CivicConfig

    assert bool(SLUG_RE.match(slug)) is accepted
    groups = tmp_path / "groups"
    groups.mkdir()
    file = groups / f"{slug}.md"
    file.write_text("---\n" + yaml.safe_dump(BASE, allow_unicode=True) + "---\n", "utf-8")
    _, problems = load_groups([file], tmp_path, VOCABULARY, groups / "images")
    assert (not any(p.key == "file" for p in problems)) is accepted
    config = CivicConfig()
    config.load_dict({"areas": [{"slug": slug, "name": "地区"}]})
    failed, _ = config.validate()
    assert (not failed) is accepted


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("16:00", "16:00"),  # YAML 1.1 would read 960 (base 60): the form writes it unquoted
        ("1:30:00", "1:30:00"),
        ("yes", "yes"),
        ("on", "on"),
        ("0001234567", "0001234567"),  # a phone number without hyphens; 1.1: octal, or an error
        ("1_000", "1_000"),
        ("true", True),
        ("12", 12),
        ("-3", -3),
        ("0x1f", 31),
        ("1.5", 1.5),
        ("~", None),
        ("2027-03-31", dt.date(2027, 3, 31)),
        ("2026-12-06 10:00", "2026-12-06 10:00"),
    ],
)
def test_the_loader_reads_plain_values_as_the_forms_yaml_12_writes_them(
    written: str, read: object
) -> None:
    """Decap writes YAML 1.2 (the `yaml` library), quoting only what 1.2 would misread; the loader
    reads those plain values as 1.2 does (dates stay dates: every date check takes both)."""
    from civic_portal.load.frontmatter import parse

    assert parse(f"---\nvalue: {written}\n---\n").data == {"value": read}


def test_every_repeat_phrase_the_form_offers_is_one_the_loader_reads() -> None:
    from civic_portal.schedule import REPEAT_CHOICES, parse_repeat

    assert len(set(REPEAT_CHOICES)) == len(REPEAT_CHOICES) > 40
    assert all(parse_repeat(phrase).startswith("FREQ=") for phrase in REPEAT_CHOICES)


def test_the_form_signs_in_through_the_centres_oauth_proxy() -> None:
    """No sign-in server of ours: the form names the proxy a centre runs (or Netlify's)."""
    config = cms_config(
        VOCABULARY,
        CmsSettings(repo="city/portal", branch="live", base_url="https://auth.example.jp",
                    auth_endpoint="api/auth", site_domain="portal.netlify.app"),
        site_url="https://portal.example.jp/",
        edit_url="https://github.com/example/portal/edit/main/",
        groups_dir="groups",
    )  # fmt: skip
    backend = config["backend"]
    assert (backend["repo"], backend["branch"]) == ("city/portal", "live")  # over edit_url
    assert backend["base_url"] == "https://auth.example.jp"
    assert backend["auth_endpoint"] == "api/auth"
    assert backend["site_domain"] == "portal.netlify.app"
    assert "base_url" not in FORM["backend"]  # unset: Decap's default, Netlify's
