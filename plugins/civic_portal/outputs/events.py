"""Every machine-readable events file: iCalendar feeds and the open-data event list."""

from __future__ import annotations

from collections.abc import MutableMapping
from functools import cache, partial
from typing import Any
from urllib.parse import urljoin, urlsplit

from .. import urls
from ..model import Site
from ..model.events import Event
from ..model.settings import Settings
from ..render.ical import Calendars, vtimezone
from ..render.opendata import Publisher, datapackage, event_rows, events_csv, events_json
from .writing import Make


def event_files(
    site: Site, settings: Settings, memo: MutableMapping[Any, Any] | None = None
) -> dict[str, Make]:
    """src_uri → how to make each .ics, .csv and .json the calendar publishes (made when asked,
    in a build by its writing process: site.data_files). `memo`: the calendar entries of
    earlier builds in this process (see Calendars)."""
    site_url, site_name = settings.site_url, settings.site_name
    tz = site.tz
    host = urlsplit(site_url).hostname or "localhost"
    pages = {e.series_id: urls.event_url(e.series_id) for e in site.events}
    stamps = {g.slug: g.changed or site.now for g in site.groups}
    memo = memo if memo is not None else {}

    @cache
    def calendars() -> Calendars:  # one for every calendar: each event serialised once
        zone_key = ("vtimezone", str(tz), site.window)
        if (zone := memo.get(zone_key)) is None:
            zone = memo[zone_key] = vtimezone(tz, *site.window)  # type: ignore[arg-type]
        return Calendars(
            tz=tz,
            timezone=zone,
            host=host,
            site_url=site_url,
            event_url=pages,
            stamps=stamps,
            memo=memo,
        )

    def ics(events: list[Event], name: str) -> Make:
        return lambda: calendars().calendar(events, name)

    files: dict[str, Make] = {urls.EVENTS_ICS: ics(site.events, f"{site_name} イベント")}
    for g in site.groups:
        if g.events:
            files[urls.group_ics(g.slug)] = ics(g.events, f"{g.name}のイベント")
    for f in site.fields:
        in_field = [e for e in site.events if f.slug in e.fields]
        if in_field:
            files[urls.field_ics(f.slug)] = ics(in_field, f"{f.short}のイベント")
    for e in site.events:
        files[urls.event_ics(e.series_id)] = ics([e], e.title)
    for place in site.places:
        if held := site.events_at(place.id):
            files[urls.place_ics(place.id)] = ics(held, f"{place.name}のイベント")

    events = settings.events
    code = events.municipality_code or ""
    publisher = Publisher(code, events.prefecture, events.municipality)

    @cache
    def rows() -> list[dict[str, str]]:
        absolute = {k: urljoin(site_url, v) for k, v in pages.items()}
        groups = {g.slug: g for g in site.groups}
        return event_rows(site.occurrences, groups, publisher, absolute)

    table = cache(lambda: events_csv(rows()))  # made once when written under two names
    files[urls.OPENDATA_CSV] = table
    files[urls.OPENDATA_JSON] = lambda: events_json(rows())
    tables = [urls.OPENDATA_CSV]
    if code:
        files[urls.opendata_named_csv(code)] = table
        tables.append(urls.opendata_named_csv(code))
    title = f"{site_name} イベント一覧"
    files[urls.OPENDATA_PACKAGE] = partial(datapackage, title, publisher, tables)
    return files
