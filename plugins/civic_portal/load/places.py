"""The venue register (groups/places.yml): read, validated with lines, and places named in group
files resolved against it (an id is checked and its nearest id suggested; free text that looks
like a registered venue gets a suggestion, never an error)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Problem
from ..model.places import Access, Address, Place
from .checks import Checker, read_document
from .frontmatter import INVALID, parse_yaml
from .group_contract import (
    _KANA_RE,
    MESSAGES,
    PLACE_ID_RE,
    PLACE_KEYS,
    PLACE_MAX_LENGTH,
    PLACE_REQUIRED,
    PLACES_FILE,
)

MAX_PLACES = 1000
MAX_NAMES = 30  # rooms, aliases
_POSTAL_RE = re.compile(r"^〒? ?(\d{3})-?(\d{4})$")
# Japan from Okinotorishima to Etorofu, Yonaguni to Minamitorishima, with a margin.
_LATITUDES, _LONGITUDES = (20.0, 46.0), (122.0, 154.5)
_FLAGS = {
    "はい": True,
    "あり": True,
    "可": True,
    "yes": True,
    "true": True,
    "いいえ": False,
    "なし": False,
    "不可": False,
    "no": False,
    "false": False,
}


@dataclass(frozen=True)
class Defaults:
    """What a venue or a one-off address leaves out: the portal's own prefecture and city."""

    prefecture: str = ""
    municipality: str = ""


def load_places(path: Path, rel: str, defaults: Defaults) -> tuple[dict[str, Place], list[Problem]]:
    """Every venue of the register by id, and every problem at once. No file: no venues."""
    if not path.exists() and not path.is_symlink():
        return {}, []
    doc = read_document(path, rel, parse_yaml)
    if isinstance(doc, Problem):
        return {}, [doc]
    check = Checker(rel, doc)
    places: dict[str, Place] = {}
    if len(doc.data) > MAX_PLACES:
        check.report((), f"会場は{MAX_PLACES}か所までにしてください（今は{len(doc.data)}か所）")
        return {}, check.problems
    for key, value in doc.data.items():
        if not PLACE_ID_RE.match(str(key)):
            check.report(
                (key,),
                line=doc.key_lines[(key,)],
                message=f"会場の id「{key}」は使えません。英小文字・数字・ハイフン（2〜63文字）で "
                "kawanami-plaza のように付けてください",
            )
            continue
        place = _place(check, str(key), value, defaults)
        if place is not None:
            places[place.id] = place
    names: dict[str, str] = {}
    for place in list(places.values()):
        key = _key(place.name)
        if key in names:
            check.report(
                (place.id, "name"),
                f"会場名「{place.name}」は {names[key]} と同じです。部屋は rooms: に書くか、"
                "別の名前にしてください",
            )
            del places[place.id]
            continue
        names[key] = place.id
    # Valid venues are kept even when others have problems (which stop the build anyway): a
    # group naming a venue whose entry is wrong is told nothing more than the register says.
    return places, check.problems


def _place(check: Checker, pid: str, value: Any, defaults: Defaults) -> Place | None:
    entry = check.doc.key_lines[(pid,)]  # the line of `id:`, where a missing key is reported
    before = len(check.problems)
    data = check.mapping(value, (pid,), PLACE_KEYS, PLACE_REQUIRED, required_line=entry)
    if data is None:
        return None

    def text(key: str, single_line: bool = True) -> str | None:
        return check.text(
            data.get(key), (pid, key), max_length=PLACE_MAX_LENGTH[key], single_line=single_line
        )

    name, kana = text("name"), text("kana")
    if kana and not _KANA_RE.match(unicodedata.normalize("NFKC", kana)):
        check.report((pid, "kana"), MESSAGES["kana"])
    postal = _postal_code(check, data.get("postal_code"), (pid, "postal_code"))
    street, building = text("address"), text("building")
    prefecture = text("prefecture") or defaults.prefecture
    municipality = text("municipality") or defaults.municipality
    for key, found in (("prefecture", prefecture), ("municipality", municipality)):
        if not found and data.get(key) is None:
            check.report(
                (pid, key),
                MESSAGES["required"].format(key=key)
                + "（mkdocs.yml の events: に prefecture と municipality を書けば省けます）",
                line=entry,
            )
    latitude = _degrees(check, data.get("lat"), (pid, "lat"), _LATITUDES, "緯度")
    longitude = _degrees(check, data.get("lon"), (pid, "lon"), _LONGITUDES, "経度")
    if (data.get("lat") is None) != (data.get("lon") is None):
        missing = "lon" if data.get("lon") is None else "lat"
        check.report((pid, missing), "緯度（lat）と経度（lon）は両方書いてください", line=entry)
    access = Access(
        transit=text("access", single_line=False),
        parking=text("parking", single_line=False),
        wheelchair=_flag(check, data.get("wheelchair"), (pid, "wheelchair")),
        accessible_toilet=_flag(check, data.get("toilet"), (pid, "toilet")),
        nursing_room=_flag(check, data.get("nursing_room"), (pid, "nursing_room")),
        note=text("note", single_line=False),
    )
    url = check.url(data.get("url"), (pid, "url"))
    rooms = _names(check, data.get("rooms"), (pid, "rooms"))
    aliases = _names(check, data.get("aliases"), (pid, "aliases"))
    if len(check.problems) != before or not (name and kana and postal):
        return None
    return Place(
        id=pid,
        name=name,
        kana=kana,
        address=Address(
            postal_code=postal,
            prefecture=prefecture,
            municipality=municipality,
            street=street or "",
            building=building or "",
        ),
        latitude=latitude,
        longitude=longitude,
        access=access,
        url=url,
        rooms=rooms,
        aliases=aliases,
        line=entry,
    )


