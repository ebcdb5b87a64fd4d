"""Whole builds of small portals in tmp_path, asserting on the parsed HTML and JSON they write."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser
import jinja2
import pytest
import yaml
from bs4 import BeautifulSoup
from icalendar import Calendar
from mkdocs.exceptions import Abort

from civic_portal import plugin
from civic_portal.kana import fold
from civic_portal.outputs import feeds
from civic_portal.outputs import site as site_module
from civic_portal.outputs.writing import PREVIOUS_SITE, WriteInBackground
from civic_portal.render import ical

from .conftest import PNG, Built, build_project, group_file, write_project

GROUPS = {
    "wakaba-club.md": group_file(
        name="わかばクラブ", kana="わかばくらぶ", fields=["子どもの健全育成"], areas=["北部地区"]
    ),
    "aozora-kai.md": group_file(
        name="あおぞら会",
        kana="あおぞらかい",
        fields=["環境の保全"],
        areas=["中央地区"],
        tags=["ボランティア"],
    ),
    "garden-club.md": group_file(
        name="ガーデン倶楽部", kana="ガーデンくらぶ", fields=["まちづくり", "環境の保全"]
    ),
    "iruma-walk.md": group_file(
        name="入間台ウォーキングの会",
        kana="いるまだいうぉーきんぐのかい",
        fields=["学術・文化・芸術・スポーツ"],
        areas=["中央地区"],
    ),
    "kawanami-npo.md": group_file(
        name="ＮＰＯ法人 かわなみ",
        kana="かわなみ",
        fields=["連絡・助言・援助"],
        recruiting=[
            {"title": "会員募集", "until": "2027-01-31"},
            {"title": "終わった募集", "until": "2026-10-01"},
        ],
    ),
    "yasumi-kai.md": group_file(name="休みの会", kana="やすみのかい", status="inactive"),
}


def _cards(built: Built, url: str) -> list[str]:
    return [a.get_text(strip=True) for a in built.html(url).select(".civic-card__name a")]


def test_one_page_and_one_directory_entry_per_group(make_site: Callable[..., Built]) -> None:
    built = make_site(GROUPS)
    for name in GROUPS:
        slug = name.removesuffix(".md")
        assert (built.site / "groups" / slug / "index.html").is_file()
    directory = built.html("groups")
    ids = [li["id"] for li in directory.select("li.civic-card")]
    active = [n.removesuffix(".md") for n in GROUPS if n != "yasumi-kai.md"]
    assert sorted(ids) == sorted(f"g-{slug}" for slug in active)
    data = json.loads(built.text("groups/index.json"))
    assert sorted(row["s"] for row in data["groups"]) == sorted(active)


def test_directory_is_in_gojuon_order_with_an_index(make_site: Callable[..., Built]) -> None:
    built = make_site(GROUPS)
    assert _cards(built, "groups") == [
        "あおぞら会",
        "入間台ウォーキングの会",
        "ガーデン倶楽部",
        "ＮＰＯ法人 かわなみ",
        "わかばクラブ",
    ]
    page = built.html("groups")
    entries = page.select(".civic-kana-index li > *")
    # An empty row shows its letter and tells screen readers "さ行（該当なし）" in hidden text.
    index = {
        (el.find(attrs={"aria-hidden": "true"}) or el).get_text(strip=True): el.name
        for el in entries
    }
    assert index["あ"] == "a" and index["か"] == "a" and index["わ"] == "a"
    assert index["さ"] == "span"  # no group in さ行: not a link
    assert page.select_one("#row-ka-heading").get_text() == "か行"


def test_inactive_groups_are_listed_separately(make_site: Callable[..., Built]) -> None:
    built = make_site(GROUPS)
    assert "休みの会" not in _cards(built, "groups")
    assert _cards(built, "groups/inactive") == ["休みの会"]
    assert "現在、活動を休止しています" in built.html("groups/yasumi-kai").get_text()


def test_field_and_area_pages_work_without_javascript(make_site: Callable[..., Built]) -> None:
    built = make_site(GROUPS)
    assert _cards(built, "groups/fields/kankyo") == ["あおぞら会", "ガーデン倶楽部"]
    assert _cards(built, "groups/areas/chuo") == ["あおぞら会", "入間台ウォーキングの会"]
    assert _cards(built, "groups/fields/saigai") == []
    links = {
        a.get_text(strip=True): a["href"] for a in built.html("groups").select(".civic-browse a")
    }
    assert links["環境の保全"] == "fields/kankyo/"
    assert links["北部地区"] == "areas/kita/"


def test_group_page_shows_what_the_group_published(make_site: Callable[..., Built]) -> None:
    groups = {
        "full-group.md": group_file(
            name="ひだまりサロン",
            kana="ひだまりさろん",
            summary="親子の居場所です。",
            fields=["子どもの健全育成"],
            areas=["中央地区"],
            tags=["子育て"],
            activity="毎週火曜 10:00〜15:00",
            place="商店街の空き店舗",
            contact={"email": "hidamari@example.jp", "phone": "000-234-5678"},
            links={"instagram": "https://instagram.example.jp/hidamari"},
            recruiting=[
                {"title": "見守りボランティア", "detail": "1回2時間から", "until": "2027-03-31"},
                {"title": "過去の募集", "until": "2026-01-01"},
            ],
            logo="images/hidamari.png",
            founded=2019,
            members=18,
            body="## 活動のようす\n\n駅前で**サロン**を開いています。",
        )
    }
    built = make_site(
        groups,
        images={"hidamari.png": PNG},
        plugin={"edit_url": "https://github.com/example/portal/edit/main/"},
    )
    page = built.html("groups/full-group")
    h1 = page.select_one("h1")
    assert h1.get_text() == "ひだまりサロン"
    kana = page.select_one("#" + h1["aria-describedby"])
    assert kana.get_text() == "よみがな：ひだまりさろん"
    text = page.select_one("article").get_text(" ")
    for expected in (
        "親子の居場所です。",
        "子どもの健全育成",
        "中央地区",
        "子育て",
        "毎週火曜 10:00〜15:00",
        "商店街の空き店舗",
        "2019年",
        "18人",
        "見守りボランティア",
        "2027年3月31日",
    ):
        assert expected in text, expected
    assert "過去の募集" not in text  # expired recruiting is hidden
    assert page.select_one("a[href='tel:0002345678']").get_text() == "000-234-5678"
    assert page.select_one("a[href='mailto:hidamari@example.jp']")
    assert "担当" not in text and "所在地" not in text  # only what was published
    insta = page.select_one("a[href='https://instagram.example.jp/hidamari']")
    assert insta["rel"] == ["noopener", "nofollow", "ugc"]
    logo = page.select_one("img.civic-group__logo")  # a 1×1 file: offered as it is, never enlarged
    assert (logo["src"], logo["srcset"]) == (
        "../images/1/hidamari.png",
        "../images/1/hidamari.png 1w",
    )
    assert (built.site / "groups/images/hidamari.png").read_bytes() == PNG
    heading = page.find("h3", string="活動のようす")  # under the page's own h2 活動紹介
    assert heading is not None and heading.get("id")  # the sanitiser keeps heading ids for the TOC
    edit = page.find("a", string="このページの内容を編集する（団体の方へ）")
    assert edit["href"] == "https://github.com/example/portal/edit/main/groups/full-group.md"
    ld = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert ld["@type"] == "Organization" and ld["name"] == "ひだまりサロン"
    assert ld["url"] == "https://portal.example.jp/groups/full-group/"
    assert ld["logo"] == "https://portal.example.jp/groups/images/hidamari.png"
    assert ld["sameAs"] == ["https://instagram.example.jp/hidamari"]


def test_group_text_is_escaped_and_body_sanitised(make_site: Callable[..., Built]) -> None:
    hostile = '"><script>alert(1)</script>&lt;/title&gt;'
    groups = {
        "hostile-group.md": group_file(
            name=hostile,
            kana="あ",
            summary=hostile,
            tags=[hostile[:30]],
            body='<img src="images/ok.png" onerror="alert(2)"><script>alert(3)</script>[x](javascript:alert(4))\n\n<a href="https://example.jp" onclick="alert(5)">ok</a>',
        )
    }
    built = make_site(groups, images={"ok.png": PNG})
    for url in ("groups/hostile-group/index.html", "groups/index.html", "index.html"):
        raw = built.text(url)
        assert "<script>alert" not in raw, url
        assert "onerror" not in raw and "onclick" not in raw, url
        assert "javascript:alert" not in raw, url
    page = built.html("groups/hostile-group")
    assert page.title.get_text().startswith(hostile)
    assert page.select_one("meta[name=description]")["content"] == hostile
    ld = page.select_one("script[type='application/ld+json']").string
    assert "</script" not in ld and json.loads(ld)["name"] == hostile
    assert page.select_one("a[href='https://example.jp']")["rel"] == ["noopener", "nofollow", "ugc"]
    data = json.loads(built.text("groups/index.json"))
    assert data["groups"][0]["h"].startswith(fold(hostile))


def test_directory_json_supports_the_browser_filters(make_site: Callable[..., Built]) -> None:
    built = make_site(GROUPS)
    data = json.loads(built.text("groups/index.json"))
    rows = {row["s"]: row for row in data["groups"]}
    assert data["fields"][rows["aozora-kai"]["f"][0]] == "kankyo"
    assert data["areas"][rows["wakaba-club"]["a"][0]] == "kita"
    assert rows["kawanami-npo"].get("r") == 1 and "r" not in rows["aozora-kai"]

    def search(query: str) -> list[str]:
        terms = fold(query).split()
        return sorted(s for s, row in rows.items() if all(t in row["h"] for t in terms))

    assert search("ぼらんてぃあ") == ["aozora-kai"]  # tag ボランティア
    assert search("npo") == ["kawanami-npo"]  # name ＮＰＯ法人
    assert search("いるま") == ["iruma-walk"]  # the reading of 入間
    assert search("がーでん くらぶ") == ["garden-club"]
    assert search("かんきょう") == []


def test_generated_pages_stay_out_of_the_navigation(make_site: Callable[..., Built]) -> None:
    built = make_site(GROUPS)
    nav = built.html("groups/wakaba-club").select(".md-nav--primary a.md-nav__link")
    labels = {a.get_text(strip=True) for a in nav}
    assert "わかばクラブ" not in labels and "あおぞら会" not in labels


def test_group_page_size_does_not_grow_with_the_number_of_groups(tmp_path: Path) -> None:
    def page_size(extra: int) -> int:
        groups = dict(GROUPS)
        for i in range(extra):
            groups[f"extra-{i:03d}.md"] = group_file(
                name=f"追加の会{i}",
                kana=f"ついかのかい{'あ' * (i % 5)}",
                summary="追加した団体です。",
            )
        root = tmp_path / f"p{extra}"
        built = build_project(write_project(root, groups), tmp_path / f"s{extra}")
        return len((built / "groups/wakaba-club/index.html").read_bytes())

    assert page_size(0) == page_size(60)


def test_builds_are_deterministic_and_serve_safe(tmp_path: Path) -> None:
    """Two builds in one process (as `mkdocs serve` rebuilds) give identical files."""
    config = write_project(tmp_path / "p", GROUPS, plugin={"search": {"enabled": True}})
    first = build_project(config, tmp_path / "a")
    second = build_project(config, tmp_path / "b")
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    changed = [str(p) for p in files_a if (first / p).read_bytes() != (second / p).read_bytes()]
    assert changed == []
    assert any(str(p).startswith("pagefind/") for p in files_a)


def test_home_lists_the_newest_groups(make_site: Callable[..., Built]) -> None:
    built = make_site(GROUPS, plugin={"newest_groups": 3})
    home = built.html("")
    names = [a.get_text(strip=True) for a in home.select(".civic-card__name a")]
    assert len(names) == 3 and "休みの会" not in names
    assert home.select_one("form[role=search]")["action"] == "search/"


def test_a_content_page_cannot_take_a_generated_url(tmp_path: Path) -> None:
    config = write_project(tmp_path, GROUPS, content={"groups/wakaba-club.md": "# x\n"})
    with pytest.raises(Abort):
        build_project(config, tmp_path / "site")


def test_navigation_links_are_right_from_every_page(tmp_path: Path) -> None:
    """Pages outside the navigation share one rendering of it per folder (plugin.py): from
    every page, each navigation and tab link still leads to its page, also where a page in the
    navigation lies inside another page's folder (area/sub/ inside area/)."""
    content = {"other/index.md": "# その他\n"}
    config_file = _nested_nav_project(tmp_path / "p", {"test-group.md": group_file()}, content)
    site = build_project(config_file, tmp_path / "site", strict=False)
    pages = sorted(p for p in site.rglob("index.html") if "pagefind" not in p.parts)
    assert len(pages) > 8
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        links = soup.select(".md-nav--primary a.md-nav__link[href], .md-tabs a[href]")
        assert links, path
        for a in links:
            target = (path.parent / a["href"]).resolve()
            assert (target / "index.html").is_file() or target.is_file(), (path, a["href"])


