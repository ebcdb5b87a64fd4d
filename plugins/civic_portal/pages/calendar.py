"""Event listings: the month grid, months in the window, and occurrences grouped by day."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..jdate import holiday_name
from ..model.events import Occurrence

WEEKDAY_HEADERS = ("月", "火", "水", "木", "金", "土", "日")


@dataclass
class DayCell:
    day: dt.date
    in_month: bool
    holiday: str | None
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def weekday(self) -> int:
        return self.day.weekday()


def month_grid(
    year: int, month: int, occurrences: Iterable[Occurrence], *, week_start: str = "sunday"
) -> list[list[DayCell]]:
    """Weeks of day cells (with the neighbouring months' days to fill them), each with the
    occurrences on that day; a multi-day event appears on each of its days."""
    first_weekday = calendar.SUNDAY if week_start == "sunday" else calendar.MONDAY
    weeks = calendar.Calendar(first_weekday).monthdatescalendar(year, month)
    cells = {d: DayCell(d, d.month == month, holiday_name(d)) for week in weeks for d in week}
    for o in occurrences:
        for d in o.days():
            if d in cells:
                cells[d].occurrences.append(o)
    return [[cells[d] for d in week] for week in weeks]


def weekday_headers(week_start: str) -> list[tuple[int, str]]:
    """(weekday index, label) in display order; index 5/6 are Saturday/Sunday for styling."""
    order = [6, 0, 1, 2, 3, 4, 5] if week_start == "sunday" else [0, 1, 2, 3, 4, 5, 6]
    return [(i, WEEKDAY_HEADERS[i]) for i in order]


def months_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def by_day(occurrences: Iterable[Occurrence]) -> list[tuple[dt.date, list[Occurrence]]]:
    """Occurrences grouped by their first day, in order."""
    days: dict[dt.date, list[Occurrence]] = {}
    for o in occurrences:
        days.setdefault(o.first_day, []).append(o)
    return sorted(days.items())
