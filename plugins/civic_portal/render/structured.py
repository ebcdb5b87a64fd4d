"""schema.org structured data (JSON-LD) as plain dicts; templates serialise them with tojson."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin

from ..model import Group
from ..model.events import Occurrence
from ..urls import group_url, logo_src

_NGO_FORMS = ("NPO法人", "認定NPO法人")


def organization(group: Group, site_url: str | None, page_url: str) -> dict[str, Any]:
    """An Organization (NGO for NPO法人) with name, url, logo, description and sameAs."""
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


def _when(value: dt.date | dt.datetime) -> str:
    return value.isoformat()  # aware datetimes carry +09:00; all-day stays a plain date


def event_ld(
    occurrences: Sequence[Occurrence],
    group: Group,
    site_url: str | None,
    page_url: str,
    locality: str = "",
) -> list[dict[str, Any]]:
    """schema.org Event objects, one per listed occurrence (as Google's Event results expect).

    A Place needs an address: the event's, else the group's published one; `locality` (the
    municipality) completes it.
    """
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
                if e.online_url and not e.place
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
        locations: list[dict[str, Any]] = []
        street = e.address or (group.contact.address if not e.online_url or e.place else None)
        if e.place or street:
            address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "JP"}
            if street:
                address["streetAddress"] = street
            if locality:
                address["addressLocality"] = locality
            locations.append({"@type": "Place", "name": e.place or street, "address": address})
        if e.online_url:
            locations.append({"@type": "VirtualLocation", "url": e.online_url})
        if locations:
            data["location"] = locations[0] if len(locations) == 1 else locations
        if site_url:
            data["url"] = urljoin(site_url, page_url)
            data["organizer"]["url"] = urljoin(site_url, group_url(group.slug))
        if e.fee_yen is not None:
            offer: dict[str, Any] = {"@type": "Offer", "price": e.fee_yen, "priceCurrency": "JPY"}
            if e.apply_url or site_url:
                offer["url"] = e.apply_url or urljoin(site_url or "", page_url)
            offer["availability"] = "https://schema.org/InStock"
            data["offers"] = offer
        out.append(data)
    return out
