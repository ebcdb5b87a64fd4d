"""Newsletter issues (情報紙): validation, the generated sections, the web page, and the PDF
read back with pypdf and poppler the way a person or a printer would."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import yaml
from pypdf import PdfReader

from civic_portal.load.newsletters import scan_markers
from civic_portal.model.newsletter import Newsletter
from civic_portal.pages.newsletter import split_body, with_placeholders

from .conftest import REPO, Built, build_project, dedent, group_file, run_civic, write_project

POPPLER = shutil.which("pdffonts") and shutil.which("pdftotext") and shutil.which("pdftoppm")
OUTPUT = REPO / "test-output" / "newsletters"
A4 = (595.28, 841.89)  # points

GROUPS = {
    "kodomo.md": group_file(
        name="こども食堂ひだまり",
        kana="こどもしょくどうひだまり",
        fields=["子どもの健全育成"],
        recruiting=[{"title": "調理ボランティア", "until": "2026-12-31"}],
        events=[
            {
                "title": "クリスマス食堂",
                "start": "2026-12-19 11:00",
                "end": "2026-12-19 14:00",
                "place": "中央公民館",
            },
            {
                "title": "毎週の学習会",
                "start": "2026-12-05 10:00",
                "repeat": "毎週土曜",
                "until": "2027-01-30",
                "cancelled": ["2026-12-26"],
            },
            {"title": "春の遠足", "start": "2027-04-10"},
        ],
    ),
    "gomi.md": group_file(name="ごみゼロ会", kana="ごみぜろかい"),
}


def issue(body: str = "", **front: object) -> str:
    data = {
        "title": "しみんの広場",
        "volume": 8,
        "date": "2026-12-01",
        "period": {"from": "2026-12-01", "to": "2027-01-31"},
    }
    data.update(front)
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


EVENTS_MARKER = "## イベント\n\n```newsletter\nevents\n```\n"


# -- markers -------------------------------------------------------------------------------------


def test_markers_are_found_with_their_lines_and_examples_inside_other_fences_are_not() -> None:
    body = dedent("""
        ## はじめに
        ```newsletter
        events
        new-groups
        ```
        ````markdown
        ```newsletter
        recruiting
        ```
        ````
        ~~~newsleter
        featured
        ~~~
    """)
    markers, near = scan_markers(body)
    assert [(m.first, m.last, m.names) for m in markers] == [
        (1, 4, ((2, "events"), (3, "new-groups")))
    ]
    assert near == [(10, "newsleter")]


def test_placeholders_split_the_body_into_prose_and_sections() -> None:
    html = with_placeholders("## A\n\n```newsletter\nevents\n```\n\n## B\n\ntext\n")
    assert html.count('data-section="events"') == 1
    parts = split_body(
        '<h2 id="a">A</h2>\n<div class="civic-nl-slot" data-section="events"></div>\n'
        '<h2 id="b">B</h2>\n<p>x</p>\n<table></table>\n<h2 id="c">C</h2>\n<p>y</p>'
    )
    assert [(p.section, p.wide) for p in parts] == [
        ("", True),
        ("events", False),
        ("", True),
        ("", False),
    ]
    assert parts[3].html.startswith('<h2 id="c">')


# -- validation ----------------------------------------------------------------------------------


def test_check_reports_every_newsletter_problem_with_its_line(tmp_path: Path) -> None:
    bad = dedent("""
        ---
        title: しみんの広場
        volume: 8
        date: 2026-12-01
        period:
          from: 2027-01-31
          to: 2026-12-01
        featured:
          - kodomo
          - no-such-group
        ---
        ## イベント

        ```newsletter
        events
        event
        ```

        ```newsleter
        recruiting
        ```

        ![写真](https://example.jp/photo.jpg)
    """)
    long = issue(EVENTS_MARKER, volume=9, period={"from": "2026-01-01", "to": "2026-12-31"})
    featured_marker = issue("```newsletter\nfeatured\n```\n", volume=10)
    same_volume = issue(EVENTS_MARKER, volume=12)
    config = write_project(
        tmp_path,
        GROUPS,
        content={
            "newsletters/2026-12.md": bad,
            "newsletters/2027-02.md": long,
            "newsletters/2027-03.md": featured_marker,
            "newsletters/2027-04.md": same_volume,
            "newsletters/2027-05.md": same_volume,
            "newsletters/Vol 9.md": issue(volume=11),
        },
    )
    result = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    expected = [
        "content/newsletters/2026-12.md:7: period.to: to（2026-12-01）が from（2027-01-31）より前",
        "content/newsletters/2026-12.md:10: featured[1]: 「no-such-group」という団体ファイルはありません",
        "content/newsletters/2026-12.md:16: body: 「event」という差し込みはありません。もしかして「events」",
        "content/newsletters/2026-12.md:19: body: 「newsleter」は「newsletter」の書き間違い",
        "content/newsletters/2026-12.md:23: body: インターネット上の画像は PDF に載せられません",
        "content/newsletters/2026-12.md:9: featured: 紹介する団体が本文に出ません",
        "content/newsletters/2027-02.md:7: period.to: 期間が長すぎます（365日）",
        "content/newsletters/2027-03.md:10: body: featured を差し込むには",
        "content/newsletters/2027-05.md:1: volume: しみんの広場 vol.12 は content/newsletters/2027-04.md と同じ号数です",
        "content/newsletters/Vol 9.md:1: file: 情報紙のファイル名は",
    ]
    for prefix in expected:
        assert any(line.startswith(prefix) for line in lines), (prefix, "\n".join(lines))
    # The same problems stop a build, and nothing is written.
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        build_project(config, tmp_path / "site")
    assert not (tmp_path / "site" / "index.html").exists()


def test_check_reads_a_single_issue_given_by_path(tmp_path: Path) -> None:
    content = {
        "newsletters/2026-12.md": issue("```newsletter\nevnts\n```\n"),
        "newsletters/2027-02.md": issue(
            EVENTS_MARKER + "```newsletter\nfeatured\n```\n", volume=9, featured=["kodomo"]
        ),
    }
    config = write_project(tmp_path, GROUPS, content=content)
    result = run_civic("check", "-f", str(config), "content/newsletters/2026-12.md", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("content/newsletters/2026-12.md:10: body: 「evnts」"), (
        result.stdout
    )
    # Only the issue named is read, and as an issue, not a group file: its featured group is
    # found among the group files.
    fine = run_civic("check", "-f", str(config), "content/newsletters/2027-02.md", cwd=tmp_path)
    assert fine.returncode == 0, fine.stdout
    assert "問題はありません（1ファイル）" in fine.stderr


# -- the pages -----------------------------------------------------------------------------------


def small_portal(make_site: Callable[..., Built], **plugin: object) -> Built:
    body = dedent("""
        ## ごあいさつ

        [こども食堂](../groups/kodomo.md)の活動を紹介します。

        | 回 | 日にち | テーマ |
        |---|---|---|
        | 第1回 | 1月16日（土） | 市民活動ってなんだろう |

        ## 12月・1月のイベント

        ```newsletter
        events
        ```

        ## 新しい団体

        ```newsletter
        new-groups
        ```

        ## 募集

        ```newsletter
        recruiting
        ```

        ## 団体紹介

        ```newsletter
        featured
        ```
    """)
    contact = {
        "name": "テスト市市民活動センター",
        "phone": "000-100-2000",
        "address": "テスト市中央1-1",
    }
    content = {
        "newsletters/2026-12.md": issue(body, featured=["kodomo"], contact=contact, editor="センター"),
        "newsletters/2026-10.md": issue(EVENTS_MARKER, volume=7, date="2026-10-01",
                                        period={"from": "2026-10-01", "to": "2026-11-30"}),
    }  # fmt: skip
    return make_site(GROUPS, content=content, plugin={"newsletters": plugin} if plugin else None)


def test_issue_page_lists_every_event_of_its_period_from_the_group_files(
    make_site: Callable[..., Built],
) -> None:
    built = small_portal(make_site)
    page = built.html("newsletters/2026-12")
    article = page.select_one("article.civic-nl")
    assert article.select_one("h1").get_text(" ", strip=True) == "しみんの広場 vol.8"
    tables = article.select("table.civic-nl-table")
    singles = [r.get_text(" ", strip=True) for r in tables[0].select("tbody tr")]
    assert len(singles) == 1 and "クリスマス食堂" in singles[0] and "11:00〜14:00" in singles[0]
    series = tables[1].select_one("tbody tr")
    assert "毎週の学習会" in series.get_text()
    dates = [t["datetime"] for t in series.select("time")]
    assert dates[0] == "2026-12-05" and dates[-1] == "2027-01-30" and len(dates) == 9
    assert "（中止）" in series.get_text()  # 12/26, cancelled, is still listed as 中止
    assert "春の遠足" not in article.get_text()  # outside the period
    # The generated sections, in the places the staff put them, and the staff's own prose.
    sections = [d["class"][1] for d in article.select(".civic-nl-section")]
    assert sections == [
        "civic-nl-section--events",
        "civic-nl-section--new-groups",
        "civic-nl-section--recruiting",
        "civic-nl-section--featured",
    ]
    assert (
        "調理ボランティア（12月31日（木）まで）"
        in article.select_one(".civic-nl-section--recruiting").get_text()
    )
    new = [a.get_text() for a in article.select(".civic-nl-groups__name")]
    assert new == ["こども食堂ひだまり", "ごみゼロ会"]  # 五十音; no git history: added "now"
    assert article.select_one(".civic-nl-featured h3").get_text() == "こども食堂ひだまり"
    assert (
        article.select_one("address")
        .get_text(" ", strip=True)
        .startswith("テスト市市民活動センター")
    )
    assert article.select_one('a[href="../../groups/kodomo/"]')  # the staff's .md link
    assert page.select_one('link[href*="assets/civic/newsletter."]')
    # The archive: newest first, each with its page and its PDF.
    archive = built.html("newsletters")
    items = archive.select(".civic-nl-archive__item")
    assert [i.h2.get_text(strip=True) for i in items] == [
        "しみんの広場 vol.8",
        "しみんの広場 vol.7",
    ]
    pdf_link = items[0].select_one('a[href$=".pdf"]')
    assert pdf_link["href"] == "2026-12.pdf" and "ページ" in pdf_link.get_text()
    assert (built.site / "newsletters" / "2026-12.pdf").read_bytes().startswith(b"%PDF-")


def test_pdfs_are_cached_by_content_and_deterministic(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = EVENTS_MARKER
    config = write_project(tmp_path / "p", GROUPS, content={"newsletters/2026-12.md": issue(body)})
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.civic_portal.plugin")

    def build(name: str) -> bytes:
        caplog.clear()
        site = build_project(config, tmp_path / name)
        return (site / "newsletters" / "2026-12.pdf").read_bytes()

    first = build("one")
    assert "1 rendered, 0 unchanged" in caplog.text
    assert build("two") == first
    assert "0 rendered, 1 unchanged" in caplog.text
    # A group changes an event of the period: the issue is printed again.
    groups = tmp_path / "p" / "groups" / "kodomo.md"
    groups.write_text(
        groups.read_text(encoding="utf-8").replace("クリスマス食堂", "年忘れ食堂"), encoding="utf-8"
    )
    third = build("three")
    assert "1 rendered, 0 unchanged" in caplog.text and third != first
    assert "年忘れ食堂" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(third)).pages)
    # Without the cache, the same sources give the same bytes.
    shutil.rmtree(tmp_path / "p" / ".cache")
    caplog.clear()
    assert build("four") == third
    assert "1 rendered" in caplog.text


def test_pdfs_can_be_turned_off_and_serve_skips_them(
    make_site: Callable[..., Built], tmp_path: Path
) -> None:
    built = small_portal(make_site, pdf=False)
    assert not list((built.site / "newsletters").glob("*.pdf"))
    assert not built.html("newsletters").select('a[href$=".pdf"]')
    assert built.html("newsletters/2026-12").select_one("article.civic-nl")
    # `mkdocs serve` (the README's preview) renders no PDF, so needs no Japanese font.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(built.root / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
    config.plugins["civic"].config.newsletters.pdf = True
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    assert (tmp_path / "served" / "newsletters" / "2026-12" / "index.html").exists()
    assert not list((tmp_path / "served" / "newsletters").glob("*.pdf"))


def fake_fc_list(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig knows no Japanese font."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "fc-list").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "fc-list").chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def test_no_japanese_font_is_a_clear_failure_never_a_pdf_of_empty_boxes(tmp_path: Path) -> None:
    content = {"newsletters/2026-12.md": issue(EVENTS_MARKER)}
    config = write_project(tmp_path, GROUPS, content=content, plugin={"newsletters": {"pdf": True}})
    assert "pdf: true" in config.read_text(encoding="utf-8")
    env = fake_fc_list(tmp_path)

    result = subprocess.run(
        [sys.executable, "-m", "civic_portal.cli", "newsletter", "pdf", "2026-12", "-f", str(config)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "日本語のフォントがありません" in result.stderr and "fonts-noto-cjk" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "2026-12.pdf").exists()
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path / "s")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
    )  # fmt: skip
    assert build.returncode != 0
    assert "fonts-noto-cjk" in build.stderr and "Traceback" not in build.stderr
    assert not (tmp_path / "s" / "newsletters").exists()
    # Turned off in mkdocs.yml's !ENV switch, the same machine builds the rest of the portal.
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("pdf: true", "pdf: !ENV [CIVIC_NEWSLETTER_PDF, true]"))
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path / "s")],
        capture_output=True, text=True, cwd=tmp_path, env={**env, "CIVIC_NEWSLETTER_PDF": "false"},
        timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "s" / "newsletters" / "2026-12" / "index.html").exists()


def test_cli_writes_the_same_pdf_the_build_publishes(
    make_site: Callable[..., Built], tmp_path: Path
) -> None:
    built = small_portal(make_site)
    result = run_civic(
        "newsletter", "pdf", "2026-12", "-o", str(tmp_path / "out.pdf"), cwd=built.root
    )
    assert result.returncode == 0, result.stderr
    assert "しみんの広場 vol.8" in result.stderr
    assert (tmp_path / "out.pdf").read_bytes() == (
        built.site / "newsletters/2026-12.pdf"
    ).read_bytes()
    missing = run_civic("newsletter", "pdf", "2099-01", cwd=built.root)
    assert missing.returncode == 2 and "2026-12、2026-10" in missing.stderr
    # Without -o: where the built site has it (site/, which git ignores), never the project root.
    default = run_civic("newsletter", "pdf", "2026-12", cwd=built.root)
    assert default.returncode == 0, default.stderr
    assert "site/newsletters/2026-12.pdf を書きました" in default.stderr
    assert (built.root / "site/newsletters/2026-12.pdf").read_bytes()[:5] == b"%PDF-"
    assert not (built.root / "2026-12.pdf").exists()


# -- the sample city's issues, printed ---------------------------------------------------------


def period_events(sample: Built, first: dt.date, last: dt.date) -> set[str]:
    """Titles of every event the site's own calendar feed has in a period (an independent
    reading of the group files)."""
    calendar = icalendar.Calendar.from_ical((sample.site / "events.ics").read_bytes())
    found = recurring_ical_events.of(calendar).between(first, last + dt.timedelta(days=1))
    # A cancelled date's SUMMARY is prefixed 【中止】; the newsletter marks it in its own column.
    return {re.sub(r"^【[^】]+】", "", str(e["SUMMARY"])) for e in found}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdffonts, pdftotext, pdftoppm) not installed"
)
@pytest.mark.parametrize(
    ("issue_id", "title", "pages"),
    [("2026-12", "しみんの広場vol.8", (3, 10)), ("2026-10", "しみんの広場vol.7", (1, 6))],
)
def test_sample_issue_pdf_is_a4_japanese_embedded_and_complete(
    sample_site: Built, issue_id: str, title: str, pages: tuple[int, int]
) -> None:
    pdf = sample_site.site / "newsletters" / f"{issue_id}.pdf"
    reader = PdfReader(pdf)
    assert pages[0] <= len(reader.pages) <= pages[1]
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines()[2:] if re.search(r"CJK|IPAex", line)]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts  # emb column
    text = squeeze(
        subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                       text=True, check=True).stdout
    )  # fmt: skip
    assert title in text and "お問い合わせ" in text and "000-100-2000" in text
    issue = next(n for n in _sample_issues() if n.id == issue_id)
    events = period_events(sample_site, *issue.period)
    assert events, "the sample issue's period should hold events"
    for name in events:
        assert squeeze(name) in text, name
    # Page 1 as a picture, for a person to look at.
    OUTPUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(OUTPUT / f"{issue_id}-page1")], check=True,
    )  # fmt: skip
    assert (OUTPUT / f"{issue_id}-page1.png").stat().st_size > 20_000
    # Links in a PDF point at the published site.
    uris = {
        a.get_object()["/A"].get("/URI")
        for p in reader.pages
        for a in p.get("/Annots", []) or []
        if a.get_object().get("/A")
    }
    assert uris and all(u.startswith(("https://", "mailto:", "tel:")) for u in uris if u), uris


def _sample_issues() -> list[Newsletter]:
    from civic_portal.cli import load_mkdocs_config
    from civic_portal.clock import build_now
    from civic_portal.load import load_site

    config = load_mkdocs_config(REPO / "mkdocs.yml")
    settings = config.plugins["civic"].config.settings(config)
    site, problems = load_site(settings, build_now(settings.timezone))
    assert problems == []
    return list(site.newsletters)


def test_sample_archive_links_each_issue_page_and_pdf(sample_site: Built) -> None:
    archive = sample_site.html("newsletters")
    items = archive.select(".civic-nl-archive__item")
    assert len(items) >= 2
    for item in items:
        page, pdf = item.select_one("h2 a")["href"], item.select_one('a[href$=".pdf"]')["href"]
        assert (sample_site.site / "newsletters" / page / "index.html").exists()
        assert (sample_site.site / "newsletters" / pdf).read_bytes().startswith(b"%PDF-")


def test_home_page_links_the_latest_issue_and_its_pdf(sample_site: Built) -> None:
    section = sample_site.html("").select_one("section[aria-labelledby=latest-newsletter]")
    links = {a.get_text(strip=True): a["href"] for a in section.select("a")}
    assert links["しみんの広場 vol.8"] == "newsletters/2026-12/"
    pdf = next(href for text, href in links.items() if text.startswith("PDF"))
    assert (sample_site.site / pdf).read_bytes().startswith(b"%PDF-")
    assert links["バックナンバー"] == "newsletters/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: [a, b]\nvolume: 八\ndate: 2026-02-30\nperiod: 2026-12\n---\n", "period"),
        ("---\ntitle: t\nvolume: 1\ndate: 2026-12-01\nperiod: {from: 1, to: x}\n---\n", "period.from"),
        ("---\ntitle: t\nvolume: 1\ndate: 2026-12-01\nperiod: {from: 2026-12-01, to: 2026-12-31}\n"
         "featured: kodomo\ncontact: 000-100-2000\n---\n", "featured"),
        ("---\ntitle: t\nvolume: 1\ndate: 2026-12-01\nperiod: {from: 2026-12-01, to: 2026-12-31}\n"
         "contact: {phone: abc, email: x, url: 'javascript:alert(1)', note: y}\n---\n", "contact.url"),
        ("---\ntitle: t\nvolume: 1\ndate: 2026-12-01\nperiod: {from: 2026-12-01, to: 2026-12-31}\n"
         "---\n```newsletter\n", "body"),  # an empty block, never closed
        ("---\ntitle: t\n", "front-matter"),
        ("no front matter", "front-matter"),
    ],
)  # fmt: skip
def test_broken_issues_are_reported_never_a_traceback(
    tmp_path: Path, text: str, expected: str
) -> None:
    config = write_project(tmp_path, GROUPS, content={"newsletters/2026-12.md": text})
    result = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(re.match(r"^content/newsletters/2026-12\.md:\d+: \S+: ", x) for x in lines)
    assert any(f": {expected}" in line for line in lines), lines


def test_group_text_in_an_issue_is_escaped_on_the_page_and_in_the_pdf(
    make_site: Callable[..., Built],
) -> None:
    hostile = "<img src=x onerror=alert(1)>食堂"
    groups = {
        "kodomo.md": group_file(
            name=hostile,
            kana="こどもしょくどう",
            summary="<script>alert(2)</script>の紹介",
            activity="毎週<b>土曜</b>",
            recruiting=[{"title": "<a href='javascript:alert(3)'>募集</a>"}],
            events=[{"title": "<svg onload=alert(4)>会", "start": "2026-12-19 11:00"}],
        )
    }
    body = "".join(
        f"```newsletter\n{name}\n```\n\n"
        for name in ("events", "new-groups", "recruiting", "featured")
    )
    content = {"newsletters/2026-12.md": issue(body, featured=["kodomo"])}
    built = make_site(groups, content=content)
    article = built.html("newsletters/2026-12").select_one("article.civic-nl")
    assert not article.select("img, script, svg, b, a[href^=javascript]")
    text = article.get_text()
    for written in (
        hostile,
        "<script>alert(2)</script>",
        "<svg onload=alert(4)>会",
        "毎週<b>土曜</b>",
    ):
        assert written in text
    pdf_text = "".join(
        p.extract_text() for p in PdfReader(built.site / "newsletters/2026-12.pdf").pages
    )
    assert "<svg onload=alert(4)>会" in pdf_text  # shown as text, not markup
