"""render/structured.py on hand-made groups and occurrences: schema.org JSON-LD."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civic_portal.model import Contact, Link
from civic_portal.model.events import Occurrence
from civic_portal.model.places import Access, Address, Place, parse_address
from civic_portal.render.structured import event_ld, organization

from ..conftest import SITE_URL, TOKYO, make_event, make_group

GROUP = make_group(
    legal_form="NPO法人",
    founded=2015,
    logo="hidamari.png",
    contact=Contact(
        email="info@hidamari.example.jp",
        phone="0120-000-000",
        url="https://hidamari.example.jp/",
        address="川波市中央1-2-3",
    ),
    links=(Link("instagram", "Instagram", "https://instagram.com/hidamari"),),
)
PAGE = "events/hidamari-salon/"
SALON = make_event(
    "hidamari-salon",
    rule="FREQ=WEEKLY;BYDAY=TU",
    cancelled_dates=(dt.date(2026, 12, 8),),
    place="商店街の空き店舗",
    address="川波市中央2-3-4",
    where=parse_address("〒000-0002 川波市中央2-3-4", "川波県", "川波市"),
    fee="300円",
    description="親子で遊べるサロンです。",
)
TODAY = dt.date(2026, 11, 21)
IMAGE = "https://portal.example.jp/groups/images/hidamari.png"
HALL = Place(
    "chuo-kominkan",
    "中央公民館",
    "ちゅうおうこうみんかん",
    Address("000-0001", "川波県", "川波市", "中央1-2-3", "2階"),
    latitude=35.4452,
    longitude=139.3301,
    access=Access(transit="川波駅から徒歩5分", wheelchair=True),
)


def _ld(occurrences: list[Occurrence], site_url: str | None = SITE_URL) -> list[dict]:
    return event_ld(occurrences, GROUP, site_url, PAGE, IMAGE, TODAY)


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, 0, tzinfo=TOKYO)


def test_organization_of_an_npo() -> None:
    data = organization(GROUP, SITE_URL, "groups/hidamari/")
    assert data == {
        "@context": "https://schema.org",
        "@type": "NGO",
        "name": "ひだまりサロン",
        "alternateName": "ひだまりさろん",
        "description": "子育て中の親子が集まるサロンです。",
        "url": "https://portal.example.jp/groups/hidamari/",
        "logo": "https://portal.example.jp/groups/images/hidamari.png",
        "telephone": "0120-000-000",
        "email": "info@hidamari.example.jp",
        "foundingDate": "2015",
        "sameAs": ["https://hidamari.example.jp/", "https://instagram.com/hidamari"],
        "contactPoint": {
            "@type": "ContactPoint",
            "contactType": "問い合わせ",
            "email": "info@hidamari.example.jp",
            "telephone": "0120-000-000",
        },
    }
    json.dumps(data)  # what the template serialises


def test_organization_with_little_to_say() -> None:
    plain = make_group(legal_form="任意団体", contact=Contact())
    data = organization(plain, None, "groups/hidamari/")
    assert data["@type"] == "Organization"
    assert {"@context", "@type", "name", "description"} <= set(data)
    for key in ("url", "logo", "sameAs", "contactPoint", "foundingDate", "address", "email"):
        assert key not in data
    founded = organization(make_group(founded=dt.date(2015, 4, 1)), SITE_URL, "groups/hidamari/")
    assert founded["foundingDate"] == "2015-04-01"


def test_a_timed_event_has_dates_with_offset_place_and_offer() -> None:
    [data] = _ld([Occurrence(SALON, _at(1, 10), _at(1, 15))])
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "親子ふれあいサロン"
    assert data["startDate"] == "2026-12-01T10:00:00+09:00"
    assert data["endDate"] == "2026-12-01T15:00:00+09:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["description"] == "親子で遊べるサロンです。"
    assert data["url"] == "https://portal.example.jp/events/hidamari-salon/"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "ひだまりサロン",
        "url": "https://portal.example.jp/groups/hidamari/",
    }
    assert data["location"] == {
        "@type": "Place",
        "name": "商店街の空き店舗",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "JP",
            "postalCode": "000-0002",
            "addressRegion": "川波県",
            "addressLocality": "川波市",
            "streetAddress": "中央2-3-4",
        },
    }
    assert data["image"] == [IMAGE]
    assert data["offers"] == {
        "@type": "Offer",
        "price": 300,
        "priceCurrency": "JPY",
        "url": "https://portal.example.jp/events/hidamari-salon/",
        "availability": "https://schema.org/InStock",
    }
    json.dumps(data)


def test_one_object_per_occurrence_and_a_cancelled_date_says_so() -> None:
    listed = [
        Occurrence(SALON, _at(1, 10), _at(1, 15)),
        Occurrence(SALON, _at(8, 10), _at(8, 15)),
        Occurrence(SALON, _at(15, 10), _at(15, 15)),
    ]
    found = _ld(listed)
    assert [d["startDate"][:10] for d in found] == ["2026-12-01", "2026-12-08", "2026-12-15"]
    assert [d["eventStatus"].rsplit("/", 1)[1] for d in found] == [
        "EventScheduled",
        "EventCancelled",
        "EventScheduled",
    ]
    assert ["offers" in d for d in found] == [True, False, True], "no offer on a cancelled date"


@pytest.mark.parametrize(
    ("status", "schema"),
    [
        ("cancelled", "EventCancelled"),
        ("postponed", "EventPostponed"),
        ("online", "EventMovedOnline"),
    ],
)
def test_event_status(status: str, schema: str) -> None:
    event = make_event(status=status)
    [data] = _ld([Occurrence(event, _at(1, 10), None)])
    assert data["eventStatus"] == f"https://schema.org/{schema}"
    assert "endDate" not in data


def test_an_all_day_event_keeps_plain_dates_with_an_inclusive_end() -> None:
    event = make_event(start=dt.date(2027, 1, 16), end=dt.date(2027, 1, 18), place="ギャラリー")
    occurrence = Occurrence(event, dt.date(2027, 1, 16), dt.date(2027, 1, 18))
    [data] = _ld([occurrence])
    assert (data["startDate"], data["endDate"]) == ("2027-01-16", "2027-01-18")
    # No address written: none is guessed from the group's.
    assert data["location"] == {"@type": "Place", "name": "ギャラリー"}
    assert "offers" not in data  # no fee written


def test_online_and_mixed_events() -> None:
    online = make_event(online_url="https://meet.example.jp/x", fee="無料")
    [data] = _ld([Occurrence(online, _at(1, 20), None)], None)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    # Online only: no Place, and not the group's address either.
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.jp/x"}
    assert data["offers"]["price"] == 0 and "url" not in data["offers"]
    assert "url" not in data and "url" not in data["organizer"]
    mixed = make_event(online_url="https://meet.example.jp/x", place="公民館")
    [data] = _ld([Occurrence(mixed, _at(1, 20), None)])
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [loc["@type"] for loc in data["location"]] == ["Place", "VirtualLocation"]


def test_a_registered_venue_gives_a_complete_place_with_its_position() -> None:
    event = make_event(place="chuo-kominkan", venue=HALL, room="会議室A", where=HALL.address)
    [data] = _ld([Occurrence(event, _at(1, 10), None)])
    assert data["location"] == {
        "@type": "Place",
        "name": "中央公民館 会議室A",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "JP",
            "postalCode": "000-0001",
            "addressRegion": "川波県",
            "addressLocality": "川波市",
            "streetAddress": "中央1-2-3 2階",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 35.4452, "longitude": 139.3301},
        "url": "https://portal.example.jp/places/chuo-kominkan/",
    }


def test_offers_only_where_they_mean_something() -> None:
    cancelled = make_event(status="cancelled", fee="500円")
    assert "offers" not in _ld([Occurrence(cancelled, _at(1, 10), None)])[0]
    postponed = make_event(status="postponed", fee="500円")
    assert "offers" not in _ld([Occurrence(postponed, _at(1, 10), None)])[0]
    closed = make_event(fee="500円", apply_until=dt.date(2026, 11, 20))
    offer = _ld([Occurrence(closed, _at(1, 10), None)])[0]["offers"]
    assert offer["validThrough"] == "2026-11-20" and "availability" not in offer
    free = make_event()
    assert "offers" not in _ld([Occurrence(free, _at(1, 10), None)])[0], "no fee written"


def test_an_organization_based_at_a_venue_has_its_address() -> None:
    based = make_group(place="chuo-kominkan", venue=HALL, room="和室")
    data = organization(based, SITE_URL, "groups/hidamari/")
    assert data["address"]["streetAddress"] == "中央1-2-3 2階"
    assert data["address"]["postalCode"] == "000-0001"
    assert data["location"]["name"] == "中央公民館 和室"
