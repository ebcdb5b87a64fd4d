"""YAML syntax errors explained for a volunteer: in Japanese, at the line where the broken part
starts, under the key it belongs to (frontmatter.py raises them; nothing here reads files)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

MAX_DEPTH = 12  # a group file nests three levels (events[0].except[0]); far more is an attack


class FrontMatterError(Exception):
    def __init__(self, line: int, key: str, message: str) -> None:
        super().__init__(message)
        self.line, self.key, self.message = line, key, message


# -- YAML syntax errors, explained -----------------------------------------------------------
#
# libyaml says where it gave up, in English. A volunteer needs the line where the broken thing
# starts (the opening quote, the key written without its ": "), the key it belongs to, and what
# to do. We read the lines around libyaml's marks by their shape (indent, "- ", "key: "), the
# way a person reads them; every walk over the lines is one pass (upward or forward) and reads
# at most _PREFIX characters of a line after its indent, so a hostile file costs linear time.

_PREFIX = 400
_BLANKS = " \t\u3000"
_INDICATORS = "#'\"[]{},&*!|>%@`:"
# A key written without its ": ": `name:ひだまり`, `name：ひだまり`, `name:　ひだまり`.
_BROKEN_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)(?:[ \u3000]*(：)|:(\u3000)|:(?!//)(?=\S))")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass
class _Shape:
    """One source line as its indentation and markers show it."""

    indent: int  # the first character that is not a space, a tab or a full-width space
    dashes: tuple[int, ...] = ()  # columns of the list markers ("- ") that open the line
    key: str | None = None  # the key written on the line, also one written without its ": "
    key_col: int = 0  # where the key (or a list item's value) starts
    value_col: int = 0  # where the value after "key: " starts
    broken: str = ""  # how the key's ": " is mistyped: "nospace", "colon" (：), "space" (:　)
    blank: bool = False  # empty, or a comment


def shape_of(text: str) -> _Shape:
    indent = len(text) - len(text.lstrip(_BLANKS))
    line = text[indent : indent + _PREFIX]
    if not line or line[0] == "#":
        return _Shape(indent, blank=True)
    i, n, dashes = 0, len(line), []
    while i < n and line[i] == "-" and (i + 1 == n or line[i + 1] in " \t"):
        dashes.append(indent + i)
        i += 1
        while i < n and line[i] in " \t":
            i += 1
    shape = _Shape(indent, tuple(dashes), None, indent + i, indent + i)
    if i == n or line[i] in _INDICATORS:
        return shape
    colon = line.find(":", i)
    while colon != -1 and colon + 1 < n and line[colon + 1] not in " \t":
        colon = line.find(":", colon + 1)
    if colon != -1:
        shape.key = line[i:colon].rstrip(" \t")
        value = colon + 1
        while value < n and line[value] in " \t":
            value += 1
        shape.value_col = indent + value
        return shape
    broken = _BROKEN_KEY.match(line, i)
    if broken:
        shape.key = broken[1]
        shape.broken = "colon" if broken[2] else "space" if broken[3] else "nospace"
        shape.value_col = indent + broken.end()
    return shape


def _elements(shape: _Shape, upto: int | None = None) -> list[tuple[int, str | None]]:
    """The line's list markers (None) and key, outermost first, those at or before `upto`."""
    found: list[tuple[int, str | None]] = [(c, None) for c in shape.dashes]
    if shape.key is not None:
        found.append((shape.key_col, shape.key))
    return [e for e in found if upto is None or e[0] <= upto]


