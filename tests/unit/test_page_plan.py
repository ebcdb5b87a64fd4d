"""pages.plan_pages on a tiny hand-made Site: which pages exist, which are entry points, and
which template renders each."""

from __future__ import annotations

import datetime as dt

from civic_portal.model import Site
from civic_portal.model.news import NewsCategory, NewsItem
from civic_portal.model.newsletter import Newsletter
from civic_portal.model.places import Address, Place
from civic_portal.pages import NO_METADATA, TEMPLATES, NewsPage, plan_pages

from ..conftest import CHUO, KITA, KODOMO, MACHIZUKURI, NOW, TOKYO, make_event, make_group

OSHIRASE = NewsCategory("oshirase", "お知らせ")
JOSEI = NewsCategory("josei", "助成金情報")
SALON = make_event("hidamari-salon", description="親子で遊べるサロンです。\n二行目")
ALPHA = make_group("alpha", name="アルファの会", kana="あるふぁのかい", events=(SALON,))
BETA = make_group("beta", name="ベータの会", kana="べーたのかい", status="inactive")


def _news(day: int, slug: str) -> NewsItem:
    return NewsItem(
        src_uri=f"news/2026-11-{day:02d}-{slug}.md",
        source=f"content/news/2026-11-{day:02d}-{slug}.md",
        title=f"お知らせ {slug}",
        published=dt.datetime(2026, 11, day, 9, 0, tzinfo=TOKYO),
        category=OSHIRASE,
    )


ISSUE = Newsletter(
    id="2026-12",
    src_uri="newsletters/2026-12.md",
    source="content/newsletters/2026-12.md",
    title="しみんの広場",
    volume=12,
    date=dt.date(2026, 12, 1),
    period=(dt.date(2026, 12, 1), dt.date(2027, 1, 31)),
    sections=("events",),
    body="本文",
)
HALL = Place(
    "chuo-kominkan",
    "中央公民館",
    "ちゅうおうこうみんかん",
    Address("000-0001", "川波県", "川波市", "中央1-2-3"),
)
SITE = Site(
    places=(HALL,),
    groups=(ALPHA, BETA),
    fields=(MACHIZUKURI, KODOMO),
    areas=(CHUO, KITA),
    now=NOW,
    window=(dt.date(2026, 11, 1), dt.date(2027, 1, 31)),
    news=(_news(20, "c"), _news(15, "b"), _news(10, "a")),
    news_categories=(OSHIRASE, JOSEI),
    newsletters=(ISSUE,),
)
EXPECTED = [
    "groups/index.md",
    "groups/alpha.md",
    "groups/beta.md",  # inactive groups keep their page
    "groups/fields/machizukuri.md",
    "groups/fields/kodomo.md",
    "groups/areas/chuo.md",
    "groups/areas/kita.md",
    "groups/inactive.md",
    "events/index.md",
    "events/2026/11.md",
    "events/2026/12.md",
    "events/2027/01.md",
    "events/hidamari-salon.md",
    "news/index.md",
    "news/page/2.md",
    "news/categories/oshirase.md",
    "news/categories/josei.md",
    "news/2026-11-20-c.md",
    "news/2026-11-15-b.md",
    "news/2026-11-10-a.md",
    "places/index.md",  # the venue register's list and a page per venue
    "places/chuo-kominkan.md",
    "newsletters/index.md",
    "newsletters/2026-12.md",
]


def test_every_page_of_a_tiny_site_in_a_stable_order() -> None:
    assert list(plan_pages(SITE, news_per_page=2)) == EXPECTED


def test_entry_points() -> None:
    pages = plan_pages(SITE, news_per_page=2)
    entry = [uri for uri, spec in pages.items() if spec.entry_point]
    assert entry == ["groups/index.md", "events/index.md", "news/index.md", "newsletters/index.md"]


