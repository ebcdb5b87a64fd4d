"""render/opendata.py on hand-made occurrences: the Digital Agency's event-list template."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from civic_portal.model.events import Occurrence
from civic_portal.render.opendata import (
    EVENT_COLUMNS,
    Publisher,
    event_rows,
    events_csv,
    events_json,
    spreadsheet_safe,
)

from ..conftest import TOKYO, make_event, make_group

HEADER = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,イベント名,イベント名_カナ,イベント名_英語,開始日,終了日,"
    "開始時間,終了時間,開始日時特記事項,説明,料金(基本),料金(詳細),連絡先名称,連絡先電話番号,連絡先内線番号,主催者,"
    "場所名称,住所,方書,緯度,経度,アクセス方法,駐車場情報,定員,参加申込終了日,参加申込終了時間,参加申込方法,URL,備考"
)
PUBLISHER = Publisher("132012", "東京都", "川波市")
GROUPS = {"hidamari": make_group()}
SALON = make_event(
    "hidamari-salon",
    kana="おやこふれあいサロン",
    reading="オヤコフレアイサロン",
    rule="FREQ=WEEKLY;BYDAY=TU",
    repeat_text="毎週火曜",
    cancelled_dates=(dt.date(2026, 12, 8),),
    place="商店街の空き店舗",
    address="川波市中央2-3-4",
    fee="大人300円・子ども無料",
    capacity=20,
    apply="電話で",
    apply_until=dt.date(2026, 11, 30),
    description="親子で遊べるサロンです。",
)
EXHIBITION = make_event(
    "hidamari-2027-01-16", title="写真展", start=dt.date(2027, 1, 16), end=dt.date(2027, 1, 18)
)
ONLINE = make_event(
    "hidamari-online", title="オンライン勉強会", fee="無料", online_url="https://meet.example.jp/x"
)
URLS = {
    e.series_id: f"https://portal.example.jp/events/{e.series_id}/"
    for e in (SALON, EXHIBITION, ONLINE)
}


def _at(day: int, hour: int, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TOKYO)


OCCURRENCES = [
    Occurrence(SALON, _at(1, 10), _at(1, 15)),
    Occurrence(SALON, _at(8, 10), _at(8, 15)),  # cancelled that day
    Occurrence(ONLINE, _at(19, 20), None),
    Occurrence(EXHIBITION, dt.date(2027, 1, 16), dt.date(2027, 1, 18)),
]


def _rows() -> list[dict[str, str]]:
    return event_rows(OCCURRENCES, GROUPS, PUBLISHER, URLS)


def test_the_header_is_the_template_s_32_columns() -> None:
    assert len(EVENT_COLUMNS) == 32
    assert ",".join(EVENT_COLUMNS) == HEADER  # ASCII parentheses in 料金(基本)
    assert all(list(row) == EVENT_COLUMNS for row in _rows())


def test_one_row_per_occurrence_with_the_template_s_values() -> None:
    first, cancelled, online, exhibition = _rows()
    assert first == {
        **dict.fromkeys(EVENT_COLUMNS, ""),
        "都道府県コード又は市区町村コード": "132012",
        "NO": "1",
        "都道府県名": "東京都",
        "市区町村名": "川波市",
        "イベント名": "親子ふれあいサロン",
        "イベント名_カナ": "オヤコフレアイサロン",  # katakana, as the template asks
        "開始日": "2026-12-01",
        "終了日": "2026-12-01",
        "開始時間": "10:00",
        "終了時間": "15:00",
        "開始日時特記事項": "毎週火曜",
        "説明": "親子で遊べるサロンです。",
        "料金(基本)": "300",
        "料金(詳細)": "大人300円・子ども無料",
        "連絡先名称": "ひだまりサロン",
        "連絡先電話番号": "0120-000-000",
        "主催者": "ひだまりサロン",
        "場所名称": "商店街の空き店舗",
        "住所": "川波市中央2-3-4",
        "定員": "20",
        "参加申込終了日": "2026-11-30",
        "参加申込方法": "電話で",
        "URL": "https://portal.example.jp/events/hidamari-salon/",
    }
    assert (cancelled["NO"], cancelled["開始日"], cancelled["備考"]) == ("2", "2026-12-08", "中止")
    assert online["NO"] == "3"
    assert online["料金(基本)"] == "0"  # 無料
    assert online["場所名称"] == "オンライン"
    assert online["終了日"] == "2026-12-19" and online["終了時間"] == ""
    assert online["備考"] == "オンライン参加: https://meet.example.jp/x"
    assert online["定員"] == "" and online["イベント名_カナ"] == ""  # made by hand without one
    assert online["住所"] == "オンライン"  # online only: the required address says so
    # All-day: dates only, the end inclusive (the template's 終了日 is the last day).
    assert (exhibition["開始日"], exhibition["終了日"]) == ("2027-01-16", "2027-01-18")
    assert (exhibition["開始時間"], exhibition["終了時間"]) == ("", "")
    assert exhibition["開始日時特記事項"] == "終日"  # all-day says so
    assert exhibition["説明"] == "写真展"  # no description written: the title, never empty
    assert exhibition["料金(基本)"] == ""  # no fee written: unknown, not 0


def test_csv_is_utf8_with_bom_and_crlf() -> None:
    data = events_csv(_rows())
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode("utf-8") + b"\r\n")
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 1 + len(OCCURRENCES)
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare line feeds
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert records[0] == EVENT_COLUMNS
    assert [len(r) for r in records] == [32] * (1 + len(OCCURRENCES))


def test_numbers_dates_and_times_stay_plain_in_the_csv() -> None:
    data = events_csv(_rows()).decode("utf-8-sig")
    first = data.splitlines()[1].split(",")
    by_column = dict(zip(EVENT_COLUMNS, first, strict=True))
    assert by_column["NO"] == "1"
    assert by_column["料金(基本)"] == "300"
    assert by_column["定員"] == "20"
    assert by_column["開始日"] == "2026-12-01"
    assert by_column["開始時間"] == "10:00"
    assert by_column["都道府県コード又は市区町村コード"] == "132012"


def test_a_formula_cell_is_neutralised_in_the_csv_but_not_in_the_json() -> None:
    hostile = make_event("hidamari-x", title='=HYPERLINK("https://evil.example/","詳細")')
    occurrence = [Occurrence(hostile, _at(3, 10), None)]
    rows = event_rows(occurrence, GROUPS, PUBLISHER, {"hidamari-x": "https://p.example/x/"})
    [record] = list(csv.DictReader(io.StringIO(events_csv(rows).decode("utf-8-sig"))))
    assert record["イベント名"] == "'" + hostile.title
    assert json.loads(events_json(rows))["events"][0]["イベント名"] == hostile.title


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+81 3 0000", "'+81 3 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r\n=1", "'\r\n=1"),
        ("  =1", "'  =1"),  # spreadsheets may trim leading spaces
        ("\u3000＝1", "'\u3000＝1"),  # full-width, as a Japanese keyboard types
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠a", "'＠a"),
        ("300", "300"),
        ("2026-12-01", "2026-12-01"),
        ("10:00", "10:00"),
        ("", ""),
        ("a=b", "a=b"),
        ("親子で=遊ぶ", "親子で=遊ぶ"),
    ],
)
def test_spreadsheet_safe(cell: str, safe: str) -> None:
    assert spreadsheet_safe(cell) == safe


def test_json_has_the_same_rows_and_columns() -> None:
    rows = _rows()
    text = events_json(rows)
    data = json.loads(text)
    assert data == {"columns": EVENT_COLUMNS, "events": rows}
    assert "親子ふれあいサロン" in text  # readable UTF-8, not \\u escapes
    assert text == events_json(_rows())  # deterministic