def _path_at(lines: list[str], index: int, column: int | None = None) -> tuple[Any, ...]:
    """The key path of what line `index` holds at `column` (the whole line when None), read
    from the indentation of the lines above: contact.email, events[1].title."""
    shape = shape_of(lines[index])
    elements = _elements(shape, column)
    reversed_path: list[Any] = []
    while True:
        if elements:
            reversed_path += [0 if name is None else name for _, name in reversed(elements[1:])]
            col, name = elements[0]
        else:  # a line of text: only what encloses it counts
            col, name = shape.indent, ""
        siblings, floor, parent = 0, len(lines[index]) + _PREFIX, -1
        for above in range(index - 1, -1, -1):
            other = shape_of(lines[above])
            if other.blank:
                continue
            if name is None:  # a list item: items before it at its indent, then its parent
                if other.indent < col or (other.indent == col and not other.dashes):
                    parent = above
                    break
                if other.dashes and other.indent <= floor:
                    siblings += 1
            elif other.indent < col:
                parent = above
                break
            floor = min(floor, other.indent)
        if name is None:
            reversed_path.append(siblings)
        elif name:
            reversed_path.append(name)
        if parent < 0:
            break
        index, shape = parent, shape_of(lines[parent])
        elements = [
            (c, key)
            for c, key in _elements(shape)
            if c < col or (name is None and key is not None and c == col)
        ]
    return tuple(reversed(reversed_path))[: MAX_DEPTH + 1]


def key_of(path: tuple[Any, ...]) -> str:
    return dotted(path) or "yaml"


def clip(text: str, length: int = 24) -> str:
    text = _one_line(text)
    return text if len(text) <= length else text[:length] + "…"


def _at(n: int, shape: _Shape) -> str:
    """「4行目の summary: の」: where a problem is, as the editor sees the line."""
    if shape.key is not None and not shape.broken:
        return f"{n}行目の {shape.key}: の"
    if shape.dashes:
        return f"{n}行目の「- 」の項目の"
    return f"{n}行目の"


def _previous(lines: list[str], index: int) -> int:
    """The nearest line above `index` that is neither blank nor a comment, or -1."""
    for above in range(index - 1, -1, -1):
        if not shape_of(lines[above]).blank:
            return above
    return -1


def _inline_value(lines: list[str], index: int, shape: _Shape) -> bool:
    """Whether a `key:` line also has a value written after the colon."""
    rest = lines[index][shape.value_col :].lstrip(" \t")
    return bool(rest) and not rest.startswith("#")


def key_problem(shape: _Shape, text: str, n: int) -> str:
    """The message for a key whose ": " is mistyped (`name:ひだまり`, `name：ひだまり`)."""
    key = shape.key
    value = clip(text[shape.value_col :].lstrip(_BLANKS))
    if shape.broken == "colon":
        return (
            f"{n}行目の {key}： のコロンが全角（：）です。"
            f"半角の「:」にして、そのあとに半角スペースを1つ入れてください（{key}: {value}）"
        )
    if shape.broken == "space":
        return (
            f"{n}行目の {key}: のあとのスペースが全角です。半角スペースにしてください"
            f"（{key}: {value}）"
        )
    return f"{n}行目の {key}: のあとに半角スペースを1つ入れてください（{key}: {value}）"


def _dash_without_space(lines: list[str], index: int, first: int) -> tuple[int, Any, str] | None:
    """`-まちづくり`: a list item without the space after its "-"."""
    text, indent = lines[index], shape_of(lines[index]).indent
    after = text[indent + 1 : indent + 2]
    if text[indent : indent + 1] != "-" or after in ("", " ", "\t", "-") or after.isdigit():
        return None
    item = text[:indent] + "- " + text[indent + 1 :]
    return (
        index,
        _path_at([*lines[:index], item, *lines[index + 1 :]], index, indent),
        f"{first + index}行目の「-」のあとに半角スペースを1つ入れてください"
        f"（- {clip(text[indent + 1 :])}）",
    )


