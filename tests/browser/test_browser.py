"""The directory filter and the site search in a real browser (Debian's chromium, Playwright).

Skipped with a loud reason where Chromium or Playwright is missing; under CI=true that fails.
"""

from __future__ import annotations

import re

import pytest

from ..conftest import Built
from .browser_support import (
    NEWSLETTER_URLS,
    PHONE,
    base_url,
    browser,
    needs_browser,
    open_page,
    page,
    visible_cards,
    wait_for_directory,
)

pytestmark = needs_browser
__all__ = ["base_url", "browser", "page"]  # fixtures, used by name


@pytest.mark.parametrize("query", ["ボランティア", "ぼらんてぃあ", "ﾎﾞﾗﾝﾃｨｱ"])
def test_directory_search_ignores_kana_and_width(page: object, base_url: str, query: str) -> None:
    page.goto(base_url + "groups/")  # type: ignore[attr-defined]
    page.fill("#civic-q", query)  # type: ignore[attr-defined]
    cards = visible_cards(page)
    assert "kawanami-saigai-volunteer-net" in cards
    assert "harmony-chorus" not in cards
    assert page.inner_text("#civic-count").startswith(f"{len(cards)}団体")  # type: ignore[attr-defined]


def test_directory_filters_combine_and_live_in_the_url(page: object, base_url: str) -> None:
    page.goto(base_url + "groups/")  # type: ignore[attr-defined]
    wait_for_directory(page)
    everyone = visible_cards(page)
    page.select_option("#civic-field", "kodomo")  # type: ignore[attr-defined]
    children = visible_cards(page)
    page.select_option("#civic-area", "nanbu")  # type: ignore[attr-defined]
    both = visible_cards(page)
    page.check("#civic-recruiting")  # type: ignore[attr-defined]
    recruiting = visible_cards(page)
    assert len(everyone) > len(children) > len(both) >= len(recruiting)
    assert "minami-kodomo-shokudo-ohisama" in both
    assert "field=kodomo" in page.url and "area=nanbu" in page.url  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    wait_for_directory(page)  # JSON loaded
    assert visible_cards(page) == recruiting
    page.click("button[type=reset]")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelectorAll('li.civic-card[hidden]').length === 0")  # type: ignore[attr-defined]


def _site_search(page: object, base_url: str, query: str, field: str = "") -> tuple[str, list[str]]:
    page.goto(base_url + "search/")  # type: ignore[attr-defined]
    if field:
        page.select_option("#site-field", field)  # type: ignore[attr-defined]
    page.fill("#site-q", query)  # type: ignore[attr-defined]
    page.press("#site-q", "Enter")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "(() => { const s = document.getElementById('site-status').textContent;"
        " return s && !s.includes('検索しています') && (s.includes('見つかりません') || document.querySelector('#site-results li')); })()"
    )
    hrefs = page.eval_on_selector_all(
        "#site-results a", "els => els.map(e => e.getAttribute('href'))"
    )  # type: ignore[attr-defined]
    return page.inner_text("#site-status"), hrefs  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("読み聞かせ", "/groups/ohanashi-donguri/"),  # a word only in one group's introduction
        ("子ども食堂", "/groups/minami-kodomo-shokudo-ohisama/"),
        ("おもちゃ病院", "/groups/kawanami-omocha-byoin/"),
        ("ぼらんてぃあねっとわーく", "/groups/kawanami-saigai-volunteer-net/"),
        ("ＮＰＯ法人 フードバンク", "/groups/foodbank-kawanami/"),
    ],
)
def test_site_search_finds_groups_by_japanese_words(
    page: object, base_url: str, query: str, expected: str
) -> None:
    status, hrefs = _site_search(page, base_url, query)
    assert expected in hrefs, (status, hrefs)


def test_site_search_field_filter(page: object, base_url: str) -> None:
    everything, _ = _site_search(page, base_url, "ボランティア")
    status, disaster = _site_search(page, base_url, "ボランティア", field="saigai")

    def count(text: str) -> int:
        return int(re.search(r"(\d+)件", text).group(1))  # type: ignore[union-attr]

    assert 0 < count(status) < count(everything)
    assert "/groups/kawanami-saigai-volunteer-net/" in disaster


