"""The repository's own sample portal builds strictly and is what the issue promises."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from civic_portal.load.groups import group_files

from .conftest import REPO, Built, feeds_in, page_exists


def test_every_group_file_yields_one_page_and_one_entry(sample_site: Built) -> None:
    files = group_files(REPO / "groups")
    assert len(files) >= 30
    directory = sample_site.html("groups")
    listed = {li["id"].removeprefix("g-") for li in directory.select("li.civic-card")}
    inactive = {
        li["id"].removeprefix("g-")
        for li in sample_site.html("groups/inactive").select("li.civic-card")
    }
    assert listed.isdisjoint(inactive) and inactive
    assert listed | inactive == {f.stem for f in files}
    for f in files:
        assert (sample_site.site / "groups" / f.stem / "index.html").is_file()
    data = json.loads(sample_site.text("groups/index.json"))
    assert {row["s"] for row in data["groups"]} == listed


def test_sample_city_is_broad_enough(sample_site: Built) -> None:
    data = json.loads(sample_site.text("groups/index.json"))
    fields = {f for row in data["groups"] for f in row["f"]}
    areas = {a for row in data["groups"] for a in row.get("a", [])}
    assert len(fields) >= 10 and len(areas) >= 5
    rows = [h.get_text() for h in sample_site.html("groups").select(".civic-row h2")]
    assert rows == ["あ行", "か行", "さ行", "た行", "な行", "は行", "ま行", "や行", "ら行", "わ行"]


def test_home_shows_centre_newest_groups_and_directory_links(sample_site: Built) -> None:
    home = sample_site.html("")
    assert home.select(".civic-card") and home.select(".civic-browse a[href^='groups/fields/']")
    assert "市民活動センター" in home.get_text()


def test_search_bundle_and_pages_exist(sample_site: Built) -> None:
    assert (sample_site.site / "pagefind" / "pagefind.js").is_file()
    assert (sample_site.site / "search" / "index.html").is_file()
    # Material's lunr search is off: Pagefind replaces it.
    assert not (sample_site.site / "search" / "search_index.json").exists()


def test_editing_guide_documents_every_key(sample_site: Built) -> None:
    from civic_portal.load.group_contract import GROUP_KEYS

    text = sample_site.html("editing").get_text()
    missing = [key for key in GROUP_KEYS if key not in text]
    assert missing == []


def test_no_external_requests_in_pages(sample_site: Built) -> None:
    """Nothing is loaded from third parties (fonts, scripts); links may point anywhere."""
    for page in sample_site.site.rglob("*.html"):
        soup = sample_site.html(str(page.relative_to(sample_site.site)))
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for el in soup.find_all(tag):
                value = el.get(attr, "")
                if tag == "link" and el.get("rel") not in (["stylesheet"], ["preload"], ["icon"]):
                    continue
                assert not value.startswith(("http:", "https:", "//")), (page, value)


def test_every_sample_feed_parses_and_links_resolve(sample_site: Built) -> None:
    import feedparser

    feeds = feeds_in(sample_site.site)
    assert len(feeds) >= 2 * (3 + 20 + 38)  # site, groups, events; fields; groups
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, path
        for entry in parsed.entries:
            assert page_exists(sample_site.site, entry.link), (path, entry.link)


def test_every_card_and_occurrence_link_leads_to_its_page(sample_site: Built) -> None:
    """A group's card and an occurrence in a list are rendered once for each link they carry
    (civic_once in overrides/civic/macros.html), on pages at every depth (the directory, field
    and area lists, the home page, the events, month and place pages, a group's page): from every
    page, each such link leads to the page of the group or event named in it."""
    site = sample_site.site
    checked = 0
    for path in sorted(site.rglob("index.html")):
        if "pagefind" in path.parts or "admin" in path.parts:
            continue
        soup = BeautifulSoup(path.read_bytes(), "lxml")
        for a in soup.select(".civic-card__name a, .civic-occ__title a"):
            target = (path.parent / a["href"]).resolve() / "index.html"
            assert target.is_file(), (path, a["href"])
            heading = BeautifulSoup(target.read_bytes(), "lxml").select_one("h1")
            assert heading is not None and a.get_text(strip=True) in heading.get_text(), (
                path,
                a["href"],
            )
            checked += 1
    assert checked > 300
