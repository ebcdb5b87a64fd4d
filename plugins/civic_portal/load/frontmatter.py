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


class FrontMatterError(Exception):
    def __init__(self, line: int, key: str, message: str) -> None:
        super().__init__(message)
        self.line, self.key, self.message = line, key, message


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
            mark = e.problem_mark or e.context_mark
            line = first + mark.line if mark else first
            source_lines = yaml_text.split("\n")
            text = source_lines[mark.line] if mark and mark.line < len(source_lines) else ""
            raise FrontMatterError(line, "yaml", _yaml_message(e, text)) from None
        except yaml.YAMLError as e:
            raise FrontMatterError(
                first, "yaml", f"YAMLとして読めません（{_one_line(str(e))}）"
            ) from None
        if node is None:
            return doc
        if not isinstance(node, yaml.MappingNode):
            raise FrontMatterError(
                first, "front-matter", "設定は「キー: 値」の形で書いてください（name: 団体名 など）"
            )
        doc.data = _Builder(loader, first, doc).mapping(node, ())
        return doc
    finally:
        loader.dispose()


def _yaml_message(e: yaml.MarkedYAMLError, line_text: str) -> str:
    problem = (e.problem or "").strip()
    if "\t" in line_text or "tab" in problem:
        return "タブ文字は使えません。字下げには半角スペースを使ってください"
    if "mapping values are not allowed" in problem:
        return '値の中に「: 」があります。値全体を "..." で囲むか、前の行の字下げを確かめてください'
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "字下げ（行頭の半角スペース）が揃っていないか、「キー: 値」の「:」が抜けています"
    if "found undefined alias" in problem or "found duplicate anchor" in problem:
        return "アンカー（&）とエイリアス（*）は使えません"
    if "control characters are not allowed" in problem or "unacceptable character" in problem:
        return "制御文字（見えない特殊な文字）が含まれています。消してください"
    return f"YAMLの書き方に誤りがあります（{_one_line(problem or str(e))}）"


def _one_line(text: str) -> str:
    return " ".join(text.split())


MAX_DEPTH = 12  # a group file nests three levels (events[0].except[0]); far more is an attack


class _Builder:
    def __init__(self, loader: Any, first: int, doc: Document) -> None:
        self.loader, self.first, self.doc = loader, first, doc
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
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            if node.tag.endswith(":timestamp"):
                message = f"存在しない日付です（{node.value}）。年-月-日 を確かめてください"
            else:
                message = f"値を読み取れません（{node.value}）"
            return self.fail(node, path, message)

    def mapping(self, node: yaml.MappingNode, path: tuple[Any, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        self.doc.lines.setdefault(path, self.line_of(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                self.fail(key_node, path, "キーには英字の名前を書いてください（name: など）")
                continue
            key = key_node.value
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


def _percent(ch: str) -> str:
    return "".join(f"%{byte:02X}" for byte in ch.encode("utf-8"))


def dotted(path: tuple[Any, ...]) -> str:
    """contact.email, events[0].start; characters a key may not safely carry in a
    `path:line: key: message` line (":", spaces, newlines) are percent-encoded."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = "".join(c if c.isalnum() or c in "_-" else _percent(c) for c in str(part)) or '""'
        out += f".{name}" if out else name
    return out
