"""What the real-browser tests share: the tools they need, a local server, Chromium, pages.

Each tool a test needs (Debian's chromium with Playwright, axe-core and vnu-jar from `npm ci`, a
Java runtime) is a `requirement()`: missing locally, the test is skipped with a loud reason; under
CI=true the missing tool fails the run when the test module is collected.

Test modules import the fixtures they use (`from .browser_support import page`) and name them in
`__all__`, so that the import counts as used.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ..conftest import REPO, Built

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TEST_OUTPUT = REPO / "test-output"


def browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return "Debian's chromium is not installed (apt-get install chromium)"
    return None


def axe_missing() -> str | None:
    return None if AXE_JS.is_file() else f"{AXE_JS.relative_to(REPO)} is missing: run `npm ci`"


def vnu_missing() -> str | None:
    if not shutil.which("java"):
        return "no Java runtime for the Nu HTML Checker (apt-get install default-jre-headless)"
    if not VNU_JAR.is_file():
        return f"{VNU_JAR.relative_to(REPO)} is missing: run `npm ci`"
    return None


def requirement(missing: str | None, what: str) -> pytest.MarkDecorator:
    """Skip (loudly) where a tool is missing; under CI=true a missing tool is an error instead."""
    if missing and os.environ.get("CI") == "true":
        raise RuntimeError(f"{what} cannot run under CI: {missing}")
    return pytest.mark.skipif(missing is not None, reason=f"{what.upper()} SKIPPED: {missing}")


needs_browser = requirement(browser_missing(), "browser tests")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a built site on a free local port; yields its base URL (ending in /)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def open_page(browser: Any, viewport: dict[str, int] = DESKTOP) -> Iterator[Any]:
    """A page in a fresh context, offline, that fails the test on any uncaught script error."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    # There is no network here: a request to another host is cut off (test_browser checks none is made).
    page.route("https://**", lambda route: route.abort())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


@pytest.fixture(scope="module")
def base_url(sample_site: Built) -> Iterator[str]:
    with serve(sample_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with open_page(browser) as page:
        yield page


def visible_cards(page: Any) -> list[str]:
    """Slugs of the directory cards the filter shows, in page order."""
    return page.eval_on_selector_all(
        "li.civic-card:not([hidden])", "els => els.map(e => e.id.slice(2))"
    )


def wait_for_directory(page: Any) -> None:
    """The directory's filter form is shown once its JSON has loaded and the URL is applied."""
    page.wait_for_selector("form[data-civic-directory][data-ready]")


NEWSLETTER_URLS = ["newsletters/", "newsletters/2026-12/"]


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = " / ".join(node["failureSummary"].splitlines()[1:])
            lines.append(f"    {target}: {summary}")
            lines.append(f"      {node['html'][:160]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)
