"""Recurring schedules and Japanese dates: pure functions, table-driven."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from civic_portal.jdate import date_ja, era_year, holiday_name, span_ja
from civic_portal.model.events import Event
from civic_portal.schedule import RepeatError, expand_occurrences, matches_rule, parse_repeat

TZ = zoneinfo.ZoneInfo("Asia/Tokyo")
D = dt.date


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("毎週水曜", "FREQ=WEEKLY;BYDAY=WE"),
        ("毎週水曜日", "FREQ=WEEKLY;BYDAY=WE"),
        ("毎週火曜・金曜", "FREQ=WEEKLY;BYDAY=TU,FR"),
        ("毎週 火・金", "FREQ=WEEKLY;BYDAY=TU,FR"),
        ("隔週土曜", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA"),
        ("毎月第2土曜", "FREQ=MONTHLY;BYDAY=2SA"),
        ("毎月第２土曜日", "FREQ=MONTHLY;BYDAY=2SA"),
        ("毎月第1・第3日曜", "FREQ=MONTHLY;BYDAY=1SU,3SU"),
        ("毎月第1日曜・第3日曜", "FREQ=MONTHLY;BYDAY=1SU,3SU"),
        ("毎月15日", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("毎月最終金曜", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("毎日", "FREQ=DAILY"),
        ("FREQ=MONTHLY;BYDAY=2SA", "FREQ=MONTHLY;BYDAY=2SA"),
        ("RRULE:freq=weekly;byday=mo", "FREQ=WEEKLY;BYDAY=MO"),
    ],
)
def test_repeat_forms(text: str, rule: str) -> None:
    assert parse_repeat(text) == rule


@pytest.mark.parametrize(
    "text",
    [
        "毎年",
        "毎週",
        "毎月第6土曜",
        "毎月32日",
        "月2回",
        "FREQ=FOO",
        "FREQ=WEEKLY;COUNT=3",
        "毎週水曜・水曜",
    ],
)
def test_unreadable_repeat_names_the_accepted_forms(text: str) -> None:
    with pytest.raises(RepeatError) as raised:
        parse_repeat(text)
    message = str(raised.value)
    assert "毎月第2土曜" in message or "until" in message or "日という日はありません" in message


def _days(
    repeat: str, start: dt.datetime | dt.date, first: dt.date, last: dt.date, **kw: object
) -> list[dt.date]:
    event = Event("g-x", "g", "x", start, rule=parse_repeat(repeat), **kw)  # type: ignore[arg-type]
    return [o.first_day for o in expand_occurrences(event, TZ, first, last)]


@pytest.mark.parametrize(
    ("repeat", "start", "first", "last", "kw", "expected"),
    [
        # 第5土曜 only in months that have one
        (
            "FREQ=MONTHLY;BYDAY=5SA",
            dt.datetime(2026, 1, 31, 10),
            D(2026, 1, 1),
            D(2026, 12, 31),
            {},
            [D(2026, 1, 31), D(2026, 5, 30), D(2026, 8, 29), D(2026, 10, 31)],
        ),
        # 毎月31日 skips the shorter months
        (
            "毎月31日",
            dt.datetime(2027, 1, 31, 9),
            D(2027, 1, 1),
            D(2027, 6, 30),
            {},
            [D(2027, 1, 31), D(2027, 3, 31), D(2027, 5, 31)],
        ),
        # 29日: February only in a leap year
        (
            "毎月29日",
            D(2027, 12, 29),
            D(2028, 1, 1),
            D(2028, 3, 31),
            {},
            [D(2028, 1, 29), D(2028, 2, 29), D(2028, 3, 29)],
        ),
        (
            "毎月29日",
            D(2026, 12, 29),
            D(2027, 1, 1),
            D(2027, 3, 31),
            {},
            [D(2027, 1, 29), D(2027, 3, 29)],
        ),
        (
            "毎月最終金曜",
            dt.datetime(2026, 11, 27, 18, 30),
            D(2026, 11, 1),
            D(2027, 2, 28),
            {},
            [D(2026, 11, 27), D(2026, 12, 25), D(2027, 1, 29), D(2027, 2, 26)],
        ),
        (
            "隔週土曜",
            dt.datetime(2026, 12, 5, 9),
            D(2026, 12, 1),
            D(2027, 1, 31),
            {"skipped": (D(2027, 1, 2),)},
            [D(2026, 12, 5), D(2026, 12, 19), D(2027, 1, 16), D(2027, 1, 30)],
        ),
        (
            "毎月第1・第3日曜",
            dt.datetime(2026, 12, 6, 9),
            D(2026, 12, 1),
            D(2027, 12, 31),
            {"until": D(2027, 1, 17)},
            [D(2026, 12, 6), D(2026, 12, 20), D(2027, 1, 3), D(2027, 1, 17)],
        ),
        # the window cuts the series; nothing before the start
        (
            "毎週水曜",
            dt.datetime(2026, 12, 2, 19),
            D(2026, 11, 1),
            D(2026, 12, 16),
            {},
            [D(2026, 12, 2), D(2026, 12, 9), D(2026, 12, 16)],
        ),
    ],
)
def test_expansion(
    repeat: str,
    start: object,
    first: dt.date,
    last: dt.date,
    kw: dict[str, object],
    expected: list[dt.date],
) -> None:
    assert _days(repeat, start, first, last, **kw) == expected  # type: ignore[arg-type]


def test_timed_occurrences_are_aware_local_times() -> None:
    event = Event(
        "g-x",
        "g",
        "x",
        dt.datetime(2026, 12, 2, 19),
        dt.datetime(2026, 12, 2, 20, 30),
        rule=parse_repeat("毎週水曜"),
    )
    first, second = expand_occurrences(event, TZ, D(2026, 12, 1), D(2026, 12, 10))
    assert first.start == dt.datetime(2026, 12, 2, 19, tzinfo=TZ) and first.end == dt.datetime(
        2026, 12, 2, 20, 30, tzinfo=TZ
    )
    assert second.start.isoformat() == "2026-12-09T19:00:00+09:00"


def test_all_day_multi_day_event() -> None:
    event = Event("g-x", "g", "写真展", D(2027, 1, 16), D(2027, 1, 18))
    assert event.duration == dt.timedelta(days=3)
    (only,) = expand_occurrences(event, TZ, D(2027, 1, 17), D(2027, 1, 31))  # overlaps the window
    assert only.days() == [D(2027, 1, 16), D(2027, 1, 17), D(2027, 1, 18)]
    assert expand_occurrences(event, TZ, D(2027, 1, 19), D(2027, 1, 31)) == []


def test_start_must_be_an_occurrence() -> None:
    rule = parse_repeat("毎月第2土曜")
    assert matches_rule(rule, dt.datetime(2026, 12, 12, 10))
    assert not matches_rule(rule, dt.datetime(2026, 12, 5, 10))


@pytest.mark.parametrize(
    ("day", "era"),
    [
        (D(2019, 4, 30), "平成31年"),
        (D(2019, 5, 1), "令和元年"),
        (D(2019, 12, 31), "令和元年"),
        (D(2020, 1, 1), "令和2年"),
        (D(2026, 12, 6), "令和8年"),
        (D(1989, 1, 8), "平成元年"),
    ],
)
def test_era_boundaries(day: dt.date, era: str) -> None:
    assert era_year(day) == era


@pytest.mark.parametrize(
    ("style", "text"),
    [
        ("western", "2026年12月6日（日）"),
        ("reiwa", "令和8年12月6日（日）"),
        ("both", "令和8年（2026年）12月6日（日）"),
    ],
)
def test_date_styles(style: str, text: str) -> None:
    assert date_ja(D(2026, 12, 6), style) == text


def test_holidays_come_from_the_library() -> None:
    assert holiday_name(D(2026, 11, 23)) == "勤労感謝の日"
    assert (
        holiday_name(D(2026, 9, 22)) == "国民の休日"
    )  # a sandwiched day, computed, not listed by hand
    assert date_ja(D(2027, 1, 11)) == "2027年1月11日（月・祝）"
    assert holiday_name(D(2026, 11, 24)) is None


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (
            dt.datetime(2026, 12, 6, 10),
            dt.datetime(2026, 12, 6, 16),
            "2026年12月6日（日）10:00〜16:00",
        ),
        (D(2026, 11, 23), None, "2026年11月23日（月・祝）"),
        (D(2027, 1, 16), D(2027, 1, 18), "2027年1月16日（土）〜1月18日（月）"),
        (D(2026, 12, 30), D(2027, 1, 3), "2026年12月30日（水）〜2027年1月3日（日）"),
        (dt.datetime(2026, 12, 6, 10), None, "2026年12月6日（日）10:00〜"),
    ],
)
def test_spans(start: object, end: object, text: str) -> None:
    assert span_ja(start, end) == text  # type: ignore[arg-type]
