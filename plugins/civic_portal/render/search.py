"""Site search: Pagefind records of folded text, so index and query fold alike.

Pagefind neither folds width or kana (ボランティア vs ぼらんてぃあ, ＮＰＯ vs NPO) nor segments
Japanese the same way when indexing and when searching. We index `search_tokens(text)` (folded
character bigrams, see civic_portal.kana), keep the original title and excerpt as Pagefind meta
for display, and the search page sends `searchQueries(q)` from civic-fold.js, the same tokens.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from ..kana import search_tokens
from ..model import Group

EXCERPT_CHARS = 120


@dataclass(frozen=True)
class SearchRecord:
    url: str  # absolute path on the site, e.g. /groups/kodomo/
    title: str
    text: str
    excerpt: str = ""
    facets: tuple[str, ...] = ()  # facet tokens, see facet_token


def facet_token(kind: str, position: int) -> str:
    """The index token for a field ("f") or area ("a") by its position in the configured list.

    Pagefind's own filters would serve, but its filter index is not byte-stable between builds
    (Pagefind issue #638), and our builds are. A token per facet, ANDed with the query by the
    search page, filters the same way. Fixed width, so no token is a prefix of another.
    """
    return f"civic{kind}{position:03d}"


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "template", "svg", "button"})
    _BLOCK = frozenset(
        {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "div"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed, one line per block."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def excerpt_of(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class IndexPage:
    """The page Pagefind indexes for one record, and how many distinct tokens it holds: what
    a Pagefind run's memory grows with (about 0.8 KB for each token of each page)."""

    html: str
    tokens: int


def index_page(record: SearchRecord) -> IndexPage:
    """Folded tokens in the body, the original title and excerpt as meta."""
    tokens = [*search_tokens(f"{record.title}\n{record.text}"), *record.facets]
    html = ET.Element("html", lang="ja")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    body = ET.SubElement(html, "body")
    # Meta and filters sit outside data-pagefind-body: shown in results, never matched twice.
    for key, value in (
        ("title", record.title),
        ("excerpt", record.excerpt or excerpt_of(record.text)),
    ):
        ET.SubElement(body, "p", {"data-pagefind-meta": key}).text = value
    ET.SubElement(body, "main", {"data-pagefind-body": ""}).text = " ".join(tokens)
    page = "<!doctype html>" + ET.tostring(html, encoding="unicode", method="html")
    return IndexPage(page, len(set(tokens)))


def page_record(
    url: str, title: str, html: str, group: Group | None = None, facets: Sequence[str] = ()
) -> SearchRecord:
    """The search record of a built page; a group page is found by its reading, summary, tags,
    fields and areas too, and carries its field/area facet tokens."""
    text = html_text(html)
    if group is None:
        return SearchRecord(url=url, title=title, text=text, excerpt=excerpt_of(text))
    parts = [
        group.kana,
        group.summary,
        *group.tags,
        *(f.short for f in group.fields),
        *(a.name for a in group.areas),
    ]
    return SearchRecord(
        url=url,
        title=group.name,
        text="\n".join([*parts, group.activity or "", group.place_label or "", text]),
        excerpt=group.summary,
        facets=tuple(facets),
    )
