"""News posts and every RSS/Atom feed, parsed as feed readers parse them."""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from .conftest import (
    PNG,
    SITE_URL,
    Built,
    build_project,
    feeds_in,
    group_file,
    page_exists,
    run_civic,
    write_project,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def post(date: str, title: str, category: str, **extra: object) -> str:
    import yaml

    data = {"title": title, "date": date, "category": category, **extra}
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n本文です。\n"


NEWS = {
    "news/2026-11-20-kikin.md": post(
        "2026-11-20",
        "応援基金の募集",
        "助成金情報",
        expires="2027-01-15",
        groups=["hidamari"],
        summary="上限30万円",
    ),
    "news/2026-10-01-closed.md": post(
        "2026-10-01", "締め切った助成", "助成金情報", expires="2026-10-31"
    ),
    "news/2026-11-18-koza.md": post(
        "2026-11-18 10:00", "会計講座 <第1回> & 交流会", "講座・イベント"
    ),
    "news/2026-09-05-volunteer.md": post(
        "2026-09-05", "ボランティア募集", "ボランティア募集", groups=["hidamari"]
    ),
    "news/2026-08-01-oshirase.md": post("2026-08-01", "開館時間の変更", "お知らせ"),
}
EVENTS = [
    {
        "title": "サロン",
        "id": "salon",
        "start": "2026-12-01 10:00",
        "end": "12:00",
        "repeat": "毎週火曜",
        "until": "2027-01-31",
    }
]


def _groups() -> dict[str, str]:
    return {
        "hidamari.md": group_file(
            name="ひだまり", kana="ひだまり", fields=["子どもの健全育成"], events=EVENTS
        ),
        "sports-club.md": group_file(
            name="スポーツクラブ", kana="すぽーつくらぶ", fields=["学術・文化・芸術・スポーツ"]
        ),
    }


@pytest.fixture
def built(make_site: Callable[..., Built]) -> Built:
    return make_site(
        _groups(), content=NEWS, plugin={"news": {"per_page": 2}, "feeds": {"max_entries": 4}}
    )


def test_every_feed_parses_and_has_what_readers_need(built: Built) -> None:
    feeds = feeds_in(built.site)
    names = {str(p.relative_to(built.site)) for p in feeds}
    for expected in (
        "feed.xml",
        "atom.xml",
        "groups/feed.xml",
        "events/feed.xml",
        "news/categories/josei/feed.xml",
        "events/fields/kodomo/feed.xml",
        "groups/hidamari/feed.xml",
        "groups/hidamari/atom.xml",
    ):
        assert expected in names, expected
    for path in feeds:
        raw = path.read_bytes()
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        tree = etree.fromstring(raw)
        self_url = SITE_URL + str(path.relative_to(built.site))
        if path.name == "feed.xml":
            channel = tree.find("channel")
            for tag in ("title", "link", "description", "language", "lastBuildDate"):
                assert channel.findtext(tag), (path, tag)
            assert channel.findtext("language") == "ja"
            assert channel.find(f"{ATOM}link[@rel='self']").get("href") == self_url
            assert page_exists(built.site, channel.findtext("link"))
            for item in channel.findall("item"):
                for tag in ("title", "link", "guid", "pubDate"):
                    assert item.findtext(tag), (path, tag)
                assert re.fullmatch(
                    r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0900", item.findtext("pubDate")
                )
                assert email.utils.parsedate_to_datetime(
                    item.findtext("pubDate")
                ).utcoffset() == dt.timedelta(hours=9)
                assert page_exists(built.site, item.findtext("link"))
        else:
            assert tree.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
            for tag in ("id", "title", "updated"):
                assert tree.findtext(f"{ATOM}{tag}"), (path, tag)
            assert tree.find(f"{ATOM}author/{ATOM}name").text
            assert tree.find(f"{ATOM}link[@rel='self']").get("href") == self_url
            for entry in tree.findall(f"{ATOM}entry"):
                assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}title")
                assert re.fullmatch(
                    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00", entry.findtext(f"{ATOM}updated")
                )
                assert page_exists(built.site, entry.find(f"{ATOM}link").get("href"))


def test_news_feed_follows_the_sources(built: Built) -> None:
    rss = feedparser.parse((built.site / "feed.xml").read_bytes())
    assert [e.title for e in rss.entries] == [
        "応援基金の募集",
        "会計講座 <第1回> & 交流会",
        "【受付終了】締め切った助成",
        "ボランティア募集",
    ]
    assert (
        rss.entries[0].link == SITE_URL + "news/2026-11-20-kikin/"
        and rss.entries[0].id == rss.entries[0].link
    )
    assert rss.entries[0].summary == "上限30万円"
    assert rss.entries[1].published_parsed[:5] == (2026, 11, 18, 1, 0)  # 10:00 JST
    category = feedparser.parse((built.site / "news/categories/josei/atom.xml").read_bytes())
    assert [e.title for e in category.entries] == ["応援基金の募集", "【受付終了】締め切った助成"]
    raw = (built.site / "feed.xml").read_text()
    assert "<第1回>" not in raw and "&lt;第1回&gt; &amp;" in raw  # escaped


