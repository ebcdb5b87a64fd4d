"""The portal's data model: immutable, validated, free of MkDocs and theme specifics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..kana import fold, gojuon_key, gojuon_row
from .events import Event, Occurrence
from .news import NewsCategory, NewsItem
from .newsletter import Newsletter
from .phone import tel_uri
from .places import Place


@dataclass(frozen=True, order=True)
class Problem:
    """One content problem an editor can fix: `path:line: key: message`."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        message = " ".join(self.message.splitlines())  # one problem, one line, whatever was quoted
        return f"{self.path}:{self.line}: {self.key}: {message}"


@dataclass(frozen=True)
class ActivityField:
    """An activity field (活動分野); `name` is the official wording, `short` the label."""

    slug: str
    name: str
    short: str


@dataclass(frozen=True)
class Area:
    """A district (地区) of the municipality."""

    slug: str
    name: str


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    address: str | None = None
    person: str | None = None

    def __bool__(self) -> bool:
        return any((self.email, self.phone, self.url, self.address, self.person))

    @property
    def phone_uri(self) -> str | None:
        return tel_uri(self.phone)


@dataclass(frozen=True)
class Link:
    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class Recruit:
    title: str
    detail: str | None = None
    until: dt.date | None = None

    def open_on(self, today: dt.date) -> bool:
        return self.until is None or self.until >= today


@dataclass(frozen=True)
class Group:
    slug: str
    source: str  # path relative to the project root, with forward slashes
    name: str
    kana: str
    summary: str
    fields: tuple[ActivityField, ...]
    body: str
    body_line: int
    areas: tuple[Area, ...] = ()
    tags: tuple[str, ...] = ()
    legal_form: str | None = None
    founded: int | dt.date | None = None
    members: int | None = None
    activity: str | None = None
    place: str | None = None  # as written: a venue's id, or a place's name
    room: str | None = None
    venue: Place | None = None  # the registered venue `place` names: the group's base
    contact: Contact = field(default_factory=Contact)
    links: tuple[Link, ...] = ()
    recruiting: tuple[Recruit, ...] = ()
    logo: str | None = None  # file name under groups/images/
    logo_source: str | None = None  # absolute path of the logo file
    images: tuple[tuple[str, str], ...] = ()  # (name under groups/images/, path) shown in the body
    maintainers: tuple[str, ...] = ()
    status: str = "active"
    events: tuple[Event, ...] = ()
    added: dt.datetime | None = None  # when the file first entered the repository
    changed: dt.datetime | None = None  # its last commit (iCalendar DTSTAMP)

    @property
    def pictures(self) -> dict[str, str]:
        """Every file of groups/images/ this group publishes (logo and body images): name → path."""
        named = dict(self.images)
        if self.logo and self.logo_source:
            named[self.logo] = self.logo_source
        return named

    @property
    def place_label(self) -> str | None:
        return self.venue.label(self.room) if self.venue else self.place

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (*gojuon_key(self.kana), self.slug)

    @property
    def row(self) -> tuple[str, str]:
        return gojuon_row(self.kana)

    def open_recruiting(self, today: dt.date) -> tuple[Recruit, ...]:
        return tuple(r for r in self.recruiting if r.open_on(today))

    def haystack(self) -> str:
        """Everything the directory search matches, folded once at build time."""
        parts = [self.name, self.kana, self.summary, *self.tags]
        parts += [f.short for f in self.fields] + [a.name for a in self.areas]
        return fold(" ".join(parts))