def test_templates_and_kinds() -> None:
    pages = plan_pages(SITE, news_per_page=2)
    kinds = {uri: spec.kind for uri, spec in pages.items()}
    assert kinds["groups/alpha.md"] == "group"
    assert kinds["groups/fields/kodomo.md"] == "field"
    assert kinds["events/2026/12.md"] == "month"
    assert kinds["news/page/2.md"] == "news"
    assert kinds["news/2026-11-10-a.md"] == "news_item"
    templates = {uri: spec.template for uri, spec in pages.items()}
    assert templates == {
        "groups/index.md": "civic/directory.html",
        "groups/alpha.md": "civic/group.html",
        "groups/beta.md": "civic/group.html",
        "groups/fields/machizukuri.md": "civic/list.html",
        "groups/fields/kodomo.md": "civic/list.html",
        "groups/areas/chuo.md": "civic/list.html",
        "groups/areas/kita.md": "civic/list.html",
        "groups/inactive.md": "civic/list.html",
        "events/index.md": "civic/events.html",
        "events/2026/11.md": "civic/month.html",
        "events/2026/12.md": "civic/month.html",
        "events/2027/01.md": "civic/month.html",
        "events/hidamari-salon.md": "civic/event.html",
        "news/index.md": "civic/news.html",
        "news/page/2.md": "civic/news.html",
        "news/categories/oshirase.md": "civic/news.html",
        "news/categories/josei.md": "civic/news.html",
        "news/2026-11-20-c.md": "civic/news_item.html",
        "news/2026-11-15-b.md": "civic/news_item.html",
        "news/2026-11-10-a.md": "civic/news_item.html",
        "places/index.md": "civic/places.html",
        "places/chuo-kominkan.md": "civic/place.html",
        "newsletters/index.md": "civic/newsletters.html",
        "newsletters/2026-12.md": "civic/newsletter.html",
    }
    assert set(TEMPLATES) == {spec.kind for spec in pages.values()}  # every kind is planned


def test_titles_subjects_and_descriptions() -> None:
    pages = plan_pages(SITE, news_per_page=2)
    assert pages["groups/alpha.md"].title == "アルファの会"
    assert pages["groups/alpha.md"].subject is ALPHA
    assert pages["groups/alpha.md"].description == ALPHA.summary
    assert pages["groups/fields/machizukuri.md"].title == "まちづくりの団体"
    assert pages["groups/areas/kita.md"].title == "北部地区の団体"
    assert pages["events/2026/12.md"].title == "2026年12月のイベント"
    assert pages["events/2026/12.md"].subject == (2026, 12)
    assert pages["events/hidamari-salon.md"].description == "親子で遊べるサロンです。"
    assert pages["news/index.md"].title == "お知らせ"
    assert pages["news/page/2.md"].title == "お知らせ（2ページ目）"
    assert pages["news/page/2.md"].subject == NewsPage(2, 2, 2)
    assert pages["newsletters/2026-12.md"].title == "しみんの広場 vol.12"
    assert pages["groups/inactive.md"].description == "活動休止中の団体の一覧です。"
    assert pages["news/2026-11-20-c.md"].description == "お知らせ c"  # no summary: its title
    assert pages["places/chuo-kominkan.md"].description.startswith(
        "中央公民館（〒000-0001 川波県川波市中央1-2-3）"
    )


def test_group_written_markdown_never_starts_a_metadata_block() -> None:
    pages = plan_pages(SITE, news_per_page=2)
    assert pages["groups/alpha.md"].markdown == NO_METADATA + ALPHA.body
    assert pages["events/hidamari-salon.md"].markdown == NO_METADATA + SALON.description
    assert pages["groups/index.md"].markdown == ""


def test_an_empty_site_still_has_its_lists() -> None:
    window = (dt.date(2026, 11, 21), dt.date(2026, 11, 30))
    empty = Site(groups=(), fields=(MACHIZUKURI,), areas=(), now=NOW, window=window)
    pages = plan_pages(empty)
    assert list(pages) == [
        "groups/index.md",
        "groups/fields/machizukuri.md",
        "groups/inactive.md",
        "events/index.md",
        "events/2026/11.md",  # every month of the window, even without events
        "news/index.md",  # one news page even with no news
        "newsletters/index.md",
    ]
    assert pages["news/index.md"].subject == NewsPage(1, 1, 10)


def test_news_pages_follow_the_page_size() -> None:
    assert [u for u in plan_pages(SITE, news_per_page=1) if u.startswith("news/page/")] == [
        "news/page/2.md",
        "news/page/3.md",
    ]
    assert not [u for u in plan_pages(SITE, news_per_page=3) if u.startswith("news/page/")]
