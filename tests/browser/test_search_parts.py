"""The site search over an index in parts (a large portal's), in a real browser: the same
answers as one index, a word found nowhere answers nothing, and Pagefind's stand-in for a
missing word (the longest indexed word it begins with) never answers a query."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import REPO, Built, build_project, write_project
from .browser_support import browser, needs_browser, open_page, serve

pytestmark = needs_browser
__all__ = ["browser"]  # fixtures, used by name

# Words of two letters or more: a one-letter word is searched as a prefix, and Pagefind loads
# only the index chunk where the prefix itself would sit (see the README's search notes).
QUERIES = (
    "ボランティア",
    "ぼらんてぃあ",
    "子ども食堂",
    "おもちゃ病院",
    "読み聞かせ",
    "ＮＰＯ法人 フードバンク",
    "フードバンク ＮＰＯ法人",
    "ごみぜろ",
    "講座",
    "NPO",
    "子ども食堂 存在しない語",
)


@pytest.fixture(scope="module")
def parts_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample portal with its index in small parts (as 3,000 groups would be)."""
    site = tmp_path_factory.mktemp("parts") / "site"

    def small_parts(config: Any) -> None:
        config.plugins["civic"].config["search"]["part_tokens"] = 5000

    return build_project(REPO / "mkdocs.yml", site, adjust=small_parts)


def search(browser: Any, url: str, query: str) -> tuple[int, list[str]]:
    """How many pages the search page finds for `query`, and the first ones' addresses."""
    with open_page(browser) as page:
        page.goto(url + "search/?q=" + query)
        page.wait_for_function(
            "(() => { const s = document.getElementById('site-status').textContent;"
            " return s && !s.includes('検索しています') && (s.includes('見つかりません')"
            " || document.querySelector('#site-results li')); })()"
        )
        status = page.inner_text("#site-status")
        hrefs = page.eval_on_selector_all("#site-results a", "e => e.map(a => a.pathname)")
    found = re.search(r"(\d+)件", status)
    return (int(found.group(1)) if found else 0), hrefs


@pytest.fixture(scope="module")
def urls(sample_site: Built, parts_site: Path) -> Iterator[tuple[str, str]]:
    with serve(sample_site.site) as whole, serve(parts_site) as parts:
        yield whole, parts


def test_an_index_in_parts_answers_as_one_index(
    browser: Any, urls: tuple[str, str], parts_site: Path
) -> None:
    assert len(json.loads((parts_site / "pagefind/civic-parts.json").read_text())["parts"]) >= 3
    whole, parts = urls
    for query in QUERIES:
        one, _ = search(browser, whole, query)
        many, _ = search(browser, parts, query)
        assert one == many, query
    assert search(browser, parts, "子ども食堂 存在しない語")[0] == 0
    assert search(browser, parts, "フードバンク ＮＰＯ法人")[1] == ["/groups/foodbank-kawanami/"]


def test_a_missing_word_is_not_searched_as_a_shorter_one(browser: Any, tmp_path: Path) -> None:
    """鰐's token begins "ju"; when ASCII words were indexed as they are, Pagefind searched the
    missing 鰐 as the word "ju" and found チームJU."""
    groups = {
        f"{slug}.md": (
            f"---\nname: {name}\nkana: {kana}\nsummary: {summary}\nfields: [まちづくり]\n---\n{body}\n"
        )
        for slug, name, kana, summary, body in (
            (
                "team-ju",
                "チームJU",
                "ちーむじゅ",
                "川辺の清掃をしています。",
                "JUは月に一度集まります。",
            ),
            ("hon", "本の会", "ほんのかい", "本を紹介しあう会です。", "毎月、本の会を開きます。"),
        )
    }
    config = write_project(tmp_path / "p", groups, plugin={"search": {"enabled": True}})
    site = build_project(config, tmp_path / "site")
    with serve(site) as url:
        assert search(browser, url, "鰐")[0] == 0
        assert search(browser, url, "JU")[1] == ["/groups/team-ju/"]
        assert search(browser, url, "本の会 清掃")[0] == 0