@dataclass(frozen=True)
class Site:
    """Everything read from the sources for one build."""

    groups: tuple[Group, ...]  # in 五十音 order
    fields: tuple[ActivityField, ...]
    areas: tuple[Area, ...]
    now: dt.datetime
    occurrences: tuple[Occurrence, ...] = ()  # every event's occurrences in the build's window
    window: tuple[dt.date, dt.date] = (dt.date.min, dt.date.min)  # first and last day of it
    # The one expansion of every schedule: the window, widened to every newsletter's period.
    expanded: tuple[Occurrence, ...] = ()
    news: tuple[NewsItem, ...] = ()  # newest first
    news_categories: tuple[NewsCategory, ...] = ()
    newsletters: tuple[Newsletter, ...] = ()  # newest first
    places: tuple[Place, ...] = ()  # the venue register, in 五十音 order
    notices: tuple[Problem, ...] = ()  # suggestions for editors; never fatal

    @property
    def tz(self) -> dt.tzinfo:
        """The portal's time zone: every time in the model is in it."""
        assert self.now.tzinfo is not None, "the build's now is aware"
        return self.now.tzinfo

    def occurrences_between(self, first: dt.date, last: dt.date) -> tuple[Occurrence, ...]:
        """Occurrences overlapping the days first..last (within the expanded span), in order."""
        return tuple(o for o in self.expanded if o.overlaps(first, last))

    # Indexes built on first use: pages ask these once per page, thousands of times a build.
    @cached_property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for g in self.groups for e in g.events)

    @cached_property
    def _groups_by_slug(self) -> dict[str, Group]:
        return {g.slug: g for g in self.groups}

    @cached_property
    def _upcoming(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.last_day >= self.today)

    @cached_property
    def _upcoming_by_group(self) -> dict[str, list[Occurrence]]:
        return _grouped(self._upcoming, lambda o: o.event.group_slug)

    @cached_property
    def _by_series(self) -> dict[str, list[Occurrence]]:
        return _grouped(self.occurrences, lambda o: o.event.series_id)

    @cached_property
    def _upcoming_by_place(self) -> dict[str, list[Occurrence]]:
        held = (o for o in self._upcoming if o.event.venue is not None)
        return _grouped(held, lambda o: o.event.venue.id)  # type: ignore[union-attr]

    @cached_property
    def _by_month(self) -> dict[tuple[int, int], list[Occurrence]]:
        months: dict[tuple[int, int], list[Occurrence]] = {}
        for o in self.occurrences:
            year, month, last = o.first_day.year, o.first_day.month, o.last_day
            while (year, month) <= (last.year, last.month):
                months.setdefault((year, month), []).append(o)
                year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return months

    def in_month(self, year: int, month: int) -> tuple[Occurrence, ...]:
        """Occurrences with a day in the month, in order (each month's calendar, 50 of them,
        asked this of 18,000 occurrences on every build)."""
        return tuple(self._by_month.get((year, month), ()))

    def upcoming_at(self, place_id: str) -> tuple[Occurrence, ...]:
        """Occurrences not yet over at a registered venue, in date order."""
        return tuple(self._upcoming_by_place.get(place_id, ()))

    @cached_property
    def _events_by_place(self) -> dict[str, list[Event]]:
        found: dict[str, list[Event]] = {}
        for e in self.events:
            if e.venue is not None:
                found.setdefault(e.venue.id, []).append(e)
        return found

    def events_at(self, place_id: str) -> tuple[Event, ...]:
        """The events and series held at a registered venue."""
        return tuple(self._events_by_place.get(place_id, ()))

    def groups_based_at(self, place_id: str) -> tuple[Group, ...]:
        return tuple(g for g in self.active_groups if g.venue and g.venue.id == place_id)

    def group(self, slug: str) -> Group:
        return self._groups_by_slug[slug]

    def upcoming(self, group_slug: str | None = None) -> tuple[Occurrence, ...]:
        """Occurrences not yet over (today counts), in date order, of one group or all."""
        if group_slug is None:
            return self._upcoming
        return tuple(self._upcoming_by_group.get(group_slug, ()))

    def occurrences_of(self, series_id: str) -> tuple[Occurrence, ...]:
        return tuple(self._by_series.get(series_id, ()))

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @cached_property
    def active_groups(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.active)

    @cached_property
    def inactive_groups(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if not g.active)

    def groups_in_field(self, slug: str) -> tuple[Group, ...]:
        return self._active_by_field.get(slug, ())

    def groups_in_area(self, slug: str) -> tuple[Group, ...]:
        return self._active_by_area.get(slug, ())

    @cached_property
    def _active_by_field(self) -> dict[str, tuple[Group, ...]]:
        return _index_by(self.active_groups, lambda g: [f.slug for f in g.fields])

    @cached_property
    def _active_by_area(self) -> dict[str, tuple[Group, ...]]:
        return _index_by(self.active_groups, lambda g: [a.slug for a in g.areas])

    def newest(self, count: int) -> tuple[Group, ...]:
        """The most recently added active groups, newest first; ties in 五十音 order."""
        return self._by_age[:count]

    @cached_property
    def _by_age(self) -> tuple[Group, ...]:
        epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
        ranked = sorted(
            self.active_groups, key=lambda g: (-(g.added or epoch).timestamp(), g.sort_key)
        )
        return tuple(ranked)


def _index_by(
    groups: Iterable[Group], keys: Callable[[Group], list[str]]
) -> dict[str, tuple[Group, ...]]:
    """Each key's groups, in the given order, each group once a key."""
    found: dict[str, list[Group]] = {}
    for group in groups:
        for key in dict.fromkeys(keys(group)):
            found.setdefault(key, []).append(group)
    return {key: tuple(listed) for key, listed in found.items()}


def _grouped(
    occurrences: Iterable[Occurrence], key: Callable[[Occurrence], str]
) -> dict[str, list[Occurrence]]:
    """Occurrences by a key, each list keeping the date order."""
    found: dict[str, list[Occurrence]] = {}
    for o in occurrences:
        found.setdefault(key(o), []).append(o)
    return found
