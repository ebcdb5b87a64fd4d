"""One group-file contract: the published JSON Schema accepts and refuses exactly what the loader
does, on a table of edge cases (U+30A0, half-width kana, slug and id lengths, logo names, limits).
The schema is what editors and the web form check as you type; the loader is what the gate
enforces. Before they were generated from one table the kana patterns had drifted (the schema
let ゠ through)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from civic_portal.load.group_contract import SLUG_RE
from civic_portal.load.groups import Vocabulary, load_groups
from civic_portal.load.schema import group_schema
from civic_portal.model import ActivityField, Area
from civic_portal.model.settings import NPO_ACT_FIELDS

from ..conftest import PNG

VOCABULARY = Vocabulary(
    fields=tuple(ActivityField(*f) for f in NPO_ACT_FIELDS),
    areas=(Area("chuo", "中央地区"),),
    legal_forms=("NPO法人",),
    today=dt.date(2026, 11, 21),
)
SCHEMA = jsonschema.Draft7Validator(group_schema(VOCABULARY))
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
