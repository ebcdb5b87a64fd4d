"""Full-page screenshots of the main kinds of page, desktop and phone, for a person to look at.

Written to test-output/screenshots/<name>-<desktop|phone>.png in the repository (not committed).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from ..conftest import Built
from .browser_support import (
    DESKTOP,
    NEWSLETTER_URLS,
    PHONE,
    TEST_OUTPUT,
    base_url,
    browser,
    needs_browser,
    open_page,
    wait_for_directory,
)

pytestmark = needs_browser
__all__ = ["base_url", "browser"]  # fixtures, used by name

SHOTS = {
    "home": "",
    "directory": "groups/",
    "group": "groups/hidamari-salon/",
    "month": "events/2026/12/",
    "newsletter": NEWSLETTER_URLS[1],
}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (and a check that it is one)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("name", SHOTS)
def test_screenshots(browser: Any, base_url: str, sample_site: Built, name: str) -> None:
    url = SHOTS[name]
    folder = TEST_OUTPUT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for screen, viewport in SCREENS.items():
        path = folder / f"{name}-{screen}.png"
        path.unlink(missing_ok=True)
        with open_page(browser, viewport) as page:
            page.clock.set_fixed_time("2026-11-21T12:00:00+09:00")
            page.goto(base_url + url)
            if url == "groups/":
                wait_for_directory(page)
                # Rows off screen are drawn only when scrolled to (content-visibility: auto); a
                # full-page picture is not a scroll, so draw them all for it.
                page.add_style_tag(content=".civic-row { content-visibility: visible !important; }")
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            height = page.evaluate("document.documentElement.scrollHeight")
        width, shot_height = png_size(path)
        assert width == viewport["width"], (path, width)
        assert shot_height >= min(height, viewport["height"]), (path, shot_height)
        assert path.stat().st_size > 20_000, f"{path} is suspiciously small (a blank page?)"
