"""A group's page as a citizen first reads it: each recurring series listed once, then the one-off
events; the group's own headings below the page's; whole builds in tmp_path, parsed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup, Tag

from civic_portal.model.events import Occurrence
from civic_portal.pages import series_and_one_off
from civic_portal.render.sanitize import fit_headings, sanitize_html

from .conftest import TOKYO, Built, group_file, make_event

SALON = {
    "title": "まちかどサロン",
    "id": "salon",
    "start": "2026-12-12 13:30",  # the second Saturday of December 2026
    "end": "15:30",
    "repeat": "毎月第2土曜",
    "until": "2027-05-08",
    "cancelled": ["2027-01-09"],
    "place": "市民センター 会議室",
}
CLEANUP = {"title": "川べりの清掃", "start": "2026-11-28 09:00", "end": "11:00"}
PARTY = {"title": "クリスマス会", "start": "2026-12-20 10:00", "end": "12:00"}
CALLED_OFF = {"title": "餅つき大会", "start": "2026-12-27 10:00", "status": "cancelled"}
PAST = {"title": "秋の交流会", "start": "2026-10-10 10:00"}
ONLINE_SERIES = {
    "title": "オンラインお茶会",
    "id": "tea",
    "start": "2026-11-25 20:00",
    "end": "21:00",
    "repeat": "毎週水曜",
    "online_url": "https://meet.example.jp/tea",
    "status": "postponed",
}


def _section(page: BeautifulSoup) -> Tag:
    heading = page.select_one("h2#group-events")
    assert heading is not None
    return heading.find_parent("section")


def _dates(card: Tag, label: str) -> list[str]:
    """The days (YYYY-MM-DD) a series card lists after the term `label`."""
    for dt_ in card.select("dl dt"):
        if dt_.get_text(strip=True) == label:
            return [t["datetime"][:10] for t in dt_.find_next_sibling("dd").select("time")]
    return []


@pytest.fixture
def machikado(make_site: Callable[..., Built]) -> Built:
    return make_site(
        {
            "machikado.md": group_file(
                name="まちかどの会",
                kana="まちかどのかい",
                events=[PARTY, SALON, CLEANUP, CALLED_OFF, PAST],
            )
        }
    )


def test_a_series_is_listed_once_then_the_one_off_events(machikado: Built) -> None:
    section = _section(machikado.html("groups/machikado"))
    cards = section.select("ul.civic-occs > li")
    # one series card (not one per date: six dates in the window), then three one-off events
    assert len(cards) == 4
    series, *one_off = cards
    link = series.select_one(".civic-occ__title a")
    assert link.get_text() == "まちかどサロン"
    assert link["href"] == "../../events/machikado-salon/"
    text = series.get_text(" ", strip=True)
    for expected in ("毎月第2土曜", "13:30〜15:30", "2027年5月8日", "まで", "市民センター 会議室"):
        assert expected in text, expected
    assert _dates(series, "次の日程") == ["2026-12-12", "2027-02-13", "2027-03-13"]
    assert _dates(series, "中止") == ["2027-01-09"]
    # the one-off events as before: each once, in date order, a cancelled one still marked
    titles = [li.select_one(".civic-occ__title a").get_text() for li in one_off]
    assert titles == ["川べりの清掃", "クリスマス会", "餅つき大会"]
    assert one_off[2].select_one(".civic-status--cancelled").get_text() == "中止"
    assert "秋の交流会" not in section.get_text()
    # the headings say which list is which, below the section's own
    assert [h.get_text() for h in section.select("h3")] == ["定期開催", "単発のイベント"]
    # the events list and the month calendars still show the series on each of its dates
    days = [li["data-first"] for li in machikado.html("events").select("li.civic-occ")]
    assert "2026-12-12" in days and "2026-11-28" in days
    march = machikado.html("events/2027/03").select("ul.civic-occs li.civic-occ")
    assert [li.select_one(".civic-occ__title a").get_text() for li in march] == ["まちかどサロン"]


def test_a_postponed_online_series_keeps_its_label(make_site: Callable[..., Built]) -> None:
    built = make_site({"tea.md": group_file(events=[ONLINE_SERIES])})
    section = _section(built.html("groups/tea"))
    (card,) = section.select("ul.civic-occs > li")
    assert card.select_one(".civic-status--postponed").get_text() == "延期"
    assert "civic-occ--postponed" in card["class"]
    assert card.select_one(".civic-occ__meta").get_text(strip=True) == "オンライン"
    assert _dates(card, "次の日程") == ["2026-11-25", "2026-12-02", "2026-12-09"]
    assert [h.get_text() for h in section.select("h3")] == ["定期開催"]


def test_series_and_one_off_groups_occurrences() -> None:
    monthly = make_event(
        "g-monthly",
        rule="FREQ=MONTHLY;BYDAY=2SA",
        cancelled_dates=(dt.date(2027, 1, 9),),
    )
    one_off = make_event("g-once")

    def at(event: object, day: dt.date) -> Occurrence:
        start = dt.datetime.combine(day, dt.time(10), TOKYO)
        return Occurrence(event, start, start + dt.timedelta(hours=2))  # type: ignore[arg-type]

    days = [dt.date(2026, 12, 12), dt.date(2027, 1, 9), dt.date(2027, 2, 13), dt.date(2027, 3, 13)]
    upcoming = tuple(
        sorted(
            [*(at(monthly, d) for d in days), at(one_off, dt.date(2026, 12, 1))],
            key=lambda o: o.sort_key,
        )
    )
    series, once = series_and_one_off(upcoming)
    assert [s["event"] for s in series] == [monthly]
    assert [o.first_day for o in series[0]["dates"]] == [days[0], days[2], days[3]]
    assert [o.first_day for o in series[0]["cancelled"]] == [days[1]]
    assert [o.event for o in once] == [one_off]


# -- the group's own headings ----------------------------------------------------------------

BODY = "# 見出し\n\n本文です。\n\n## 小見出し\n\nもう少し。\n"


def _levels(section: Tag) -> list[tuple[str, str]]:
    return [
        (h.name, h.get_text(strip=True)) for h in section.find_all(["h3", "h4", "h5", "h6", "h2"])
    ]


def test_body_headings_sit_below_the_page_headings(make_site: Callable[..., Built]) -> None:
    event = {"title": "勉強会", "start": "2026-12-05 10:00", "description": BODY}
    built = make_site({"heading.md": group_file(body=BODY, events=[event])})
    for url, section_id in (
        ("groups/heading", "intro"),
        ("events/heading-20261205", "about-event"),
    ):
        page = built.html(url)
        assert len(page.select("h1")) == 1, url
        section = page.select_one(f"#{section_id}").find_parent("section")
        assert _levels(section)[1:] == [("h3", "見出し"), ("h4", "小見出し")], url
        # the ids stay, so the table of contents Material draws from the Markdown still leads to
        # them (Material leaves a first `#` heading out of it, taking it for the page's title)
        links = page.select("nav.md-nav--secondary a.md-nav__link[href^='#']")
        assert links, url
        for link in links:
            assert page.find(id=link["href"][1:]).name in ("h3", "h4"), (url, link["href"])
        assert section.select_one("h3").get("id") and section.select_one("h4").get("id")


def test_a_body_starting_at_h2_starts_at_h3() -> None:
    """The editing guide asks groups for `##`: those become h3, not h4 (no level skipped)."""
    html = sanitize_html('<h2 id="a">活動</h2><p>x</p><h3 id="b">詳しく</h3>')
    assert html == '<h3 id="a">活動</h3><p>x</p><h4 id="b">詳しく</h4>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<h1>A</h1><h2>B</h2>", "<h3>A</h3><h4>B</h4>"),
        ("<h1>A</h1><h5>E</h5><h6>F</h6>", "<h3>A</h3><h6>E</h6><h6>F</h6>"),
        ("<h4>D</h4>", "<h3>D</h3>"),
        ("<p>見出しなし</p>", "<p>見出しなし</p>"),
        # an escaped "<h1" in text or in an attribute is not a tag
        (
            '<p title="&lt;h1&gt;">&lt;h2&gt;</p><h2>B</h2>',
            '<p title="&lt;h1&gt;">&lt;h2&gt;</p><h3>B</h3>',
        ),
        ("<header><h2>B</h2></header>", "<header><h3>B</h3></header>"),
    ],
)
def test_fit_headings(html: str, expected: str) -> None:
    assert fit_headings(html, 3) == expected


def test_no_sample_group_page_has_a_second_h1_or_a_body_h2(sample_site: Built) -> None:
    pages = sorted((sample_site.site / "groups").glob("*/index.html"))
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert len(page.select("h1")) == 1, path
        intro = page.select_one("h2#intro")
        if intro is None:
            continue  # a list page (inactive/), not a group
        body = intro.find_parent("section").find_all(["h1", "h2", "h3", "h4", "h5", "h6"])[1:]
        assert all(h.name not in ("h1", "h2") for h in body), path
        assert not body or body[0].name == "h3", path