def _line_problem(lines: list[str], index: int, first: int) -> tuple[int, Any, str] | None:
    """What is wrong with a line that libyaml could not fit in: a tab or a full-width space
    in its indent, a mistyped ": ", or no ": " at all."""
    text, shape, n = lines[index], shape_of(lines[index]), first + index
    lead = text[: shape.indent]
    if "\t" in lead:
        message = f"{n}行目の行頭にタブ文字があります。字下げには半角スペースを使ってください"
        return index, _path_at(lines, index), message
    if "\u3000" in lead:
        message = f"{n}行目の行頭に全角スペースがあります。字下げには半角スペースを使ってください"
        return index, _path_at(lines, index), message
    if shape.broken:
        return index, _path_at(lines, index), key_problem(shape, text, n)
    found = _dash_without_space(lines, index, first)
    if found:
        return found
    if shape.key is None and not shape.dashes and not shape.blank:
        words = text.strip(_BLANKS)
        path = _path_at(lines, index)
        if _WORD.fullmatch(words):
            path = (*path, words)
        return (
            index,
            path,
            f"{n}行目（{clip(words)}）に「キー: 値」の「: 」がありません。"
            "前の行の続きなら前の行につなげて1行にし、"
            "新しい項目なら「キー: 値」の形で書いてください",
        )
    return None


def _close(text: str, start: int, quote: str) -> int:
    """The column of the quote that closes a quoted value opened before `start`, or -1."""
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if quote == "'" and i + 1 < n and text[i + 1] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def _unclosed(lines: list[str], index: int, column: int, first: int) -> tuple[int, Any, str]:
    shape, n = shape_of(lines[index]), first + index
    quote = lines[index][column] if column < len(lines[index]) else '"'
    quote = quote if quote in "\"'" else '"'
    return (
        index,
        _path_at(lines, index, column),
        f"{_at(n, shape)}引用符（{quote}）が閉じていません。値の最後に {quote} を書いてください",
    )


def _quote_problem(
    lines: list[str], index: int, column: int, first: int
) -> tuple[int, Any, str] | None:
    """A quoted value closed too early: by a quote inside it, on the line libyaml stopped at
    (`"彼は"こんにちは"と"`), or left open on a line above and closed by a later line's quote."""
    text, shape = lines[index], shape_of(lines[index])
    at = shape.value_col
    if at < len(text) and text[at] in "\"'" and column > at:
        quote = text[at]
        end = _close(text, at + 1, quote)
        if 0 <= end < column and text[end + 1 :].strip(" \t")[:1] not in ("", "#"):
            n = first + index
            if quote == '"':
                advice = "値全体を '...' で囲んでください"
                inner = _one_line(text[at + 1 :])
                inner = inner[:-1] if inner.endswith('"') else inner
                if "'" not in inner and len(inner) <= 30 and shape.key and not shape.broken:
                    advice += f"（例: {shape.key}: '{inner}'）"
            else:
                advice = "値全体を \"...\" で囲むか、値の中の ' を '' と2つ重ねてください"
            return (
                index,
                _path_at(lines, index, at),
                f"{_at(n, shape)}値の途中に {quote} があります。{advice}",
            )
    line = 0
    while line < index:
        shape = shape_of(lines[line])
        text, at = lines[line], shape.value_col
        if shape.blank or at >= len(text) or text[at] not in "\"'":
            line += 1
            continue
        quote = text[at]
        if _close(text, at + 1, quote) >= 0:
            line += 1
            continue
        swallowed, closing = False, line + 1
        while closing <= index:
            inner = shape_of(lines[closing])
            if (
                not inner.blank
                and inner.indent <= shape.indent
                and (inner.dashes or (inner.key is not None and not inner.broken))
            ):
                swallowed = True
            if _close(lines[closing], 0, quote) >= 0:
                break
            closing += 1
        if swallowed and closing <= index:
            return _unclosed(lines, line, at, first)
        line = closing + 1
    return None


def _colon_in_value(lines: list[str], index: int, first: int) -> tuple[int, Any, str]:
    text, shape = lines[index], shape_of(lines[index])
    value = _one_line(text[shape.value_col :])
    example = ""
    if shape.key is not None and '"' not in value and len(value) <= 30:
        example = f'（例: {shape.key}: "{value}"）'
    return (
        index,
        _path_at(lines, index),
        f'{_at(first + index, shape)}値の中に「: 」があります。値全体を "..." で囲んでください'
        + example,
    )


