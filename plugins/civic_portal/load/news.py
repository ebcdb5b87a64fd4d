"""News posts: content/news/YYYY-MM-DD-<slug>.md, validated like group files."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..model import Problem
from ..model.news import NewsCategory, NewsItem
from .checks import Checker, image_problem, read_document
from .group_contract import IMAGE_SUFFIXES

NEWS_KEYS = {
    "title": "見出し",
    "date": "掲載日（2026-11-20 または 2026-11-20 10:00）",
    "category": "分類",
    "groups": "関係する団体（団体ファイルの名前）",
    "summary": "一覧とフィードに出す要約（200文字以内）",
    "expires": "締め切り日（助成金の受付終了など）",
    "image": "画像（このファイルから見た場所。PNG・JPEG・WebP・GIF）",
    "template": "（サイトが使います）",
}
FILE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-[a-z0-9][a-z0-9-]{0,80}$")
_TIME_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$")


def load_news(
    files: Iterable[Path],
    docs_dir: Path,
    root: Path,
    categories: tuple[NewsCategory, ...],
    group_slugs: set[str],
    tz: dt.tzinfo,
    history: dict[str, tuple[dt.datetime, dt.datetime]],
) -> tuple[list[NewsItem], list[Problem]]:
    """Every news post, newest first, and every problem found."""
    items: list[NewsItem] = []
    problems: list[Problem] = []
    choices = {unicodedata.normalize("NFKC", x): c for c in categories for x in (c.name, c.slug)}
    for path in files:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
        name = FILE_RE.match(path.stem)
        if not name:
            problems.append(
                Problem(
                    rel,
                    1,
                    "file",
                    "お知らせのファイル名は 2026-11-20-kikin.md のように「年-月-日-英小文字の名前」にしてください",
                )
            )
            continue
        doc = read_document(path, rel)
        if isinstance(doc, Problem):
            problems.append(doc)
            continue
        check = Checker(rel, doc)
        data = check.mapping(doc.data, (), NEWS_KEYS, ("title", "date", "category")) or {}
        title = check.text(data.get("title"), ("title",), max_length=100)
        published = _published(check, data.get("date"), tz)
        category = (
            check.choice(data.get("category"), ("category",), choices, "お知らせの分類")
            if data.get("category") is not None
            else None
        )
        summary = check.text(data.get("summary"), ("summary",), max_length=200)
        expires = check.date(data.get("expires"), ("expires",))
        image = _image(check, data.get("image"), path, docs_dir)
        groups = check.group_refs(data.get("groups"), ("groups",), group_slugs, max_items=20)
        if published is not None and published.date() != dt.date(*(int(g) for g in name.groups())):
            check.report(
                ("date",),
                f"date（{published.date()}）とファイル名の日付が違います。どちらかを直してください",
            )
        problems += check.problems
        if check.problems or not (title and published and category):
            continue
        src_uri = path.resolve().relative_to(docs_dir.resolve()).as_posix()
        items.append(NewsItem(
            src_uri=src_uri, source=rel, title=title, published=published, category=category,
            groups=groups, summary=summary, expires=expires, image=image,
            changed=history.get(rel, (None, None))[1],
        ))  # fmt: skip
    items.sort(key=lambda n: (n.published, n.src_uri), reverse=True)
    return items, problems


def _published(check: Checker, value: object, tz: dt.tzinfo) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, str) and (match := _TIME_RE.match(value.strip())):
        try:
            return dt.datetime(*(int(g) for g in match.groups()), tzinfo=tz)
        except ValueError:
            check.report(("date",), f"存在しない日時です（{value}）")
            return None
    day = check.date(value, ("date",))
    return dt.datetime.combine(day, dt.time(), tzinfo=tz) if day else None


def _image(check: Checker, value: object, post: Path, docs_dir: Path) -> str | None:
    """The image's src_uri in docs_dir, written relative to the post as in Markdown."""
    text = check.text(value, ("image",), max_length=300)
    if text is None:
        return None
    target = (post.parent / text).resolve()
    try:
        src_uri = target.relative_to(docs_dir.resolve()).as_posix()
    except ValueError:
        check.report(("image",), "画像は content/ の中に置いてください")
        return None
    if not text.lower().endswith(IMAGE_SUFFIXES):
        check.report(("image",), "使える画像は PNG・JPEG・WebP・GIF です（SVG は使えません）")
    elif problem := image_problem(post.parent / text, f"{text}（content/{src_uri}）"):
        check.report(("image",), problem)
    else:
        return src_uri
    return None
