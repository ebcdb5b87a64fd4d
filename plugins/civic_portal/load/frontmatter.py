"""Split a Markdown file into YAML front matter and body, and parse the YAML keeping lines.

We compose with libyaml (`CSafeLoader`) and construct values node by node ourselves, so that
every value keeps the line it came from, a bad value (2026-02-30) is reported where it stands,
duplicate keys are caught instead of silently overwritten, and anchors/aliases (the way YAML
bombs multiply) are refused before anything is expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from .yaml_errors import (
    FOLDED,
    MAX_DEPTH,
    FrontMatterError,
    clip,
    dotted,
    explain,
    is_item,
    key_of,
    key_problem,
    list_after_value,
    reader_problem,
    root_key,
    shape_of,
)

__all__ = ["INVALID", "Document", "FrontMatterError", "dotted", "parse", "parse_yaml", "split"]

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Plain scalars read as YAML 1.2's core schema reads them, as the web form (Decap CMS, whose
    `yaml` library writes YAML 1.2) means them: `16:00` and `1_000` are text, not the YAML 1.1
    numbers 960 and 1000; `yes`/`no`/`on`/`off` are text, not booleans; `0123` is text (a phone
    number written without hyphens), never the octal 83. Dates stay dates (YAML 1.1 timestamps):
    every date check accepts them written either way."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    (
        "timestamp",
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$",
        "0123456789",
    ),
):
    _Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}",
        re.compile(_pattern),
        list(_first) + ([""] if _tag == "null" else []),
    )

_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()
"""Stands for a value already reported as unreadable; validators skip it."""


@dataclass
class Document:
    """Front matter values with their lines, and the Markdown body."""

    data: dict[str, Any]
    body: str
    body_line: int
    fence_line: int = 1
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    key_lines: dict[tuple[Any, ...], int] = field(default_factory=dict)  # where each key is written
    errors: list[FrontMatterError] = field(default_factory=list)

    def line(self, *path: Any) -> int:
        """The line of the value at `path`, or of its closest parent that exists."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.fence_line


