"""render/feeds.py on hand-made entries: RSS 2.0 and Atom 1.0 as feed readers parse them."""

from __future__ import annotations

import datetime as dt
import email.utils
import html

import feedparser
import pytest
from lxml import etree

from civic_portal.render.feeds import FeedEntry, FeedSpec, feed_documents

from ..conftest import NOW, SITE_URL, TOKYO

ATOM = "{http://www.w3.org/2005/Atom}"
SPEC = FeedSpec(
    title="お知らせ｜テスト市 市民活動ポータル",
    description="センターから <b>お知らせ</b> & 助成金",
    page=SITE_URL + "news/",
    rss=SITE_URL + "feed.xml",
    atom=SITE_URL + "atom.xml",
    author="テスト市 市民活動センター",
    fallback_updated=NOW,
)


def _entry(
    slug: str, day: int, summary: str = "", fragment: str = "", edited: dt.datetime | None = None
) -> FeedEntry:
    link = f"{SITE_URL}news/{slug}/"
    return FeedEntry(
        id=link + fragment,
        title=f"記事 {slug}",
        link=link,
        updated=edited or dt.datetime(2026, 11, day, 18, 30, tzinfo=TOKYO),
        published=dt.datetime(2026, 11, day, 9, 0, tzinfo=TOKYO),
        summary=summary,
    )


# Newest first, as the news feed's caller orders them; "b" was edited after "c" was published.
ENTRIES = [
    _entry("c", 20, "<b>太字</b> & <script>alert(1)</script>"),
    _entry("b", 15, fragment="#20261115", edited=dt.datetime(2026, 11, 21, 8, 0, tzinfo=TOKYO)),
    _entry("a", 10),
]


def test_rss_parses_in_the_given_order_with_offsets() -> None:
    rss, _ = feed_documents(SPEC, ENTRIES, limit=10)
    parsed = feedparser.parse(rss)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == SPEC.title
    assert parsed.feed.link == SPEC.page
    assert parsed.feed.language == "ja"
    assert [e.title for e in parsed.entries] == ["記事 c", "記事 b", "記事 a"]
    assert [e.link for e in parsed.entries] == [e.link for e in ENTRIES]
    channel = etree.fromstring(rss).find("channel")
    assert channel.find(f"{ATOM}link[@rel='self']").get("href") == SPEC.rss
    dates = [email.utils.parsedate_to_datetime(i.findtext("pubDate")) for i in channel.iter("item")]
    assert dates == [e.published for e in ENTRIES]
    assert all(d.utcoffset() == dt.timedelta(hours=9) for d in dates)
    assert channel.findtext("item/pubDate") == "Fri, 20 Nov 2026 09:00:00 +0900"
    # The channel changed when its latest entry did: "b", edited on the 21st.
    assert channel.findtext("lastBuildDate") == "Sat, 21 Nov 2026 08:00:00 +0900"


def test_rss_guid_is_a_permalink_only_when_it_is_the_link() -> None:
    rss, _ = feed_documents(SPEC, ENTRIES, limit=10)
    guids = etree.fromstring(rss).findall("channel/item/guid")
    assert [(g.text, g.get("isPermaLink")) for g in guids] == [
        (SITE_URL + "news/c/", "true"),
        (SITE_URL + "news/b/#20261115", "false"),
        (SITE_URL + "news/a/", "true"),
    ]


def test_atom_parses_in_the_given_order_with_offsets() -> None:
    _, atom = feed_documents(SPEC, ENTRIES, limit=10)
    parsed = feedparser.parse(atom)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id == SPEC.page
    assert parsed.feed.author == SPEC.author
    assert [e.id for e in parsed.entries] == [e.id for e in ENTRIES]
    tree = etree.fromstring(atom)
    assert tree.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    links = {link.get("rel"): link.get("href") for link in tree.findall(f"{ATOM}link")}
    assert links == {"self": SPEC.atom, "alternate": SPEC.page}
    assert tree.findtext(f"{ATOM}updated") == "2026-11-21T08:00:00+09:00"
    entries = tree.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2026-11-20T18:30:00+09:00",
        "2026-11-21T08:00:00+09:00",
        "2026-11-10T18:30:00+09:00",
    ]
    assert [e.findtext(f"{ATOM}published") for e in entries] == [
        "2026-11-20T09:00:00+09:00",
        "2026-11-15T09:00:00+09:00",
        "2026-11-10T09:00:00+09:00",
    ]


@pytest.mark.parametrize("limit", [1, 2])
def test_limit_keeps_the_first_entries_and_their_dates(limit: int) -> None:
    rss, atom = feed_documents(SPEC, ENTRIES, limit=limit)
    assert [e.title for e in feedparser.parse(rss).entries] == ["記事 c", "記事 b"][:limit]
    assert [e.title for e in feedparser.parse(atom).entries] == ["記事 c", "記事 b"][:limit]
    # Only the entries kept count for "updated": with one entry, "b"'s later edit is not in it.
    expected = "2026-11-20T18:30:00+09:00" if limit == 1 else "2026-11-21T08:00:00+09:00"
    assert etree.fromstring(atom).findtext(f"{ATOM}updated") == expected


def test_no_entries_falls_back_to_the_given_time() -> None:
    rss, atom = feed_documents(SPEC, [], limit=10)
    assert feedparser.parse(rss).entries == []
    assert etree.fromstring(rss).findtext("channel/lastBuildDate") == (
        "Sat, 21 Nov 2026 12:00:00 +0900"
    )
    assert etree.fromstring(atom).findtext(f"{ATOM}updated") == "2026-11-21T12:00:00+09:00"


def test_rss_descriptions_are_escaped_text_never_markup() -> None:
    rss, _ = feed_documents(SPEC, ENTRIES, limit=10)
    channel = etree.fromstring(rss).find("channel")
    # Readers decode <description> as HTML: what they decode is our text, HTML-escaped once.
    summary = ENTRIES[0].summary
    assert channel.findtext("item/description") == html.escape(summary)
    assert channel.findtext("description") == html.escape(SPEC.description)
    assert len(channel.find("item/description")) == 0  # no child elements
    assert [i.find("description") for i in channel.findall("item")][1:] == [None, None]
    shown = feedparser.parse(rss).entries[0].summary
    assert "<script" not in shown and "<b>" not in shown
    assert html.unescape(shown) == summary  # what a reader shows is the text as written


def test_atom_summaries_are_text_elements() -> None:
    _, atom = feed_documents(SPEC, ENTRIES, limit=10)
    tree = etree.fromstring(atom)
    summary = tree.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") in (None, "text")  # Atom's default type is text
    assert summary.text == ENTRIES[0].summary  # not escaped a second time
    assert tree.findtext(f"{ATOM}subtitle") == SPEC.description
    parsed = feedparser.parse(atom).entries[0]
    assert parsed.summary_detail.type == "text/plain"


def test_documents_are_deterministic() -> None:
    assert feed_documents(SPEC, ENTRIES, 10) == feed_documents(SPEC, list(ENTRIES), 10)
