"""The `events` list of a group file: validated into `Event` objects, problems with lines."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from ..kana import guess_reading, is_kana, to_katakana
from ..model.events import Event
from ..model.places import parse_address
from ..schedule import RepeatError, matches_rule, occurrence_starts, parse_repeat, weekday_name
from .body import check_body
from .checks import Checker, compact_value
from .frontmatter import INVALID
from .group_contract import (
    _KANA_RE,
    CAPACITY,
    EVENT_ID_RE,
    EVENT_KEYS,
    EVENT_MAX_LENGTH,
    EVENT_REQUIRED,
    EVENT_STATUSES,
    MAX_DESCRIPTION,
    MAX_EVENTS,
    MAX_LISTED_DATES,
    MESSAGES,
)
from .places import Venues, resolve_place

# Matched against compact_value(): runs of spaces are one space, so no pattern can backtrack
# (a date followed by 3,200 spaces took 99 s with `\s*[T\s]\s*`).
_DATETIME_RE = re.compile(
    r"^(\d{4}) ?[-/年] ?(\d{1,2}) ?[-/月] ?(\d{1,2}) ?日?(?:(?: ?T ?| )(\d{1,2}) ?[:時] ?(\d{2})分?)?$"
)
_TIME_RE = re.compile(r"^(\d{1,2}) ?[:時] ?(\d{2})分?$")
_STATUSES = {s: s for s in EVENT_STATUSES}


def load_events(
    check: Checker, value: Any, group_slug: str, venues: Venues | None = None
) -> tuple[Event, ...]:
    """Validate the `events` list; every problem is reported on `check` with its line."""
    events: list[Event] = []
    seen: dict[str, int] = {}
    venues = venues or Venues()
    for i, item in enumerate(check.listing(value, ("events",), max_items=MAX_EVENTS)):
        event = _event(check, item, ("events", i), group_slug, venues)
        if event is None:
            continue
        if event.series_id in seen:
            check.report(
                ("events", i, "id"),
                f"events[{seen[event.series_id]}] と同じ日に始まるか同じ id です。"
                "どちらにも別々の id: を付けてください（例: id: salon-winter）",
                line=check.doc.line("events", i),
            )
            continue
        seen[event.series_id] = i
        events.append(event)
    return tuple(events)


def _event(
    check: Checker, item: Any, path: tuple[Any, ...], group_slug: str, venues: Venues
) -> Event | None:
    data = check.mapping(item, path, EVENT_KEYS, EVENT_REQUIRED)
    if data is None:
        return None
    before = len(check.problems)
    title = check.text(data.get("title"), (*path, "title"), max_length=EVENT_MAX_LENGTH["title"])
    start = _moment(check, data.get("start"), (*path, "start"))
    end = _end(check, data.get("end"), (*path, "end"), start)
    kana = check.text(data.get("kana"), (*path, "kana"), max_length=EVENT_MAX_LENGTH["kana"])
    if kana and not _KANA_RE.match(unicodedata.normalize("NFKC", kana)):
        check.report((*path, "kana"), MESSAGES["kana"])
    status = (
        check.choice(data.get("status"), (*path, "status"), _STATUSES, "開催状況")
        if data.get("status") is not None
        else "scheduled"
    )
    identifier = check.text(data.get("id"), (*path, "id"), max_length=41)
    if identifier and not EVENT_ID_RE.match(identifier):
        check.report((*path, "id"), MESSAGES["event_id"])
    rule, until, skipped, cancelled = _repeat(check, data, path, start)
    apply_until = check.date(data.get("apply_until"), (*path, "apply_until"))
    located = resolve_place(
        check,
        check.text(data.get("place"), (*path, "place"), max_length=EVENT_MAX_LENGTH["place"]),
        check.text(data.get("room"), (*path, "room"), max_length=EVENT_MAX_LENGTH["room"]),
        path,
        venues,
    )
    address = check.text(
        data.get("address"), (*path, "address"), max_length=EVENT_MAX_LENGTH["address"]
    )
    if address and located.venue:
        check.report(
            (*path, "address"),
            f"会場一覧の「{located.venue.name}」の住所が使われるので、address: は消してください",
        )
    fields = dict(
        place=located.place,
        room=located.room,
        venue=located.venue,
        address=address,
        where=located.venue.address
        if located.venue
        else (
            parse_address(address, venues.defaults.prefecture, venues.defaults.municipality)
            if address
            else None
        ),
        online_url=check.url(data.get("online_url"), (*path, "online_url")),
        fee=check.text(data.get("fee"), (*path, "fee"), max_length=EVENT_MAX_LENGTH["fee"]),
        capacity=check.integer(
            data.get("capacity"), (*path, "capacity"), minimum=CAPACITY[0], maximum=CAPACITY[1]
        ),
        apply=check.text(
            data.get("apply"),
            (*path, "apply"),
            max_length=EVENT_MAX_LENGTH["apply"],
            single_line=False,
        ),
        apply_url=check.url(data.get("apply_url"), (*path, "apply_url")),
        description=check.text(
            data.get("description"),
            (*path, "description"),
            max_length=MAX_DESCRIPTION,
            single_line=False,
        ),
    )
    if fields["description"]:
        where = check.doc.line(*path, "description")
        found = check_body(fields["description"], max_chars=MAX_DESCRIPTION, images=False)
        for problem in found.problems:
            check.report((*path, "description"), problem.message, line=where + problem.line - 1)
    if len(check.problems) != before or title is None or start is None or status is None:
        return None
    reading, guessed = _reading(check, title, kana, path)
    stem = identifier or (start.strftime("%Y%m%d") if start else "")
    return Event(
        reading=reading, reading_guessed=guessed,
        series_id=f"{group_slug}-{stem}", group_slug=group_slug, title=title, start=start,
        end=end, kana=kana, status=status, rule=rule, repeat_text=_text(data.get("repeat")),
        until=until, skipped=skipped, cancelled_dates=cancelled, apply_until=apply_until,
        line=check.doc.line(*path), **fields,
    )  # fmt: skip


def _reading(
    check: Checker, title: str, kana: str | None, path: tuple[Any, ...]
) -> tuple[str, bool]:
    """The event's reading for open data: its kana, the title when it is kana already, or a
    dictionary's guess, which `civic check` shows for the group to confirm (and open data marks)."""
    if kana:
        return to_katakana(kana), False
    if is_kana(title):
        return to_katakana(title), False
    guess = guess_reading(title)
    check.suggest(
        (*path, "title"),
        f"イベント名の読みがな（kana:）がありません。オープンデータの一覧には読みが要ります。"
        f"自動で推定した読みは「{guess}」です。正しければ kana: {guess} と書き加えてください",
    )
    return guess, True


