"""Every kind of page of the sample portal meets WCAG 2.1 AA (JIS X 8341-3 AA) and is valid HTML.

axe-core (npm) runs inside Chromium on each page, on a desktop and a phone screen, also after the
filters have been used; the Nu HTML Checker (vnu-jar from npm, run with the machine's Java) reads
every HTML file of the built site in one run. Where a tool is missing the tests are skipped with a
loud reason; under CI=true that fails.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..conftest import Built
from .browser_support import (
    DESKTOP,
    NEWSLETTER_URLS,
    PHONE,
    VNU_JAR,
    axe_missing,
    base_url,
    browser,
    browser_missing,
    describe,
    open_page,
    requirement,
    run_axe,
    visible_cards,
    vnu_missing,
    wait_for_directory,
)

__all__ = ["base_url", "browser"]  # fixtures, used by name

needs_axe = requirement(browser_missing() or axe_missing(), "accessibility tests")
needs_vnu = requirement(vnu_missing(), "HTML validation")

# One page of each kind the portal writes (and the content pages a centre edits).
PAGES = {
    "home": "",
    "directory": "groups/",
    "group": "groups/hidamari-salon/",
    "field": "groups/fields/kodomo/",
    "area": "groups/areas/nanbu/",
    "inactive": "groups/inactive/",
    "events": "events/",
    "month": "events/2026/12/",
    "event-cancelled": "events/heiwa-no-tanemaki-20261220/",
    "event-series": "events/aozora-fukushikai-pan-no-hi/",
    "news": "news/",
    "news-category": "news/categories/josei/",
    "news-post": "news/2026-11-13-kawanami-kikin-2027/",
    "search": "search/",
    "about": "about/",
    "editing": "editing/",
    "news-guide": "news-guide/",
    "not-found": "404.html",
    "newsletters": NEWSLETTER_URLS[0],
    "newsletter": NEWSLETTER_URLS[1],
    "places": "places/",
    "place": "places/tsunaguba/",
}
PHONE_PAGES = (
    "home", "directory", "group", "month", "events", "event-series", "search", "editing", "place"
)  # fmt: skip


def open_ready(page: Any, base_url: str, url: str) -> None:
    """Load a page and wait until its own scripts have finished setting it up."""
    page.goto(base_url + url)
    if url.startswith("groups/") and page.query_selector("form[data-civic-directory]"):
        wait_for_directory(page)
    if page.query_selector("form[data-civic-events]"):
        page.wait_for_selector("form[data-civic-events][data-ready]")


def assert_no_violations(page: Any, where: str) -> None:
    violations = run_axe(page)
    assert not violations, f"axe on {where}:\n{describe(violations)}"


CASES = [(kind, "desktop") for kind in PAGES] + [(kind, "phone") for kind in PHONE_PAGES]


@needs_axe
@pytest.mark.parametrize(("kind", "screen"), CASES, ids=[f"{k}-{s}" for k, s in CASES])
def test_axe_finds_no_wcag_aa_violations(
    browser: Any, base_url: str, sample_site: Built, kind: str, screen: str
) -> None:
    url = PAGES[kind]
    with open_page(browser, PHONE if screen == "phone" else DESKTOP) as page:
        open_ready(page, base_url, url)
        assert_no_violations(page, f"/{url} ({screen})")


@needs_axe
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_axe_on_the_directory_after_filtering(browser: Any, base_url: str, screen: str) -> None:
    with open_page(browser, PHONE if screen == "phone" else DESKTOP) as page:
        open_ready(page, base_url, "groups/")
        page.select_option("#civic-field", "kodomo")
        page.check("#civic-recruiting")
        assert 0 < len(visible_cards(page)) < 36
        assert_no_violations(page, f"/groups/ filtered ({screen})")
        page.fill("#civic-q", "該当する団体のない言葉")
        assert visible_cards(page) == []
        assert page.is_visible("#civic-empty")
        assert_no_violations(page, f"/groups/ with no results ({screen})")


@needs_axe
def test_axe_on_events_and_search_after_use(browser: Any, base_url: str) -> None:
    with open_page(browser) as page:
        page.clock.set_fixed_time("2026-11-21T12:00:00+09:00")
        open_ready(page, base_url, "events/")
        page.check("input[name=period][value=week]")
        page.select_option("#events-field", "kodomo")
        assert_no_violations(page, "/events/ filtered")
        open_ready(page, base_url, "search/")
        page.fill("#site-q", "ボランティア")
        page.press("#site-q", "Enter")
        page.wait_for_selector("#site-results li")
        assert_no_violations(page, "/search/ with results")


# -- the Nu HTML Checker ---------------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    """A checker message we keep, matched by its text and by the markup it quotes, and why."""

    message: str
    extract: str
    why: str

    def matches(self, m: dict[str, Any]) -> bool:
        return bool(
            re.search(self.message, m.get("message", ""))
            and re.search(self.extract, m.get("extract", ""))
        )


ACCEPTED = [
    Accepted(
        message=r"^Attribute “autocomplete” is only allowed when the input type is",
        extract=r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" '
        r'id="__(drawer|search)" autocomplete="off">',
        why=(
            "Material's base.html marks its two CSS-only toggles (the navigation drawer and the "
            "search overlay) autocomplete=off so that Firefox does not bring a page back from the "
            "history with the drawer or overlay still open. HTML allows the attribute on text-like "
            "inputs only, but browsers accept it on a checkbox and assistive technology ignores it; "
            "the markup sits outside every block Material lets a theme override, so changing it "
            "means forking base.html, which would then need updating with every Material release."
        ),
    ),
]


def run_vnu(files: list[Path], site: Path) -> list[dict[str, Any]]:
    """Error messages of the Nu HTML Checker over `files`, in one Java process."""
    command = ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
    done = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=600, cwd=site
    )
    report = json.loads(done.stderr or done.stdout)  # vnu writes its report to stderr
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


@needs_vnu
def test_every_page_is_valid_html(sample_site: Built) -> None:
    files = sorted(p for p in sample_site.site.rglob("*.html") if "pagefind" not in p.parts)
    for url in PAGES.values():  # every page kind is among them (unless not built yet)
        page = sample_site.site / (url if url.endswith(".html") else url + "index.html")
        assert page in files or url in NEWSLETTER_URLS, url
    messages = run_vnu(files, sample_site.site)
    used = {a.message: 0 for a in ACCEPTED}
    errors = []
    for m in messages:
        accepted = next((a for a in ACCEPTED if a.matches(m)), None)
        if accepted:
            used[accepted.message] += 1
            continue
        where = m.get("url", "").removeprefix("file:").removeprefix(str(sample_site.site) + "/")
        errors.append(f"{where}:{m.get('lastLine')}: {m['message']}\n    {m.get('extract', '')!r}")
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors[:40])
    # An accepted message that no longer occurs should leave the list.
    assert all(used.values()), f"accepted messages that no longer occur: {used}"
