"""render/ical.py on hand-made events: what a calendar client reads back from the bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import icalendar
import pytest
import recurring_ical_events

from civic_portal.model.events import Event
from civic_portal.render.ical import calendar_ics, uid_of, vtimezone

from ..conftest import TOKYO, make_event

HOST = "portal.example.jp"
SITE = f"https://{HOST}/"
STAMP = dt.datetime(2026, 11, 1, 9, 0, tzinfo=TOKYO)  # the group file's last commit
ZONE = vtimezone(TOKYO, dt.date(2026, 11, 1), dt.date(2027, 12, 31))

CHRISTMAS = make_event(
    "hidamari-christmas",
    title="クリスマス親子会",
    start=dt.datetime(2026, 12, 18, 10, 30),
    end=dt.datetime(2026, 12, 18, 12, 0),
    place="中央公民館",
    address="川波市中央1-2-3",
    fee="300円",
    apply="電話で",
    description="手づくりのオーナメントを飾ります。",
)
EXHIBITION = make_event(
    "hidamari-2027-01-16",
    title="写真展",
    start=dt.date(2027, 1, 16),
    end=dt.date(2027, 1, 18),  # inclusive: three days
)
SALON = make_event(
    "hidamari-salon",
    rule="FREQ=WEEKLY;BYDAY=TU,FR",
    until=dt.date(2027, 3, 30),  # a Tuesday: the last day is held
    skipped=(dt.date(2026, 12, 29), dt.date(2027, 1, 1)),
    cancelled_dates=(dt.date(2026, 12, 8),),
    place="商店街の空き店舗",
)


def _ics(events: Sequence[Event], name: str = "テスト") -> bytes:
    return calendar_ics(
        events,
        name=name,
        tz=TOKYO,
        timezone=ZONE,
        host=HOST,
        site_url=SITE,
        event_url={e.series_id: f"events/{e.series_id}/" for e in events},
        stamps={"hidamari": STAMP},
    )


def _vevents(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_a_timed_event_reads_back_in_its_zone() -> None:
    data = _ics([CHRISTMAS])
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "テスト"
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    [event] = _vevents(data)
    assert str(event["UID"]) == "hidamari-christmas@portal.example.jp"
    assert event.decoded("DTSTART") == dt.datetime(2026, 12, 18, 10, 30, tzinfo=TOKYO)
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=9)
    assert event.decoded("DTEND") == dt.datetime(2026, 12, 18, 12, 0, tzinfo=TOKYO)
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event.decoded("DTSTAMP") == STAMP  # the file's change, so rebuilds are identical
    assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)  # DTSTAMP is UTC
    assert str(event["SUMMARY"]) == "クリスマス親子会"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "中央公民館, 川波市中央1-2-3"
    assert str(event["URL"]) == "https://portal.example.jp/events/hidamari-christmas/"
    assert str(event["DESCRIPTION"]) == (
        "手づくりのオーナメントを飾ります。\n\n参加費: 300円\n\n申し込み: 電話で\n\n"
        "https://portal.example.jp/events/hidamari-christmas/"
    )
    assert "RRULE" not in event and "EXDATE" not in event


def test_an_all_day_event_has_an_exclusive_dtend() -> None:
    data = _ics([EXHIBITION])
    [event] = _vevents(data)
    assert event.decoded("DTSTART") == dt.date(2027, 1, 16)
    assert event.decoded("DTEND") == dt.date(2027, 1, 19)  # the day after the last day
    assert not isinstance(event.decoded("DTSTART"), dt.datetime)
    assert b"DTSTART;VALUE=DATE:20270116\r\n" in data
    assert b"DTEND;VALUE=DATE:20270119\r\n" in data
    # Dates need no zone: no VTIMEZONE when every event is all-day.
    assert b"BEGIN:VTIMEZONE" not in data
    one_day = _vevents(_ics([make_event("x", start=dt.date(2027, 2, 1), end=None)]))[0]
    assert one_day.decoded("DTEND") == dt.date(2027, 2, 2)


def test_a_series_with_skipped_and_cancelled_dates() -> None:
    data = _ics([SALON])
    master, override = _vevents(data)
    rule = master["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU", "FR"]
    # With TZID on DTSTART, UNTIL is the last second of the last day, in UTC.
    assert rule["UNTIL"] == [dt.datetime(2027, 3, 30, 14, 59, 59, tzinfo=dt.UTC)]
    exdates = [d.dt for prop in _as_list(master["EXDATE"]) for d in prop.dts]
    assert exdates == [
        dt.datetime(2026, 12, 29, 10, 0, tzinfo=TOKYO),
        dt.datetime(2027, 1, 1, 10, 0, tzinfo=TOKYO),
    ]
    # A cancelled date is shown, as cancelled: same UID, RECURRENCE-ID of that occurrence.
    assert str(override["UID"]) == str(master["UID"]) == "hidamari-salon@portal.example.jp"
    assert override.decoded("RECURRENCE-ID") == dt.datetime(2026, 12, 8, 10, 0, tzinfo=TOKYO)
    assert override.decoded("DTSTART") == dt.datetime(2026, 12, 8, 10, 0, tzinfo=TOKYO)
    assert override.decoded("DTEND") == dt.datetime(2026, 12, 8, 15, 0, tzinfo=TOKYO)
    assert str(override["STATUS"]) == "CANCELLED"
    assert str(override["SUMMARY"]) == "【中止】親子ふれあいサロン"
    assert str(master["STATUS"]) == "CONFIRMED"


def test_a_series_expands_as_a_client_expands_it() -> None:
    cal = icalendar.Calendar.from_ical(_ics([SALON]))
    december = recurring_ical_events.of(cal).between(dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    held = {e.decoded("DTSTART").date(): str(e["STATUS"]) for e in december}
    # Tuesdays and Fridays from 1 December; the 29th is skipped, the 8th cancelled.
    assert sorted(held) == [dt.date(2026, 12, d) for d in (1, 4, 8, 11, 15, 18, 22, 25)]
    assert held[dt.date(2026, 12, 8)] == "CANCELLED"
    assert {s for d, s in held.items() if d.day != 8} == {"CONFIRMED"}
    last = recurring_ical_events.of(cal).between(dt.date(2027, 3, 1), dt.date(2027, 5, 1))
    assert max(e.decoded("DTSTART").date() for e in last) == dt.date(2027, 3, 30)


def test_an_all_day_series_uses_dates_for_until_and_exdate() -> None:
    market = make_event(
        "hidamari-market",
        start=dt.date(2026, 12, 5),
        end=None,
        rule="FREQ=MONTHLY;BYDAY=1SA",
        until=dt.date(2027, 6, 30),
        skipped=(dt.date(2027, 1, 2),),
        cancelled_dates=(dt.date(2027, 2, 6),),
    )
    master, override = _vevents(_ics([market]))
    assert master["RRULE"]["UNTIL"] == [dt.date(2027, 6, 30)]
    assert [d.dt for d in master["EXDATE"].dts] == [dt.date(2027, 1, 2)]
    assert override.decoded("RECURRENCE-ID") == dt.date(2027, 2, 6)
    assert override.decoded("DTEND") == dt.date(2027, 2, 7)


@pytest.mark.parametrize(
    ("status", "summary", "ical_status"),
    [
        ("cancelled", "【中止】親子ふれあいサロン", "CANCELLED"),
        ("postponed", "【延期】親子ふれあいサロン", "TENTATIVE"),
        ("online", "親子ふれあいサロン", "CONFIRMED"),
    ],
)
def test_event_status(status: str, summary: str, ical_status: str) -> None:
    [event] = _vevents(_ics([make_event(status=status)]))
    assert str(event["SUMMARY"]) == summary
    assert str(event["STATUS"]) == ical_status


def test_uid_is_stable_across_edits_and_builds() -> None:
    edited = make_event(
        "hidamari-salon", title="親子サロン（会場変更）", start=dt.datetime(2026, 12, 2, 13, 0)
    )
    assert uid_of(SALON, HOST) == uid_of(edited, HOST) == "hidamari-salon@portal.example.jp"
    [first, _], [second] = _vevents(_ics([SALON])), _vevents(_ics([edited]))
    assert str(first["UID"]) == str(second["UID"])
    assert _ics([SALON, CHRISTMAS]) == _ics([CHRISTMAS, SALON])  # same bytes, whatever the order


def test_events_are_ordered_by_series_id() -> None:
    uids = [str(e["UID"]) for e in _vevents(_ics([SALON, EXHIBITION, CHRISTMAS]))]
    assert uids == [
        "hidamari-2027-01-16@portal.example.jp",
        "hidamari-christmas@portal.example.jp",
        "hidamari-salon@portal.example.jp",  # the series
        "hidamari-salon@portal.example.jp",  # and its cancelled date
    ]


def test_lines_are_folded_to_75_octets_without_splitting_characters() -> None:
    long = make_event(
        "hidamari-long",
        title="とても長い題名の講座" * 8,
        description="説明の文章です。" * 40,
        place="川波市立中央公民館 第一会議室",
    )
    data = _ics([long, SALON, EXHIBITION], name="川波市 市民活動ポータル イベント" * 4)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert sum(line.startswith(b" ") for line in lines) > 10  # folding happened
    for line in lines:
        line.decode("utf-8")  # no character cut in two
    [event] = [e for e in _vevents(data) if str(e["UID"]).startswith("hidamari-long")]
    assert str(event["SUMMARY"]) == "とても長い題名の講座" * 8  # unfolded intact


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]
