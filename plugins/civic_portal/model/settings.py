"""The portal's settings as plain values: what the core is given, whatever engine reads them.

`config.py` (the MkDocs adapter) validates mkdocs.yml and builds one `Settings`; a second engine
would build the same object from its own configuration. Nothing here knows MkDocs.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from . import ActivityField, Area
from .news import NewsCategory

# The search index is built in parts of at most this many distinct tokens (summed page by page);
# Pagefind needs about 0.8 KB a token while it indexes, so a part about 250 MB.
PART_TOKENS = 300_000

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

NEWS_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("oshirase", "お知らせ"),
    ("josei", "助成金情報"),
    ("koza", "講座・イベント"),
    ("volunteer", "ボランティア募集"),
)


def municipality_code(code: str) -> str:
    """全国地方公共団体コード with its check digit: 13101 → 131016 (weights 6,5,4,3,2; mod 11)."""
    digits = code.strip()
    if len(digits) == 6 and digits.isdigit():
        if municipality_code(digits[:5]) != digits:
            raise ValueError(
                f"check digit of {digits} should be {municipality_code(digits[:5])[-1]}"
            )
        return digits
    if len(digits) != 5 or not digits.isdigit():
        raise ValueError(f"a municipality code has 5 digits (or 6 with the check digit): {code!r}")
    remainder = sum(int(d) * w for d, w in zip(digits, (6, 5, 4, 3, 2), strict=True)) % 11
    return digits + str((11 - remainder) % 10)


@dataclass(frozen=True)
class EventSettings:
    horizon_months: int = 12
    archive_months: int = 12
    list_days: int = 60
    week_start: str = "sunday"
    era: str = "western"
    municipality_code: str | None = None  # 6 digits, check digit included
    prefecture: str = ""
    municipality: str = ""


@dataclass(frozen=True)
class NewsSettings:
    dir: str = "news"
    categories: tuple[NewsCategory, ...] = tuple(NewsCategory(s, n) for s, n in NEWS_CATEGORIES)
    per_page: int = 10


@dataclass(frozen=True)
class NewsletterSettings:
    dir: str = "newsletters"
    pdf: bool = True
    pdf_on_serve: bool = False
    cache_dir: str = ".cache/civic"


@dataclass(frozen=True)
class FeedSettings:
    max_entries: int = 30
    author: str = ""  # the adapter fills in site_author or site_name


@dataclass(frozen=True)
class CmsSettings:
    """The web form at /admin/ (Decap CMS): where saving opens pull requests, and sign-in."""

    repo: str = ""  # owner/name on GitHub; empty: taken from edit_url
    branch: str = ""  # empty: taken from edit_url, else main
    base_url: str = ""  # the OAuth proxy a centre runs for GitHub sign-in (CONTRIBUTING.md)
    auth_endpoint: str = ""  # its path, when not the proxy's default "auth"
    site_domain: str = ""  # the Netlify site whose GitHub sign-in is used, when hosted elsewhere


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to know about one portal."""

    site_url: str  # absolute, ends with "/": feeds, UIDs and PDF links need it
    site_name: str
    root: Path  # the folder of the portal's configuration; groups_dir is relative to it
    docs_dir: Path
    groups_dir: str = "groups"
    places_file: str = "groups/places.yml"  # the venue register, relative to root
    image: str | None = None  # the site's default picture (docs_dir path) for structured data
    timezone: str = "Asia/Tokyo"
    edit_url: str | None = None
    fields: tuple[ActivityField, ...] = tuple(ActivityField(*f) for f in NPO_ACT_FIELDS)
    areas: tuple[Area, ...] = ()
    legal_forms: tuple[str, ...] = LEGAL_FORMS
    newest_groups: int = 6
    search_enabled: bool = True
    search_part_tokens: int = PART_TOKENS  # see outputs/search: a Pagefind run's memory
    events: EventSettings = field(default_factory=EventSettings)
    news: NewsSettings = field(default_factory=NewsSettings)
    newsletters: NewsletterSettings = field(default_factory=NewsletterSettings)
    feeds: FeedSettings = field(default_factory=FeedSettings)
    cms: CmsSettings = field(default_factory=CmsSettings)
    image_kb: int = 2048
    staff: tuple[str, ...] = ()
    staff_team: str | None = None
    markdown_extensions: tuple[
        object, ...
    ] = ()  # names or extension objects, as the engine has them
    markdown_configs: dict[str, dict[str, object]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.site_url.startswith(("http://", "https://")):
            raise SettingsError(
                "site_url",
                "フィードやカレンダーには絶対URLが必要です。site_url: https://（公開するアドレス）/ を書いてください",
            )
        zoneinfo.ZoneInfo(self.timezone)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def groups_path(self) -> Path:
        return self.root / self.groups_dir


class SettingsError(ValueError):
    """A setting the portal cannot work without (the message is for the centre, in Japanese)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key, self.message = key, message
