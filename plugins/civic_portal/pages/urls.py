"""URL rules: the one place that knows where each generated page and file lives.

Values are MkDocs src_uris (paths as if in docs_dir). Templates turn the page URLs below into
links relative to the current page with MkDocs' `url` filter.
"""

from __future__ import annotations

GROUPS = "groups"
DIRECTORY = f"{GROUPS}/index.md"
INACTIVE = f"{GROUPS}/inactive.md"
DIRECTORY_JSON = f"{GROUPS}/index.json"
SEARCH_PAGE = "search/"


def group_src(slug: str) -> str:
    return f"{GROUPS}/{slug}.md"


def field_src(slug: str) -> str:
    return f"{GROUPS}/fields/{slug}.md"


def area_src(slug: str) -> str:
    return f"{GROUPS}/areas/{slug}.md"


def logo_src(name: str) -> str:
    return f"{GROUPS}/images/{name}"


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