def _mapping_value_problem(
    lines: list[str], index: int, column: int, first: int
) -> tuple[int, Any, str]:
    """ "mapping values are not allowed here": a second ": " in a value, or a line read as the
    continuation of the text above it (a key without its ": ", a key indented too deep)."""
    shape = shape_of(lines[index])
    if shape.key is not None and not shape.broken and column >= shape.value_col:
        return _colon_in_value(lines, index, first)
    top = -1
    for above in range(index - 1, -1, -1):
        other = shape_of(lines[above])
        if other.blank or (other.key is not None and not other.broken):
            break
        top = above
        if other.dashes:
            break
    if top >= 0:
        found = _line_problem(lines, top, first)
        if found:
            return found
    previous = _previous(lines, index)
    if previous >= 0 and shape.key is not None:
        before = shape_of(lines[previous])
        if (
            before.key is not None
            and not before.broken
            and shape.indent > before.key_col
            and _inline_value(lines, previous, before)
        ):
            path = (*_path_at(lines, previous)[:-1], shape.key)
            return (
                index,
                path,
                f"{first + index}行目の {shape.key}: が{first + previous}行目の "
                f"{before.key}: より深く字下げされています。同じ並びの項目なら行頭の位置を"
                f'そろえ、{before.key}: の値の続きなら値全体を "..." で囲んでください',
            )
    return _colon_in_value(lines, index, first)


def list_after_value(lines: list[str], index: int, item: int, first: int) -> str:
    shape, n = shape_of(lines[index]), first + index
    return (
        f"{n}行目の {shape.key}: のあとに値があるため、{first + item}行目の「- 」の項目を"
        f"リストとして読めません。リストにするなら{n}行目を {shape.key}: だけにして、"
        "項目を次の行から「- 」で書いてください"
    )


def _block_problem(
    lines: list[str], index: int, column: int, first: int
) -> tuple[int, Any, str] | None:
    """A line that does not fit the block above it: a list item or key at the wrong indent,
    a list item after a `key: value` line, an empty key, text after a closed value."""
    text, shape, n = lines[index], shape_of(lines[index]), first + index
    if "\u3000" in text[: shape.indent]:
        return _line_problem(lines, index, first)
    if column > shape.key_col and column < len(text):
        return (
            index,
            _path_at(lines, index, column),
            f'{_at(n, shape)}値を読み取れません。[ ] や "..." で囲んだあとに文字を続けず、'
            '値全体を "..." で囲んでください',
        )
    if text[shape.key_col : shape.key_col + 1] == ":":
        return (
            index,
            _path_at(lines, index, shape.indent),
            f"{n}行目の「:」の前にキーの名前がありません",
        )
    found = _dash_without_space(lines, index, first)
    if found:
        return found
    previous = _previous(lines, index)
    before = shape_of(lines[previous]) if previous >= 0 else None
    if shape.dashes:
        if (
            before is not None
            and before.key is not None
            and not before.broken
            and before.key_col <= shape.indent
            and _inline_value(lines, previous, before)
        ):
            return (
                previous,
                _path_at(lines, previous),
                list_after_value(lines, previous, index, first),
            )
        floor = len(text)
        for above in range(index - 1, -1, -1):
            other = shape_of(lines[above])
            if other.blank:
                continue
            if not other.dashes and other.indent <= shape.indent:
                break  # the key the list belongs to
            if other.dashes and other.indent <= floor and other.indent != shape.indent:
                return (
                    index,
                    _path_at(lines, index, shape.indent),
                    f"{n}行目の「- 」の位置が{first + above}行目の「- 」とそろっていません。"
                    "行頭の半角スペースの数を同じにしてください",
                )
            floor = min(floor, other.indent)
        return (
            index,
            _path_at(lines, index, shape.indent),
            f"{n}行目に「- 」がありますが、ここは「キー: 値」を書くところです。"
            "「- 」を消すか、字下げ（行頭の半角スペースの数）を確かめてください",
        )
    if shape.key is None or shape.broken:
        return _line_problem(lines, index, first)
    floor = len(text)
    for above in range(index - 1, -1, -1):  # the nearest key above that is not nested deeper
        other = shape_of(lines[above])
        if other.blank:
            continue
        if other.key is not None and not other.broken and other.key_col <= floor:
            if other.key_col > shape.indent:
                return (
                    index,
                    _path_at(lines, index),
                    f"{n}行目の {shape.key}: の字下げ（行頭の半角スペースの数）が"
                    f"{first + above}行目の {other.key}: とそろっていません。"
                    "同じ数にしてください",
                )
            if other.key_col < shape.indent and _inline_value(lines, above, other):
                return (
                    index,
                    (*_path_at(lines, above)[:-1], shape.key),
                    f"{n}行目の {shape.key}: が{first + above}行目の {other.key}: より深く"
                    "字下げされています。行頭の位置をそろえてください",
                )
            return None
        floor = min(floor, other.indent)
    return None


