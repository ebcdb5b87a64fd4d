"""Typed configuration of the `civic` plugin, so mkdocs.yml mistakes read like MkDocs errors."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from .load.group_contract import SLUG_RE
from .model import ActivityField, Area
from .model.news import NewsCategory
from .model.settings import (
    LEGAL_FORMS,
    NEWS_CATEGORIES,
    NPO_ACT_FIELDS,
    PART_TOKENS,
    CmsSettings,
    EventSettings,
    FeedSettings,
    NewsletterSettings,
    NewsSettings,
    Settings,
    municipality_code,
)


# The 20 fields of the NPO Act (特定非営利活動促進法 別表), official wording and short form.
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


class _AtLeast(c.Type):
    def __init__(self, minimum: int, default: int) -> None:
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if isinstance(number, bool) or number < self.minimum:
            raise ValidationError(f"must be a whole number of at least {self.minimum}")
        return number


class SearchConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Build the Pagefind index after the site is written."""
    part_tokens = _AtLeast(1000, default=PART_TOKENS)
    """The index is built in parts of at most this many distinct tokens (summed page by page),
    one Pagefind run after another: a run's memory is about 0.8 KB a token, so the default
    part needs about 250 MB. Lower it on a machine with little memory; more parts cost a
    query a few more requests."""


class _MunicipalityCode(c.Type):
    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
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
        default=[{"slug": slug, "name": name} for slug, name in NEWS_CATEGORIES],
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


class CmsConfig(base.Config):
    repo = c.Type(str, default="")
    """GitHub repository (owner/name) the web form opens pull requests on; default: from edit_url."""
    branch = c.Type(str, default="")
    """Branch the pull requests go to; default: from edit_url, else main."""
    base_url = c.Type(str, default="")
    """The OAuth proxy for GitHub sign-in (see CONTRIBUTING.md), e.g. https://auth.example.jp"""
    auth_endpoint = c.Type(str, default="")
    """Its sign-in path, when it is not the proxy's default `auth`."""
    site_domain = c.Type(str, default="")
    """With Netlify's GitHub sign-in for a site published elsewhere: the Netlify site's domain."""


class CivicConfig(base.Config):
    groups_dir = c.Type(str, default="groups")
    """Folder of group files, relative to mkdocs.yml."""
    places = c.Type(str, default="groups/places.yml")
    """The venue register the centre keeps (relative to mkdocs.yml)."""
    image = c.Optional(c.Type(str))
    """The site's picture (a file in docs_dir) for events and groups without a logo, in the
    structured data search engines read."""
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
    cms = c.SubConfig(CmsConfig)

    def settings(self, mkdocs_config: Any) -> Settings:
        """The plain settings the core works from (raises SettingsError without a site_url)."""
        events, news, letters, feeds = self.events, self.news, self.newsletters, self.feeds
        return Settings(
            site_url=mkdocs_config.site_url or "",
            site_name=mkdocs_config.site_name,
            root=Path(mkdocs_config.config_file_path or "mkdocs.yml").resolve().parent,
            docs_dir=Path(mkdocs_config.docs_dir),
            groups_dir=self.groups_dir,
            places_file=self.places,
            image=self.image,
            timezone=self.timezone,
            edit_url=self.edit_url,
            fields=tuple(ActivityField(f.slug, f.name, f.short) for f in self.fields),
            areas=tuple(Area(a.slug, a.name) for a in self.areas),
            legal_forms=tuple(self.legal_forms),
            newest_groups=self.newest_groups,
            search_enabled=self.search.enabled,
            search_part_tokens=self.search.part_tokens,
            events=EventSettings(
                horizon_months=events.horizon_months,
                archive_months=events.archive_months,
                list_days=events.list_days,
                week_start=events.week_start,
                era=events.era,
                municipality_code=events.municipality_code,
                prefecture=events.prefecture,
                municipality=events.municipality,
            ),
            news=NewsSettings(
                dir=news.dir,
                categories=tuple(NewsCategory(c.slug, c.name) for c in news.categories),
                per_page=news.per_page,
            ),
            newsletters=NewsletterSettings(
                dir=letters.dir,
                pdf=letters.pdf,
                pdf_on_serve=letters.pdf_on_serve,
                cache_dir=letters.cache_dir,
            ),
            feeds=FeedSettings(
                max_entries=feeds.max_entries,
                author=feeds.author or mkdocs_config.site_author or mkdocs_config.site_name,
            ),
            cms=CmsSettings(
                repo=self.cms.repo,
                branch=self.cms.branch,
                base_url=self.cms.base_url,
                auth_endpoint=self.cms.auth_endpoint,
                site_domain=self.cms.site_domain,
            ),
            image_kb=self.limits.image_kb,
            staff=tuple(self.staff),
            staff_team=self.staff_team,
            markdown_extensions=tuple(mkdocs_config.markdown_extensions),
            markdown_configs=dict(mkdocs_config.mdx_configs),
        )
