"""Every RSS/Atom pair the portal publishes, written from the one Site model."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import replace
from functools import cache
from typing import Any
from urllib.parse import urljoin

from .. import urls
from ..jdate import date_ja, time_ja
from ..model import Group, Site
from ..model.events import Occurrence
from ..model.news import NewsItem
from ..model.settings import Settings
from ..render.feeds import FeedEntry, FeedSpec, feed_documents
from .writing import Make


class FeedWriter:
    """Builds entries with absolute URLs and puts each feed pair into a src_uri → how to make it
    map (`files`); the entries are chosen and the documents written when first asked for."""

    def __init__(
        self,
        site: Site,
        site_url: str,
        site_name: str,
        author: str,
        limit: int,
        memo: MutableMapping[Any, tuple[bytes, bytes]] | None = None,
    ) -> None:
        self.site, self.base, self.site_name, self.author, self.limit = (
            site,
            site_url,
            site_name,
            author,
            limit,
        )
        self.files: dict[str, Make] = {}
        # documents of earlier builds in this process, by what they are made of
        self.memo: MutableMapping[Any, tuple[bytes, bytes]] = memo if memo is not None else {}

    def absolute(self, page: str) -> str:
        return urljoin(self.base, page)

    def write(
        self,
        pair: tuple[str, str],
        title: str,
        description: str,
        page: str,
        entries: Iterable[FeedEntry],
    ) -> None:
        """The pair of feeds `pair` (RSS, Atom) of `entries` (an iterable read when the pair is
        first made, up to the feeds' limit)."""
        spec = FeedSpec(
            title=f"{title}｜{self.site_name}", description=description, page=self.absolute(page),
            rss=self.absolute(pair[0]), atom=self.absolute(pair[1]), author=self.author,
            fallback_updated=self.site.now,
        )  # fmt: skip

        @cache
        def documents() -> tuple[bytes, bytes]:
            chosen = tuple(itertools.islice(entries, self.limit))
            # what they are made of: the build's time only counts for a feed with no entry
            key = (replace(spec, fallback_updated=None) if chosen else spec, chosen)  # type: ignore[arg-type]
            if (made := self.memo.get(key)) is None:
                made = self.memo[key] = feed_documents(spec, chosen, self.limit)
            return made

        self.files[pair[0]] = lambda: documents()[0]
        self.files[pair[1]] = lambda: documents()[1]

    # -- entries -------------------------------------------------------------------------------

    def news_entry(self, item: NewsItem) -> FeedEntry:
        link = self.absolute(urls.page_url(item.src_uri))
        closed = "【受付終了】" if item.closed_on(self.site.today) else ""
        return FeedEntry(
            link, closed + item.title, link, item.updated, item.published, item.summary or ""
        )

    def group_entry(self, group: Group) -> FeedEntry:
        """One entry per addition or change: the id carries the change time, so RSS readers
        (which only compare guids) show an updated page as new, and repeats stay stable."""
        link = self.absolute(urls.group_url(group.slug))
        added = group.added or self.site.now
        changed = group.changed or added
        title = group.name if changed == added else f"{group.name}（更新）"
        return FeedEntry(
            f"{link}#{changed:%Y%m%d%H%M%S}", title, link, changed, changed, group.summary
        )

    def occurrence_entry(self, o: Occurrence) -> FeedEntry:
        e = o.event
        link = self.absolute(urls.event_url(e.series_id))
        when = date_ja(o.first_day) + (time_ja(o.start) if isinstance(o.start, dt.datetime) else "")
        status = f"【{o.status_label}】" if o.status in ("cancelled", "postponed") else ""
        group = self.site.group(e.group_slug)
        stamp = group.changed or self.site.now
        summary = f"{when} {e.place_label or ''} 主催: {group.name}".replace("  ", " ")
        return FeedEntry(
            f"{link}#{o.start.isoformat()}",
            f"{status}{when} {e.title}",
            link,
            stamp,
            stamp,
            summary,
        )


def feed_files(
    site: Site, settings: Settings, memo: MutableMapping[Any, tuple[bytes, bytes]] | None = None
) -> dict[str, Make]:
    """src_uri → how to make every feed: news, per news category, groups, events, per field, per
    group. `memo`: feeds of earlier builds in this process (`mkdocs serve`), reused when made
    of the same entries."""
    limit = settings.feeds.max_entries
    author = settings.feeds.author
    w = FeedWriter(site, settings.site_url, settings.site_name, author, limit, memo)
    w.write(
        urls.SITE_FEEDS,
        "お知らせ",
        "市民活動センターからのお知らせ・助成金情報・講座",
        urls.page_url(urls.NEWS),
        map(w.news_entry, site.news),
    )
    for category in site.news_categories:
        items = [n for n in site.news if n.category == category]
        w.write(
            urls.category_feeds(category.slug),
            category.name,
            f"{category.name}のお知らせ",
            urls.page_url(urls.news_category_src(category.slug)),
            map(w.news_entry, items),
        )
    by_change = sorted(
        site.active_groups, key=lambda g: ((g.changed or site.now), g.slug), reverse=True
    )
    w.write(
        urls.GROUPS_FEEDS,
        "新しい団体・更新された団体",
        "登録された団体と、内容が更新された団体",
        urls.page_url(urls.DIRECTORY),
        map(w.group_entry, by_change),
    )
    upcoming = site.upcoming()
    w.write(
        urls.EVENTS_FEEDS,
        "これからのイベント",
        "市民活動団体の講座・交流会・ボランティア活動の予定",
        urls.page_url(urls.EVENTS),
        map(w.occurrence_entry, upcoming),
    )
    for f in site.fields:
        w.write(
            urls.field_event_feeds(f.slug),
            f"{f.short}のイベント",
            f"活動分野「{f.short}」の団体のイベント",
            urls.field_url(f.slug),
            map(w.occurrence_entry, _in_field(upcoming, f.slug)),
        )
    for g in site.groups:
        w.write(
            urls.group_feeds(g.slug),
            g.name,
            f"{g.name}のお知らせとイベント",
            urls.group_url(g.slug),
            _group_entries(w, g.slug, limit),
        )
    return w.files


def _in_field(occurrences: list[Occurrence], field: str) -> Iterator[Occurrence]:
    return (o for o in occurrences if field in o.event.fields)


def _group_entries(w: FeedWriter, slug: str, limit: int) -> Iterator[FeedEntry]:
    """A group's feed: the news that names it, then its next events."""
    site = w.site
    yield from (w.news_entry(n) for n in site.news if slug in n.groups)
    yield from map(w.occurrence_entry, site.upcoming(slug)[:limit])