def test_generated_pages_parse_their_markdown_as_mkdocs_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One Markdown parser, reset between pages, serves every generated page (plugin.py): each
    page is what MkDocs' own parser per page makes, and nothing of one page (a heading's id
    already used, a table, a definition list) carries over to the next."""
    body = (
        "## 活動内容\n\n毎月の活動です。{: #monthly }\n\n## 活動内容\n\n"
        "| 曜日 | 時間 |\n|---|---|\n| 土 | 10時 |\n\n持ち物\n:   筆記用具\n\n"
        '!!! note "お知らせ"\n    見学できます。\n\n<p id="raw">HTMLの段落</p>\n\n'
        "[センターへ](https://example.jp/) [行事へ](/events/)\n"
    )
    config_file = write_project(tmp_path / "p", _three_groups(body=body))
    shared = build_project(config_file, tmp_path / "shared", strict=False)
    monkeypatch.setattr(plugin._OneParser, "use_for", lambda self, page: None)
    own = build_project(config_file, tmp_path / "own", strict=False)
    assert len(_same_html(shared, own)) > 10
    for n in range(3):
        soup = BeautifulSoup((shared / f"groups/group-{n}/index.html").read_bytes(), "lxml")
        ids = [h["id"] for h in soup.select("article [id]") if h.get_text() == "活動内容"]
        assert ids == ["_1", "_2"], n  # MkDocs' default slugify; not _3, _4 on the next page


def test_partials_shared_by_a_folder_are_what_each_page_would_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Material's navigation, tabs, footer, logo and repository link, and the styles, scripts
    and settings of its base template, are rendered once per folder for pages outside the
    navigation (plugin._same_outside_the_nav): every page is byte for byte what rendering them
    for each page gives, the page a footer link points at too."""
    content = {"guides.md": "# 編集の手引き\n"}
    config_file = _nested_nav_project(tmp_path / "p", _three_groups(), content)
    shared = build_project(config_file, tmp_path / "shared", strict=False)
    monkeypatch.setattr(plugin, "_SAME_IN_A_FOLDER", ())
    monkeypatch.setattr(plugin, "_BASE_BLOCKS_IN_A_FOLDER", ())
    own = build_project(config_file, tmp_path / "own", strict=False)
    pages = _same_html(shared, own)
    assert Path("guides/index.html") in pages and len(pages) > 12