def _postal_code(check: Checker, value: Any, path: tuple[Any, ...]) -> str | None:
    if value is None or value is INVALID:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("ー", "-").replace("‐", "-")
    match = _POSTAL_RE.match(text)
    if not match:
        check.report(path, f"郵便番号は 000-0001 のように7桁で書いてください（今は「{value}」）")
        return None
    return f"{match.group(1)}-{match.group(2)}"


def _degrees(
    check: Checker, value: Any, path: tuple[Any, ...], bounds: tuple[float, float], label: str
) -> float | None:
    if value is None or value is INVALID:
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(unicodedata.normalize("NFKC", value).strip())
        except ValueError:
            number = None
    if number is None or number != number:  # NaN
        check.report(path, f"{label}は 35.6812 のように度の小数で書いてください（今は「{value}」）")
        return None
    if not bounds[0] <= number <= bounds[1]:
        check.report(
            path,
            f"{label} {number} は日本の範囲（{bounds[0]:g}〜{bounds[1]:g}）の外です。"
            "緯度と経度が逆になっていないか確かめてください",
        )
        return None
    return round(number, 6)


def _flag(check: Checker, value: Any, path: tuple[Any, ...]) -> bool | None:
    if value is None or value is INVALID:
        return None
    if isinstance(value, bool):
        return value
    key = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if key in _FLAGS:
        return _FLAGS[key]
    check.report(path, f"はい か いいえ（true か false）で書いてください（今は「{value}」）")
    return None


