"""Newsletter issues: content/newsletters/<id>.md, validated like group files.

Staff place generated sections in the body with a fenced block whose info string is
`newsletter`, one section name a line:

    ```newsletter
    events
    ```
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import Problem
from ..model.newsletter import SECTIONS, Newsletter, NewsletterContact
from .checks import Checker, read_document

NEWSLETTER_KEYS = {
    "title": "情報紙の名前（例: しみんの広場）",
    "volume": "号数（半角数字）",
    "date": "発行日",
    "period": "載せるイベントの期間（from: 最初の日、to: 最後の日）",
    "featured": "紹介する団体（団体ファイルの名前のリスト）",
    "editor": "発行者・編集者",
    "contact": "問い合わせ先（name, address, phone, fax, email, url, hours）",
    "template": "（サイトが使います）",
}
CONTACT_KEYS = ("name", "address", "phone", "fax", "email", "url", "hours")
MARKER = "newsletter"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MAX_PERIOD_DAYS = 186  # half a year: a longer period is almost always a typo in a year
FIRST_ISSUE_LOOKBACK = dt.timedelta(days=91)  # "new groups" of the oldest issue: 3 months
_REMOTE_IMAGE_RE = re.compile(
    r"!\[[^\]]*\]\(\s*<?(https?:|//)|<img\b[^>]*\bsrc=[\"']?(https?:|//)", re.I
)
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$")


@dataclass(frozen=True)
class Marker:
    """One ```newsletter block: its lines in the body (0-based, fences included) and names."""

    first: int
    last: int
    names: tuple[tuple[int, str], ...]  # (body line index, section name)


def scan_markers(body: str) -> tuple[list[Marker], list[tuple[int, str]]]:
    """Every marker block of a Markdown body, and fences whose info string looks like a typo of
    `newsletter` (line index, info). Markers inside other fenced blocks are examples, not markers.
    """
    lines = body.split("\n")
    markers: list[Marker] = []
    near_misses: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        match = _FENCE_RE.match(lines[index])
        if not match:
            index += 1
            continue
        fence, info = match.group(2), match.group(3)
        end = index + 1
        closing = re.compile(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$")
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        if info.lower() == MARKER:
            names = tuple(
                (i, lines[i].strip()) for i in range(index + 1, min(end, len(lines)))
                if lines[i].strip()
            )  # fmt: skip
            markers.append(Marker(index, min(end, len(lines) - 1), names))
        elif info and difflib.SequenceMatcher(None, info.lower(), MARKER).ratio() >= 0.75:
            near_misses.append((index, info))
        index = end + 1
    return markers, near_misses


def load_newsletters(
    files: Iterable[Path], docs_dir: Path, root: Path, group_slugs: set[str]
) -> tuple[list[Newsletter], list[Problem]]:
    """Every issue, newest first, and every problem found."""
    issues: list[Newsletter] = []
    problems: list[Problem] = []
    for path in files:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
        if not ID_RE.match(path.stem):
            problems.append(
                Problem(
                    rel,
                    1,
                    "file",
                    "情報紙のファイル名は 2026-12.md のように英小文字・数字・ハイフンにしてください",
                )
            )
            continue
        doc = read_document(path, rel)
        if isinstance(doc, Problem):
            problems.append(doc)
            continue
        check = Checker(rel, doc)
        required = ("title", "volume", "date", "period")
        data = check.mapping(doc.data, (), NEWSLETTER_KEYS, required) or {}
        title = check.text(data.get("title"), ("title",), max_length=60)
        volume = check.integer(data.get("volume"), ("volume",), minimum=1, maximum=9999)
        date = check.date(data.get("date"), ("date",))
        period = _period(check, data.get("period"))
        featured = check.group_refs(data.get("featured"), ("featured",), group_slugs, max_items=12)
        editor = check.text(data.get("editor"), ("editor",), max_length=100)
        contact = _contact(check, data.get("contact"))
        sections = _sections(check, doc.body, doc.body_line, bool(featured))
        problems += check.problems
        if check.problems or not (title and volume and date and period):
            continue
        src_uri = path.resolve().relative_to(docs_dir.resolve()).as_posix()
        issues.append(Newsletter(
            id=path.stem, src_uri=src_uri, source=rel, title=title, volume=volume, date=date,
            period=period, sections=sections, body=doc.body, featured=featured, editor=editor,
            contact=contact,
        ))  # fmt: skip
    problems += _duplicate_volumes(issues)
    return _with_new_since(issues), problems


def _period(check: Checker, value: object) -> tuple[dt.date, dt.date] | None:
    data = check.mapping(value, ("period",), ("from", "to"), ("from", "to"))
    if not data:
        return None
    first = check.date(data.get("from"), ("period", "from"))
    last = check.date(data.get("to"), ("period", "to"))
    if first is None or last is None:
        return None
    if last < first:
        check.report(("period", "to"), f"to（{last}）が from（{first}）より前になっています")
        return None
    if (last - first).days > MAX_PERIOD_DAYS:
        check.report(
            ("period", "to"),
            f"期間が長すぎます（{(last - first).days + 1}日）。半年（{MAX_PERIOD_DAYS}日）以内にしてください",
        )
        return None
    return first, last


def _contact(check: Checker, value: object) -> NewsletterContact:
    data = check.mapping(value, ("contact",), CONTACT_KEYS) if value is not None else None
    if not data:
        return NewsletterContact()
    return NewsletterContact(
        name=check.text(data.get("name"), ("contact", "name"), max_length=100),
        address=check.text(data.get("address"), ("contact", "address"), max_length=200),
        phone=check.phone(data.get("phone"), ("contact", "phone")),
        fax=check.phone(data.get("fax"), ("contact", "fax")),
        email=check.email(data.get("email"), ("contact", "email")),
        url=check.url(data.get("url"), ("contact", "url")),
        hours=check.text(data.get("hours"), ("contact", "hours"), max_length=200),
    )


def _sections(check: Checker, body: str, body_line: int, has_featured: bool) -> tuple[str, ...]:
    markers, near_misses = scan_markers(body)
    known = "、".join(SECTIONS)
    for index, info in near_misses:
        check.report(
            ("body",),
            f"「{info}」は「{MARKER}」の書き間違いではありませんか？（```{MARKER} と書きます）",
            line=body_line + index,
        )
    for index, line in enumerate(body.split("\n")):
        if _REMOTE_IMAGE_RE.search(line):
            check.report(
                ("body",),
                "インターネット上の画像は PDF に載せられません。画像を content/newsletters/ に置き、その場所を書いてください",
                line=body_line + index,
            )
    names: list[str] = []
    for marker in markers:
        if not marker.names:
            check.report(
                ("body",),
                f"```{MARKER} の中に入れるもの（{known}）を書いてください",
                line=body_line + marker.first,
            )
        for index, name in marker.names:
            if name not in SECTIONS:
                close = difflib.get_close_matches(name, list(SECTIONS), n=1, cutoff=0.5)
                hint = f"もしかして「{close[0]}」ですか？" if close else ""
                check.report(
                    ("body",),
                    f"「{name}」という差し込みはありません。{hint}使えるもの: {known}",
                    line=body_line + index,
                )
            elif name == "featured" and not has_featured:
                check.report(
                    ("body",),
                    "featured を差し込むには、設定に featured:（紹介する団体のリスト）を書いてください",
                    line=body_line + index,
                )
            else:
                names.append(name)
    if has_featured and "featured" not in names:
        check.report(
            ("featured",),
            f"紹介する団体が本文に出ません。本文の載せたい場所に ```{MARKER} と featured と ``` の3行を入れてください",
        )
    return tuple(names)


def _duplicate_volumes(issues: list[Newsletter]) -> list[Problem]:
    seen: dict[tuple[str, int], Newsletter] = {}
    problems = []
    for issue in sorted(issues, key=lambda n: n.source):
        other = seen.setdefault((issue.title, issue.volume), issue)
        if other is not issue:
            problems.append(
                Problem(
                    issue.source,
                    1,
                    "volume",
                    f"{issue.title} vol.{issue.volume} は {other.source} と同じ号数です",
                )
            )
    return problems


def _with_new_since(issues: list[Newsletter]) -> list[Newsletter]:
    """Newest first; each issue's "new groups" start after the previous issue of its title."""
    ordered = sorted(issues, key=lambda n: (n.date, n.volume, n.id))
    previous: dict[str, dt.date] = {}
    dated = []
    for issue in ordered:
        since = previous.get(issue.title, issue.date - FIRST_ISSUE_LOOKBACK)
        dated.append(replace(issue, new_since=since))
        previous[issue.title] = issue.date
    return dated[::-1]
