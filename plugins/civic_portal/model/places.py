"""Places: the venue register a centre keeps (groups/places.yml), and postal addresses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_POSTAL_IN_TEXT_RE = re.compile(r"〒? ?(\d{3})-(\d{4})")
_PREFECTURE_RE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|\w{2,3}?県)")
_CITY_RE = re.compile(r"^(\w{1,8}?[市区町村])")


@dataclass(frozen=True)
class Address:
    """A Japanese postal address in the parts open data and schema.org ask for."""

    postal_code: str = ""  # 000-0000
    prefecture: str = ""  # 都道府県
    municipality: str = ""  # 市区町村
    street: str = ""  # 町名・番地 (the rest of the address)
    building: str = ""  # 方書: building, floor

    @property
    def line(self) -> str:
        """The address as one line without postal code or building (open data's 住所)."""
        return f"{self.prefecture}{self.municipality}{self.street}"

    @property
    def complete(self) -> bool:
        """Everything search engines ask of a PostalAddress is known."""
        return all((self.postal_code, self.prefecture, self.municipality, self.street))

    def __str__(self) -> str:
        """〒000-0001 川波県川波市中央1-2-3 川波市民プラザ2階"""
        parts = [f"〒{self.postal_code}" if self.postal_code else "", self.line, self.building]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Access:
    """What a citizen (and the open-data event list) asks before going: 最寄り駅・バス停,
    駐車場, and whether a wheelchair user, anyone needing a multipurpose toilet or a parent with
    a baby can use it. None: the register does not say."""

    transit: str | None = None  # 最寄り駅・バス停と道順
    parking: str | None = None  # 駐車場
    wheelchair: bool | None = None  # 車いすで入れる（段差なし・エレベーター）
    accessible_toilet: bool | None = None  # 多目的トイレ
    nursing_room: bool | None = None  # 授乳室
    note: str | None = None  # anything else (hearing loop, 手話通訳の相談, …)

    @property
    def facilities(self) -> tuple[tuple[str, bool], ...]:
        """(label, yes/no) of each facility the register states."""
        named = (
            ("車いすで入れる", self.wheelchair),
            ("多目的トイレ", self.accessible_toilet),
            ("授乳室", self.nursing_room),
        )
        return tuple((label, value) for label, value in named if value is not None)


@dataclass(frozen=True)
class Place:
    """A registered venue. Events and groups name it by `id` (place: kawanami-plaza-2f)."""

    id: str
    name: str
    kana: str
    address: Address
    latitude: float | None = None  # WGS 84 decimal degrees
    longitude: float | None = None
    access: Access = Access()
    url: str | None = None
    rooms: tuple[str, ...] = ()  # when listed, an event's room must be one of them
    aliases: tuple[str, ...] = ()  # other names people write (つなぐば, 市民活動センター)
    line: int = 0  # where it starts in the register

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def map_url(self) -> str | None:
        """The position on openstreetmap.org (a link: no third-party map is embedded)."""
        if not self.has_position:
            return None
        lat, lon = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"

    def label(self, room: str | None) -> str:
        return f"{self.name} {room}" if room else self.name


def parse_address(text: str, prefecture: str, municipality: str) -> Address:
    """A one-off place's address as written (〒000-0002 川波市中央2-8-3) in parts: the postal code
    taken out, a prefecture and city at the start recognised, else the portal's own."""
    plain = unicodedata.normalize("NFKC", text).strip()
    postal = ""
    if match := _POSTAL_IN_TEXT_RE.search(plain):
        postal = f"{match.group(1)}-{match.group(2)}"
        plain = (plain[: match.start()] + plain[match.end() :]).strip()
    if (found := _PREFECTURE_RE.match(plain)) and found.group(1) != prefecture:
        # another prefecture: its city is the first name ending in 市・区・町・村
        prefecture, plain = found.group(1), plain[found.end() :].lstrip()
        city = _CITY_RE.match(plain)
        municipality = city.group(1) if city else ""
        plain = plain[city.end() :].lstrip() if city else plain
    else:
        plain = plain[found.end() :].lstrip() if found else plain
        if municipality and plain.startswith(municipality):
            plain = plain[len(municipality) :].lstrip()
    return Address(postal, prefecture, municipality, plain)
