"""Open data: the Digital Agency's standard event list (イベント一覧, 2023-03-31 CSV template)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..kana import fold
from ..model import Group
from ..model.events import Occurrence

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


def _katakana(text: str | None) -> str:
    if not text:
        return ""
    # fold() turns katakana into hiragana; the template wants katakana, so shift the other way.
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in fold(text))


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _time(value: dt.date | dt.datetime | None) -> str:
    return value.strftime("%H:%M") if isinstance(value, dt.datetime) else ""


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
        notes = [o.status_label, e.online_url and f"オンライン参加: {e.online_url}"]
        rows.append(
            {
                "都道府県コード又は市区町村コード": publisher.code,
                "NO": str(number),
                "都道府県名": publisher.prefecture,
                "市区町村名": publisher.municipality,
                "イベント名": e.title,
                "イベント名_カナ": _katakana(e.kana),
                "イベント名_英語": "",
                "開始日": _day(o.start),
                "終了日": _day(o.end) or _day(o.start),
                "開始時間": _time(o.start),
                "終了時間": _time(o.end),
                "開始日時特記事項": e.repeat_text or "",
                "説明": e.description or "",
                "料金(基本)": "" if e.fee_yen is None else str(e.fee_yen),
                "料金(詳細)": e.fee or "",
                "連絡先名称": g.name,
                "連絡先電話番号": g.contact.phone or "",
                "連絡先内線番号": "",
                "主催者": g.name,
                "場所名称": e.place or ("オンライン" if e.online_url else ""),
                "住所": e.address or "",
                "方書": "",
                "緯度": "",
                "経度": "",
                "アクセス方法": "",
                "駐車場情報": "",
                "定員": "" if e.capacity is None else str(e.capacity),
                "参加申込終了日": _day(e.apply_until),
                "参加申込終了時間": "",
                "参加申込方法": e.apply or "",
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
    """The same rows as JSON (column names as keys), deterministic."""
    return json.dumps({"columns": EVENT_COLUMNS, "events": rows}, ensure_ascii=False, indent=1)