def split(text: str) -> tuple[str, int, str, int]:
    """Return (yaml_text, yaml_first_line, body, body_first_line); lines are 1-based."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrontMatterError(
            1,
            "front-matter",
            "ファイルの先頭に --- で囲んだ設定（フロントマター）が必要です。"
            "1行目を --- にして、name: などの項目を書き、最後にもう一度 --- を書いてください",
        )
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return yaml_text, 2, body, index + 2
    raise FrontMatterError(
        1,
        "front-matter",
        "設定の終わりを示す --- が見つかりません。設定の最後の行の次に --- だけの行を入れてください",
    )


def parse(text: str) -> Document:
    """Parse a whole file.

    Raises FrontMatterError when nothing can be read; problems in single values (a date that
    does not exist, a duplicate key, an alias) are collected in `Document.errors` instead.
    """
    yaml_text, first, body, body_line = split(text)
    return _read(yaml_text, first, Document(data={}, body=body, body_line=body_line))


def parse_yaml(text: str) -> Document:
    """A whole file of YAML (the venue register) read the same way: a mapping at the top, its
    values with their lines, single-value problems collected; raises FrontMatterError when
    nothing can be read."""
    return _read(text, 1, Document(data={}, body="", body_line=0))


def _read(yaml_text: str, first: int, doc: Document) -> Document:
    loader = _Loader(yaml_text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as e:
            index, path, message = explain(e, yaml_text.split("\n"), first)
            raise FrontMatterError(first + index, key_of(path), message) from None
        except yaml.YAMLError as e:
            index, path, message = reader_problem(e, yaml_text, first)
            raise FrontMatterError(first + index, key_of(path), message) from None
        if node is None:
            return doc
        lines = yaml_text.split("\n")
        if not isinstance(node, yaml.MappingNode):
            broken = root_key(node, lines, first)
            if broken:
                raise broken
            raise FrontMatterError(
                first, "front-matter", "設定は「キー: 値」の形で書いてください（name: 団体名 など）"
            )
        doc.data = _Builder(loader, first, doc, lines).mapping(node, ())
        return doc
    finally:
        loader.dispose()


class _Builder:
    def __init__(self, loader: Any, first: int, doc: Document, lines: list[str]) -> None:
        self.loader, self.first, self.doc, self.lines = loader, first, doc, lines
        self.seen: set[int] = set()
        self.reported_alias = False

    def fail(self, node: yaml.Node, path: tuple[Any, ...], message: str) -> Any:
        self.doc.errors.append(
            FrontMatterError(self.line_of(node), dotted(path) or "yaml", message)
        )
        return INVALID

    def line_of(self, node: yaml.Node) -> int:
        return self.first + node.start_mark.line

    def value(self, node: yaml.Node, path: tuple[Any, ...], key_line: int | None = None) -> Any:
        if id(node) in self.seen:
            # An alias is the anchored node itself; point at the key that uses it, once a file.
            if not self.reported_alias:
                self.reported_alias = True
                self.doc.errors.append(
                    FrontMatterError(
                        key_line or self.line_of(node),
                        dotted(path) or "yaml",
                        "アンカー（&）とエイリアス（*）は使えません",
                    )
                )
            return INVALID
        if len(path) > MAX_DEPTH:
            if len(path) == MAX_DEPTH + 1:
                return self.fail(
                    node, path[:MAX_DEPTH], "入れ子（リストや「キー: 値」の中の入れ子）が深すぎます"
                )
            return INVALID
        self.seen.add(id(node))
        self.doc.lines[path] = self.line_of(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.style in (None, "") and self.plain_problem(node, path, key_line):
            return INVALID
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            if node.tag.endswith(":timestamp"):
                message = f"存在しない日付です（{node.value}）。年-月-日 を確かめてください"
            else:
                message = f"値を読み取れません（{node.value}）"
            return self.fail(node, path, message)

    def plain_problem(self, node: yaml.Node, path: tuple[Any, ...], key_line: int | None) -> bool:
        """Text that YAML reads without complaint but that is a mistyped structure: list items
        read as the continuation of the value above them, `email:a@example.jp` (or
        `email：…`) on the line under `contact:`, `-まちづくり` or `-　まちづくり` under
        `fields:`. Reported; True then."""
        start, end = node.start_mark, node.end_mark
        if start.line >= len(self.lines):
            return False
        n = self.first + start.line
        text = self.lines[start.line]
        if end.line > start.line and len(text) < FOLDED and path:
            # Every line after the first is "- item": a list meant. A long first line is text
            # a program folded (PyYAML and the form's writer wrap at 80 columns), never this.
            items = [
                index
                for index in range(start.line + 1, min(end.line, len(self.lines) - 1) + 1)
                if self.lines[index].strip(" \t")
            ]
            if items and all(is_item(self.lines[index]) for index in items):
                if isinstance(path[-1], int):
                    message = (
                        f"{self.first + items[0]}行目の「- 」が{n}行目の「- 」より右にあるため、"
                        f"{n}行目の項目の続きとして読まれています。"
                        "「- 」の位置（行頭の半角スペースの数）をそろえてください"
                    )
                    self.doc.errors.append(FrontMatterError(n, key_of(path), message))
                    return True
                if key_line == n:
                    message = list_after_value(self.lines, start.line, items[0], self.first)
                    message += '。文のままにするなら値全体を "..." で囲んでください'
                    self.doc.errors.append(FrontMatterError(n, key_of(path), message))
                    return True
        shape = shape_of(text)
        if key_line is None or n <= key_line or start.column != shape.indent:
            return False
        # The value starts a line of its own, under its key: what was meant is often a key
        # (`email:a@example.jp`) or a list item (`-まちづくり`, `-　まちづくり`).
        if shape.broken and shape.key_col == start.column:
            self.doc.errors.append(
                FrontMatterError(n, key_of((*path, shape.key)), key_problem(shape, text, n))
            )
            return True
        after = text[start.column + 1 : start.column + 2]
        if text[start.column] != "-" or after in ("", " ", "\t", "-", ".") or after.isdigit():
            return False
        if after == "\u3000":
            message = f"{n}行目の「-」のあとのスペースが全角です。半角スペースにしてください"
        else:
            message = (
                f"{n}行目の「-」のあとに半角スペースを1つ入れてください"
                f"（- {clip(text[start.column + 1 :])}）"
            )
        self.doc.errors.append(FrontMatterError(n, key_of((*path, 0)), message))
        return True

    def mapping(self, node: yaml.MappingNode, path: tuple[Any, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        self.doc.lines.setdefault(path, self.line_of(node))
        empty_before: str | None = None  # `contact:` with nothing after it, just above
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                self.fail(key_node, path, "キーには英字の名前を書いてください（name: など）")
                continue
            key = key_node.value
            if isinstance(key, str) and "\u3000" in key:
                self.full_width_key(key_node, path, empty_before, result)
                continue
            empty = isinstance(value_node, yaml.ScalarNode) and value_node.value == ""
            empty_before = key if empty and value_node.style in (None, "") else None
            if key in result:
                self.fail(
                    key_node,
                    (*path, key),
                    f"「{key}」が2回書かれています。どちらか1つにしてください",
                )
                continue
            self.doc.key_lines[(*path, key)] = self.line_of(key_node)
            result[key] = self.value(value_node, (*path, key), self.line_of(key_node))
        return result

    def full_width_key(
        self,
        node: yaml.Node,
        path: tuple[Any, ...],
        empty_before: str | None,
        result: dict[str, Any],
    ) -> None:
        """A key indented with full-width spaces (or with one inside it): YAML reads them as
        part of the key. Reported under the key meant (`contact:` above with nothing after
        it takes it in); its value is left unread, so nothing else is said about it."""
        name = node.value.replace("\u3000", "")
        n = self.line_of(node)
        if node.value.startswith("\u3000"):
            meant = (*path, empty_before, name) if empty_before else (*path, name)
            message = (
                f"{n}行目の行頭に全角スペースがあります。字下げには半角スペースを使ってください"
            )
        else:
            meant = (*path, name)
            message = f"{n}行目のキーに全角スペースがあります。消して {name}: と書いてください"
        self.doc.errors.append(FrontMatterError(n, key_of(meant if name else path), message))
        if name and not empty_before and name not in result:
            result[name] = INVALID
