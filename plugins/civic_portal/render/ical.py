"""iCalendar (RFC 5545) feeds written with `icalendar`: one VEVENT per event or series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from urllib.parse import urljoin

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent
from icalendar.prop import vRecur

from ..model.events import Event

PRODID = "-//civic-portal//市民活動ポータル//JA"


def uid_of(event: Event, host: str) -> str:
    """Stable across rebuilds and edits of title, time or place: <group>-<id or start date>@host."""
    return f"{event.series_id}@{host}"


def vtimezone(tz: dt.tzinfo, first: dt.date, last: dt.date) -> Timezone:
    """The VTIMEZONE for `tz` over first..last (a year either side). Building it walks every
    hour of the range, so the plugin builds it once per build, not once per file."""
    return Timezone.from_tzinfo(
        tz, first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366)
    )


def calendar_ics(
    events: Iterable[Event],
    *,
    name: str,
    tz: dt.tzinfo,
    timezone: Timezone,
    host: str,
    site_url: str,
    event_url: Mapping[str, str],
    stamps: Mapping[str, dt.datetime],
) -> bytes:
    """A VCALENDAR of `events`. `event_url` maps series ids to site-relative page URLs,
    `stamps` maps group slugs to their file's last change (DTSTAMP, so builds are reproducible)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(tz))
    ordered = sorted(events, key=lambda e: e.series_id)
    if any(not e.all_day for e in ordered):  # DTSTART;TZID=Asia/Tokyo needs its VTIMEZONE
        cal.add_component(timezone)
    for event in ordered:
        url = urljoin(site_url, event_url[event.series_id])
        cal.add_component(_vevent(event, tz, host, url, stamps[event.group_slug]))
        for override in _cancelled_overrides(event, tz, host, stamps[event.group_slug]):
            cal.add_component(override)
    return cal.to_ical()


def _vevent(event: Event, tz: dt.tzinfo, host: str, url: str, stamp: dt.datetime) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", uid_of(event, host))
    vevent.add("dtstamp", stamp.astimezone(dt.UTC))
    prefix = f"【{event.status_label}】" if event.status in ("cancelled", "postponed") else ""
    vevent.add("summary", prefix + event.title)
    if event.all_day:
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.start + event.duration)  # exclusive, the day after
    else:
        vevent.add("dtstart", event.start.replace(tzinfo=tz))  # type: ignore[call-arg]
        if event.end is not None:
            vevent.add("dtend", event.end.replace(tzinfo=tz))  # type: ignore[call-arg]
    if event.rule:
        rule = vRecur.from_ical(event.rule)
        if event.until is not None:
            if event.all_day:
                rule["UNTIL"] = event.until
            else:  # with TZID on DTSTART, UNTIL must be UTC (RFC 5545 3.3.10)
                last = dt.datetime.combine(event.until, dt.time(23, 59, 59), tzinfo=tz)
                rule["UNTIL"] = last.astimezone(dt.UTC)
        vevent.add("rrule", rule)
        for day in event.skipped:
            if event.all_day:
                vevent.add("exdate", day)
            else:
                vevent.add("exdate", dt.datetime.combine(day, event.start.time(), tzinfo=tz))  # type: ignore[union-attr]
    vevent.add(
        "status",
        {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}.get(event.status, "CONFIRMED"),
    )
    address = str(event.where) if event.where else event.address
    location = ", ".join(p for p in (event.place_label, address) if p) or event.online_url
    if location:
        vevent.add("location", location)
    if event.venue is not None and event.venue.has_position:
        vevent.add("geo", (event.venue.latitude, event.venue.longitude))
    vevent.add("url", url)
    details = [
        event.description or "",
        event.fee and f"参加費: {event.fee}",
        event.apply and f"申し込み: {event.apply}",
        url,
    ]
    vevent.add("description", "\n\n".join(d for d in details if d))
    return vevent


def _cancelled_overrides(
    event: Event, tz: dt.tzinfo, host: str, stamp: dt.datetime
) -> list[VEvent]:
    """One VEVENT per cancelled date of a series: same UID, RECURRENCE-ID, STATUS:CANCELLED."""
    out = []
    for day in event.cancelled_dates:
        vevent = VEvent()
        vevent.add("uid", uid_of(event, host))
        vevent.add("dtstamp", stamp.astimezone(dt.UTC))
        if event.all_day:
            start: dt.date | dt.datetime = day
            vevent.add("recurrence-id", day)
            vevent.add("dtstart", day)
            vevent.add("dtend", day + event.duration)
        else:
            start = dt.datetime.combine(day, event.start.time(), tzinfo=tz)  # type: ignore[union-attr]
            vevent.add("recurrence-id", start)
            vevent.add("dtstart", start)
            if event.end is not None:
                vevent.add("dtend", start + event.duration)
        vevent.add("summary", f"【中止】{event.title}")
        vevent.add("status", "CANCELLED")
        out.append(vevent)
    return out
