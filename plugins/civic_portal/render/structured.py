"""schema.org structured data (JSON-LD) as plain dicts; templates serialise them with tojson."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin

from ..model import Group
from ..model.events import Event, Occurrence
from ..model.places import Address, Place
from ..urls import group_url, logo_src, place_url

_NGO_FORMS = ("NPO法人", "認定NPO法人")


def postal_address(address: Address) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "JP"}
    for key, value in (
        ("postalCode", address.postal_code),
        ("addressRegion", address.prefecture),
        ("addressLocality", address.municipality),
        ("streetAddress", " ".join(p for p in (address.street, address.building) if p)),
    ):
        if value:
            data[key] = value
    return data


def place_ld(
    place: Place, site_url: str | None, room: str | None = None, *, context: bool = False
) -> dict[str, Any]:
    """A registered venue as a schema.org Place with its address and position."""
    data: dict[str, Any] = {"@context": "https://schema.org"} if context else {}
    data.update({"@type": "Place", "name": place.label(room)})
    data["address"] = postal_address(place.address)
    if place.has_position:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    if site_url:
        data["url"] = urljoin(site_url, place_url(place.id))
    if place.url:
        data["sameAs"] = place.url
    return data


def organization(
    group: Group, site_url: str | None, page_url: str, image: str | None = None
) -> dict[str, Any]:
    """An Organization (NGO for NPO法人) with name, url, logo, description, address (its base
    venue's), telephone, email and sameAs: what the group published, nothing more."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NGO" if group.legal_form in _NGO_FORMS else "Organization",
        "name": group.name,
        "alternateName": group.kana,
        "description": group.summary,
    }
    if site_url:
        data["url"] = urljoin(site_url, page_url)
        if group.logo:
            data["logo"] = urljoin(site_url, logo_src(group.logo))
    if group.venue is not None:
        data["address"] = postal_address(group.venue.address)
        data["location"] = place_ld(group.venue, site_url, group.room)
    if group.contact.phone:
        data["telephone"] = group.contact.phone
    if group.contact.email:
        data["email"] = group.contact.email
    if group.founded is not None:
        data["foundingDate"] = str(group.founded)
    same_as = [link.url for link in group.links]
    if group.contact.url:
        same_as.insert(0, group.contact.url)
    if same_as:
        data["sameAs"] = same_as
    if group.contact.email or group.contact.phone:
        point: dict[str, Any] = {"@type": "ContactPoint", "contactType": "問い合わせ"}
        if group.contact.email:
            point["email"] = group.contact.email
        if group.contact.phone:
            point["telephone"] = group.contact.phone
        data["contactPoint"] = point
    return data


_EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "online": "https://schema.org/EventMovedOnline",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}
_OPEN = ("scheduled", "online")  # the statuses under which an offer means something


def _when(value: dt.date | dt.datetime) -> str:
    return value.isoformat()  # aware datetimes carry +09:00; all-day stays a plain date


def _location(e: Event, group: Group, site_url: str | None) -> list[dict[str, Any]]:
    """A registered venue with its address and position; a one-off place with the address the
    group wrote; the online room. An event that names no place at all is held at the group's
    base venue, if it has one."""
    found: list[dict[str, Any]] = []
    if e.venue is not None:
        found.append(place_ld(e.venue, site_url, e.room))
    elif e.place or e.address:
        # a one-off place: the address as the group wrote it (no guess from elsewhere: a wrong
        # address is worse than none)
        where = e.where or (Address(street=e.address) if e.address else None)
        place: dict[str, Any] = {"@type": "Place", "name": e.place or str(where)}
        if where:
            place["address"] = postal_address(where)
        found.append(place)
    elif not e.online_url and group.venue is not None:
        found.append(place_ld(group.venue, site_url, group.room))
    if e.online_url:
        found.append({"@type": "VirtualLocation", "url": e.online_url})
    return found


def event_ld(
    occurrences: Sequence[Occurrence],
    group: Group,
    site_url: str | None,
    page_url: str,
    image: str | None,
    today: dt.date,
) -> list[dict[str, Any]]:
    """schema.org Event objects, one per listed occurrence (as Google's Event results expect).
    `image`: the group's logo or the site's picture, absolute."""
    out = []
    for o in occurrences:
        e = o.event
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": e.title,
            "startDate": _when(o.start),
            "eventStatus": _EVENT_STATUS[o.status],
            "eventAttendanceMode": "https://schema.org/"
            + (
                "OnlineEventAttendanceMode"
                if e.online_url and not e.in_person
                else "MixedEventAttendanceMode"
                if e.online_url
                else "OfflineEventAttendanceMode"
            ),
            "organizer": {"@type": "Organization", "name": group.name},
        }
        if o.end is not None:
            data["endDate"] = _when(o.end)  # all-day end is inclusive, as schema.org wants
        if e.description:
            data["description"] = e.description
        locations = _location(e, group, site_url)
        if locations:
            data["location"] = locations[0] if len(locations) == 1 else locations
        if image:
            data["image"] = [image]
        if site_url:
            data["url"] = urljoin(site_url, page_url)
            data["organizer"]["url"] = urljoin(site_url, group_url(group.slug))
        if e.fee_yen is not None and o.status in _OPEN:
            offer: dict[str, Any] = {"@type": "Offer", "price": e.fee_yen, "priceCurrency": "JPY"}
            if e.apply_url or site_url:
                offer["url"] = e.apply_url or urljoin(site_url or "", page_url)
            if e.apply_until is not None:
                offer["validThrough"] = e.apply_until.isoformat()
            if e.apply_until is None or e.apply_until >= today:
                offer["availability"] = "https://schema.org/InStock"
            data["offers"] = offer
        out.append(data)
    return out