def test_group_event_and_groups_feeds(built: Built) -> None:
    group = feedparser.parse((built.site / "groups/hidamari/feed.xml").read_bytes())
    titles = [e.title for e in group.entries]
    assert titles[:2] == ["応援基金の募集", "ボランティア募集"] and any(
        "サロン" in t for t in titles
    )
    assert len(titles) == 4  # max_entries
    # each group's and each field's feed is its own (they are made lazily, in another process)
    assert feedparser.parse((built.site / "groups/sports-club/feed.xml").read_bytes()).entries == []
    kodomo = feedparser.parse((built.site / "events/fields/kodomo/feed.xml").read_bytes())
    assert kodomo.entries and all("サロン" in e.title for e in kodomo.entries)
    assert (
        feedparser.parse((built.site / "events/fields/bunka/feed.xml").read_bytes()).entries == []
    )
    events = feedparser.parse((built.site / "events/atom.xml").read_bytes())
    assert events.entries[0].title == "2026年12月1日（火）10:00 サロン"
    assert events.entries[0].id == SITE_URL + "events/hidamari-salon/#2026-12-01T10:00:00+09:00"
    assert len({e.id for e in events.entries}) == len(events.entries) == 4
    groups = feedparser.parse((built.site / "groups/feed.xml").read_bytes())
    assert {e.title for e in groups.entries} == {"ひだまり", "スポーツクラブ"}


def test_feeds_are_byte_identical_across_builds(tmp_path: Path) -> None:
    config = write_project(tmp_path / "p", _groups(), content=NEWS)
    first, second = build_project(config, tmp_path / "a"), build_project(config, tmp_path / "b")
    for path in feeds_in(first):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("", "feed.xml"),
        ("groups/hidamari", "groups/hidamari/feed.xml"),
        ("events", "events/feed.xml"),
        ("groups", "groups/feed.xml"),
        ("news/categories/josei", "news/categories/josei/feed.xml"),
        ("groups/fields/kodomo", "events/fields/kodomo/feed.xml"),
    ],
)
def test_pages_advertise_their_feeds(built: Built, page: str, feed: str) -> None:
    from urllib.parse import urljoin

    html = built.html(page)
    base = SITE_URL + (page + "/" if page else "")
    links = html.select("link[rel=alternate][type='application/rss+xml']")
    hrefs = [urljoin(base, link["href"]) for link in links]
    assert SITE_URL + feed in hrefs and SITE_URL + "feed.xml" in hrefs
    assert html.select("link[rel=alternate][type='application/atom+xml']")


def test_news_pages(built: Built) -> None:
    first = built.html("news")
    assert [a.get_text() for a in first.select(".civic-news__title a")] == [
        "応援基金の募集",
        "会計講座 <第1回> & 交流会",
    ]
    assert first.select_one("a[rel=next]")["href"] == "page/2/"
    third = built.html("news/page/3")
    assert [a.get_text() for a in third.select(".civic-news__title a")] == ["開館時間の変更"]
    assert third.select_one("a[rel=prev]")["href"] == "../2/"
    closed = built.html("news/2026-10-01-closed")
    assert "受付終了しました" in closed.select_one(".civic-status-banner").get_text()
    open_call = built.html("news/2026-11-20-kikin")
    assert "締め切り: 2027年1月15日（金）" in open_call.get_text()
    assert open_call.select_one("#related-groups ~ ul a")["href"] == "../../groups/hidamari/"
    josei = built.html("news/categories/josei")
    assert len(josei.select(".civic-news")) == 2 and "受付終了" in josei.get_text()
    home = built.html("")
    assert len(home.select(".civic-news")) == 3


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        (
            "news/2026-11-20-x.md",
            post("2026-11-20", "x", "雑談"),
            "category: 「雑談」はお知らせの分類の一覧にありません",
        ),
        (
            "news/2026-11-20-x.md",
            post("2026-11-21", "x", "お知らせ"),
            "date: date（2026-11-21）とファイル名の日付が違います",
        ),
        (
            "news/2026-11-20-x.md",
            post("2026-11-20", "x", "お知らせ", groups=["nobody"]),
            "groups[0]: 「nobody」という団体ファイルはありません",
        ),
        (
            "news/2026-11-20-x.md",
            post("2026-11-20", "x", "お知らせ", autor="me"),
            "autor: 「autor」という項目はありません",
        ),
        ("news/oshirase.md", post("2026-11-20", "x", "お知らせ"), "file: お知らせのファイル名は"),
    ],
)
def test_news_problems_are_reported_by_civic_check(
    tmp_path: Path, name: str, text: str, fragment: str
) -> None:
    config = write_project(tmp_path, _groups(), content={name: text})
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert run.returncode == 1
    assert any(
        line.startswith(f"content/{name}:") and fragment in line for line in run.stdout.splitlines()
    ), run.stdout


