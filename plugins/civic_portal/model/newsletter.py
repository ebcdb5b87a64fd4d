"""Newsletter issues (情報紙) the centre publishes: content/newsletters/<id>.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .phone import tel_uri

# The generated sections staff may place in an issue, by marker name, with their Japanese name.
SECTIONS: dict[str, str] = {
    "events": "期間中のイベント（団体ファイルの予定から）",
    "new-groups": "新しく登録された団体（前の号の発行日より後）",
    "recruiting": "会員・ボランティアを募集している団体",
    "featured": "featured: に書いた団体の紹介",
}


@dataclass(frozen=True)
class NewsletterContact:
    """The contact block printed at the end of an issue."""

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    url: str | None = None
    hours: str | None = None

    def __bool__(self) -> bool:
        return any(vars(self).values())

    @property
    def phone_uri(self) -> str | None:
        return tel_uri(self.phone)


@dataclass(frozen=True)
class Newsletter:
    id: str  # the file's stem, e.g. 2026-12
    src_uri: str  # e.g. newsletters/2026-12.md, as MkDocs knows the page
    source: str  # path relative to the project, for messages
    title: str  # the newsletter's name, e.g. しみんの広場
    volume: int
    date: dt.date  # issue date
    period: tuple[dt.date, dt.date]  # the events it lists, both days included
    sections: tuple[str, ...]  # marker names in the order they appear in the body
    body: str  # the Markdown after the front matter
    featured: tuple[str, ...] = ()  # group slugs
    editor: str | None = None
    contact: NewsletterContact = NewsletterContact()
    new_since: dt.date | None = None  # the previous issue's date: "new groups" are later than it

    @property
    def label(self) -> str:
        return f"{self.title} vol.{self.volume}"
