"""`civic import groups`: a centre's register into group files, and again when it changes.

The plan is made first and whole (read the table, map its columns, normalise every row, check each
file it would write with the loader itself), then written; a file the loader would refuse is never
written. A digest of each value imported last time is kept per group in `groups/.imported.json`, so that a
newer register changes only what changed in the register and never what a group edited in its own
file since: a value both changed is a conflict, listed, and the group's value stays.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .kana import fold
from .load.checks import read_document
from .load.group_contract import CONTACT_KEYS, GROUP_KEYS, PRIVATE_KEYS, is_group_file
from .load.groups import Vocabulary, group_files, load_groups
from .load.register import Columns, ImportedRow, Reader, put, recognise, slug_for
from .load.register_file import Table
from .model import Problem
from .scaffold import new_group_text

STATE_FILE = (
    ".imported.json"  # in the groups folder: what each group's values were last imported as
)
_REQUIRED_ANSWERS = ("name", "kana", "summary")


@dataclass
class Write:
    path: Path
    text: str
    row: int
    new: bool


@dataclass
class Plan:
    table: Table
    columns: Columns
    writes: list[Write] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    state: dict[str, Any] | None = None  # None: nothing is to be written, the record included


def _flat(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _get(data: Mapping[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, Mapping) or part not in data:
            return None
        data = data[part]
    return data


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (dates as text), to compare a file's value with a register's."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _same(key: str, current: Any, value: Any) -> bool:
    """A file's value and a register's say the same: a reading in katakana is the one the
    register gives in hiragana."""
    if key == "kana" and isinstance(current, str) and isinstance(value, str):
        return fold(current) == fold(value)
    return bool(current == value)


def _digest(value: Any) -> str:
    """What the state file keeps of an imported value: enough to tell whether it changed, and no
    copy of what it says (contact.private is personal data)."""
    text = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _ordered(data: Mapping[str, Any], order: tuple[str, ...] = tuple(GROUP_KEYS)) -> dict[str, Any]:
    """Keys in the contract's order (contact's and contact.private's too)."""
    inner = {"contact": CONTACT_KEYS, "private": PRIVATE_KEYS}
    out = {}
    for key, value in sorted(
        data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
    ):
        out[key] = (
            _ordered(value, inner[key]) if key in inner and isinstance(value, Mapping) else value
        )
    return out


def _existing(groups_dir: Path) -> dict[str, tuple[str, Path, dict[str, Any], str]]:
    """fold(name) → (slug, path, front matter, body) of the group files there are."""
    out = {}
    for path in group_files(groups_dir):
        document = read_document(path, path.name)
        if not hasattr(document, "data"):
            continue
        name = document.data.get("name")
        if isinstance(name, str):
            out[fold(name)] = (path.stem, path, document.data, document.body)
    return out