def _names(check: Checker, value: Any, path: tuple[Any, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for i, item in enumerate(check.listing(value, path, max_items=MAX_NAMES)):
        name = check.text(item, (*path, i), max_length=60)
        if name and _key(name) in {_key(n) for n in found}:
            check.report((*path, i), f"「{name}」が2回書かれています")
        elif name:
            found.append(name)
    return tuple(found)


def _key(text: str) -> str:
    """How names are compared: NFKC, without spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


# -- places named in group files ---------------------------------------------------------------


class Venues:
    """The register as group files are checked against it."""

    def __init__(
        self,
        places: Mapping[str, Place] | None = None,
        defaults: Defaults = Defaults(),
        broken: frozenset[str] = frozenset(),
    ) -> None:
        self.places = dict(places or {})
        self.defaults = defaults
        self.broken = broken  # ids whose entries have problems: reported there, not here
        self.matcher = VenueMatcher(self.places)


@dataclass(frozen=True)
class Where:
    """A place as a group file names it: the text as written, the venue it names (if an id),
    the room, and a one-off place's address."""

    place: str | None = None
    venue: Place | None = None
    room: str | None = None


def resolve_place(
    check: Checker,
    place: str | None,
    room: str | None,
    path: tuple[Any, ...],
    venues: Venues,
) -> Where:
    """An id is looked up (an unknown one is an error naming the nearest id); a room must be one
    the venue lists, when it lists any; free text is kept, with a suggestion when it looks like
    a registered venue."""
    if place is None:
        if room is not None:
            check.report((*path, "room"), "room は place（登録された会場の id）と一緒に書きます")
        return Where()
    places = venues.places
    if PLACE_ID_RE.match(place):
        venue = places.get(place)
        if venue is None:
            if place not in venues.broken:
                check.report((*path, "place"), unknown_place_message(place, places))
            return Where(place=place)
        return Where(place=place, venue=venue, room=_room(check, venue, room, path))
    if room is not None:
        check.report(
            (*path, "room"),
            "room は登録された会場の id（place: kawanami-plaza など）と一緒に使います。"
            "会場の名前を自由に書くときは、部屋の名前も place: に続けて書いてください",
        )
    if (found := venues.matcher.match(place)) is not None:
        venue, guessed_room = found
        room_line = f"、room: {guessed_room}" if guessed_room else ""
        check.suggest(
            (*path, "place"),
            f"「{place}」は登録された会場「{venue.name}」のようです。place: {venue.id}{room_line} "
            "と書くと、住所・地図・アクセスがイベントのページとオープンデータに載ります",
        )
    return Where(place=place)


def venue_named(text: str, venues: Venues) -> tuple[Place, str | None] | None:
    """The registered venue a text names exactly, as pages and the register export write it:
    「川波市市民活動センター 会議室A」 → (tsunaguba, 会議室A); the longest name wins (川波駅前商店街
    旧ふとん店 is that venue, not a room of 川波駅前商店街); None for anything else."""
    key = _key(text)
    found: list[tuple[int, Place, str | None]] = []
    for place in venues.places.values():
        for name in (place.name, *place.aliases):
            named = _key(name)
            if key == named:
                found.append((len(named), place, None))
            elif key.startswith(named):
                rest = key[len(named) :]
                room = next((r for r in place.rooms if _key(r) == rest), None)
                if room is None and not place.rooms and text.startswith(f"{name} "):
                    room = text[len(name) :].strip()
                if room is not None:
                    found.append((len(named), place, room))
    if not found:
        return None
    _, place, room = max(found, key=lambda f: f[0])
    return place, room


def unknown_place_message(place: str, places: Mapping[str, Place]) -> str:
    close = difflib.get_close_matches(place, sorted(places), n=1, cutoff=0.5)
    hint = f"もしかして「{close[0]}」（{places[close[0]].name}）ですか？" if close else ""
    return (
        f"「{place}」という会場は会場一覧（{PLACES_FILE}）にありません。{hint}"
        "一覧にない場所なら、place: に場所の名前を日本語で書き、address: に住所を書いてください"
    )


def _room(check: Checker, venue: Place, room: str | None, path: tuple[Any, ...]) -> str | None:
    if room is None or not venue.rooms:
        return room
    for listed in venue.rooms:
        if _key(listed) == _key(room):
            return listed
    close = difflib.get_close_matches(room, venue.rooms, n=1, cutoff=0.5)
    hint = f"もしかして「{close[0]}」ですか？" if close else ""
    check.report(
        (*path, "room"),
        f"「{room}」は{venue.name}の部屋の一覧にありません。{hint}使えるもの: {'、'.join(venue.rooms)}",
    )
    return None


_SEVERAL = ("／", " / ", "・ほか", "など")


class VenueMatcher:
    """Finds the registered venue a free-text place most likely means: the longest stretch a
    venue's name (or alias) shares with the text must cover most of that name. Cheap to ask
    often: names are compared only with texts that share a pair of characters with them, and
    each text is judged once."""

    MIN_SHARED = 4  # characters
    MIN_COVER = 0.6  # of the venue's name

    def __init__(self, places: Mapping[str, Place]) -> None:
        self.names = [(_key(n), p) for p in places.values() for n in (p.name, *p.aliases)]
        self.pairs = [{k[i : i + 2] for i in range(len(k) - 1)} for k, _ in self.names]
        self.seen: dict[str, tuple[Place, str | None] | None] = {}

    def match(self, text: str) -> tuple[Place, str | None] | None:
        if any(mark in text for mark in _SEVERAL):
            return None  # several places (「A ／ B」): no one venue to suggest
        key = _key(text)
        if key not in self.seen:
            self.seen[key] = self._match(key)
        return self.seen[key]

    def _match(self, key: str) -> tuple[Place, str | None] | None:
        pairs = {key[i : i + 2] for i in range(len(key) - 1)}
        best: tuple[float, int, Place, str] | None = None
        for (name, place), own in zip(self.names, self.pairs, strict=True):
            if not own & pairs:
                continue
            matcher = difflib.SequenceMatcher(None, key, name, autojunk=False)
            shared = matcher.find_longest_match(0, len(key), 0, len(name))
            cover = shared.size / max(1, len(name))
            if shared.size < min(self.MIN_SHARED, len(name)) or cover < self.MIN_COVER:
                continue
            rest = key[: shared.a] + key[shared.a + shared.size :]
            candidate = (cover, shared.size, place, rest)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
        if best is None:
            return None
        place, rest = best[2], best[3]
        room = next((r for r in place.rooms if _key(r) and _key(r) in rest), None)
        return place, room
