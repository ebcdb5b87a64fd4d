"""Limits on the Markdown a group writes (a group page's body, an event's description).

Python-Markdown is quadratic in some inputs and recursive in others: 120,000 `[` kept it busy
past 600 s, 600 nested `- ` markers (or 500 definition-list items, or 2,000 `*` around a word)
end in a RecursionError. Every limit below is far above what a group page needs and far below
where the converter slows down or fails; tests/test_gate.py renders bodies at the limits.

Images must be files in groups/images/ (written images/<name>, as a logo is): a picture from
another host would tell that host who reads the page. The loader refuses every other image with
its line; the sanitiser also drops any remote one it meets, whatever the spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from ..links import as_browser_reads, leaves_the_site, scheme_of
from .group_contract import LOGO_RE

MAX_CHARS = 20_000
MAX_LINES = 1_000  # headings, setext underlines and rules cost the square of their number
MAX_DEPTH = 16  # lists and quotes inside each other
MAX_OPENERS = {"[": 500, "<": 500}  # each one makes the inline parser look ahead
MAX_RUN = 100  # the same emphasis character in a row
MAX_DEFINITIONS = 100  # ": " definition-list items

_CONTAINER = re.compile(r" {0,3}(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))[ \t]?")
_RUN = re.compile(rf"\*{{{MAX_RUN + 1},}}|_{{{MAX_RUN + 1},}}")
_DEFINITION = re.compile(r"^ {0,3}:[ \t]")
_INLINE_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^\s)>]*)")
_INLINE_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^\s)>]*)")
_REFERENCE_IMAGE = re.compile(r"!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?(?!\()")

_DEFINITION_LINK = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*<?([^\s>]+)", re.MULTILINE)


@dataclass(frozen=True)
class BodyProblem:
    line: int  # within the text, from 1
    message: str


@dataclass(frozen=True)
class BodyCheck:
    problems: list[BodyProblem]
    images: list[tuple[int, str]]  # (line, file name in groups/images/) of each local image


def check_body(text: str, *, max_chars: int = MAX_CHARS, images: bool = True) -> BodyCheck:
    """Every reason `text` may not be published, each with its line, and the local images it
    shows. Size first: the other checks (and the converter) are only bounded once it is.
    `images=False` where a page has no place for pictures (an event's description)."""
    if len(text) > max_chars:
        message = f"本文が長すぎます（{len(text):,}文字）。{max_chars:,}文字以内にしてください"
        return BodyCheck([BodyProblem(1, message)], [])
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        message = f"本文の行が多すぎます（{len(lines):,}行）。{MAX_LINES:,}行以内にしてください"
        return BodyCheck([BodyProblem(MAX_LINES + 1, message)], [])
    problems = list(_structure(lines))
    for char, limit in MAX_OPENERS.items():
        if text.count(char) > limit:
            line = _line_of_nth(text, char, limit + 1)
            problems.append(
                BodyProblem(
                    line,
                    f"「{char}」が多すぎます（{text.count(char):,}個）。本文全体で{limit}個までにしてください",
                )
            )
    for line, target in _link_targets(text):
        if _relative_page(target):
            problems.append(
                BodyProblem(
                    line,
                    f"リンク先「{target.strip()[:40]}」は使えません。ほかのサイトへは https:// から、"
                    "このサイトのページへは /events/ のように / から書いてください",
                )
            )
    local = []
    for line, src in _image_sources(text):
        name = _local_image(src)
        if name is not None and images:
            local.append((line, name))
        else:
            problems.append(BodyProblem(line, _image_message(src, images)))
    return BodyCheck(sorted(problems, key=lambda p: p.line), local)


def _structure(lines: list[str]) -> Iterator[BodyProblem]:
    definitions = 0
    for number, line in enumerate(lines, 1):
        depth = _depth(line)
        if depth > MAX_DEPTH:
            yield BodyProblem(
                number,
                f"リストや引用（>）の入れ子が深すぎます（{depth}段）。{MAX_DEPTH}段までにしてください",
            )
        if _RUN.search(line):
            yield BodyProblem(
                number, f"「*」や「_」が{MAX_RUN}個より多く続いています。減らしてください"
            )
        if _DEFINITION.match(line):
            definitions += 1
            if definitions == MAX_DEFINITIONS + 1:
                yield BodyProblem(
                    number,
                    f"「: 」で始まる行（説明リスト）は{MAX_DEFINITIONS}個までにしてください",
                )


def _depth(line: str) -> int:
    """How many lists and quotes a line sits in: its container markers, plus its indentation in
    steps of two spaces (a nested list item may be indented that little)."""
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip(" "))
    markers = 0
    position = indent
    while match := _CONTAINER.match(expanded, position):
        if match.end() == position:
            break
        markers += 1
        position = match.end()
    return indent // 2 + markers