def _nested_nav_project(root: Path, groups: dict[str, str], content: dict[str, str]) -> Path:
    """A project whose navigation holds a page inside another page's folder (area/sub/ inside
    area/), with `content` besides; returns its mkdocs.yml."""
    content = {"area/index.md": "# 地区\n", "area/sub.md": "# 地区の詳細\n", **content}
    content.setdefault("other/more.md", "# さらに\n")
    config_file = write_project(root, groups, content=content)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["nav"] = [{"ホーム": "index.md"}, {"詳細": "area/sub.md"}, {"検索": "search.md"}]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return config_file


def _three_groups(**front: object) -> dict[str, str]:
    return {
        f"group-{n}.md": group_file(name=f"団体{n}", kana="だんたい" + "いにさ"[n], **front)
        for n in range(3)
    }


def _same_html(site: Path, other: Path) -> list[Path]:
    """Every HTML page of `other` (relative paths), each asserted byte for byte the same in
    `site`."""
    pages = sorted(p.relative_to(other) for p in other.rglob("*.html"))
    for page in pages:
        assert (site / page).read_bytes() == (other / page).read_bytes(), page
    return pages


def test_generated_files_are_written_by_a_process_of_their_own(tmp_path: Path) -> None:
    """Calendars, feeds and data files go to a writing process as soon as they are known, each
    file's text let go of once handed over; it makes the folders and writes the bytes."""
    taken: list[str] = []

    def content(path: str, data: bytes) -> tuple[str, Callable[[], bytes]]:
        def take() -> bytes:
            taken.append(path)
            return data

        return path, take

    files = [
        content(f"events/e{n}/calendar.ics", f"BEGIN:VCALENDAR {n}".encode()) for n in range(300)
    ]
    files.append(content("opendata/events.csv", "名称\r\n".encode("utf-8-sig")))
    writer = WriteInBackground(tmp_path / "site", files)
    assert writer.done() == 301
    assert len(taken) == 301
    assert (tmp_path / "site/events/e7/calendar.ics").read_bytes() == b"BEGIN:VCALENDAR 7"
    assert (tmp_path / "site/opendata/events.csv").read_bytes() == "名称\r\n".encode("utf-8-sig")


