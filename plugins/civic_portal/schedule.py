"""Recurring schedules: the words groups write (毎月第2土曜) as RFC 5545 rules, and their dates.

Pure functions over dates. Expansion works on naive local wall-clock times, as an iCalendar
client does with TZID: the 10:00 of every occurrence stays 10:00 local time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from .model.events import Event, Occurrence

WEEKDAYS = {"月": "MO", "火": "TU", "水": "WE", "木": "TH", "金": "FR", "土": "SA", "日": "SU"}
WEEKDAY_NAMES = "月火水木金土日"  # index = date.weekday()
ACCEPTED_FORMS = (
    "毎週水曜、毎週火曜・金曜、隔週土曜、毎月第2土曜、毎月第1・第3日曜、毎月15日、毎月最終金曜、"
    "毎日、または FREQ=MONTHLY;BYDAY=2SA のような iCalendar の RRULE"
)
# The phrases the web form offers for `repeat` (free text is accepted too): every one parses.
_DAYS = [f"{day}曜" for day in "月火水木金土日"]
REPEAT_CHOICES: tuple[str, ...] = (
    "毎日",
    *(f"毎週{day}" for day in _DAYS),
    "毎週火曜・金曜",
    *(f"隔週{day}" for day in _DAYS),
    *(f"毎月第{n}{day}" for n in range(1, 5) for day in _DAYS),
    *(f"毎月最終{day}" for day in _DAYS),
    "毎月第1・第3日曜",
    "毎月15日",
)

_WEEKLY = re.compile(r"^(毎週|隔週)([月火水木金土日・、,/と及び曜]+)$")
_MONTHLY_NTH = re.compile(r"^毎月((?:(?:第[1-5]|最終)[月火水木金土日]?曜?[・、,/と]?)+)$")
_NTH_ITEM = re.compile(r"(第([1-5])|最終)([月火水木金土日])?")
_MONTH_DAY = re.compile(r"^毎月(\d{1,2})日$")


class RepeatError(ValueError):
    """`repeat` is not one of the accepted forms (the message is for the editor, in Japanese)."""


def parse_repeat(text: str) -> str:
    """The RRULE value (without "RRULE:") for a schedule written the way groups write it."""
    if len(str(text)) > MAX_REPEAT_LENGTH:
        raise RepeatError(f"くり返しは{MAX_REPEAT_LENGTH}文字以内で書いてください")
    norm = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "").replace("曜日", "曜")
    upper = norm.upper().removeprefix("RRULE:")
    if upper.startswith("FREQ="):
        return _checked_rrule(upper)
    if norm == "毎日":
        return "FREQ=DAILY"
    if match := _WEEKLY.match(norm):
        days = [WEEKDAYS[ch] for ch in match.group(2) if ch in WEEKDAYS]
        if not days or len(set(days)) != len(days):
            raise RepeatError(_unknown(text))
        interval = ";INTERVAL=2" if match.group(1) == "隔週" else ""
        return f"FREQ=WEEKLY{interval};BYDAY={','.join(days)}"
    if match := _MONTHLY_NTH.match(norm):
        items = _NTH_ITEM.findall(match.group(1))
        if not items or not items[-1][2]:
            raise RepeatError(_unknown(text))
        rules: list[str] = []
        weekday = items[-1][2]
        for whole, number, day in reversed(items):  # 第1・第3日曜: the weekday given once, last
            weekday = day or weekday
            ordinal = "-1" if whole == "最終" else number
            rules.insert(0, f"{ordinal}{WEEKDAYS[weekday]}")
        return f"FREQ=MONTHLY;BYDAY={','.join(rules)}"
    if match := _MONTH_DAY.match(norm):
        day = int(match.group(1))
        if not 1 <= day <= 31:
            raise RepeatError(f"毎月{day}日という日はありません。1〜31の数で書いてください")
        return f"FREQ=MONTHLY;BYMONTHDAY={day}"
    if norm == "毎月末日":
        return "FREQ=MONTHLY;BYMONTHDAY=-1"
    raise RepeatError(_unknown(text))


def _unknown(text: str) -> str:
    return f"「{text}」はくり返しの書き方として読めません。使える書き方: {ACCEPTED_FORMS}"


# The RRULE subset a civic group's schedule needs. Nothing more often than daily (no BYHOUR,
# BYMINUTE, BYSECOND, HOURLY, MINUTELY, SECONDLY), so a series has at most one occurrence a day;
# the filters that can make a daily or weekly rule rare or impossible (BYMONTHDAY, BYSETPOS) only
# with MONTHLY/YEARLY, where the search for the next date is short. `FREQ=SECONDLY;BYMONTH=2;
# BYMONTHDAY=30` cost 6 s an event and `FREQ=MINUTELY` a 1 GB site before these limits.
RRULE_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
RRULE_PARTS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST")
_MONTHLY_ONLY = ("BYMONTHDAY", "BYSETPOS")
MAX_INTERVAL = 12
MAX_REPEAT_LENGTH = 100
_ORDINAL_DAY = re.compile(r"^[+-]?\d")


def _checked_rrule(rule: str) -> str:
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        name, _, value = item.partition("=")
        if name in ("DTSTART", "UNTIL", "COUNT"):
            raise RepeatError(
                "RRULE の中に UNTIL・COUNT は書けません。終わりの日は until: に書いてください"
            )
        if name not in RRULE_PARTS or not value or name in parts:
            raise RepeatError(
                f"RRULE の「{item[:30]}」は使えません。使える項目: {'・'.join(RRULE_PARTS)}"
            )
        parts[name] = value
    if parts.get("FREQ") not in (*RRULE_FREQS, "HOURLY", "MINUTELY", "SECONDLY"):
        raise RepeatError(_unknown(rule))
    if parts["FREQ"] not in RRULE_FREQS:
        raise RepeatError(
            f"くり返しは毎日より細かくできません（FREQ={parts['FREQ'][:20]}）。"
            "FREQ は DAILY・WEEKLY・MONTHLY・YEARLY のどれかにしてください"
        )
    if parts["FREQ"] in ("DAILY", "WEEKLY"):
        extra = [p for p in _MONTHLY_ONLY if p in parts]
        days = parts.get("BYDAY", "").split(",")
        if extra or any(_ORDINAL_DAY.match(d) for d in days):
            raise RepeatError(
                f"{'・'.join(extra) or '第N曜日（2SA など）'} は FREQ=MONTHLY か FREQ=YEARLY と一緒に使います"
            )
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= MAX_INTERVAL:
        raise RepeatError(f"INTERVAL は 1〜{MAX_INTERVAL} の数にしてください")
    try:
        rrulestr("RRULE:" + rule, dtstart=dt.datetime(2026, 1, 1))
    except (ValueError, TypeError) as e:
        raise RepeatError(
            f"RRULE「{rule}」を読めません（{e}）。使える書き方: {ACCEPTED_FORMS}"
        ) from None
    return rule


@lru_cache(maxsize=4096)
def _rule(rule: str, start: dt.datetime) -> rrule:
    parsed = rrulestr("RRULE:" + rule, dtstart=start)
    assert isinstance(parsed, rrule)
    return parsed


def occurrence_starts(
    rule: str,
    start: dt.datetime,
    window_start: dt.datetime,
    window_end: dt.datetime,
    until: dt.date | None = None,
    skipped: frozenset[dt.date] = frozenset(),
) -> list[dt.datetime]:
    """Naive local start times of a series within [window_start, window_end], never past `until`.

    `start` is the first occurrence (the loader checks it matches the rule), `skipped` the
    dates listed under `except`.
    """
    last = window_end
    if until is not None:
        last = min(last, dt.datetime.combine(until, dt.time.max))
    if last < window_start:
        return []
    found = _rule(rule, start).between(window_start, last, inc=True)
    return [s for s in found if s.date() not in skipped]


def matches_rule(rule: str, start: dt.datetime) -> bool:
    """Whether `start` is itself an occurrence of the rule (RFC 5545 expects DTSTART to be one).

    dateutil searches forward until it finds a date, so for a rule that never occurs
    (BYMONTH=2;BYMONTHDAY=30) it would search up to the year 9999 (a second an event). Whether
    `start` is an occurrence depends only on its own year's calendar (leap or not, weekday of
    1 January), so the question is asked of the same date in the last year before 9999 with
    that calendar: the search then ends within a few decades.
    """
    shifted = start.replace(year=_last_year_like(start.year))
    return _rule(rule, shifted).after(shifted, inc=True) == shifted


@lru_cache(maxsize=64)
def _last_year_like(year: int) -> int:
    kind = (calendar.isleap(year), dt.date(year, 1, 1).weekday())
    return next(
        y
        for y in range(dt.MAXYEAR - 1, dt.MAXYEAR - 401, -1)
        if (calendar.isleap(y), dt.date(y, 1, 1).weekday()) == kind
    )


def weekday_name(day: dt.date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def expand_occurrences(
    event: Event, tz: dt.tzinfo, first_day: dt.date, last_day: dt.date
) -> list[Occurrence]:
    """Every occurrence of `event` that overlaps the days first_day..last_day, in order."""
    all_day = event.all_day
    length = event.duration
    start = event.start if not all_day else dt.datetime.combine(event.start, dt.time())  # type: ignore[arg-type]
    window_start = dt.datetime.combine(first_day, dt.time()) - length
    window_end = dt.datetime.combine(last_day, dt.time.max)
    if event.rule is None:
        starts = [start] if window_start <= start <= window_end else []  # type: ignore[operator]
    else:
        starts = occurrence_starts(
            event.rule,
            start,
            window_start,
            window_end,
            event.until,
            frozenset(event.skipped),  # type: ignore[arg-type]
        )
    out = []
    for s in starts:
        if all_day:
            end_day = s.date() + length - dt.timedelta(days=1)
            out.append(Occurrence(event, s.date(), end_day if end_day != s.date() else None))
        else:
            end = s + length if event.end is not None else None
            out.append(
                Occurrence(event, s.replace(tzinfo=tz), end.replace(tzinfo=tz) if end else None)
            )
    return [o for o in out if o.last_day >= first_day]
