"""Full-page screenshots of the main kinds of page, desktop and phone, for a person to look at;
and the phone layout of the events page's filter, measured.

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
    "group": "groups/hidamari-salon/",  # a twice-weekly series with a cancelled date, a one-off
    "events": "events/",
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
            if url == "events/":
                page.wait_for_selector("form[data-civic-events][data-ready]")
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


def test_period_radios_sit_together_on_a_phone(browser: Any, base_url: str) -> None:
    """期間's three choices side by side from the left edge (they were stacked, one per wide
    row, each centred), each a touch target of at least 24 x 24 px (WCAG 2.2, 2.5.8), focus
    visible."""
    with open_page(browser, PHONE) as page:
        page.clock.set_fixed_time("2026-11-21T12:00:00+09:00")
        page.goto(base_url + "events/")
        page.wait_for_selector("form[data-civic-events][data-ready]")
        period = page.locator("fieldset.civic-filter__period")
        legend = period.locator("legend").bounding_box()
        boxes = [label.bounding_box() for label in period.locator("label").all()]
        period.locator("input").first.focus()
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
    assert len(boxes) == 3
    rows = sorted({round(box["y"]) for box in boxes})
    assert len(rows) <= 2, boxes
    assert abs(boxes[0]["x"] - legend["x"]) <= 2, (boxes[0], legend)  # left-aligned
    for box in boxes:
        assert box["x"] < 0.6 * PHONE["width"], box
        assert box["x"] + box["width"] <= PHONE["width"], box
        assert box["width"] >= 24 and box["height"] >= 24, box
    if len(rows) == 2:  # wrapped tightly: no empty band between the rows
        assert rows[1] - rows[0] <= max(box["height"] for box in boxes) + 8, boxes
    assert outline[0] != "none" and outline[1] >= 2, outline
