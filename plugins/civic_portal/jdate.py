"""Japanese date display: 2026年12月6日（土）, （土・祝）, 令和 era, 10:00〜16:00.

Holidays come from the maintained `holidays` package (Japanese names), never a hand-made table.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

WEEKDAYS = "月火水木金土日"
REIWA_START = dt.date(2019, 5, 1)  # 平成 ended on 2019-04-30


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=year, language="ja")


def holiday_name(day: dt.date) -> str | None:
    """The name of the Japanese public holiday on `day` (e.g. 勤労感謝の日), or None."""
    return _holidays_of(day.year).get(day)


def era_year(day: dt.date) -> str:
    """令和N年 (元年 for the first), or 平成N年 before 2019-05-01."""
    if day >= REIWA_START:
        era, number = "令和", day.year - 2018
    elif day >= dt.date(1989, 1, 8):
        era, number = "平成", day.year - 1988
    else:
        era, number = "昭和", day.year - 1925
    return f"{era}{'元' if number == 1 else number}年"


def year_label(day: dt.date, style: str = "western") -> str:
    if style == "reiwa":
        return era_year(day)
    if style == "both":
        return f"{era_year(day)}（{day.year}年）"
    return f"{day.year}年"


def weekday_label(day: dt.date) -> str:
    """（土） or （土・祝） with full-width parentheses."""
    mark = "・祝" if holiday_name(day) else ""
    return f"（{WEEKDAYS[day.weekday()]}{mark}）"


def date_ja(day: dt.date, style: str = "western", *, with_year: bool = True) -> str:
    """2026年12月6日（土）."""
    year = year_label(day, style) if with_year else ""
    return f"{year}{day.month}月{day.day}日{weekday_label(day)}"


def time_ja(moment: dt.datetime) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def span_ja(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime | None, style: str = "western"
) -> str:
    """One occurrence in words: 2026年12月6日（土）10:00〜16:00, or a span of days.

    All-day `end` is the inclusive last day; a timed `end` on another day shows its date.
    """
    start_day = start.date() if isinstance(start, dt.datetime) else start
    text = date_ja(start_day, style)
    if isinstance(start, dt.datetime):
        text += time_ja(start)
    if end is None:
        return text + ("〜" if isinstance(start, dt.datetime) else "")
    end_day = end.date() if isinstance(end, dt.datetime) else end
    if end_day != start_day:
        text += "〜" + date_ja(end_day, style, with_year=end_day.year != start_day.year)
        if isinstance(end, dt.datetime):
            text += time_ja(end)
        return text
    if isinstance(end, dt.datetime):
        text += "〜" + time_ja(end)
    return text