def test_calendars_and_feeds_are_made_by_the_writing_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build hands the writing process the site's model, and the process makes the
    calendars, feeds and data files itself (outputs.site.made_by): the build's own process
    serialises no event and writes no feed, and the files are all there and whole."""

    def not_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("made by the build's own process")

    monkeypatch.setattr(feeds, "feed_documents", not_here)
    monkeypatch.setattr(ical.Calendars, "calendar", not_here)
    monkeypatch.setattr(site_module, "directory_json", not_here)
    event = {"title": "清掃活動", "id": "seiso", "start": "2026-12-05 10:00", "end": "11:00"}
    config_file = write_project(tmp_path / "p", _three_groups(events=[event]))
    site = build_project(config_file, tmp_path / "site", strict=False)
    calendar = Calendar.from_ical((site / "groups/group-0/events.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["清掃活動"]
    group_feed = feedparser.parse((site / "groups/group-1/feed.xml").read_bytes())
    assert not group_feed.bozo and "清掃活動" in group_feed.entries[0].title
    directory = json.loads((site / "groups/index.json").read_text(encoding="utf-8"))
    assert len(directory["groups"]) == 3


def test_the_previous_site_is_deleted_beside_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second `mkdocs build` into the same folder moves the first one's files aside and has a
    process of its own delete them (outputs.writing.set_aside): the build's thread deletes
    nothing, what the new build does not write is gone, hidden files stay as MkDocs keeps them,
    and no folder set aside is left, also one an interrupted build left."""
    config_file = write_project(tmp_path / "p", _three_groups())
    site = build_project(config_file, tmp_path / "site", strict=False)
    first = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    (site / "stale.html").write_text("old", encoding="utf-8")
    (site / "groups" / "gone").mkdir()
    (site / ".nojekyll").write_text("", encoding="utf-8")
    (site / f"{PREVIOUS_SITE}interrupted" / "x").mkdir(parents=True)

    def not_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("deleted by the build's own thread")

    monkeypatch.setattr(shutil, "rmtree", not_here)
    monkeypatch.setattr(os, "unlink", not_here)
    build_project(config_file, site, strict=False)
    monkeypatch.undo()
    again = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert again == sorted([*first, Path(".nojekyll")])
    assert not (site / "groups" / "gone").exists()
    assert [p.name for p in site.iterdir() if p.name.startswith(".")] == [".nojekyll"]


def test_a_build_compiles_no_template_an_earlier_one_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates are kept between builds (plugin._templates_kept): a second build of
    the same portal compiles none, and writes the same pages."""
    config_file = write_project(tmp_path / "p", _three_groups())
    first = build_project(config_file, tmp_path / "first", strict=False)
    compiled: list[str | None] = []
    compile_ = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: str | None = None, *a: Any) -> Any:
        compiled.append(name)
        return compile_(self, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    second = build_project(config_file, tmp_path / "second", strict=False)
    assert compiled == []
    assert len(_same_html(first, second)) > 10


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.txt", "not a path in the site: ../outside.txt"),
        ("taken/x.ics", "^taken/x.ics: File exists$"),
    ],
)
def test_a_file_that_cannot_be_written_is_the_build_s_error(
    tmp_path: Path, path: str, message: str
) -> None:
    """Nothing is written outside the site; a file the system refuses (here, a folder's name
    taken by a file) ends the writing with its error, which the build reports."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "taken").write_text("a file", encoding="utf-8")
    writer = WriteInBackground(tmp_path / "site", [(path, lambda: b"data")])
    with pytest.raises(RuntimeError, match=message):
        writer.done()
    assert not (tmp_path / "outside.txt").exists()
