"""Newsletter issues: the generated sections, the body split around them, and the print document
that both `mkdocs build` and `civic newsletter pdf` turn into a PDF."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .. import urls
from ..load.newsletters import scan_markers
from ..model import Group, Recruit, Site
from ..model.events import Event, Occurrence
from ..model.newsletter import Newsletter

NEW_GROUPS_LISTED = 12  # a print page holds about this many; the rest are counted and linked
_PLACEHOLDER = '<div class="civic-nl-slot" data-section="{}"></div>'
_PLACEHOLDER_RE = re.compile(r'<div class="civic-nl-slot" data-section="([a-z-]+)"></div>')
_H2_RE = re.compile(r"(?m)^(?=<h2[ >])")


@dataclass(frozen=True)
class Part:
    """A piece of an issue's body: staff prose (`html`) or a generated section (`section`)."""

    html: str = ""
    section: str = ""
    wide: bool = False  # prose with a table, or a heading that introduces a section: 1 column


@dataclass(frozen=True)
class Series:
    """A recurring event in an issue: listed once, with its dates in the period."""

    occurrences: tuple[Occurrence, ...]

    @property
    def event(self) -> Event:
        return self.occurrences[0].event


def with_placeholders(body: str) -> str:
    """Replace each ```newsletter block by one placeholder per section (raw HTML blocks)."""
    markers, _ = scan_markers(body)
    lines = body.split("\n")
    for marker in reversed(markers):
        slots = [_PLACEHOLDER.format(name) for _, name in marker.names]
        lines[marker.first : marker.last + 1] = ["", *slots, ""]
    return "\n".join(lines)


def split_body(html: str) -> list[Part]:
    """The body's HTML cut at the placeholders and, between them, at each <h2>."""
    parts: list[Part] = []
    pieces = _PLACEHOLDER_RE.split(html)
    for index, piece in enumerate(pieces):
        if index % 2:
            parts.append(Part(section=piece))
            continue
        chunks = [c for c in _H2_RE.split(piece) if c.strip()]
        for number, chunk in enumerate(chunks):
            leads_in = number == len(chunks) - 1 and index + 1 < len(pieces)
            heading_only = chunk.lstrip().startswith("<h2") and chunk.count("\n") <= 1
            parts.append(Part(html=chunk, wide="<table" in chunk or (leads_in and heading_only)))
    return parts


def newsletter_context(issue: Newsletter, site: Site) -> dict[str, Any]:
    """What the newsletter templates (page and print document) find under `civic.issue`."""
    found = site.occurrences_between(*issue.period)
    single = [o for o in found if o.event.rule is None]
    series: dict[str, list[Occurrence]] = {}
    for o in found:
        if o.event.rule is not None:
            series.setdefault(o.event.series_id, []).append(o)
    new = [g for g in site.active_groups if _added_between(g, issue.new_since, issue.date)]
    recruiting: list[tuple[Group, tuple[Recruit, ...]]] = [
        (g, g.open_recruiting(issue.date)) for g in site.active_groups
    ]
    older = [n for n in site.newsletters if (n.date, n.volume) < (issue.date, issue.volume)]
    newer = [n for n in site.newsletters if (n.date, n.volume) > (issue.date, issue.volume)]
    return {
        "issue": issue,
        "events": single,
        "series": sorted(
            (Series(tuple(v)) for v in series.values()),
            key=lambda s: s.occurrences[0].sort_key,
        ),
        "event_count": len(found),
        "new_groups": new[:NEW_GROUPS_LISTED],
        "new_groups_more": max(0, len(new) - NEW_GROUPS_LISTED),
        "recruiting": [(g, r) for g, r in recruiting if r],
        "featured": [site.group(slug) for slug in issue.featured],
        "pdf": urls.newsletter_pdf(issue.src_uri),
        "previous_issue": older[0] if older else None,
        "next_issue": newer[-1] if newer else None,
    }


def _added_between(group: Group, since: dt.date | None, until: dt.date) -> bool:
    if group.added is None:
        return False
    day = group.added.date()
    return (since is None or day > since) and day <= until


# -- the print document -----------------------------------------------------------------------


def print_body(
    text: str, src_uri: str, site_url: str, extensions: list[Any], configs: dict[str, Any]
) -> str:
    """An issue's Markdown body as HTML for the PDF, converted with the site's own Markdown
    extensions; links become absolute URLs of the published site, since a PDF travels alone."""
    md = markdown.Markdown(
        extensions=[*extensions, _AbsoluteLinks(src_uri, site_url)],
        extension_configs=configs,
    )
    return md.convert(with_placeholders(text))


class _AbsoluteLinks(Extension):
    def __init__(self, src_uri: str, site_url: str) -> None:
        super().__init__()
        self.src_uri, self.site_url = src_uri, site_url.rstrip("/") + "/"

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_LinkRewriter(md, self.src_uri, self.site_url), "civic-abs", 0)


class _LinkRewriter(Treeprocessor):
    def __init__(self, md: markdown.Markdown, src_uri: str, site_url: str) -> None:
        super().__init__(md)
        self.src_uri, self.site_url = src_uri, site_url

    def run(self, root: etree.Element) -> None:
        for a in root.iter("a"):
            href = a.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("#", "/")) or not href:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.src_uri), parts.path))
            path = urls.page_url(target) if target.endswith(".md") else target
            a.set("href", self.site_url + path + (f"#{parts.fragment}" if parts.fragment else ""))