def _read_state(path: Path) -> dict[str, dict[str, str]] | None:
    """{slug: {key: digest}} from the last import; {} when there was none; None when the file is
    not one this command wrote (damaged, edited by hand, or someone else's)."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, dict) or not all(
        isinstance(v, dict) and all(isinstance(d, str) for d in v.values()) for v in groups.values()
    ):
        return None
    return dict(groups)


def plan_import(
    table: Table,
    overrides: Mapping[str, str],
    vocabulary: Vocabulary,
    groups_dir: Path,
    root: Path,
) -> Plan:
    columns, problems = recognise(table, overrides)
    plan = Plan(table, columns, problems=problems)
    if problems:
        return plan
    reader = Reader(table, vocabulary)
    rows = reader.rows(columns)
    plan.problems += reader.problems
    state = _read_state(groups_dir / STATE_FILE)
    if state is None:
        plan.problems.append(
            Problem(
                f"{groups_dir.name}/{STATE_FILE}",
                1,
                "file",
                "前回の取り込みの記録が読めません（JSON ではないか、形が違います）。"
                "git で前の版に戻すか、消してから取り込み直してください（消すと、団体が直した値も名簿の値との食い違いとして出ます）",
            )
        )
        return plan
    plan.state = {"groups": state}
    existing = _existing(groups_dir)
    taken = {p.stem for p in groups_dir.glob("*") if is_group_file(p.name)}
    for item in rows:
        name = item.values["name"]
        where = f"{table.path}:{item.row}"
        plan.confirm += [f"{where}: {c}" for c in item.confirm]
        found = existing.get(fold(name))
        if found is None:
            slug = slug_for(item.values.get("kana", ""), name, taken, vocabulary.legal_forms)
            taken.add(slug)
            write = _new_file(item, slug, groups_dir, vocabulary, table.path)
        else:
            slug = found[0]
            write = _update(item, found, plan, where)
        imported = {k: _digest(v) for k, v in _flat(item.values).items()}
        if item.body:
            imported["body"] = _digest(item.body)
        plan.state["groups"][slug] = imported
        if write is None:
            plan.unchanged.append(f"groups/{slug}.md")
            continue
        problem = _loader_problems(write, root, vocabulary, groups_dir)
        if problem:
            plan.problems += [Problem(table.path, item.row, p.key, p.message) for p in problem]
            plan.state["groups"].pop(slug, None)
            continue
        plan.writes.append(write)
    return plan


def _new_file(
    item: ImportedRow, slug: str, groups_dir: Path, vocabulary: Vocabulary, source: str
) -> Write:
    values = dict(item.values)
    answers: dict[str, str | list[str]] = {k: str(values.pop(k, "")) for k in _REQUIRED_ANSWERS}
    answers["fields"] = list(values.pop("fields", []))
    answers["areas"] = list(values.pop("areas", []))
    text = new_group_text(
        slug, answers, vocabulary, extra=_ordered(values), body=item.body, source=Path(source).name
    )
    return Write(groups_dir / f"{slug}.md", text, item.row, new=True)


def _update(
    item: ImportedRow,
    found: tuple[str, Path, dict[str, Any], str],
    plan: Plan,
    where: str,
) -> Write | None:
    """Three-way: a value the register changed and the group did not is updated; one both
    changed is a conflict (the group's stays); one only the group changed is left alone."""
    slug, path, data, body = found
    last = plan.state["groups"].get(slug, {})
    new = {k: _plain(v) for k, v in _flat(item.values).items()}
    if item.body:
        new["body"] = item.body
    changed = copy.deepcopy(data)  # nested: contact.phone must not change `data` too
    new_body = body
    for key, value in new.items():
        current = body if key == "body" else _plain(_get(data, key))
        if _same(key, current, value):
            continue
        before = last.get(key)
        if before == _digest(value):  # the register did not change it: the group did
            continue
        if (current is None and before is None) or (
            before is not None and _digest(current) == before
        ):  # the group did not change it (or neither ever had it)
            if key == "body":
                new_body = value
            else:
                put(changed, key, value)
            continue
        plan.conflicts.append(
            f"{where}: groups/{slug}.md の {key} は団体が書きかえています（ファイル:「{str(current)[:40]}」、名簿:「{str(value)[:40]}」）。ファイルのままにしました"
        )
    if changed == data and new_body == body:
        return None
    text = (
        "---\n"
        + yaml.safe_dump(
            _ordered(changed),
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=1000,
        )
        + "---\n"
        + new_body
    )
    return Write(path, text, item.row, new=False)


def _loader_problems(
    write: Write, root: Path, vocabulary: Vocabulary, groups_dir: Path
) -> list[Problem]:
    """What `civic check` would say of the file: it is never written if anything."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / write.path.name
        target.write_text(write.text, encoding="utf-8")
        _, problems = load_groups([target], Path(tmp), vocabulary, groups_dir / "images")
    return problems


def apply(plan: Plan, groups_dir: Path) -> None:
    """Write every planned file, then the record of what was imported (unless the plan stopped
    before rows: a register it cannot map, a record it cannot read, which stays as it is)."""
    if plan.state is None:
        return
    groups_dir.mkdir(parents=True, exist_ok=True)
    for write in plan.writes:
        write.path.write_text(write.text, encoding="utf-8")
    state = json.dumps(plan.state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    target = groups_dir / STATE_FILE
    if not target.is_file() or target.read_bytes() != state.encode("utf-8"):
        target.write_text(state, encoding="utf-8")