def _image_sources(text: str) -> Iterator[tuple[int, str]]:
    """(line, src) of every image: Markdown inline and reference images, and raw <img>."""
    for match in _INLINE_IMAGE.finditer(text):
        yield _line_at(text, match.start()), match.group(1)
    definitions = {label.strip().lower(): url for label, url in _DEFINITION_LINK.findall(text)}
    for match in _REFERENCE_IMAGE.finditer(text):
        label = (match.group(2) or match.group(1)).strip().lower()
        if label in definitions:
            yield _line_at(text, match.start()), definitions[label]
    yield from _ImageFinder.sources_in(text)


def _link_targets(text: str) -> Iterator[tuple[int, str]]:
    """(line, target) of Markdown inline links and of reference definitions."""
    for match in _INLINE_LINK.finditer(text):
        yield _line_at(text, match.start()), match.group(1)
    for match in _DEFINITION_LINK.finditer(text):
        yield _line_at(text, match.start()), match.group(2)


def _relative_page(target: str) -> bool:
    """A link MkDocs would resolve against the generated page's own place (`about.md`,
    `../x/`): from a group page that is never what the group meant, and a missing target stops
    the strict build on MkDocs' warning rather than on a line of ours. Anchors, site paths
    (/events/) and any scheme (left to the sanitiser) pass."""
    cleaned = as_browser_reads(target)
    if not cleaned or cleaned.startswith("#") or scheme_of(target) != "":
        return False
    return not (cleaned.startswith("/") and not leaves_the_site(cleaned))


def _local_image(src: str) -> str | None:
    """The file name of an image written as images/<name> (a file in groups/images/, named as a
    logo may be), or None."""
    src = as_browser_reads(src)
    return src.removeprefix("images/") if src.startswith("images/") and LOGO_RE.match(src) else None


def _image_message(src: str, allowed: bool) -> str:
    if not allowed:
        return "イベントの内容には画像を使えません。団体のページの本文に書いてください"
    if leaves_the_site(src) and scheme_of(src) in ("http", "https", ""):
        return (
            "外部のサイトの画像は使えません（読んだ人の情報がそのサイトに送られるため）。"
            "画像は groups/images/ に置き、images/ファイル名 と書いてください"
        )
    return (
        f"画像「{src.strip()[:30]}」は使えません。画像は groups/images/ に置き、"
        "![説明](images/ファイル名.png) のように書いてください"
    )


class _ImageFinder(HTMLParser):
    """`<img src>` in raw HTML, however it is spelled (case, quotes, character references)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[tuple[int, str]] = []

    @classmethod
    def sources_in(cls, text: str) -> list[tuple[int, str]]:
        finder = cls()
        # "<![" opens a marked section, on which the standard library's parser gives up with an
        # AssertionError (found by hypothesis); to a browser it is a bogus comment.
        try:
            finder.feed(text.replace("<![", "<!-["))
            finder.close()
        except AssertionError:  # pragma: no cover - any other declaration it cannot read
            pass  # what was found so far is reported; the sanitiser drops the rest
        return finder.sources

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            for name, value in attrs:
                if name == "src" and value is not None:
                    self.sources.append((self.getpos()[0], value))

    handle_startendtag = handle_starttag


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_of_nth(text: str, char: str, n: int) -> int:
    offset = -1
    for _ in range(n):
        offset = text.index(char, offset + 1)
    return _line_at(text, offset)
