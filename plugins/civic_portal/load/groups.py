"""Read and validate group files (groups/<slug>.md) into `Group` objects, all problems at once."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..model import ActivityField, Area, Contact, Group, Link, Problem, Recruit
from .checks import Checker, looks_like_image
from .events import load_events
from .frontmatter import INVALID, FrontMatterError, parse

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
# Generated pages live beside group pages under /groups/; a group may not take their names.
RESERVED_SLUGS = frozenset(
    {"index", "fields", "areas", "inactive", "images", "search", "feed", "events", "schema"}
)
_KANA_RE = re.compile(r"^[\u3041-\u3096\u309b-\u309f\u30a1-\u30ff\u3000 ]+$")
_GITHUB_USER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
MAX_FILE_BYTES = 256 * 1024

LINK_KINDS: tuple[tuple[str, str], ...] = (
    ("x", "X（旧Twitter）"),
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("line", "LINE"),
    ("youtube", "YouTube"),
    ("blog", "ブログ"),
)
CONTACT_KEYS = ("email", "phone", "url", "address", "person", "private")
PRIVATE_KEYS = ("person", "phone", "email", "address", "note")
RECRUIT_KEYS = ("title", "detail", "until")
STATUSES = {"active": "active", "inactive": "inactive"}

# The public contract of a group file: key → Japanese description. Order is the documented order.
GROUP_KEYS: dict[str, str] = {
    "name": "団体名",
    "kana": "団体名の読みがな（ひらがな・カタカナ）",
    "summary": "団体の紹介（1行・120文字以内）",
    "fields": "活動分野（1〜3つ）",
    "areas": "活動地区",
    "tags": "キーワード",
    "legal_form": "法人格",
    "founded": "設立年または設立日",
    "members": "会員数",
    "activity": "活動日時",
    "place": "活動場所",
    "contact": "連絡先（email, phone, url, address, person）",
    "links": "SNS・ウェブサイト（x, instagram, facebook, line, youtube, blog）",
    "recruiting": "ボランティア・会員募集（title, detail, until）",
    "logo": "ロゴ画像（groups/images/ の中のファイル）",
    "maintainers": "このページを編集できる GitHub ユーザー名",
    "status": "活動状況（active または inactive）",
    "events": "イベント",
}
REQUIRED_KEYS = ("name", "kana", "summary", "fields")

# Length limits, shared by the loader and the published JSON Schema (load/schema.py).
MAX_LENGTH = {
    "name": 100,
    "kana": 200,
    "summary": 120,
    "tag": 30,
    "activity": 200,
    "place": 200,
    "address": 200,
    "person": 100,
    "recruit_title": 100,
    "recruit_detail": 1000,
    "logo": 200,
    "private": 1000,
}
MAX_ITEMS = {"tags": 10, "recruiting": 20, "maintainers": 20, "areas": 10}


@dataclass(frozen=True)
class Vocabulary:
    """The configured lists a group file is checked against."""

    fields: tuple[ActivityField, ...]
    areas: tuple[Area, ...]
    legal_forms: tuple[str, ...]
    today: dt.date
    image_bytes: int = 2 * 1024 * 1024

    def field_choices(self) -> dict[str, ActivityField]:
        choices: dict[str, ActivityField] = {}
        for f in self.fields:
            for spelling in (f.short, f.name, f.slug):
                choices[unicodedata.normalize("NFKC", spelling)] = f
        return choices

    def area_choices(self) -> dict[str, Area]:
        choices: dict[str, Area] = {}
        for a in self.areas:
            for spelling in (a.name, a.slug):
                choices[unicodedata.normalize("NFKC", spelling)] = a
        return choices


def group_files(groups_dir: Path) -> list[Path]:
    """Every Markdown file in the groups folder, except its README, in a stable order."""
    if not groups_dir.is_dir():
        return []
    return sorted(
        p
        for p in groups_dir.iterdir()
        if p.suffix.lower() in (".md", ".markdown") and p.name.lower() != "readme.md"
    )


def load_groups(
    paths: Sequence[Path],
    root: Path,
    vocabulary: Vocabulary,
    images_dir: Path,
    history: dict[str, tuple[dt.datetime, dt.datetime]] | None = None,
) -> tuple[list[Group], list[Problem]]:
    """Load every group file; return the valid groups and every problem found."""
    groups: list[Group] = []
    problems: list[Problem] = []
    by_slug: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for path in paths:
        rel = relative_path(path, root)
        group, found, name_line = load_group(path, rel, vocabulary, images_dir)
        problems += found
        if group is None:
            continue
        if group.slug in by_slug:
            problems.append(
                Problem(
                    rel,
                    1,
                    "slug",
                    f"団体のURL名「{group.slug}」が {by_slug[group.slug]} と重複しています",
                )
            )
            continue
        name_key = unicodedata.normalize("NFKC", group.name)
        if name_key in by_name:
            problems.append(
                Problem(rel, name_line, "name", f"同じ団体名が {by_name[name_key]} にもあります")
            )
            continue
        by_slug[group.slug], by_name[name_key] = rel, rel
        if history is not None and rel in history:
            group = replace(group, added=history[rel][0], changed=history[rel][1])
        groups.append(group)
    groups.sort(key=lambda g: g.sort_key)
    return groups, problems


def load_group(
    path: Path, rel: str, vocabulary: Vocabulary, images_dir: Path
) -> tuple[Group | None, list[Problem], int]:
    """Read one group file. Returns (group or None, problems, line of `name`)."""
    slug = path.stem
    problems = _file_name_problems(rel, slug)

    def unreadable(line: int, key: str, message: str) -> tuple[None, list[Problem], int]:
        return None, [*problems, Problem(rel, line, key, message)], 1

    try:
        raw = path.read_bytes()
    except OSError as e:
        return unreadable(1, "file", f"ファイルを読めません（{e.strerror}）")
    if len(raw) > MAX_FILE_BYTES:
        return unreadable(
            1,
            "file",
            f"ファイルが大きすぎます（{len(raw) // 1024} KB）。{MAX_FILE_BYTES // 1024} KB 以内にしてください",
        )
    if b"\x00" in raw:
        return unreadable(
            1, "file", "ファイルに NUL 文字が含まれています。テキストとして保存し直してください"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return unreadable(
            line, "file", "文字コードを UTF-8 にして保存してください（Shift_JIS などは読めません）"
        )
    try:
        doc = parse(text.replace("\r\n", "\n").replace("\r", "\n"))
    except FrontMatterError as e:
        return unreadable(e.line, e.key, e.message)

    check = Checker(rel, doc)
    data = check.mapping(doc.data, (), GROUP_KEYS, REQUIRED_KEYS) or {}
    name = check.text(data.get("name"), ("name",), max_length=MAX_LENGTH["name"])
    kana = _kana(check, data.get("kana"))
    summary = check.text(data.get("summary"), ("summary",), max_length=MAX_LENGTH["summary"])
    fields = _choices(
        check, data.get("fields"), ("fields",), vocabulary.field_choices(), "活動分野", 1, 3
    )
    areas = _choices(
        check,
        data.get("areas"),
        ("areas",),
        vocabulary.area_choices(),
        "地区",
        0,
        MAX_ITEMS["areas"],
    )
    tags = tuple(
        t
        for i, v in enumerate(
            check.listing(data.get("tags"), ("tags",), max_items=MAX_ITEMS["tags"])
        )
        if (t := check.text(v, ("tags", i), max_length=MAX_LENGTH["tag"]))
    )
    legal_form = (
        check.choice(
            data.get("legal_form"),
            ("legal_form",),
            {f: f for f in vocabulary.legal_forms},
            "法人格",
        )
        if data.get("legal_form") is not None
        else None
    )
    founded = _founded(check, data.get("founded"), vocabulary.today)
    members = check.integer(data.get("members"), ("members",), minimum=0, maximum=10_000_000)
    activity = check.text(data.get("activity"), ("activity",), max_length=MAX_LENGTH["activity"])
    place = check.text(data.get("place"), ("place",), max_length=MAX_LENGTH["place"])
    contact = _contact(check, data.get("contact"))
    links = _links(check, data.get("links"))
    recruiting = _recruiting(check, data.get("recruiting"))
    logo, logo_source = _logo(check, data.get("logo"), images_dir, vocabulary.image_bytes)
    maintainers = _maintainers(check, data.get("maintainers"))
    status = (
        check.choice(data.get("status"), ("status",), STATUSES, "活動状況")
        if data.get("status") is not None
        else "active"
    )
    events = load_events(check, data.get("events"), slug)

    problems += check.problems
    name_line = doc.line("name")
    if problems or not (name and kana and summary and fields and status):
        return None, problems, name_line
    return (
        Group(
            slug=slug,
            source=rel,
            name=name,
            kana=kana,
            summary=summary,
            fields=fields,
            body=doc.body,
            body_line=doc.body_line,
            areas=areas,
            tags=tags,
            legal_form=legal_form,
            founded=founded,
            members=members,
            activity=activity,
            place=place,
            contact=contact,
            links=links,
            recruiting=recruiting,
            logo=logo,
            logo_source=logo_source,
            maintainers=maintainers,
            status=status,
            events=tuple(
                replace(e, fields=tuple(f.slug for f in fields), areas=tuple(a.slug for a in areas))
                for e in events
            ),
        ),
        [],
        name_line,
    )


def relative_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _file_name_problems(rel: str, slug: str) -> list[Problem]:
    if not slug.isascii():
        return [
            Problem(
                rel,
                1,
                "file",
                "ファイル名に日本語や全角文字は使えません。英小文字・数字・ハイフンで kodomo-salon.md のように付けてください",
            )
        ]
    if not SLUG_RE.match(slug):
        return [
            Problem(
                rel,
                1,
                "file",
                f"ファイル名「{slug}」は使えません。英小文字・数字・ハイフン（2〜63文字、先頭は英数字）で kodomo-salon.md のように付けてください",
            )
        ]
    if slug in RESERVED_SLUGS:
        return [
            Problem(
                rel,
                1,
                "file",
                f"「{slug}」はサイトが使う名前なので、ファイル名にできません。団体名がわかる別の名前にしてください",
            )
        ]
    return []


def _kana(check: Checker, value: Any) -> str | None:
    text = check.text(value, ("kana",), max_length=MAX_LENGTH["kana"])
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text)
    if not _KANA_RE.match(text):
        bad = sorted({ch for ch in text if not _KANA_RE.match(ch)})
        check.report(
            ("kana",),
            f"読みがなは ひらがな か カタカナ で書いてください（使えない文字: {' '.join(bad)}）",
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
    if "/" in name or "\\" in name or name.startswith(".") or not name.isascii():
        check.report(
            ("logo",),
            "ロゴは groups/images/ に置いた画像を images/logo.png のように書いてください（フォルダの移動や日本語のファイル名は使えません）",
        )
        return None, None
    if not name.lower().endswith(IMAGE_SUFFIXES):
        check.report(("logo",), "ロゴに使える画像は PNG・JPEG・WebP・GIF です（SVG は使えません）")
        return None, None
    path = images_dir / name
    if path.is_symlink() or not path.is_file():
        check.report(
            ("logo",),
            f"画像 groups/images/{name} が見つかりません。ファイルを追加したか、名前の綴りを確かめてください",
        )
        return None, None
    size = path.stat().st_size
    if size > max_bytes:
        check.report(
            ("logo",),
            f"画像が大きすぎます（{size // 1024} KB）。{max_bytes // 1024} KB 以内にしてください",
        )
        return None, None
    if not looks_like_image(path):
        check.report(("logo",), "画像ファイルの中身が PNG・JPEG・WebP・GIF ではありません")
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
            check.report(
                ("maintainers", i),
                f"GitHub のユーザー名（英数字とハイフン）を書いてください（今は「{user}」）",
            )
            continue
        users.append(user)
    return tuple(users)