def test_site_url_is_required(tmp_path: Path) -> None:
    config = write_project(tmp_path, _groups())
    config.write_text(config.read_text().replace("site_url: https://portal.example.jp/\n", ""))
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert run.returncode == 1 and "mkdocs.yml:1: site_url:" in run.stdout


def test_group_dates_come_from_git_history(tmp_path: Path) -> None:
    """Added = first commit, changed = last commit; the groups feed says （更新） for changed ones."""
    config = write_project(tmp_path, _groups())
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.jp",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.jp",
    }

    def git(*args: str, when: str) -> None:
        subprocess.run(
            ["git", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            env={**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when},
        )

    git("init", "-q", when="2026-01-01T00:00:00+09:00")
    git("add", "-A", when="2026-01-01T00:00:00+09:00")
    git("commit", "-qm", "add", when="2026-01-10T09:00:00+09:00")
    group = tmp_path / "groups" / "hidamari.md"
    group.write_text(group.read_text().replace("テストの団体です。", "親子の居場所です。"))
    git("commit", "-qam", "edit", when="2026-11-01T09:00:00+09:00")
    site = build_project(config, tmp_path / "site")
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((site / "groups" / name).read_bytes())
        entries = {e.title: e for e in feed.entries}
        when = (
            "published_parsed" if name == "feed.xml" else "updated_parsed"
        )  # RSS has pubDate only
        changed = entries["ひだまり（更新）"]
        assert changed[when][:4] == (2026, 11, 1, 0)  # 09:00 JST
        assert (
            changed.id == SITE_URL + "groups/hidamari/#20261101090000"
        )  # a new guid for the change
        assert entries["スポーツクラブ"][when][:3] == (2026, 1, 10)
    ics = (site / "groups/hidamari/events.ics").read_text()
    assert "DTSTAMP:20261101T000000Z" in ics  # the file's last change, not the build time


def test_news_image(make_site: Callable[..., Built], tmp_path: Path) -> None:
    png = PNG
    content = {
        "news/2026-11-20-festa.md": post(
            "2026-11-20", "フェスタ", "講座・イベント", image="images/festa.png"
        )
    }
    root = tmp_path / "project"
    (root / "content/news/images").mkdir(parents=True)
    (root / "content/news/images/festa.png").write_bytes(png)
    built = make_site(_groups(), content=content)
    img = built.html("news/2026-11-20-festa").select_one("img.civic-news__image")
    assert img["alt"] == "フェスタ" and (built.site / "news/images/festa.png").read_bytes() == png


@pytest.mark.parametrize(
    ("image", "fragment"),
    [
        ("images/none.png", "見つかりません"),
        ("../../secret.png", "content/ の中"),
        ("images/x.svg", "SVG"),
    ],
)
def test_news_image_problems(tmp_path: Path, image: str, fragment: str) -> None:
    config = write_project(
        tmp_path,
        _groups(),
        content={"news/2026-11-20-x.md": post("2026-11-20", "x", "お知らせ", image=image)},
    )
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert (
        run.returncode == 1
        and "content/news/2026-11-20-x.md:5: image:" in run.stdout
        and fragment in run.stdout
    )


def test_pages_hold_per_page_items_until_the_last(make_site: Callable[..., Built]) -> None:
    """9 posts at 4 a page: 4, 4, 1 (not 3, 3, 3)."""
    posts = {
        f"news/2026-10-{day:02d}-p{day}.md": post(f"2026-10-{day:02d}", f"記事{day}", "お知らせ")
        for day in range(1, 10)
    }
    built = make_site(_groups(), content=posts, plugin={"news": {"per_page": 4}})
    sizes = [
        len(built.html(url).select(".civic-news")) for url in ("news", "news/page/2", "news/page/3")
    ]
    assert sizes == [4, 4, 1]
    assert not (built.site / "news/page/4").exists()


def test_entry_points_are_in_an_automatic_navigation(tmp_path: Path) -> None:
    config = write_project(tmp_path / "p", _groups(), content=NEWS)
    import yaml

    data = yaml.safe_load(config.read_text())
    del data["nav"]  # MkDocs builds the navigation itself
    config.write_text(yaml.safe_dump(data, allow_unicode=True))
    site = build_project(config, tmp_path / "site")
    from bs4 import BeautifulSoup

    home = BeautifulSoup((site / "index.html").read_text(), "lxml")
    links = {a.get("href") for a in home.select(".md-nav--primary a.md-nav__link")}
    assert {"groups/", "events/", "news/"} <= links
    assert "groups/hidamari/" not in links and "news/page/2/" not in links