def explain(e: yaml.MarkedYAMLError, lines: list[str], first: int) -> tuple[int, Any, str]:
    """(index of the line where the broken construct starts, its key path, a Japanese message
    naming that line and what to do). libyaml's own words never reach the message."""
    problem, context = (e.problem or "").strip(), (e.context or "").strip()
    last = len(lines) - 1
    p_mark, c_mark = e.problem_mark or e.context_mark, e.context_mark or e.problem_mark
    index = min(max(p_mark.line, 0), last) if p_mark else 0
    column = p_mark.column if p_mark and p_mark.line <= last else 0
    c_index = min(max(c_mark.line, 0), last) if c_mark else index
    c_column = c_mark.column if c_mark and c_mark.line <= last else 0
    text, shape, n = lines[index], shape_of(lines[index]), first + index
    char = text[column] if column < len(text) else ""

    if "nesting depth" in problem:
        return (
            index,
            _path_at(lines, index, column),
            f"{_at(n, shape)}入れ子（リストや「キー: 値」の中の入れ子）が深すぎます",
        )
    if "quoted scalar" in context:
        if "end of stream" in problem or "document" in problem:
            return _unclosed(lines, c_index, c_column, first)
        return (
            c_index,
            _path_at(lines, c_index, c_column),
            f'{_at(first + c_index, shape_of(lines[c_index]))} "..." の中の \\ の書き方が'
            "正しくありません。\\ を書くときは \\\\ と2つ重ねるか、値全体を '...' で囲んでください",
        )
    if "\t" in text[: shape.indent] or char == "\t" or "tab" in problem:
        if "\t" in text[: shape.indent]:
            message = f"{n}行目の行頭にタブ文字があります。字下げには半角スペースを使ってください"
        else:
            message = f"{n}行目にタブ文字があります。半角スペースにしてください"
        return index, _path_at(lines, index), message
    if "control characters" in problem or "unacceptable character" in problem:
        return (
            index,
            _path_at(lines, index, column),
            f"{_at(n, shape)}値に制御文字（見えない特殊な文字）が含まれています。消してください",
        )
    found = _quote_problem(lines, index, column, first)
    if found:
        return found
    if "mapping values" in problem:
        return _mapping_value_problem(lines, index, column, first)
    if "simple key" in context:
        found = _line_problem(lines, c_index, first)
        if found:
            return found
    if "single document" in context:
        return (
            index,
            (),
            f"{n}行目の --- で設定が2つに分かれています。--- は設定の最初と最後にだけ書いてください",
        )
    if "alias" in context or "anchor" in context or "alias" in problem or "anchor" in problem:
        where = c_index if context.startswith("while scanning") else index
        col = c_column if context.startswith("while scanning") else column
        return _starts_with(lines, where, col, first)
    if "tag" in context or "tag" in problem:
        return _starts_with(lines, c_index, c_column, first)
    if "cannot start any token" in problem or ("node content" in problem and char in ",]}"):
        return _starts_with(lines, index, column, first)
    if "block scalar" in context:
        return (
            c_index,
            _path_at(lines, c_index, c_column),
            f"{_at(first + c_index, shape_of(lines[c_index]))} | や > のあとには何も書かず、"
            "次の行から字下げして文章を書いてください",
        )
    if "flow" in context:
        flow_text = lines[c_index]
        opening = flow_text[c_column] if c_column < len(flow_text) else "["
        opening, closing = ("{", "}") if opening == "{" else ("[", "]")
        where = _at(first + c_index, shape_of(flow_text))
        if "," in problem and p_mark and c_mark and p_mark.line == c_mark.line:  # on one line
            message = (
                f"{where} {opening} {closing} の中の書き方が正しくありません。項目は「,」で区切り、"
                '「: 」や記号を含む項目は "..." で囲んでください'
            )
        else:
            message = f"{where} {opening} が閉じていません。最後に {closing} を書いてください"
        return c_index, _path_at(lines, c_index, c_column), message
    if "block sequence entries" in problem:
        key = shape.key if shape.key is not None else "キー"
        return (
            index,
            _path_at(lines, index, column),
            f"{_at(n, shape)}値が「- 」で始まっています。リストにするなら {key}: で改行して"
            '次の行から「- 」で書き、文字として書くなら値全体を "..." で囲んでください',
        )
    if "expected" in problem or "block end" in problem:
        found = _block_problem(lines, index, column, first)
        if found:
            return found
    found = _line_problem(lines, index, first)
    if found:
        return found
    return (
        index,
        _path_at(lines, index, column),
        f"{n}行目{'（' + shape.key + ':）' if shape.key and not shape.broken else ''}を"
        "YAMLとして読み取れません。「キー: 値」の形、字下げ（行頭の半角スペースの数）、"
        "引用符（\" '）や括弧（[ ] { }）の閉じ忘れを確かめてください",
    )


