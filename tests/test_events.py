"""Event pages, calendars, iCalendar feeds and open data, from whole builds in tmp_path."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from civic_portal.model.settings import municipality_code
from civic_portal.render.opendata import EVENT_COLUMNS

from .conftest import LINE_RE, Built, build_project, group_file, load_problems, write_project

TZ = zoneinfo.ZoneInfo("Asia/Tokyo")
HEADER = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,イベント名,イベント名_カナ,イベント名_英語,開始日,終了日,"
    "開始時間,終了時間,開始日時特記事項,説明,料金(基本),料金(詳細),連絡先名称,連絡先電話番号,連絡先内線番号,主催者,"
    "場所名称,住所,方書,緯度,経度,アクセス方法,駐車場情報,定員,参加申込終了日,参加申込終了時間,参加申込方法,URL,備考"
)

SALON = {
    "title": "親子ふれあいサロン",
    "id": "salon",
    "start": "2026-12-01 10:00",
    "end": "15:00",
    "repeat": "毎週火曜・金曜",
    "until": "2027-03-31",
    "except": ["2026-12-29", "2027-01-01"],
    "cancelled": ["2026-12-08"],
    "place": "商店街の空き店舗",
    "fee": "無料",
    "kana": "おやこふれあいさろん",
}
CHRISTMAS = {
    "title": "クリスマス親子会",
    "id": "christmas",
    "start": "2026-12-18 10:30",
    "end": "12:00",
    "fee": "300円",
    "capacity": 15,
    "apply": "電話で",
    "apply_until": "2026-12-15",
    "description": "手づくりの**オーナメント**を飾ります。<script>alert(1)</script>",
}
EXHIBITION = {
    "title": "写真展",
    "start": "2027-01-16",
    "end": "2027-01-18",
    "place": "市民ギャラリー",
    "address": "川波市中央1-2-3",
}
CANCELLED = {
    "title": "ボッチャ大会",
    "start": "2026-12-12 13:00",
    "end": "16:00",
    "status": "cancelled",
}
HOLIDAY = {"title": "もちつき大会", "start": "2026-11-23 10:00", "end": "13:00"}
PAST = {"title": "秋の清掃", "start": "2026-10-25 09:00"}
ONLINE = {
    "title": "オンライン勉強会",
    "start": "2026-12-19 20:00",
    "end": "21:30",
    "status": "online",
    "online_url": "https://meet.example.jp/x",
}


def _groups(**changes: object) -> dict[str, str]:
    salon = {**SALON, **changes}
    return {
        "hidamari.md": group_file(
            name="ひだまり",
            kana="ひだまり",
            fields=["子どもの健全育成"],
            areas=["中央地区"],
            contact={"phone": "000-234-5678"},
            events=[salon, CHRISTMAS, EXHIBITION, HOLIDAY, PAST],
        ),
        "sports-club.md": group_file(
            name="スポーツクラブ",
            kana="すぽーつくらぶ",
            fields=["学術・文化・芸術・スポーツ"],
            events=[CANCELLED, ONLINE],
        ),
        "no-events.md": group_file(name="静かな会", kana="しずかなかい"),
    }


@pytest.fixture
def built(make_site: Callable[..., Built]) -> Built:
    return make_site(
        _groups(),
        plugin={
            "events": {
                "municipality_code": "13101",
                "municipality": "川波市",
                "prefecture": "テスト県",
            }
        },
    )


def _calendar(built: Built, path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((built.site / path).read_bytes())


def test_ical_feed_follows_rfc5545(built: Built) -> None:
    raw = (built.site / "events.ics").read_bytes()
    assert (
        raw.startswith(b"BEGIN:VCALENDAR\r\n")
        and b"\r\n" in raw
        and b"\n" not in raw.replace(b"\r\n", b"")
    )
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    events = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e]  # one master per series
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) == 7
    (override,) = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert str(override["UID"]) == "hidamari-salon@portal.example.jp"
    assert override["RECURRENCE-ID"].dt == dt.datetime(2026, 12, 8, 10, tzinfo=TZ)
    assert override["STATUS"] == "CANCELLED"
    assert all(uid.endswith("@portal.example.jp") for uid in uids)
    assert re.search(rb"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n", raw)
    for e in events:
        assert e["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
        assert str(e["URL"]).startswith("https://portal.example.jp/events/")
    salon = next(e for e in events if str(e["UID"]) == "hidamari-salon@portal.example.jp")
    assert salon["DTSTART"].dt == dt.datetime(2026, 12, 1, 10, tzinfo=TZ)
    assert salon["DTSTART"].params["TZID"] == "Asia/Tokyo"
    rule = salon["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU", "FR"]
    assert rule["UNTIL"][0] == dt.datetime(2027, 3, 31, 14, 59, 59, tzinfo=dt.UTC)  # 23:59:59 JST
    exdates = sorted(
        d.dt
        for ex in (salon["EXDATE"] if isinstance(salon["EXDATE"], list) else [salon["EXDATE"]])
        for d in ex.dts
    )
    assert exdates == [
        dt.datetime(2026, 12, 29, 10, tzinfo=TZ),
        dt.datetime(2027, 1, 1, 10, tzinfo=TZ),
    ]
    exhibition = next(e for e in events if "写真展" in str(e["SUMMARY"]))
    assert exhibition["DTSTART"].dt == dt.date(2027, 1, 16) and exhibition["DTEND"].dt == dt.date(
        2027, 1, 19
    )  # exclusive
    cancelled = next(e for e in events if "ボッチャ" in str(e["SUMMARY"]))
    assert cancelled["STATUS"] == "CANCELLED" and str(cancelled["SUMMARY"]).startswith("【中止】")


def test_ical_occurrences_match_the_calendar_pages(built: Built) -> None:
    """Expanding the feed as a calendar app does gives exactly what the month pages show."""
    cal = _calendar(built, "events.ics")
    start, end = dt.date(2026, 10, 1), dt.date(2027, 4, 1)
    from_feed = {
        (str(e["UID"]).split("@")[0], e["DTSTART"].dt.isoformat())
        for e in recurring_ical_events.of(cal).between(start, end)
    }
    from_pages = set()
    for month in ("2026/10", "2026/11", "2026/12", "2027/01", "2027/02", "2027/03"):
        for li in built.html(f"events/{month}").select("table.civic-month li[data-series]"):
            from_pages.add((li["data-series"], li["data-start"]))
    assert from_feed == from_pages
    assert ("hidamari-salon", "2026-12-29T10:00:00+09:00") not in from_pages  # except
    cancelled_in_feed = {
        e["DTSTART"].dt.isoformat()
        for e in recurring_ical_events.of(cal).between(start, end)
        if str(e["UID"]).startswith("hidamari-salon@") and e.get("STATUS") == "CANCELLED"
    }
    december = built.html("events/2026/12")
    cancelled_on_page = {
        li["data-start"]
        for li in december.select("li.civic-occ--cancelled[data-series=hidamari-salon]")
    }
    assert cancelled_in_feed == cancelled_on_page == {"2026-12-08T10:00:00+09:00"}
    assert ("hidamari-salon", "2027-03-30T10:00:00+09:00") in from_pages
    assert not any(s.startswith("2027-04") for _, s in from_pages)


def test_group_and_field_feeds_hold_only_their_events(built: Built) -> None:
    group = _calendar(built, "groups/sports-club/events.ics")
    assert {str(e["SUMMARY"]) for e in group.walk("VEVENT")} == {
        "【中止】ボッチャ大会",
        "オンライン勉強会",
    }
    field = _calendar(built, "events/fields/kodomo.ics")
    assert len([e for e in field.walk("VEVENT") if "RECURRENCE-ID" not in e]) == 5
    assert not (built.site / "groups/no-events/events.ics").exists()
    single = _calendar(built, "events/hidamari-christmas/calendar.ics")
    assert [str(e["UID"]) for e in single.walk("VEVENT")] == [
        "hidamari-christmas@portal.example.jp"
    ]


def test_uids_survive_edits_of_title_time_and_place(tmp_path: Path) -> None:
    def uids(groups: dict[str, str], name: str) -> set[str]:
        site = build_project(write_project(tmp_path / name, groups), tmp_path / f"site-{name}")
        cal = icalendar.Calendar.from_ical((site / "events.ics").read_bytes())
        return {str(e["UID"]) for e in cal.walk("VEVENT")}

    before = uids(_groups(), "a")
    after = uids(
        _groups(title="親子サロン（名前変更）", start="2026-12-01 13:00", place="公民館"), "b"
    )
    assert before == after


def test_open_data_csv_header_and_rows(built: Built) -> None:
    raw = (built.site / "opendata/events.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
    assert ",".join(EVENT_COLUMNS) == HEADER and len(EVENT_COLUMNS) == 32
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    occurrences = sum(
        len(built.html(f"events/{m}").select("table.civic-month li[data-series]"))
        for m in ("2026/10", "2026/11", "2026/12", "2027/01", "2027/02", "2027/03")
    )
    assert len(rows) == occurrences - 2  # the exhibition spans 3 cells but is one row
    assert [r["NO"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    christmas = next(r for r in rows if r["イベント名"] == "クリスマス親子会")
    assert christmas["都道府県コード又は市区町村コード"] == "131016"
    assert (christmas["開始日"], christmas["開始時間"], christmas["終了時間"]) == (
        "2026-12-18",
        "10:30",
        "12:00",
    )
    assert (christmas["料金(基本)"], christmas["定員"], christmas["参加申込終了日"]) == (
        "300",
        "15",
        "2026-12-15",
    )
    assert christmas["URL"] == "https://portal.example.jp/events/hidamari-christmas/"
    salon_rows = {r["開始日"]: r for r in rows if r["イベント名"] == "親子ふれあいサロン"}
    assert salon_rows["2026-12-08"]["備考"] == "中止" and salon_rows["2026-12-04"]["備考"] == ""
    salon = next(r for r in rows if r["イベント名"] == "親子ふれあいサロン")
    assert salon["イベント名_カナ"] == "オヤコフレアイサロン" and salon["料金(基本)"] == "0"
    assert (
        salon["開始日時特記事項"] == "毎週火曜・金曜" and salon["連絡先電話番号"] == "000-234-5678"
    )
    exhibition = next(r for r in rows if r["イベント名"] == "写真展")
    assert (exhibition["開始日"], exhibition["終了日"], exhibition["開始時間"]) == (
        "2027-01-16",
        "2027-01-18",
        "",
    )
    assert (built.site / "opendata/131016_event.csv").read_bytes() == raw
    data = json.loads(built.text("opendata/events.json"))
    assert data["columns"] == EVENT_COLUMNS and len(data["events"]) == len(rows)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("13101", "131016"), ("22212", "222127"), ("01100", "011002"), ("131016", "131016")],
)
def test_municipality_check_digit(code: str, expected: str) -> None:
    assert municipality_code(code) == expected


def test_bad_municipality_code_is_a_config_error(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    config = write_project(tmp_path, {}, plugin={"events": {"municipality_code": "131017"}})
    with pytest.raises((ConfigurationError, Abort)):
        load_config(str(config))


def test_event_page(built: Built) -> None:
    page = built.html("events/hidamari-christmas")
    assert page.select_one("h1").get_text(strip=True) == "クリスマス親子会"
    text = page.select_one("article").get_text(" ")
    for expected in (
        "2026年12月18日（金）10:30〜12:00",
        "300円",
        "15人",
        "電話で",
        "2026年12月15日（火）",
        "ひだまり",
    ):
        assert expected in text, expected
    assert (
        page.select_one("article strong").get_text() == "オーナメント"
    )  # the description is Markdown
    assert "<script>alert" not in built.text("events/hidamari-christmas/index.html")
    assert page.select_one("a[download]")["href"] == "calendar.ics"
    (ld,) = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert (
        ld["@type"] == "Event"
        and ld["startDate"] == "2026-12-18T10:30:00+09:00"
        and ld["endDate"] == "2026-12-18T12:00:00+09:00"
    )
    assert ld["eventStatus"] == "https://schema.org/EventScheduled"
    assert ld["offers"] == {
        "@type": "Offer",
        "price": 300,
        "priceCurrency": "JPY",
        "url": "https://portal.example.jp/events/hidamari-christmas/",
        "validThrough": "2026-12-15",
        "availability": "https://schema.org/InStock",
    }
    assert ld["organizer"]["name"] == "ひだまり"


def test_series_page_lists_next_dates(built: Built) -> None:
    page = built.html("events/hidamari-salon")
    dates = [t["datetime"] for t in page.select("#schedule ~ ul time")]
    assert dates[:3] == [
        "2026-12-01T10:00:00+09:00",
        "2026-12-04T10:00:00+09:00",
        "2026-12-08T10:00:00+09:00",
    ]
    assert len(dates) == 10 and "ほか" in page.get_text()
    assert "毎週火曜・金曜" in page.get_text() and "12月29日（火）" in page.get_text()
    lds = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert len(lds) == 10 and lds[0]["location"]["name"] == "商店街の空き店舗"
    assert [ld["eventStatus"].rsplit("/", 1)[1] for ld in lds[:4]] == [
        "EventScheduled",
        "EventScheduled",
        "EventCancelled",
        "EventScheduled",
    ]
    assert (
        page.select_one("#schedule ~ ul li.civic-occ--cancelled time")["datetime"]
        == "2026-12-08T10:00:00+09:00"
    )
    # a place written without an address gets none guessed (the venue register gives addresses)
    assert "address" not in lds[0]["location"]


def test_cancelled_and_online_status(built: Built) -> None:
    page = built.html("events/sports-club-20261212")
    assert "中止" in page.select_one(".civic-status-banner").get_text()
    ld = json.loads(page.select_one("script[type='application/ld+json']").string)[0]
    assert ld["eventStatus"] == "https://schema.org/EventCancelled"
    online = json.loads(
        built.html("events/sports-club-20261219")
        .select_one("script[type='application/ld+json']")
        .string
    )[0]
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.jp/x"}


def test_month_calendar_is_a_real_table_with_holidays(built: Built) -> None:
    page = built.html("events/2026/11")
    table = page.select_one("table.civic-month")
    assert table.caption and [th.get_text() for th in table.select("thead th")] == list(
        "日月火水木金土"
    )
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    holidays = {
        td.select_one(".civic-holiday-name").get_text(): td
        for td in table.select("td.civic-holiday")
    }
    assert set(holidays) == {"文化の日", "勤労感謝の日"}
    assert "もちつき大会" in holidays["勤労感謝の日"].get_text()
    assert page.select_one("a[rel=prev]")["href"] == "../10/"
    assert page.select_one("a[rel=next]")["href"] == "../12/"
    assert page.select_one("td.civic-today time")["datetime"] == "2026-11-21"
    december = built.html("events/2026/12")
    struck = [li.get_text() for li in december.select("table.civic-month li.civic-occ--cancelled")]
    assert struck == ["10:00 【中止】親子ふれあいサロン", "13:00 【中止】ボッチャ大会"]
    january = built.html("events/2027/01")
    cells = [td for td in january.select("td") if "写真展" in td.get_text()]
    assert [c.select_one("time")["datetime"] for c in cells] == [
        "2027-01-16",
        "2027-01-17",
        "2027-01-18",
    ]


def test_monday_first_and_reiwa_when_configured(make_site: Callable[..., Built]) -> None:
    built = make_site(_groups(), plugin={"events": {"week_start": "monday", "era": "both"}})
    page = built.html("events/2026/12")
    assert [th.get_text() for th in page.select("thead th")] == list("月火水木金土日")
    assert (
        "令和8年（2026年）12月18日（金）10:30〜12:00"
        in built.html("events/hidamari-christmas").get_text()
    )


def test_events_index_and_group_page(built: Built) -> None:
    index = built.html("events")
    firsts = [li["data-first"] for li in index.select("li.civic-occ")]
    assert firsts == sorted(firsts) and min(firsts) >= "2026-11-21"
    assert "秋の清掃" not in index.get_text()  # past: in the October archive only
    assert "秋の清掃" in built.html("events/2026/10").get_text()
    assert index.select_one("link[rel=alternate][type='text/calendar']")["href"] == "../events.ics"
    group = built.html("groups/hidamari")
    listed = [a.get_text() for a in group.select("#group-events ~ ul .civic-occ__title a")]
    # the twice-weekly salon once (with its next dates), then the one-off events in date order
    assert listed == ["親子ふれあいサロン", "もちつき大会", "クリスマス親子会", "写真展"]
    assert group.select_one("a[href='events.ics']")


# -- validation of the events list -------------------------------------------------------------

VALID = "---\nname: 団体\nkana: だんたい\nsummary: 紹介\nfields: [まちづくり]\nevents:\n"


@pytest.mark.parametrize(
    ("events", "key", "line", "fragment"),
    [
        (
            "  - title: x\n    start: 2026-12-02 10:00\n    repeat: 毎週火曜・金曜\n",
            "events[0].start",
            8,
            "火曜・金曜」の日ではありません",
        ),
        (
            "  - title: x\n    start: 2026-12-01\n    repeat: 月2回\n",
            "events[0].repeat",
            9,
            "使える書き方",
        ),
        (
            "  - title: x\n    start: 2026-12-01 10:00\n    end: 900\n",
            "events[0].end",
            9,
            "時刻だけなら 16:00",
        ),
        (
            '  - title: x\n    start: 2026-12-01 10:00\n    end: "09:00"\n',
            "events[0].end",
            9,
            "より前",
        ),
        (
            "  - title: x\n    start: 2026-12-01\n    end: 2026-12-01 12:00\n",
            "events[0].end",
            9,
            "どちらも",
        ),
        ("  - title: x\n    start: 2026-02-30\n", "events[0].start", 8, "存在しない日付"),
        (
            '  - title: x\n    start: "2026-02-30 10:00"\n',
            "events[0].start",
            8,
            "存在しない日付か時刻",
        ),
        ("  - title: x\n    start: 来週\n", "events[0].start", 8, "2026-12-06 10:00"),
        (
            "  - title: x\n    start: 2026-12-01\n    until: 2027-01-01\n",
            "events[0].until",
            9,
            "repeat（くり返し）と一緒に",
        ),
        (
            "  - title: x\n    start: 2026-12-01\n    repeat: 毎週火曜\n    except: [2026-12-02]\n",
            "events[0].except[0]",
            10,
            "くり返しの日ではありません",
        ),
        (
            "  - title: x\n    start: 2026-12-01\n  - title: y\n    start: 2026-12-01\n",
            "events[1].id",
            9,
            "別々の id",
        ),
        (
            "  - title: x\n    start: 2026-12-01\n    status: 雨天中止\n",
            "events[0].status",
            9,
            "開催状況の一覧にありません",
        ),
        (
            "  - title: x\n    start: 2026-12-01\n    online_url: javascript:alert(1)\n",
            "events[0].online_url",
            9,
            "http://",
        ),
        (
            "  - title: x\n    start: 2026-12-01\n    titel: y\n",
            "events[0].titel",
            9,
            "もしかして「title」",
        ),
        ("  - start: 2026-12-01\n", "events[0].title", 7, "必須"),
        ("  - title: x\n    start: 2026-12-01\n    id: Salon_1\n", "events[0].id", 9, "英小文字"),
    ],
)
def test_event_problems(tmp_path: Path, events: str, key: str, line: int, fragment: str) -> None:
    lines = load_problems(tmp_path, {"event-group.md": VALID + events + "---\n"})
    found = [(m["key"], int(m["line"]), m["message"]) for m in map(LINE_RE.match, lines) if m]
    assert any(k == key and n == line and fragment in msg for k, n, msg in found), lines
    assert re.search(r"events", " ".join(lines))


def test_the_open_data_list_written_under_two_names_is_made_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a municipality code the event list is also `opendata/<code>_event.csv`: the same
    bytes, serialised once for both files."""
    from civic_portal import urls
    from civic_portal.cli import load_mkdocs_config
    from civic_portal.clock import build_now
    from civic_portal.load import load_site
    from civic_portal.outputs import events as outputs_events

    config = load_mkdocs_config(Path(__file__).parents[1] / "mkdocs.yml")
    settings = config.plugins["civic"].config.settings(config)
    code = municipality_code("13101")
    settings = replace(settings, events=replace(settings.events, municipality_code=code))
    site, problems = load_site(settings, build_now(settings.timezone))
    assert problems == []
    made: list[int] = []
    serialise = outputs_events.events_csv
    monkeypatch.setattr(
        outputs_events, "events_csv", lambda rows: made.append(1) or serialise(rows)
    )
    files = outputs_events.event_files(site, settings)
    named = urls.opendata_named_csv(code)
    assert files[named]() == files[urls.OPENDATA_CSV]() and len(made) == 1
