"""Checks of single group-file values (kana, fields, contact, links, logo, ...), with lines."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

from ..model import Contact, Link, Recruit
from .checks import Checker, image_problem
from .frontmatter import INVALID
from .group_contract import (
    _GITHUB_USER_RE,
    _KANA_RE,
    CONTACT_KEYS,
    IMAGE_SUFFIXES,
    LINK_KINDS,
    LOGO_RE,
    MAX_ITEMS,
    MAX_LENGTH,
    MESSAGES,
    PRIVATE_KEYS,
    RECRUIT_KEYS,
)


def _kana(check: Checker, value: Any) -> str | None:
    text = check.text(value, ("kana",), max_length=MAX_LENGTH["kana"])
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text)
    if not _KANA_RE.match(text):
        bad = sorted({ch for ch in text if not _KANA_RE.match(ch)})
        check.report(
            ("kana",),
            MESSAGES["kana"] + f"（使えない文字: {' '.join(bad)}）",
        )
        return None
    return text


def _choices(
    check: Checker,
    value: Any,
    path: tuple[str],
    choices: dict[str, Any],
    label: str,
    min_items: int,
    max_items: int,
) -> tuple[Any, ...]:
    if isinstance(value, str):  # a single field written without brackets is what people mean
        value = [value]
    found: list[Any] = []
    for i, item in enumerate(check.listing(value, path, min_items=min_items, max_items=max_items)):
        choice = check.choice(item, (*path, i), choices, label)
        if choice is None:
            continue
        if choice in found:
            check.report((*path, i), f"「{item}」が2回書かれています")
            continue
        found.append(choice)
    return tuple(found)


def _founded(check: Checker, value: Any, today: dt.date) -> int | dt.date | None:
    if value is None or value is INVALID:
        return None
    if isinstance(value, dt.date):
        if value > today:
            check.report(("founded",), "設立日が未来の日付になっています")
            return None
        return value.date() if isinstance(value, dt.datetime) else value
    if isinstance(value, int) and not isinstance(value, bool):
        return check.integer(value, ("founded",), minimum=1868, maximum=today.year)
    if isinstance(value, str) and any(sep in value for sep in "-/月"):
        return check.date(value, ("founded",))
    check.report(
        ("founded",),
        f"設立は 2015 のような西暦の年か、2015-04-01 のような日付で書いてください（今は「{value}」）",
    )
    return None


def _contact(check: Checker, value: Any) -> Contact:
    """Published contact details. `contact.private` (for the centre only) is checked, then
    dropped here, so no later stage can publish it."""
    data = check.mapping(value, ("contact",), CONTACT_KEYS) if value is not None else None
    if not data:
        return Contact()
    private = data.get("private")
    if private is not None and check.mapping(private, ("contact", "private"), PRIVATE_KEYS):
        for key in PRIVATE_KEYS:
            check.text(
                private.get(key),
                ("contact", "private", key),
                max_length=MAX_LENGTH["private"],
                single_line=False,
            )
    return Contact(
        email=check.email(data.get("email"), ("contact", "email")),
        phone=check.phone(data.get("phone"), ("contact", "phone")),
        url=check.url(data.get("url"), ("contact", "url")),
        address=check.text(
            data.get("address"), ("contact", "address"), max_length=MAX_LENGTH["address"]
        ),
        person=check.text(
            data.get("person"), ("contact", "person"), max_length=MAX_LENGTH["person"]
        ),
    )


def _links(check: Checker, value: Any) -> tuple[Link, ...]:
    kinds = dict(LINK_KINDS)
    data = check.mapping(value, ("links",), kinds) if value is not None else None
    if not data:
        return ()
    links = []
    for kind, label in LINK_KINDS:
        url = check.url(data.get(kind), ("links", kind))
        if url:
            links.append(Link(kind, label, url))
    return tuple(links)


def _recruiting(check: Checker, value: Any) -> tuple[Recruit, ...]:
    out = []
    for i, item in enumerate(
        check.listing(value, ("recruiting",), max_items=MAX_ITEMS["recruiting"])
    ):
        data = check.mapping(item, ("recruiting", i), RECRUIT_KEYS, ("title",))
        if not data:
            continue
        title = check.text(
            data.get("title"), ("recruiting", i, "title"), max_length=MAX_LENGTH["recruit_title"]
        )
        detail = check.text(
            data.get("detail"),
            ("recruiting", i, "detail"),
            max_length=MAX_LENGTH["recruit_detail"],
            single_line=False,
        )
        until = check.date(data.get("until"), ("recruiting", i, "until"))
        if title:
            out.append(Recruit(title, detail, until))
    return tuple(out)


def _logo(
    check: Checker, value: Any, images_dir: Path, max_bytes: int
) -> tuple[str | None, str | None]:
    text = check.text(value, ("logo",), max_length=MAX_LENGTH["logo"])
    if text is None:
        return None, None
    name = text.removeprefix("images/")
    if not name.lower().endswith(IMAGE_SUFFIXES):
        check.report(("logo",), "ロゴに使える画像は PNG・JPEG・WebP・GIF です（SVG は使えません）")
        return None, None
    if not LOGO_RE.match(text):
        check.report(("logo",), MESSAGES["logo"])
        return None, None
    path = images_dir / name
    problem = image_problem(path, f"groups/images/{name}", max_bytes, decode=True)
    if problem:
        check.report(("logo",), problem)
        return None, None
    return name, str(path.resolve())


def _maintainers(check: Checker, value: Any) -> tuple[str, ...]:
    users: list[str] = []
    if isinstance(value, str):
        value = [value]
    for i, item in enumerate(
        check.listing(value, ("maintainers",), max_items=MAX_ITEMS["maintainers"])
    ):
        user = check.text(item, ("maintainers", i), max_length=39)
        if user is None:
            continue
        user = user.removeprefix("@")
        if not _GITHUB_USER_RE.match(user):
            check.report(("maintainers", i), MESSAGES["github_user"] + f"（今は「{user}」）")
            continue
        users.append(user)
    return tuple(users)
