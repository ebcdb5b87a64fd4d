"""Typed configuration of the `civic` plugin, so mkdocs.yml mistakes read like MkDocs errors."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from .model import ActivityField, Area

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

# The 20 fields of the NPO Act (特定非営利活動促進法 別表), official wording and short form.
NPO_ACT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("fukushi", "保健、医療又は福祉の増進を図る活動", "保健・医療・福祉"),
    ("shakai-kyoiku", "社会教育の推進を図る活動", "社会教育"),
    ("machizukuri", "まちづくりの推進を図る活動", "まちづくり"),
    ("kanko", "観光の振興を図る活動", "観光"),
    ("nosanson", "農山漁村又は中山間地域の振興を図る活動", "農山漁村・中山間地域"),
    ("bunka", "学術、文化、芸術又はスポーツの振興を図る活動", "学術・文化・芸術・スポーツ"),
    ("kankyo", "環境の保全を図る活動", "環境の保全"),
    ("saigai", "災害救援活動", "災害救援"),
    ("chiiki-anzen", "地域安全活動", "地域安全"),
    ("jinken-heiwa", "人権の擁護又は平和の推進を図る活動", "人権・平和"),
    ("kokusai", "国際協力の活動", "国際協力"),
    ("danjo", "男女共同参画社会の形成の促進を図る活動", "男女共同参画社会"),
    ("kodomo", "子どもの健全育成を図る活動", "子どもの健全育成"),
    ("johoka", "情報化社会の発展を図る活動", "情報化社会"),
    ("kagaku", "科学技術の振興を図る活動", "科学技術の振興"),
    ("keizai", "経済活動の活性化を図る活動", "経済活動の活性化"),
    ("koyo", "職業能力の開発又は雇用機会の拡充を支援する活動", "職業能力・雇用機会"),
    ("shohisha", "消費者の保護を図る活動", "消費者の保護"),
    (
        "renraku",
        "前各号に掲げる活動を行う団体の運営又は活動に関する連絡、助言又は援助の活動",
        "連絡・助言・援助",
    ),
    (
        "jorei",
        "前各号に掲げる活動に準ずる活動として都道府県又は指定都市の条例で定める活動",
        "条例指定",
    ),
)

LEGAL_FORMS: tuple[str, ...] = (
    "NPO法人",
    "認定NPO法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "社会福祉法人",
    "任意団体",
    "自治会・町内会",
    "協同組合",
    "その他",
)


class FieldItem(base.Config):
    slug = c.Type(str)
    name = c.Type(str)
    short = c.Type(str)


class AreaItem(base.Config):
    slug = c.Type(str)
    name = c.Type(str)


class _UniqueSlugs(c.ListOfItems):
    """A list of {slug, …} items whose slugs are URL-safe and unique."""

    def run_validation(self, value: object) -> list[Any]:
        items = super().run_validation(value)
        seen: set[str] = set()
        for item in items:
            if not SLUG_RE.match(item.slug):
                raise ValidationError(f"slug '{item.slug}' must match {SLUG_RE.pattern}")
            if item.slug in seen:
                raise ValidationError(f"slug '{item.slug}' is listed twice")
            seen.add(item.slug)
        return items


class _TimeZone(c.Type):
    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        name = super().run_validation(value)
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
            raise ValidationError(f"unknown time zone '{name}'") from e
        return name


class SearchConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Build the Pagefind index after the site is written."""


class _MunicipalityCode(c.Type):
    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        from .render.opendata import municipality_code

        try:
            return municipality_code(super().run_validation(value))
        except ValueError as e:
            raise ValidationError(str(e)) from e


class EventsConfig(base.Config):
    horizon_months = c.Type(int, default=12)
    """How far ahead recurring schedules are expanded."""
    archive_months = c.Type(int, default=12)
    """How far back past occurrences stay in the per-month archive."""
    list_days = c.Type(int, default=60)
    """How many days ahead the /events/ list shows; later dates are in the month calendars."""
    week_start = c.Choice(("sunday", "monday"), default="sunday")
    era = c.Choice(("western", "reiwa", "both"), default="western")
    """Year style in dates: 2026年, 令和8年, or 令和8年（2026年）."""
    municipality_code = c.Optional(_MunicipalityCode())
    """全国地方公共団体コード, 5 digits (the check digit is added) or 6; names the open-data file."""
    prefecture = c.Type(str, default="")
    municipality = c.Type(str, default="")


class NewsConfig(base.Config):
    dir = c.Type(str, default="news")
    """Folder of news posts inside docs_dir."""
    categories = _UniqueSlugs(
        c.SubConfig(AreaItem),
        default=[
            {"slug": "oshirase", "name": "お知らせ"},
            {"slug": "josei", "name": "助成金情報"},
            {"slug": "koza", "name": "講座・イベント"},
            {"slug": "volunteer", "name": "ボランティア募集"},
        ],
    )
    per_page = c.Type(int, default=10)


class NewslettersConfig(base.Config):
    dir = c.Type(str, default="newsletters")
    """Folder of newsletter issues inside docs_dir (<id>.md each)."""
    pdf = c.Type(bool, default=True)
    """Write each issue's PDF into the archive on `mkdocs build` (needs WeasyPrint and a Japanese
    font); `mkdocs serve` skips them unless `pdf_on_serve` is set, so previews need neither."""
    pdf_on_serve = c.Type(bool, default=False)
    cache_dir = c.Type(str, default=".cache/civic")
    """Where rendered PDFs are kept by content hash (relative to mkdocs.yml): unchanged issues
    are not rendered again."""


class FeedsConfig(base.Config):
    max_entries = c.Type(int, default=30)
    """How many entries each RSS/Atom feed holds, newest first."""
    author = c.Optional(c.Type(str))
    """Feed author; defaults to site_author, then site_name."""


class LimitsConfig(base.Config):
    image_kb = c.Type(int, default=2048)
    """Largest logo a group may add (KB)."""


class CivicConfig(base.Config):
    groups_dir = c.Type(str, default="groups")
    """Folder of group files, relative to mkdocs.yml."""
    timezone = _TimeZone(default="Asia/Tokyo")
    edit_url = c.Optional(c.Type(str))
    """Prefix for "edit this page" links to group files, e.g.
    https://github.com/OWNER/REPO/edit/main/ (the file path is appended)."""
    fields = _UniqueSlugs(
        c.SubConfig(FieldItem),
        default=[{"slug": s, "name": n, "short": sh} for s, n, sh in NPO_ACT_FIELDS],
    )
    areas = _UniqueSlugs(c.SubConfig(AreaItem), default=[])
    legal_forms = c.ListOfItems(c.Type(str), default=list(LEGAL_FORMS))
    newest_groups = c.Type(int, default=6)
    """How many newly added groups the home page shows."""
    search = c.SubConfig(SearchConfig)
    events = c.SubConfig(EventsConfig)
    news = c.SubConfig(NewsConfig)
    newsletters = c.SubConfig(NewslettersConfig)
    limits = c.SubConfig(LimitsConfig)
    staff = c.ListOfItems(c.Type(str), default=[])
    """GitHub user names of the centre's staff: they may change any file."""
    staff_team = c.Optional(c.Type(str))
    """A GitHub team (@org/team) that owns every group file in CODEOWNERS."""
    feeds = c.SubConfig(FeedsConfig)

    def activity_fields(self) -> tuple[ActivityField, ...]:
        return tuple(ActivityField(f.slug, f.name, f.short) for f in self.fields)

    def area_list(self) -> tuple[Area, ...]:
        return tuple(Area(a.slug, a.name) for a in self.areas)
