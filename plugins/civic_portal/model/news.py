"""News posts the centre publishes (content/news/YYYY-MM-DD-<slug>.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class NewsCategory:
    slug: str
    name: str


@dataclass(frozen=True)
class NewsItem:
    src_uri: str  # e.g. news/2026-11-20-kikin.md, as MkDocs knows the page
    source: str  # path relative to the project, for messages
    title: str
    published: dt.datetime  # aware, in the portal's zone
    category: NewsCategory
    groups: tuple[str, ...] = ()
    summary: str | None = None
    expires: dt.date | None = None
    image: str | None = None  # src_uri of an image in docs_dir
    changed: dt.datetime | None = None  # last commit of the file (feeds' "updated")

    def closed_on(self, today: dt.date) -> bool:
        """A grant call past its deadline: the site says 受付終了."""
        return self.expires is not None and self.expires < today

    @property
    def updated(self) -> dt.datetime:
        return max(self.published, self.changed) if self.changed else self.published
