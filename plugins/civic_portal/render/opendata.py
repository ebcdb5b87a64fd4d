"""Open data: the Digital Agency's standard event list (イベント一覧, 2023-03-31 CSV template)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Group
from ..model.events import Event, Occurrence

# Exactly the template's header, in order (note the ASCII parentheses in 料金(基本)).
EVENT_COLUMNS = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,イベント名,イベント名_カナ,イベント名_英語,"
    "開始日,終了日,開始時間,終了時間,開始日時特記事項,説明,料金(基本),料金(詳細),連絡先名称,連絡先電話番号,"
    "連絡先内線番号,主催者,場所名称,住所,方書,緯度,経度,アクセス方法,駐車場情報,定員,参加申込終了日,"
    "参加申込終了時間,参加申込方法,URL,備考"
).split(",")


@dataclass(frozen=True)
class Publisher:
    code: str  # 6 digits, or "" when not configured
    prefecture: str
    municipality: str


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _time(value: dt.date | dt.datetime | None) -> str:
    return value.strftime("%H:%M") if isinstance(value, dt.datetime) else ""


_BREAKS = re.compile(r"\s*\n\s*")


def one_line(text: str | None) -> str:
    """A text cell on one line: every line break (and the spaces around it) becomes one
    full-width space, as a break between Japanese sentences reads. A reader that splits the
    file on line ends (many do, whatever the quoting) still gets one row per record."""
    return _BREAKS.sub("\u3000", text.strip()) if text else ""


def _degrees(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def _facilities(e: Event) -> str:
    if e.venue is None:
        return ""
    words = {"車いすで入れる": ("車いす可", "車いす不可")}
    stated = [
        words.get(label, (f"{label}あり", f"{label}なし"))[0 if yes else 1]
        for label, yes in e.venue.access.facilities
    ]
    return "設備: " + "・".join(stated) if stated else ""


def event_rows(
    occurrences: Iterable[Occurrence],
    groups: Mapping[str, Group],
    publisher: Publisher,
    urls: Mapping[str, str],
) -> list[dict[str, str]]:
    """One row per occurrence, keyed by the template's column names, numbered from 1."""
    rows = []
    for number, o in enumerate(occurrences, 1):
        e, g = o.event, groups[o.event.group_slug]
        online_only = bool(e.online_url) and not e.in_person
        where = e.where
        notes = [
            o.status_label,
            e.online_url and f"オンライン参加: {e.online_url}",
            _facilities(e),
            e.reading_guessed and "イベント名_カナは辞書による自動の推定です",
        ]
        rows.append(
            {
                "都道府県コード又は市区町村コード": publisher.code,
                "NO": str(number),
                "都道府県名": publisher.prefecture,
                "市区町村名": publisher.municipality,
                "イベント名": e.title,
                "イベント名_カナ": e.reading or "",
                "イベント名_英語": "",
                "開始日": _day(o.start),
                "終了日": _day(o.end) or _day(o.start),
                "開始時間": _time(o.start),
                "終了時間": _time(o.end),
                "開始日時特記事項": "、".join(
                    n for n in ("終日" if e.all_day else "", e.repeat_text or "") if n
                ),
                "説明": one_line(e.description) or e.title,
                "料金(基本)": "" if e.fee_yen is None else str(e.fee_yen),
                "料金(詳細)": e.fee or "",
                "連絡先名称": g.name,
                "連絡先電話番号": g.contact.phone or "",
                "連絡先内線番号": "",
                "主催者": g.name,
                "場所名称": e.place_label or ("オンライン" if e.online_url else ""),
                "住所": where.line
                if where
                else (e.address or ("オンライン" if online_only else "")),
                "方書": " ".join(p for p in (where and where.building, e.room) if p),
                "緯度": _degrees(e.venue.latitude if e.venue else None),
                "経度": _degrees(e.venue.longitude if e.venue else None),
                "アクセス方法": one_line(e.venue.access.transit if e.venue else None),
                "駐車場情報": one_line(e.venue.access.parking if e.venue else None),
                "定員": "" if e.capacity is None else str(e.capacity),
                "参加申込終了日": _day(e.apply_until),
                "参加申込終了時間": "",
                "参加申込方法": one_line(e.apply),
                "URL": urls[e.series_id],
                "備考": " ".join(n for n in notes if n),
            }
        )
    return rows


