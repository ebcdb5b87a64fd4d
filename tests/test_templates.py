"""The shared template macros (overrides/civic/macros.html): dates in the configured era on
every page, and macro output escaped although MkDocs' Jinja environment does not autoescape."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import jinja2
import material.templates as material_templates
from mkdocs.config import load_config

from civic_portal import plugin

from .conftest import OVERRIDES, Built, group_file, write_project


def test_group_page_dates_follow_the_era_setting(make_site: Callable[..., Built]) -> None:
    groups = {
        "reiwa-group.md": group_file(
            name="れいわの会",
            kana="れいわのかい",
            founded=dt.date(2004, 6, 1),
            recruiting=[{"title": "会員募集", "until": "2027-01-31"}],
        ),
        "year-only.md": group_file(name="ねんの会", kana="ねんのかい", founded=2019),
    }
    built = make_site(groups, plugin={"events": {"era": "reiwa"}})
    page = built.html("groups/reiwa-group")
    until = page.select_one(".civic-recruiting__until time")
    assert until["datetime"] == "2027-01-31"
    assert until.get_text() == "令和9年1月31日"  # no weekday, as before
    founded = page.select_one("time[datetime='2004-06-01']")
    assert founded.get_text() == "平成16年6月1日"
    assert "2027年" not in page.select_one("article").get_text()
    # A year alone is not a date: it stays as written.
    assert "2019年" in built.html("groups/year-only").select_one("article").get_text()


def _render(source: str, **context: object) -> str:
    """Render `source` in an environment like MkDocs' (no autoescape) with the theme's loader."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(OVERRIDES)))
    env.filters["url"] = lambda value: str(value)
    return env.from_string(source).render(**context)


HOSTILE = '<b onclick="x()">&'
ESCAPED = "&lt;b onclick=&#34;x()&#34;&gt;&amp;"
CALLS = (
    "{{ m.pdf_link(n, 4, 2049) }}|{{ m.facet_select('site', 'field', tokens=true) }}"
    "|{{ m.facet_select('civic', 'area', counts=true) }}|{{ m.date(d) }}"
    "|{{ m.date(d, weekday=false) }}|{{ m.time(t) }}"
)


def test_macros_escape_what_they_print() -> None:
    item = SimpleNamespace(slug='s"x', short=HOSTILE, name=HOSTILE)
    context = {
        "civic": SimpleNamespace(
            urls=SimpleNamespace(newsletter_pdf=lambda src: f"newsletters/{src}.pdf"),
            fields=[(item, 2)],
            areas=[(item, 0)],
            facet_token=lambda kind, index: f"civic{kind}{index:03d}",
            date=lambda day: f"{day.year}年{day.month}月{day.day}日（{HOSTILE}）",
            weekday=lambda day: f"（{HOSTILE}）",
        ),
        "n": SimpleNamespace(src_uri="<x>", title=HOSTILE, volume=3),
        "d": dt.date(2026, 12, 6),
        "t": dt.datetime(2026, 12, 6, 9, 5),
    }
    imported = '{% import "civic/macros.html" as m with context %}'
    # Inside a page's {% autoescape true %} (as the templates call them) and outside it: the
    # same output, escaped exactly once.
    inside = _render(imported + "{% autoescape true %}" + CALLS + "{% endautoescape %}", **context)
    outside = _render(imported + CALLS, **context)
    assert inside == outside
    assert "<b" not in inside and "&amp;lt;" not in inside
    link = f'<a href="newsletters/&lt;x&gt;.pdf" download="{ESCAPED}-vol3.pdf">PDF（A4・4ページ・3KB）</a>'
    assert inside.startswith(link + "|")
    # Without counts, the fields and areas that have groups, each with its search token; with
    # counts, all of them with their numbers.
    assert f'<option value="s&#34;x" data-token="civicf000">{ESCAPED}</option>' in inside
    assert f'<option value="s&#34;x">{ESCAPED}（0）</option>' in inside
    assert inside.endswith(f"|2026年12月6日（{ESCAPED}）|2026年12月6日|9:05")


def test_material_words_are_translated_as_material_does(tmp_path: Path) -> None:
    """overrides/partials/language.html asks each word once a build (plugin._translations):
    every word of Material's Japanese and English files, and one neither has, comes out as
    Material's own partials/language.html gives it."""
    config = load_config(str(write_project(tmp_path, {})))
    ours = plugin._translations(config.theme.get_env(), "ja")
    material = Path(material_templates.__file__).parent
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(material)))
    own = env.from_string(
        '{% import "partials/language.html" as lang with context %}{{ lang.t(k) }}'
    )
    keys = set()
    for language in ("ja", "en"):
        source = (material / "partials" / "languages" / f"{language}.html").read_text("utf-8")
        keys |= set(re.findall(r'^  "([^"]+)":', source, flags=re.MULTILINE))
    assert len(keys) > 50
    for key in sorted(keys | {"no.such.word"}):
        expected = own.render(config={"theme": {"language": "ja"}}, k=key)
        assert str(ours(key)) == expected, key
    assert str(ours("action.skip")) == "コンテンツにスキップ"
