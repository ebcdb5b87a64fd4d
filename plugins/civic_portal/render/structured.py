"""schema.org structured data (JSON-LD) as plain dicts; templates serialise them with tojson."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from ..model import Group
from ..pages.urls import logo_src

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