# A cell a spreadsheet would run as a formula (OWASP "CSV Injection"): =, +, - or @ first, or a
# tab or line break, also after leading spaces (which spreadsheets may trim) and in the
# full-width forms a Japanese keyboard types.
_FORMULA_START = tuple("=+-@\t\r\n＝＋－＠")


def spreadsheet_safe(value: str) -> str:
    """The cell as text a spreadsheet shows but never runs: a leading apostrophe, which Excel and
    LibreOffice read as "this cell is text" and do not display. Numbers, dates and times we
    write begin with a digit and are left alone; the JSON keeps every value as written."""
    return "'" + value if value.lstrip(" \u3000").startswith(_FORMULA_START) else value


def events_csv(rows: list[dict[str, str]]) -> bytes:
    """UTF-8 with BOM and CRLF line endings, as the template asks; text cells spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def events_json(rows: list[dict[str, str]]) -> str:
    """The same rows as JSON (column names as keys), deterministic, one event a line (json's
    fast encoder writes each line; its indented output is written in Python, 2 s for 18,000
    rows)."""
    columns = json.dumps(EVENT_COLUMNS, ensure_ascii=False)
    events = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in rows)
    return '{\n "columns": ' + columns + ',\n "events": [\n' + events + "\n ]\n}"


# Data users read the columns right with this (Frictionless Data Table Schema). Text columns
# are strings; what the template asks to be numbers, dates and times is typed.
_TYPES: dict[str, dict[str, Any]] = {
    "都道府県コード又は市区町村コード": {
        "type": "string",
        "constraints": {"pattern": "[0-9]{6}"},
        "description": "全国地方公共団体コード（6桁、検査数字を含む）。先頭の0を保つため文字列",
    },
    "NO": {"type": "integer", "constraints": {"required": True, "unique": True, "minimum": 1}},
    "開始日": {"type": "date", "constraints": {"required": True}},
    "終了日": {"type": "date", "constraints": {"required": True}},
    "開始時間": {
        "type": "time",
        "format": "%H:%M",
        "description": "終日のイベントは空欄で、開始日時特記事項に「終日」と書きます",
    },
    "終了時間": {
        "type": "time",
        "format": "%H:%M",
        "description": "終日のイベントと、終わりの時刻が決まっていないイベントは空欄",
    },
    "説明": {
        "type": "string",
        "constraints": {"required": True},
        "description": "改行は全角スペース1つに置き換えています（1レコード1行）",
    },
    "イベント名_カナ": {
        "type": "string",
        "constraints": {"required": True, "pattern": "[\u309b\u309c\u30a0-\u30ff\u3000０-９]+"},
        "description": "全角カタカナ。団体が書いていない読みは辞書による推定で、備考にそう書きます",
    },
    "料金(基本)": {"type": "integer", "constraints": {"minimum": 0}, "description": "円。無料は0"},
    "定員": {"type": "integer", "constraints": {"minimum": 1}},
    "緯度": {"type": "number", "constraints": {"minimum": -90, "maximum": 90}},
    "経度": {"type": "number", "constraints": {"minimum": -180, "maximum": 180}},
    "参加申込終了日": {"type": "date"},
    "参加申込終了時間": {"type": "time", "format": "%H:%M"},
    "URL": {"type": "string", "format": "uri", "constraints": {"required": True}},
}
_REQUIRED = ("イベント名", "場所名称", "住所", "連絡先名称", "主催者")


def datapackage(title: str, publisher: Publisher, files: Iterable[str]) -> str:
    """/opendata/datapackage.json: the event list described as a Frictionless Data Package,
    one resource per published copy of the CSV (the same table)."""
    fields = []
    for name in EVENT_COLUMNS:
        spec: dict[str, Any] = {"name": name, "type": "string", **_TYPES.get(name, {})}
        if name in _REQUIRED:
            spec["constraints"] = {"required": True}
        fields.append(spec)
    schema = {"fields": fields, "primaryKey": ["NO"], "missingValues": [""]}
    resources = [
        {
            "name": path.rsplit("/", 1)[-1].removesuffix(".csv").replace("_", "-").lower(),
            "path": path.rsplit("/", 1)[-1],
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": schema,
        }
        for path in files
    ]
    package = {
        "profile": "tabular-data-package",
        "name": "events",
        "title": title,
        "description": "デジタル庁「推奨データセット」イベント一覧（2023年3月31日版の CSV 様式）に沿った"
        f"{publisher.municipality or 'この市'}の市民活動のイベント。1行が1回の開催です。",
        "resources": resources,
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"