def _text(value: Any) -> str | None:
    return str(value).strip() if value is not None and value is not INVALID else None


def _moment(
    check: Checker, value: Any, path: tuple[Any, ...], wording: str = "moment"
) -> dt.date | dt.datetime | None:
    """A date (all-day) or a naive local date-time, from YAML values or the ways people write them."""
    if value is None or value is INVALID:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, dt.date):
        return value
    match = _DATETIME_RE.match(compact_value(value))
    if not match:
        check.report(path, MESSAGES[wording] + f"（今は「{value}」）")
        return None
    year, month, day, hour, minute = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute))
    except ValueError:
        check.report(
            path, f"存在しない日付か時刻です（{value}）。年-月-日 と 時:分 を確かめてください"
        )
        return None


def _end(
    check: Checker, value: Any, path: tuple[Any, ...], start: dt.date | dt.datetime | None
) -> dt.date | dt.datetime | None:
    if value is None or value is INVALID or start is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        check.report(path, MESSAGES["end"] + f"（今は「{value}」）")
        return None
    time_only = _TIME_RE.match(compact_value(value))
    if time_only and isinstance(start, dt.datetime):
        hour, minute = int(time_only.group(1)), int(time_only.group(2))
        if hour > 23 or minute > 59:
            check.report(path, f"存在しない時刻です（{value}）")
            return None
        end: dt.date | dt.datetime | None = start.replace(hour=hour, minute=minute)
    else:
        end = _moment(check, value, path, "end")
    if end is None:
        return None
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        check.report(
            path, "start と end は、どちらも日付だけ（終日）か、どちらも日時で書いてください"
        )
        return None
    if end < start if not isinstance(end, dt.datetime) else end <= start:  # type: ignore[operator]
        check.report(path, "終わりが始まりより前（または同じ）になっています")
        return None
    return end


def _repeat(
    check: Checker, data: dict[str, Any], path: tuple[Any, ...], start: dt.date | dt.datetime | None
) -> tuple[str | None, dt.date | None, tuple[dt.date, ...], tuple[dt.date, ...]]:
    """(rule, until, skipped dates, cancelled dates) of a recurring event."""
    until = check.date(data.get("until"), (*path, "until"))
    lists = {
        key: [
            check.date(v, (*path, key, i))
            for i, v in enumerate(
                check.listing(data.get(key), (*path, key), max_items=MAX_LISTED_DATES)
            )
        ]
        for key in ("except", "cancelled")
    }
    if data.get("repeat") in (None, INVALID):
        for key in ("until", "except", "cancelled"):
            if data.get(key) is not None:
                check.report((*path, key), f"{key} は repeat（くり返し）と一緒に使います")
        return None, None, (), ()
    try:
        rule = parse_repeat(str(data["repeat"]))
    except RepeatError as e:
        check.report((*path, "repeat"), str(e))
        return None, None, (), ()
    if start is None:
        return rule, until, (), ()
    first = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    if not matches_rule(rule, first):
        check.report(
            (*path, "start"),
            f"start の {first:%Y-%m-%d}（{weekday_name(first.date())}曜日）は「{data['repeat']}」の日ではありません。"
            "くり返しの最初の日を start に書いてください",
        )
        return rule, until, (), ()
    if until is not None and until < first.date():
        check.report((*path, "until"), "until が start より前の日付になっています")
    found: dict[str, list[dt.date]] = {"except": [], "cancelled": []}
    listed = [day for days in lists.values() for day in days if day is not None]
    held = (
        {  # one expansion over the listed dates' span, not one per date
            s.date()
            for s in occurrence_starts(
                rule,
                first,
                dt.datetime.combine(min(listed), dt.time()),
                dt.datetime.combine(max(listed), dt.time.max),
                until,
            )
        }
        if listed
        else set()
    )
    for key, days in lists.items():
        for i, day in enumerate(days):
            if day is None:
                continue
            if day not in held:
                check.report((*path, key, i), f"{day} はこのくり返しの日ではありません")
            elif key == "cancelled" and day in found["except"]:
                check.report(
                    (*path, key, i),
                    f"{day} は except にも書かれています。どちらか一方にしてください",
                )
            else:
                found[key].append(day)
    return rule, until, tuple(sorted(found["except"])), tuple(sorted(found["cancelled"]))
