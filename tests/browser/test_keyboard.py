"""Every filter and calendar control is reached and used with the keyboard alone, with visible focus.

Only key presses move focus and operate controls here (Tab, Shift+Tab, Enter, Space, arrows, and
typed text); each control reached must show a focus indicator.
"""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import Built
from .browser_support import (
    base_url,
    browser,
    needs_browser,
    page,
    visible_cards,
    wait_for_directory,
)

pytestmark = needs_browser
__all__ = ["base_url", "browser", "page"]  # fixtures, used by name

BUILD_TIME = "2026-11-21T12:00:00+09:00"  # SOURCE_DATE_EPOCH of the test builds

FOCUS_STYLE = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  return {tag: el.tagName, id: el.id, href: el.getAttribute('href'),
          outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
          boxShadow: s.boxShadow};
}"""


def assert_focus_visible(page: Any) -> None:
    style = page.evaluate(FOCUS_STYLE)
    outlined = style["outlineStyle"] != "none" and style["outlineWidth"] > 0
    assert outlined or style["boxShadow"] != "none", f"focus is not visible: {style}"


def tab_to(page: Any, selector: str, *, key: str = "Tab", limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until `selector` has the focus; its focus must be visible."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert_focus_visible(page)
            return
    pytest.fail(f"{selector} was not reached with {key} in {limit} presses")


def choose_with_arrows(page: Any, value: str, limit: int = 40) -> None:
    """On the focused <select>, press ArrowDown until `value` is chosen."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"option {value} not reached with ArrowDown")


def slugs_on(site: Built, url: str) -> set[str]:
    return {li["id"][2:] for li in site.html(url).select("li.civic-card")}


def recruiting_on(site: Built, url: str) -> set[str]:
    cards = site.html(url).select("li.civic-card:has(.civic-chip--recruiting)")
    return {li["id"][2:] for li in cards}


def test_directory_filters_by_keyboard(page: Any, base_url: str, sample_site: Built) -> None:
    page.goto(base_url + "groups/")
    wait_for_directory(page)
    everyone = set(visible_cards(page))

    tab_to(page, "#civic-q")
    page.keyboard.type("ﾎﾞﾗﾝﾃｨｱ")
    assert "kawanami-saigai-volunteer-net" in visible_cards(page)
    assert "harmony-chorus" not in visible_cards(page)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    assert set(visible_cards(page)) == everyone

    tab_to(page, "#civic-field")
    choose_with_arrows(page, "kodomo")
    children = slugs_on(sample_site, "groups/fields/kodomo/")
    assert set(visible_cards(page)) == children

    tab_to(page, "#civic-recruiting")
    page.keyboard.press("Space")
    recruiting = recruiting_on(sample_site, "groups/fields/kodomo/")
    assert set(visible_cards(page)) == recruiting and recruiting < children
    assert "recruiting=1" in page.url

    # The area select comes before the check box: Shift+Tab goes back to it.
    tab_to(page, "#civic-area", key="Shift+Tab")
    choose_with_arrows(page, "nanbu")
    assert set(visible_cards(page)) == recruiting & slugs_on(sample_site, "groups/areas/nanbu/")

    tab_to(page, "form[data-civic-directory] button[type=reset]")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('li.civic-card[hidden]').length === 0")
    assert set(visible_cards(page)) == everyone

    tab_to(page, "#civic-q", key="Shift+Tab")


def test_kana_index_by_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + "groups/")
    wait_for_directory(page)
    tab_to(page, ".civic-kana-index a[href='#row-ka']")
    page.keyboard.press("Enter")
    assert page.url.endswith("#row-ka")
    heading = page.locator("#row-ka-heading")
    assert heading.is_visible()
    top = heading.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] / 2
    # The next Tab continues from the row that was jumped to: its first group.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('section').id") == "row-ka"
    assert_focus_visible(page)


def test_month_navigation_by_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + "events/2026/12/")
    tab_to(page, ".civic-month-nav a[rel=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/2027/01/")
    assert "1月のカレンダー" in page.inner_text("table.civic-month caption")
    tab_to(page, ".civic-month-nav a[rel=prev]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/2026/12/")
    # From a month to the list of upcoming events, the third link of the same navigation.
    tab_to(page, ".civic-month-nav a:not([rel])")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/")


def test_from_an_event_to_its_venue_by_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + "events/aozora-fukushikai-pan-no-hi/")
    tab_to(page, "article a[href$='places/aozora-koubou/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/places/aozora-koubou/")
    assert page.inner_text("h1") == "あおぞら工房"
    tab_to(page, "article a[href^='https://www.openstreetmap.org/']")
    tab_to(page, "article a[href$='calendar.ics']")
    tab_to(page, "article a[href='../']")  # 会場の一覧へ
    page.keyboard.press("Enter")
    page.wait_for_url("**/places/")


def shown_events(page: Any) -> int:
    return page.eval_on_selector_all(".civic-occ", "els => els.filter(e => !e.hidden).length")


def test_event_filters_by_keyboard(page: Any, base_url: str) -> None:
    page.clock.set_fixed_time(BUILD_TIME)
    page.goto(base_url + "events/")
    page.wait_for_selector("form[data-civic-events][data-ready]")
    everything = shown_events(page)

    # Tab enters the radio group at the checked radio; the arrows move the choice.
    tab_to(page, "input[name=period][value='']")
    page.keyboard.press("ArrowRight")
    assert page.is_checked("input[name=period][value=week]")
    assert_focus_visible(page)
    this_week = shown_events(page)
    page.keyboard.press("ArrowRight")
    assert page.is_checked("input[name=period][value=month]")
    this_month = shown_events(page)
    assert this_week <= this_month < everything  # 2026-11-21 is a Saturday: a one-day week
    assert this_month > 0

    tab_to(page, "#events-field")
    choose_with_arrows(page, "kodomo")
    children = shown_events(page)
    assert 0 < children < this_month
    fields = page.eval_on_selector_all(
        ".civic-occ:not([hidden])", "els => els.map(e => e.dataset.fields)"
    )
    assert all("kodomo" in f.split() for f in fields)

    tab_to(page, "#events-area")
    page.keyboard.press("ArrowDown")
    area = page.evaluate("() => document.activeElement.value")
    assert area and shown_events(page) <= children
    assert page.inner_text("#events-count") == f"{shown_events(page)}件"

    # Back to the period with Shift+Tab, and all of it again.
    tab_to(page, "input[name=period]:checked", key="Shift+Tab")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.is_checked("input[name=period][value='']")


def test_site_search_by_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + "search/")
    tab_to(page, "#site-q")
    page.keyboard.type("ボランティア")
    tab_to(page, "#site-field")
    choose_with_arrows(page, "saigai")
    tab_to(page, "#civic-site-search button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#site-results li")
    hrefs = page.eval_on_selector_all(
        "#site-results a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert "/groups/kawanami-saigai-volunteer-net/" in hrefs
    tab_to(page, "#site-results a")