def test_site_search_shows_original_text_not_tokens(page: object, base_url: str) -> None:
    _site_search(page, base_url, "子ども食堂")
    text = page.inner_text("#site-results")  # type: ignore[attr-defined]
    assert "子ども食堂" in text and "civic" not in text and " j" not in text
    assert not page.is_visible("#site-more")  # type: ignore[attr-defined]  # one result: no "more"


def test_phone_width_has_no_horizontal_scroll(browser: object, base_url: str) -> None:
    with open_page(browser, PHONE) as page:
        for url in ("", "groups/", "groups/hidamari-salon/", "search/", "events/2026/12/"):
            page.goto(base_url + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, url


# -- events ----------------------------------------------------------------------------------
BUILD_TIME = "2026-11-21T12:00:00+09:00"  # SOURCE_DATE_EPOCH of the test builds


def _shown_events(page: object) -> int:
    return page.eval_on_selector_all(".civic-occ", "els => els.filter(e => !e.hidden).length")  # type: ignore[attr-defined]


def test_events_filters_by_field_and_period(page: object, base_url: str) -> None:
    page.clock.set_fixed_time(BUILD_TIME)  # type: ignore[attr-defined]
    page.goto(base_url + "events/")  # type: ignore[attr-defined]
    page.wait_for_selector("form[data-civic-events][data-ready]")  # type: ignore[attr-defined]
    everything = _shown_events(page)
    page.select_option("#events-field", "kodomo")  # type: ignore[attr-defined]
    children = _shown_events(page)
    page.check("input[name=period][value=month]")  # type: ignore[attr-defined]
    this_month = _shown_events(page)
    assert everything > children > this_month > 0
    assert page.inner_text("#events-count") == f"{this_month}件"  # type: ignore[attr-defined]
    firsts = page.eval_on_selector_all(
        ".civic-occ:not([hidden])", "els => els.map(e => e.dataset.first)"
    )  # type: ignore[attr-defined]
    assert all("2026-11-21" <= d <= "2026-11-30" for d in firsts)


# Layout shift as Chromium records it, summed over the page's life (what Lighthouse calls CLS,
# without the session windows: a stricter sum).
LAYOUT_SHIFT = """() => new Promise(done => {
  let sum = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(sum), 500);
})"""


def test_the_events_list_hides_what_ended_since_the_build_before_drawing(
    browser: object, base_url: str
) -> None:
    """Opened days after the build, the events that have ended since are hidden by the page's
    head (a style rule per past day), not by the script after load: with the script blocked
    they are already gone, and with it nothing moves."""
    with open_page(browser, PHONE) as page:
        page.clock.set_fixed_time("2026-12-05T09:00:00+09:00")  # two weeks after the build
        page.route("**/assets/civic/events.*.js", lambda route: route.abort())
        page.goto(base_url + "events/")
        shown = page.eval_on_selector_all(
            ".civic-occ", "els => els.filter(e => e.offsetParent).map(e => e.dataset.last)"
        )
        listed = page.eval_on_selector_all(".civic-occ", "els => els.map(e => e.dataset.last)")
        assert shown and all(last >= "2026-12-05" for last in shown)
        assert len(shown) == sum(last >= "2026-12-05" for last in listed) < len(listed)
        days = page.eval_on_selector_all(
            ".civic-day",
            "els => els.map(e => [!!e.offsetParent, !!e.querySelector('.civic-occ:not([hidden])') "
            "&& [...e.querySelectorAll('.civic-occ')].some(o => o.offsetParent)])",
        )
        assert all(drawn == has_shown for drawn, has_shown in days)  # no empty day left
        assert any(not drawn for drawn, _ in days)  # a day of only past events is gone
        page.unroute("**/assets/civic/events.*.js")
        page.goto(base_url + "events/")
        page.wait_for_selector("form[data-civic-events][data-ready]")
        assert page.inner_text("#events-count") == f"{len(shown)}件"  # the script agrees
        assert page.evaluate(LAYOUT_SHIFT) < 0.01


def test_the_directory_filter_is_in_place_before_its_data_arrives(
    browser: object, base_url: str
) -> None:
    """The filter form is drawn with the page; the directory JSON arriving late (a slow
    network) moves nothing, and the form then filters."""

    def late(route: object) -> None:
        import time

        time.sleep(1.0)
        route.continue_()  # type: ignore[attr-defined]

    with open_page(browser, PHONE) as page:
        page.route("**/groups/index.json", late)
        page.goto(base_url + "groups/")
        assert page.is_visible("form[data-civic-directory]")
        top = page.evaluate("document.getElementById('row-a').getBoundingClientRect().top")
        page.wait_for_selector("form[data-civic-directory][data-ready]")
        assert page.evaluate("document.getElementById('row-a').getBoundingClientRect().top") == top
        assert page.evaluate(LAYOUT_SHIFT) < 0.01
        page.fill("#civic-q", "ひだまり")
        assert "（全" in page.inner_text("#civic-count")  # filtered


def test_month_navigation_and_add_to_calendar(page: object, base_url: str) -> None:
    import icalendar

    page.goto(base_url + "events/2026/12/")  # type: ignore[attr-defined]
    page.click("a[rel=next]")  # type: ignore[attr-defined]
    assert page.url.endswith("/events/2027/01/")  # type: ignore[attr-defined]
    assert "1月のカレンダー" in page.inner_text("table.civic-month caption")  # type: ignore[attr-defined]
    page.click("table.civic-month a >> text=写真展")  # type: ignore[attr-defined]
    href = page.get_attribute("a[download]", "href")  # type: ignore[attr-defined]
    response = page.request.get(page.url + href)  # type: ignore[attr-defined]
    cal = icalendar.Calendar.from_ical(response.body())
    (event,) = cal.walk("VEVENT")
    assert "写真展" in str(event["SUMMARY"]) and event["UID"]


# -- newsletters ----------------------------------------------------------------------------
@pytest.mark.parametrize("url", NEWSLETTER_URLS)
def test_newsletter_phone_width_has_no_horizontal_scroll(
    browser: object, base_url: str, sample_site: Built, url: str
) -> None:
    with open_page(browser, PHONE) as page:
        page.goto(base_url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375


# Pages with a feed in a folder (the directory, a group, a field, the calendar pages), and home.
QUIET_PAGES = ("", "groups/", "groups/hidamari-salon/", "groups/fields/kodomo/", "events/",
               "events/2026/12/", "events/aozora-fukushikai-pan-no-hi/", "places/tsunaguba/")  # fmt: skip


@pytest.mark.parametrize("url", QUIET_PAGES)
def test_a_page_asks_nothing_missing_and_nothing_of_other_hosts(
    browser: object, base_url: str, url: str
) -> None:
    """Material's bundle fetched sitemap.xml beside every feed link (404s on every page with a
    feed in a folder) and asked api.github.com for star counts from every visitor; neither now,
    and no error reaches the console."""
    with open_page(browser, PHONE) as page:
        missing: list[str] = []
        elsewhere: list[str] = []
        errors: list[str] = []
        page.on("response", lambda r: r.status >= 400 and missing.append(f"{r.status} {r.url}"))
        page.on("request", lambda r: not r.url.startswith(base_url) and elsewhere.append(r.url))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(base_url + url, wait_until="networkidle")
        assert missing == [] and elsewhere == [] and errors == [], (missing, elsewhere, errors)
        # feeds are still announced for feed readers (rel is a token list)
        assert page.eval_on_selector_all("link[rel~=alternate]", "els => els.length") >= 2
        # the way to the guides is a target of 24 px at least (WCAG 2.2 2.5.8)
        box = page.locator(".civic-footer-links a").bounding_box()
        assert box is not None and box["height"] >= 24, box
