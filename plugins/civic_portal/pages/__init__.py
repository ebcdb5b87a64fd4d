"""Generated pages: which exist, which template renders each, and what each template is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urljoin

from .. import urls
from ..jdate import date_ja, span_ja, weekday_label
from ..kana import GOJUON_ROWS, OTHER_ROW
from ..model import ActivityField, Area, Group, Site
from ..model.events import Event, Occurrence
from ..model.news import NewsCategory, NewsItem
from ..model.newsletter import Newsletter
from ..model.places import Place
from ..model.settings import EventSettings, Settings
from ..render.images import logo_sizes
from ..render.pdf import PdfInfo
from ..render.search import facet_token
from ..render.structured import event_ld, organization, place_ld
from .calendar import by_day, month_grid, months_between, weekday_headers
from .newsletter import newsletter_context, split_body

TEMPLATES = {
    "group": "civic/group.html",
    "directory": "civic/directory.html",
    "field": "civic/list.html",
    "area": "civic/list.html",
    "inactive": "civic/list.html",
    "events": "civic/events.html",
    "month": "civic/month.html",
    "event": "civic/event.html",
    "news": "civic/news.html",
    "news_category": "civic/news.html",
    "news_item": "civic/news_item.html",
    "newsletters": "civic/newsletters.html",
    "newsletter": "civic/newsletter.html",
    "places": "civic/places.html",
    "place": "civic/place.html",
}
CONTENT_BACKED = frozenset(
    {"news_item", "newsletter"}
)  # pages MkDocs already has; we only dress them


@dataclass(frozen=True)
class NewsPage:
    """One page of the paginated news list."""

    number: int
    count: int
    per_page: int


@dataclass(frozen=True)
class PageSpec:
    """A page the plugin generates (or takes over, for the directory's own intro)."""

    kind: str
    title: str
    markdown: str = ""
    subject: (
        Group
        | ActivityField
        | Area
        | Event
        | NewsItem
        | NewsCategory
        | NewsPage
        | Newsletter
        | Place
        | tuple[int, int]
        | None
    ) = None

    @property
    def entry_point(self) -> bool:
        """The directory, the calendar and the first news page: in the navigation, and a
        content page at the same place supplies their intro text instead of being an error."""
        first_news = isinstance(self.subject, NewsPage) and self.subject.number == 1
        return self.kind in ("directory", "events", "newsletters") or first_news

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]

    @property
    def description(self) -> str:
        if isinstance(self.subject, Group):
            return self.subject.summary
        if isinstance(self.subject, Event):
            return (self.subject.description or self.subject.title).splitlines()[0][:120]
        if isinstance(self.subject, Newsletter):
            return f"情報紙 {self.title}（{date_ja(self.subject.date)}発行）"
        if isinstance(self.subject, NewsItem):
            return self.subject.summary or self.subject.title
        if isinstance(self.subject, Place):
            return f"{self.subject.name}（{self.subject.address}）への行き方・設備と、これからのイベント"
        return f"{self.title}の一覧です。"


# Group-written pages start with an empty YAML block of ours: MkDocs reads page metadata (title,
# template, author, hide, ...) only at the very top of a page, so whatever a group writes at the
# top of its body stays body text. Without it, `author: "><script>` reached Material's <head>, and a
# YAML alias bomb in the body was expanded by MkDocs before any check ran.
NO_METADATA = "---\n{}\n---\n\n"
UNTRUSTED_KINDS = frozenset({"group", "event"})  # pages whose Markdown a group wrote


def untrusted_markdown(text: str) -> str:
    """A group's Markdown as a generated page's source that MkDocs never reads metadata from."""
    return NO_METADATA + text


