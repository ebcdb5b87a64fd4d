"""URL rules: the one place that knows where each generated page and file lives.

Values are MkDocs src_uris (paths as if in docs_dir). Templates turn the page URLs below into
links relative to the current page with MkDocs' `url` filter.
"""

from __future__ import annotations

GROUPS = "groups"
DIRECTORY = f"{GROUPS}/index.md"
INACTIVE = f"{GROUPS}/inactive.md"
DIRECTORY_JSON = f"{GROUPS}/index.json"
GROUP_SCHEMA = "schema/group.json"
SEARCH_PAGE = "search/"


def group_src(slug: str) -> str:
    return f"{GROUPS}/{slug}.md"


def field_src(slug: str) -> str:
    return f"{GROUPS}/fields/{slug}.md"


def area_src(slug: str) -> str:
    return f"{GROUPS}/areas/{slug}.md"


def logo_src(name: str) -> str:
    return f"{GROUPS}/images/{name}"


def logo_sized_src(name: str, width: int) -> str:
    """The logo `name` resized to `width` pixels (image names have no slash: no clash)."""
    return f"{GROUPS}/images/{width}/{name}"


def page_url(src_uri: str) -> str:
    """Site-relative URL of a page under directory URLs: groups/x.md → groups/x/."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def group_url(slug: str) -> str:
    return page_url(group_src(slug))


def field_url(slug: str) -> str:
    return page_url(field_src(slug))


def area_url(slug: str) -> str:
    return page_url(area_src(slug))


# -- events ----------------------------------------------------------------------------------
EVENTS = "events/index.md"
EVENTS_ICS = "events.ics"
OPENDATA_CSV = "opendata/events.csv"
OPENDATA_JSON = "opendata/events.json"
OPENDATA_PACKAGE = "opendata/datapackage.json"  # the Frictionless Data descriptor of the CSV


def month_src(year: int, month: int) -> str:
    return f"events/{year}/{month:02d}.md"


def month_url(year: int, month: int) -> str:
    return page_url(month_src(year, month))


def event_src(series_id: str) -> str:
    return f"events/{series_id}.md"


def event_url(series_id: str) -> str:
    return page_url(event_src(series_id))


def event_ics(series_id: str) -> str:
    """The one-event calendar behind "add to calendar", beside the event's page."""
    return f"events/{series_id}/calendar.ics"


def group_ics(slug: str) -> str:
    return f"{GROUPS}/{slug}/events.ics"


def field_ics(slug: str) -> str:
    return f"events/fields/{slug}.ics"


def opendata_named_csv(code: str) -> str:
    """The publication file name the national guideline asks for: <6-digit code>_event.csv."""
    return f"opendata/{code}_event.csv"


# -- places ------------------------------------------------------------------------------------
PLACES = "places/index.md"


def place_src(place_id: str) -> str:
    return f"places/{place_id}.md"


def place_url(place_id: str) -> str:
    return page_url(place_src(place_id))


def place_ics(place_id: str) -> str:
    """The calendar of everything held at a venue, beside its page."""
    return f"places/{place_id}/calendar.ics"


# -- news and feeds ----------------------------------------------------------------------------
NEWS = "news/index.md"
RSS_NAME, ATOM_NAME = "feed.xml", "atom.xml"


def news_page_src(number: int) -> str:
    """Page `number` of the news list; page 1 is the list itself."""
    return NEWS if number == 1 else f"news/page/{number}.md"


def news_category_src(slug: str) -> str:
    return f"news/categories/{slug}.md"


def feeds_of(folder: str) -> tuple[str, str]:
    """(RSS, Atom) beside a page: "" → feed.xml, "groups/x" → groups/x/feed.xml."""
    prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
    return prefix + RSS_NAME, prefix + ATOM_NAME


SITE_FEEDS = feeds_of("")  # the news
GROUPS_FEEDS = feeds_of(GROUPS)
EVENTS_FEEDS = feeds_of("events")


def group_feeds(slug: str) -> tuple[str, str]:
    return feeds_of(f"{GROUPS}/{slug}")


def category_feeds(slug: str) -> tuple[str, str]:
    return feeds_of(f"news/categories/{slug}")


def field_event_feeds(slug: str) -> tuple[str, str]:
    return feeds_of(f"events/fields/{slug}")


# -- newsletters -------------------------------------------------------------------------------
NEWSLETTERS = "newsletters/index.md"


def newsletter_pdf(src_uri: str) -> str:
    """An issue's PDF beside its page: newsletters/2026-12.md → newsletters/2026-12.pdf."""
    return page_url(src_uri).rstrip("/") + ".pdf"
