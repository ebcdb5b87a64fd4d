"""Events as groups announce them: one `Event` per item (a series when it repeats)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .places import Address, Place

STATUS_LABELS = {
    "scheduled": "",
    "cancelled": "中止",
    "postponed": "延期",
    "online": "オンライン開催",
}
_YEN_RE = re.compile(r"([0-9][0-9,]*)\s*円")


@dataclass(frozen=True)
class Event:
    """One event or recurring series. Times are naive local wall-clock (the portal's zone).

    `start`/`end` are both dates (all-day; `end` is the inclusive last day) or both datetimes.
    """

    series_id: str  # URL name and UID stem: <group slug>-<id or start date>
    group_slug: str
    title: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    kana: str | None = None
    place: str | None = None  # as written: a venue's id, or a place's name
    address: str | None = None  # as written, for a place not in the register
    room: str | None = None
    venue: Place | None = None  # the registered venue `place` names
    where: Address | None = None  # the venue's address, or `address` in parts
    reading: str | None = None  # katakana: `kana`, the title if it is kana, or a marked guess
    reading_guessed: bool = False  # `reading` came from a dictionary, not from the group
    online_url: str | None = None
    fee: str | None = None
    capacity: int | None = None
    apply: str | None = None
    apply_url: str | None = None
    apply_until: dt.date | None = None
    description: str | None = None
    status: str = "scheduled"
    rule: str | None = None  # RFC 5545 RRULE value, e.g. FREQ=MONTHLY;BYDAY=2SA
    repeat_text: str | None = None  # as the group wrote it, e.g. 毎月第2土曜
    until: dt.date | None = None
    skipped: tuple[dt.date, ...] = ()  # `except`: not held, not shown
    cancelled_dates: tuple[dt.date, ...] = ()  # `cancelled`: announced as 中止 on those dates
    fields: tuple[str, ...] = field(default=())  # field slugs of the organising group
    areas: tuple[str, ...] = field(default=())
    line: int = field(default=0, compare=False)  # where the item starts in its group file

    @property
    def place_label(self) -> str | None:
        """What a page shows as the venue: the registered name with the room, or the text."""
        return self.venue.label(self.room) if self.venue else self.place

    @property
    def in_person(self) -> bool:
        return bool(self.venue or self.place or self.address)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def duration(self) -> dt.timedelta:
        """Length of one occurrence; all-day events count whole days (end inclusive)."""
        if self.end is None:
            return dt.timedelta(days=1) if self.all_day else dt.timedelta(0)
        if self.all_day:
            return self.end - self.start + dt.timedelta(days=1)  # type: ignore[operator]
        return self.end - self.start  # type: ignore[operator]

    @property
    def fee_yen(self) -> int | None:
        """Whole yen of the basic fee for open data: 無料 → 0, 大人300円・子ども無料 → 300."""
        if not self.fee:
            return None
        found = _YEN_RE.search(self.fee)
        if found:
            return int(found.group(1).replace(",", ""))
        return 0 if "無料" in self.fee else None


@dataclass(frozen=True)
class Occurrence:
    """One dated instance of an event; `start`/`end` are aware datetimes, or dates if all-day."""

    event: Event
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None  # all-day: inclusive last day

    @property
    def status(self) -> str:
        """The event's status, or "cancelled" for a single cancelled date of a series."""
        return "cancelled" if self.first_day in self.event.cancelled_dates else self.event.status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def first_day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start

    @property
    def last_day(self) -> dt.date:
        if self.end is None:
            return self.first_day
        return self.end.date() if isinstance(self.end, dt.datetime) else self.end

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """Whether any of its days falls within first..last."""
        return self.last_day >= first and self.first_day <= last

    def days(self) -> list[dt.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(count)]

    @property
    def sort_key(self) -> tuple[dt.date, str, str, str]:
        time = self.start.strftime("%H:%M") if isinstance(self.start, dt.datetime) else ""
        return (self.first_day, time, self.event.title, self.event.series_id)