def plan_pages(site: Site, news_per_page: int = 10) -> dict[str, PageSpec]:
    """Every generated page by src_uri, in a stable order."""
    pages = {urls.DIRECTORY: PageSpec("directory", "団体をさがす")}
    for g in site.groups:
        pages[urls.group_src(g.slug)] = PageSpec("group", g.name, untrusted_markdown(g.body), g)
    for f in site.fields:
        pages[urls.field_src(f.slug)] = PageSpec("field", f"{f.short}の団体", subject=f)
    for a in site.areas:
        pages[urls.area_src(a.slug)] = PageSpec("area", f"{a.name}の団体", subject=a)
    pages[urls.INACTIVE] = PageSpec("inactive", "活動休止中の団体")
    pages[urls.EVENTS] = PageSpec("events", "イベント")
    for year, month in months_between(*site.window):
        pages[urls.month_src(year, month)] = PageSpec(
            "month", f"{year}年{month}月のイベント", subject=(year, month)
        )
    for event in site.events:
        pages[urls.event_src(event.series_id)] = PageSpec(
            "event", event.title, untrusted_markdown(event.description or ""), event
        )
    count = max(1, -(-len(site.news) // news_per_page))
    for number in range(1, count + 1):
        title = "お知らせ" if number == 1 else f"お知らせ（{number}ページ目）"
        pages[urls.news_page_src(number)] = PageSpec(
            "news", title, subject=NewsPage(number, count, news_per_page)
        )
    for category in site.news_categories:
        pages[urls.news_category_src(category.slug)] = PageSpec(
            "news_category", category.name, subject=category
        )
    for item in site.news:
        pages[item.src_uri] = PageSpec("news_item", item.title, subject=item)
    if site.places:
        pages[urls.PLACES] = PageSpec("places", "会場")
        for place in site.places:
            pages[urls.place_src(place.id)] = PageSpec("place", place.name, subject=place)
    pages[urls.NEWSLETTERS] = PageSpec("newsletters", "情報紙")
    for issue in site.newsletters:
        pages[issue.src_uri] = PageSpec("newsletter", issue.label, subject=issue)
    return pages


def rows(groups: tuple[Group, ...]) -> list[dict[str, Any]]:
    """Groups split into 五十音 index rows, keeping their order; every row listed, even empty."""
    by_row: dict[str, list[Group]] = {}
    for g in groups:
        by_row.setdefault(g.row[0], []).append(g)
    return [
        {
            "id": row_id,
            "label": label,
            "heading": "その他" if row_id == OTHER_ROW[0] else f"{label}行",
            "groups": by_row.get(row_id, []),
        }
        for row_id, label, _ in (*GOJUON_ROWS, OTHER_ROW)
        if row_id != OTHER_ROW[0] or row_id in by_row
    ]


def counted(site: Site) -> dict[str, list[tuple[Any, int]]]:
    """Fields and areas with how many active groups each has."""
    return {
        "fields": [(f, len(site.groups_in_field(f.slug))) for f in site.fields],
        "areas": [(a, len(site.groups_in_area(a.slug))) for a in site.areas],
    }


def page_context(
    spec: PageSpec | None,
    site: Site,
    newest: int,
    calendar: EventSettings,
    pdfs: Mapping[str, PdfInfo] | None = None,
) -> dict[str, Any]:
    """What a template finds under `civic`; every page gets the shared part. `pdfs`: the
    newsletter PDFs this build writes, by issue src_uri."""
    pdfs = pdfs or {}
    context: dict[str, Any] = {
        "feeds": feeds_for(spec),
        "site": site,
        "today": site.today,
        "urls": urls,
        "facet_token": facet_token,
        "kind": spec.kind if spec else "content",
        "date": partial(date_ja, style=calendar.era),
        "span": partial(span_ja, style=calendar.era),
        "weekday": weekday_label,
    }
    if spec is None:
        context["pdfs"] = pdfs
        context["news"] = site.news[:3]
        context["newest"] = site.newest(newest)
        context.update(counted(site))
        return context
    context["spec"] = spec
    if spec.kind == "group":
        group = spec.subject
        assert isinstance(group, Group)
        context["group"] = group
        context["recruiting"] = group.open_recruiting(site.today)
        context["series"], context["one_off"] = series_and_one_off(site.upcoming(group.slug))
    elif spec.kind in ("news", "news_category", "news_item"):
        context.update(news_context(spec, site))
    elif spec.kind in ("events", "month", "event"):
        context.update(event_context(spec, site, calendar.week_start, calendar.list_days))
    elif spec.kind == "newsletter":
        assert isinstance(spec.subject, Newsletter)
        context.update(newsletter_context(spec.subject, site))
        info = pdfs.get(spec.subject.src_uri)
        context["pdf_size"], context["pdf_pages"] = (info.size, info.pages) if info else (0, 0)
    elif spec.kind == "place":
        place = spec.subject
        assert isinstance(place, Place)
        upcoming = site.upcoming_at(place.id)
        context["place"] = place
        context["upcoming"] = upcoming[:UPCOMING_AT_PLACE]
        context["more"] = max(0, len(upcoming) - UPCOMING_AT_PLACE)
        context["held"] = site.events_at(place.id)  # any: the place has a calendar
        context["based"] = site.groups_based_at(place.id)
    elif spec.kind == "places":
        context["places"] = [(p, len(site.upcoming_at(p.id))) for p in site.places]
    elif spec.kind == "newsletters":
        context["issues"] = [(n, pdfs.get(n.src_uri)) for n in site.newsletters]
    elif spec.kind == "directory":
        context["rows"] = rows(site.active_groups)
        context["inactive_count"] = len(site.inactive_groups)
        context.update(counted(site))
    else:
        if spec.kind == "field":
            assert isinstance(spec.subject, ActivityField)
            listed = site.groups_in_field(spec.subject.slug)
        elif spec.kind == "area":
            assert isinstance(spec.subject, Area)
            listed = site.groups_in_area(spec.subject.slug)
        else:
            listed = site.inactive_groups
        context["groups"] = listed
        context["rows"] = rows(listed)
    return context


def series_and_one_off(
    upcoming: tuple[Occurrence, ...],
) -> tuple[list[dict[str, Any]], list[Occurrence]]:
    """A group's coming events as its page lists them: each recurring series once, in the order
    of its next date, with that date and the next few (`dates`) and the coming dates it is
    cancelled on (`cancelled`); then the first one-off events, in date order.

    A wholly cancelled or postponed series keeps its status on the title and lists its next
    dates; listing each of them again as cancelled would say nothing more."""
    coming: dict[str, list[Occurrence]] = {}
    for o in upcoming:
        if o.event.rule is not None:
            coming.setdefault(o.event.series_id, []).append(o)
    series = []
    for occurrences in coming.values():
        event = occurrences[0].event
        whole = event.status in ("cancelled", "postponed")  # not one date: the series
        held = [o for o in occurrences if whole or o.status != "cancelled"]
        series.append(
            {
                "event": event,
                "dates": held[:SERIES_DATES],
                "cancelled": [] if whole else [o for o in occurrences if o.status == "cancelled"],
            }
        )
    one_off = [o for o in upcoming if o.event.rule is None][:UPCOMING_ON_GROUP_PAGE]
    return series, one_off


def facet_tokens(site: Site, group: Group) -> tuple[str, ...]:
    """The search index tokens of a group's fields and areas (their positions in the site's
    lists, as the search page's filters name them)."""
    fields = {f.slug: i for i, f in enumerate(site.fields)}
    areas = {a.slug: i for i, a in enumerate(site.areas)}
    return (
        *(facet_token("f", fields[f.slug]) for f in group.fields),
        *(facet_token("a", areas[a.slug]) for a in group.areas),
    )


def built_page_context(
    spec: PageSpec | None,
    site: Site,
    settings: Settings,
    pdfs: Mapping[str, PdfInfo],
    page_url: str,
    content: str,
) -> dict[str, Any]:
    """`page_context` for a page the engine has converted: with the structured data (JSON-LD)
    of a group or event page, and an issue's HTML cut into its parts."""
    civic = page_context(spec, site, settings.newest_groups, settings.events, pdfs)
    if spec is None:
        return civic
    if spec.kind == "newsletter":
        civic["parts"] = split_body(content)
    elif spec.kind == "group":
        assert isinstance(spec.subject, Group)
        civic["structured"] = organization(spec.subject, settings.site_url, page_url)
        if spec.subject.logo and spec.subject.logo_source:
            civic["logo"] = logo_sizes(spec.subject.logo, spec.subject.logo_source)
    elif spec.kind == "event":
        # the next dates, and every cancelled date of the window (a search engine must not
        # keep showing a cancelled date just because it lies beyond the first ten)
        event, listed = spec.subject, civic["next"] or civic["past"][-1:]
        assert isinstance(event, Event)
        shown = {o.first_day for o in listed}
        cancelled = [
            o
            for o in site.occurrences_of(event.series_id)
            if o.status == "cancelled" and o.first_day not in shown
        ]
        civic["structured"] = event_ld(
            sorted([*listed, *cancelled], key=lambda o: o.sort_key),
            civic["group"],
            settings.site_url,
            page_url,
            picture_of(civic["group"], settings),
            site.today,
        )
    elif spec.kind == "place":
        assert isinstance(spec.subject, Place)
        civic["structured"] = place_ld(spec.subject, settings.site_url, context=True)
    return civic


def page_inputs(spec: PageSpec, site: Site) -> tuple[Any, ...] | None:
    """Everything a group's page, an event's page or a month's calendar is made of, besides what
    every page shares (the settings, the theme, the navigation): equal inputs give the same
    HTML. None for a page made from many groups (the directory, the events list, a field, a
    place, news), which any change may alter. Group and event pages are most of a large portal's pages (1,000 groups
    with 5,000 events: 6,000 of 6,150), and a save in `mkdocs serve` changes one group's."""
    subject = spec.subject
    if spec.kind == "group" and isinstance(subject, Group):
        return (
            spec.kind,
            spec.title,
            spec.markdown,
            subject,
            site.upcoming(subject.slug),
            site.today,
        )
    if spec.kind == "event" and isinstance(subject, Event):
        group = site.group(subject.group_slug)
        mine = site.occurrences_of(subject.series_id)
        return (spec.kind, spec.title, spec.markdown, subject, group, mine, site.today)
    if spec.kind == "month" and isinstance(subject, tuple):
        # a month's calendar: its occurrences (with their organisers' names) and its neighbours
        listed = site.in_month(*subject)
        names = tuple(site.group(o.event.group_slug).name for o in listed)
        months = months_between(*site.window)
        return (spec.kind, spec.title, spec.markdown, subject, listed, names, months, site.today)
    return None


def picture_of(group: Group, settings: Settings) -> str | None:
    """The absolute URL of a group's logo, else of the site's picture (settings.image)."""
    picture = urls.logo_src(group.logo) if group.logo else settings.image
    return urljoin(settings.site_url, picture) if picture else None


UPCOMING_ON_GROUP_PAGE = 10
SERIES_DATES = 3  # dates a series shows on its group's page; the event page lists more
UPCOMING_AT_PLACE = 12
NEXT_OCCURRENCES = 10


def event_context(spec: PageSpec, site: Site, week_start: str, list_days: int) -> dict[str, Any]:
    """Context of the events index, a month calendar, or an event page."""
    months = months_between(*site.window)
    if spec.kind == "events":
        # A bounded near term keeps the page small however many series repeat weekly.
        last = site.today + dt.timedelta(days=list_days - 1)
        upcoming = [o for o in site.upcoming() if o.first_day <= last]
        counts = {m: len(site.in_month(*m)) for m in months}
        return {
            "days": by_day(upcoming),
            "upcoming": upcoming,
            "list_until": last,
            "months": counts,
            **counted(site),
        }
    if spec.kind == "month":
        year, month = spec.subject  # type: ignore[misc]
        position = months.index((year, month))
        listed = site.in_month(year, month)
        return {
            "year": year,
            "month": month,
            "grid": month_grid(year, month, listed, week_start=week_start),
            "headers": weekday_headers(week_start),
            "days": by_day(listed),
            "previous": months[position - 1] if position > 0 else None,
            "next": months[position + 1] if position + 1 < len(months) else None,
        }
    event = spec.subject
    assert isinstance(event, Event)
    mine = site.occurrences_of(event.series_id)
    upcoming = [o for o in mine if o.last_day >= site.today]
    return {
        "event": event,
        "group": site.group(event.group_slug),
        "next": upcoming[:NEXT_OCCURRENCES],
        "more": max(0, len(upcoming) - NEXT_OCCURRENCES),
        "past": [o for o in mine if o.last_day < site.today][-5:],
    }


def news_context(spec: PageSpec, site: Site) -> dict[str, Any]:
    counts = [(c, sum(1 for n in site.news if n.category == c)) for c in site.news_categories]
    if spec.kind == "news_item":
        item = spec.subject
        assert isinstance(item, NewsItem)
        return {
            "item": item,
            "groups": [site.group(slug) for slug in item.groups],
            "categories": counts,
        }
    if spec.kind == "news_category":
        listed = [n for n in site.news if n.category == spec.subject]
        return {"items": listed, "categories": counts, "category": spec.subject}
    page = spec.subject
    assert isinstance(page, NewsPage)
    number, count, per_page = page.number, page.count, page.per_page
    return {
        "items": site.news[(number - 1) * per_page : number * per_page],
        "categories": counts,
        "previous": urls.page_url(urls.news_page_src(number - 1)) if number > 1 else None,
        "next": urls.page_url(urls.news_page_src(number + 1)) if number < count else None,
        "number": number,
        "count": count,
    }


def feeds_for(spec: PageSpec | None) -> list[tuple[str, str, str]]:
    """(title, RSS src_uri, Atom src_uri) of the feeds a page advertises with <link rel=alternate>."""
    feeds = [("お知らせ", *urls.SITE_FEEDS)]
    if spec is None:
        return feeds
    subject = spec.subject
    if spec.kind == "group" and isinstance(subject, Group):
        feeds.append((f"{subject.name}のお知らせとイベント", *urls.group_feeds(subject.slug)))
    elif spec.kind in ("directory", "inactive", "area"):
        feeds.append(("新しい団体・更新された団体", *urls.GROUPS_FEEDS))
    elif spec.kind == "field" and isinstance(subject, ActivityField):
        feeds.append((f"{subject.short}のイベント", *urls.field_event_feeds(subject.slug)))
    elif spec.kind in ("events", "month", "event"):
        feeds.append(("これからのイベント", *urls.EVENTS_FEEDS))
    elif spec.kind == "news_category" and isinstance(subject, NewsCategory):
        feeds.append((f"{subject.name}", *urls.category_feeds(subject.slug)))
    return feeds