def _starts_with(lines: list[str], index: int, column: int, first: int) -> tuple[int, Any, str]:
    """A value that starts with a character YAML reserves: @ ` % ! * &."""
    text, shape = lines[index], shape_of(lines[index])
    char = text[column] if column < len(text) else "?"
    value = _one_line(text[column:])
    example = ""
    if shape.key is not None and not shape.broken and '"' not in value and len(value) <= 30:
        example = f'（例: {shape.key}: "{value}"）'
    return (
        index,
        _path_at(lines, index, column),
        f"{_at(first + index, shape)}値が {char} で始まっています。"
        f'{char} で始まる値は全体を "..." で囲んでください{example}',
    )


def reader_problem(e: yaml.YAMLError, yaml_text: str, first: int) -> tuple[int, Any, str]:
    """A character libyaml refuses to read (a control character) is found where it stands."""
    character = getattr(e, "character", None)
    if isinstance(character, int):
        character = chr(character)
    at = yaml_text.find(character) if isinstance(character, str) and character else -1
    if at < 0:
        return (
            0,
            (),
            "YAMLとして読めない文字が含まれています。制御文字（見えない特殊な文字）を消してください",
        )
    lines = yaml_text.split("\n")
    index = yaml_text.count("\n", 0, at)
    column = at - (yaml_text.rfind("\n", 0, at) + 1)
    where = _at(first + index, shape_of(lines[index]))
    return (
        index,
        _path_at(lines, index, column),
        f"{where}値に制御文字（見えない特殊な文字）が含まれています。消してください",
    )


def root_key(node: yaml.Node, lines: list[str], first: int) -> FrontMatterError | None:
    """A front matter of one line whose ": " is mistyped (`name:ひだまり`) reads as text."""
    if not isinstance(node, yaml.ScalarNode) or node.style not in (None, ""):
        return None
    index = node.start_mark.line
    if index >= len(lines):
        return None
    shape = shape_of(lines[index])
    if not shape.broken:
        return None
    return FrontMatterError(
        first + index, key_of((shape.key,)), key_problem(shape, lines[index], first + index)
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


FOLDED = 60  # a first line at least this long may be one a YAML writer folded


def is_item(text: str) -> bool:
    rest = text.lstrip(" \t")
    return rest.startswith(("- ", "-\t")) or rest == "-"


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
