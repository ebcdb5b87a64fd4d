"""RSS 2.0 and Atom 1.0 documents with feedgen: one spec and its entries in, two files out."""

from __future__ import annotations

import datetime as dt
import html
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from feedgen.feed import FeedGenerator


@dataclass(frozen=True)
class FeedEntry:
    id: str  # absolute URL, stable across rebuilds (Atom id, RSS guid)
    title: str
    link: str  # absolute URL of the page the entry is about
    updated: dt.datetime  # aware
    published: dt.datetime  # aware
    summary: str = ""


@dataclass(frozen=True)
class FeedSpec:
    title: str
    description: str
    page: str  # absolute URL of the page the feed belongs to
    rss: str  # absolute URL of the RSS file
    atom: str  # absolute URL of the Atom file
    author: str
    fallback_updated: dt.datetime  # when there are no entries


def feed_documents(spec: FeedSpec, entries: Iterable[FeedEntry], limit: int) -> tuple[bytes, bytes]:
    """(RSS, Atom) for the first `limit` entries, in the order given (callers choose: newest
    news first, soonest events first); entries past the limit are never made (a lazy iterable:
    the site's events feed takes 30 of 18,000 occurrences). Deterministic: no "now" anywhere."""
    chosen = list(itertools.islice(entries, limit))
    updated = max((e.updated for e in chosen), default=spec.fallback_updated)
    rss = _generator(spec, chosen, updated, spec.rss, rss=True).rss_str(pretty=True)
    atom = _generator(spec, chosen, updated, spec.atom, rss=False).atom_str(pretty=True)
    return rss, atom


def _generator(
    spec: FeedSpec, entries: Sequence[FeedEntry], updated: dt.datetime, self_url: str, *, rss: bool
) -> FeedGenerator:
    """RSS readers decode <description> and render it as HTML, so our text (group names, group
    summaries) goes there HTML-escaped: `<b>` is shown as `<b>`, never as markup. Atom says what
    its elements are: <summary> and <subtitle> are type="text" already."""
    as_text = html.escape if rss else str
    fg = FeedGenerator()
    fg.id(spec.page)
    fg.title(spec.title)
    fg.subtitle(as_text(spec.description))
    fg.author({"name": spec.author})
    # feedgen's RSS <link> is the last link added: self first, the page last.
    fg.link(href=self_url, rel="self")
    fg.link(href=spec.page, rel="alternate")
    fg.language("ja")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    fg.generator("civic-portal")
    for e in reversed(entries):  # feedgen prepends; add oldest first to list newest first
        entry = fg.add_entry()
        entry.id(e.id)
        entry.guid(e.id, permalink=e.id == e.link)
        entry.title(e.title)
        entry.link(href=e.link)
        entry.updated(e.updated)
        entry.published(e.published)
        if e.summary:
            entry.summary(as_text(e.summary))
    return fg
