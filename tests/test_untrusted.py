"""Group files are untrusted: hostile corpus, random front matter, privacy, ownership, schema."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
import shutil
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_portal.load.frontmatter import parse
from civic_portal.load.group_contract import GROUP_KEYS
from civic_portal.load.groups import load_groups
from civic_portal.render.sanitize import sanitize_html

from .conftest import (
    LINE_RE,
    PNG,
    REPO,
    VOCABULARY,
    Built,
    build_project,
    group_file,
    run_civic,
    write_project,
)
from .conftest import png as png_bytes

HOSTILE = Path(__file__).parent / "hostile"
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile")
    groups = {
        p.name: p.read_text(encoding="utf-8") for p in sorted((HOSTILE / "render").glob("*.md"))
    }
    config = write_project(
        root / "project", groups, images={"ok.png": PNG}, plugin={"search": {"enabled": True}}
    )
    shutil.copyfile(HOSTILE / "render/places.yml", root / "project/groups/places.yml")
    return Built(root / "project", build_project(config, root / "site"))


def _scheme(value: str) -> str:
    """A URL as a browser reads it (WHATWG URL): leading/trailing C0 controls and spaces are
    trimmed, tabs and newlines anywhere are removed, then the scheme is what precedes ":"."""
    return (
        re.sub(r"[\t\n\r]", "", value)
        .strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
        )
        .lower()
    )


def test_hostile_corpus_builds_without_anything_executable(hostile_site: Built) -> None:
    pages = sorted(hostile_site.site.rglob("*.html"))
    assert len(pages) > 26
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), (page, element.name, name)
                if name.lower() in URL_ATTRIBUTES:
                    assert not _scheme(str(value)).startswith(BAD_SCHEMES), (
                        page,
                        element.name,
                        value,
                    )
                if name.lower() == "style":
                    assert "javascript" not in str(value).lower(), (page, value)
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.string)  # still valid JSON, no </script> break-out
            else:
                assert "alert(" not in (script.string or ""), page
        for section in soup.select(".civic-intro, .civic-profile, .civic-recruiting, .civic-card"):
            for tag in (
                "iframe",
                "object",
                "embed",
                "form",
                "base",
                "meta",
                "svg",
                "math",
                "style",
                "textarea",
                "input",
            ):
                assert section.find(tag) is None, (page, tag)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def test_open_data_from_the_corpus_runs_no_formula(hostile_site: Built) -> None:
    text = (hostile_site.site / "opendata/events.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert any(r["イベント名"].startswith("'=HYPERLINK") for r in rows)
    for row in rows:
        for column, cell in row.items():
            assert not cell.lstrip(" \u3000").startswith(_FORMULA_START), (column, cell)


def test_feeds_from_the_corpus_carry_text_not_markup(hostile_site: Built) -> None:
    feeds = sorted(hostile_site.site.rglob("feed.xml"))
    assert len(feeds) > 10
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, path
        # a reader renders these as HTML: none may contain an element
        for html in [feed.feed.get("subtitle", ""), *(e.get("summary", "") for e in feed.entries)]:
            assert BeautifulSoup(html, "lxml").find(["b", "img", "script", "i"]) is None, (
                path,
                html,
            )


def test_page_metadata_from_the_corpus_is_ignored(hostile_site: Built) -> None:
    for url in ("groups/h27-page-metadata", "events/h27-page-metadata-20261219"):
        page = hostile_site.html(url)
        assert page.select_one('meta[name="author"]') is None
        assert "乗っ取られた題名" not in page.title.get_text()
        assert page.select_one(".md-sidebar--primary") is not None


def test_template_syntax_stays_text(hostile_site: Built) -> None:
    texts = [p.read_text(encoding="utf-8") for p in hostile_site.site.glob("groups/h*/index.html")]
    assert any("{{ 7*7 }}" in t for t in texts)


@pytest.mark.parametrize("path", sorted((HOSTILE / "reject").glob("*.md")), ids=lambda p: p.name)
def test_reject_corpus_gives_problems_never_a_traceback(tmp_path: Path, path: Path) -> None:
    target = tmp_path / "groups" / path.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(path, target)
    config = write_project(tmp_path, {})
    run = run_civic("check", "-f", str(config), f"groups/{path.name}", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stdout.splitlines()
    assert lines and all(LINE_RE.match(line) for line in lines), lines[:5]
    assert len(lines) < 50  # every problem, but no flood (one alias report per file)


@pytest.mark.parametrize("path", sorted((HOSTILE / "places").glob("*.yml")), ids=lambda p: p.name)
def test_a_hostile_venue_register_gives_problems_never_a_traceback(
    tmp_path: Path, path: Path
) -> None:
    config = write_project(
        tmp_path,
        {
            "a.md": group_file(
                events=[
                    {
                        "title": "会",
                        "kana": "かい",
                        "start": "2026-12-05",
                        "place": "javascript-url",
                    }
                ]
            )
        },
    )
    shutil.copyfile(path, tmp_path / "groups/places.yml")
    run = run_civic("check", "-f", str(config), cwd=tmp_path, memory_mib=1024)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stdout.splitlines()
    assert lines and all(LINE_RE.match(line) for line in lines), lines[:5]
    assert any(line.startswith("groups/places.yml:") for line in lines)
    assert len(lines) < 50


def test_venue_values_stay_text_everywhere(hostile_site: Built) -> None:
    page = hostile_site.html("places/evil-hall")
    assert page.select_one("h1").get_text() == '"><script>alert(1)</script>会館'
    assert "{{ 7*7 }}" in page.select_one("article").get_text()
    event = hostile_site.html("events/h29-places-20261205")
    assert "<img src=x onerror=alert(1)>" in event.select_one("article").get_text()
    (ld,) = json.loads(event.select_one("script[type='application/ld+json']").string)
    assert ld["location"]["name"] == '"><script>alert(1)</script>会館 <img src=x onerror=alert(1)>'
    rows = (hostile_site.site / "opendata/events.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" not in rows or ",'=HYPERLINK" not in rows  # the address is one cell
    calendar = (hostile_site.site / "places/evil-hall/calendar.ics").read_text()
    assert "BEGIN:VEVENT" in calendar


# -- random front matter -------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
    st.text(max_size=60), st.dates(dt.date(1800, 1, 1), dt.date(2200, 1, 1)),
    st.sampled_from(["<script>alert(1)</script>", "javascript:alert(1)", "ＮＰＯ", "2026-02-30", "\t", "まちづくり"]),
)  # fmt: skip
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_keys = st.sampled_from([*GROUP_KEYS, "sumary", "contact", "x"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(front=st.dictionaries(_keys, _values, max_size=10), body=st.text(max_size=200))
def test_random_front_matter_is_a_group_or_problems(
    tmp_path: Path, front: dict[str, object], body: str
) -> None:
    groups = tmp_path / "groups"
    (groups / "images").mkdir(parents=True, exist_ok=True)
    path = groups / "random-group.md"
    path.write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, encoding="utf-8"
    )
    found, problems = load_groups([path], tmp_path, VOCABULARY, groups / "images")
    assert bool(found) != bool(problems)
    assert all(LINE_RE.match(str(p)) for p in problems)


_HTML_TOKENS = [
    *"<>\"'=/ :;&#()\t\nabcx",
    "script",
    "onerror",
    "javascript",
    "svg",
    "iframe",
    "img src",
    "href",
    "&#x09;",
    "style",
    "data:",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_HTML_TOKENS), max_size=60).map("".join))
def test_sanitiser_never_lets_script_through(html: str) -> None:
    clean = BeautifulSoup(sanitize_html(html), "lxml")
    for element in clean.find_all(True):
        assert element.name not in ("script", "iframe", "svg", "object", "embed", "form", "style")
        for name, value in element.attrs.items():
            assert not name.startswith("on")
            assert not _scheme(str(value)).startswith(BAD_SCHEMES)


# -- privacy ---------------------------------------------------------------------------------------


def test_private_contact_appears_nowhere(tmp_path: Path) -> None:
    secret = {
        "person": "PRIVATEPERSON4242",
        "phone": "000-999-4242",
        "email": "private4242@example.jp",
        "note": "PRIVATENOTE4242",
    }
    groups = {
        "secret-group.md": group_file(
            contact={"email": "open@example.jp", "private": secret},
            events=[{"title": "会", "start": "2026-12-01 10:00"}],
        )
    }
    site = build_project(
        write_project(tmp_path / "p", groups, plugin={"search": {"enabled": True}}),
        tmp_path / "site",
    )
    assert "open@example.jp" in (site / "groups/secret-group/index.html").read_text()
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix.startswith(".pf_") or path.name.endswith(".pagefind"):
            data = gzip.decompress(data)
        for value in secret.values():
            assert value.encode() not in data, (path, value)


# -- schema ----------------------------------------------------------------------------------------


def _front_matter(path: Path) -> dict[str, object]:
    """The front matter as an editor's YAML 1.2 reads it (as the loader does: 14:00 is text)."""
    data = parse(path.read_text(encoding="utf-8")).data
    return json.loads(json.dumps(data, default=str))  # YAML dates as the strings editors see


def test_committed_schema_is_the_generated_one() -> None:
    run = run_civic("schema", cwd=REPO)
    assert run.returncode == 0
    assert (REPO / "groups/group.schema.json").read_text(encoding="utf-8") == run.stdout, (
        "run `civic schema --write`"
    )


def test_sample_groups_validate_against_the_schema(sample_site: Built) -> None:
    schema = json.loads((sample_site.site / "schema/group.json").read_text(encoding="utf-8"))
    assert schema["$id"] == "https://portal.example.jp/schema/group.json"
    validator = jsonschema.Draft7Validator(schema)
    for path in sorted((REPO / "groups").glob("*.md")):
        if path.name != "README.markdown":
            errors = [e.message for e in validator.iter_errors(_front_matter(path))]
            assert errors == [], (path.name, errors)
    bad = {
        "name": "x",
        "kana": "えっくす",
        "summary": "x",
        "fields": ["まちづくり"],
        "sumary": "typo",
    }
    assert list(validator.iter_errors(bad))
    assert list(validator.iter_errors({**bad, "sumary": None} | {"fields": ["子育て"]}))


# -- contributor commands --------------------------------------------------------------------------


def test_new_group_writes_a_valid_commented_file(tmp_path: Path) -> None:
    config = write_project(tmp_path, {"existing-group.md": group_file()})
    args = ["kodomo-salon", "--name", "こどもサロン「ひなた」", "--kana", "こどもさろん ひなた", "--summary", "親子の居場所です。",
            "--fields", "子どもの健全育成、まちづくり", "--areas", "中央地区", "--maintainer", "@hinata-mama"]  # fmt: skip
    run = run_civic("new-group", "-f", str(config), *args, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    text = (tmp_path / "groups/kodomo-salon.md").read_text(encoding="utf-8")
    assert "# 団体名（必須" in text and 'maintainers: ["hinata-mama"]' in text
    assert run_civic("check", "-f", str(config), cwd=tmp_path).returncode == 0
    assert (
        run_civic(
            "new-group", "-f", str(config), "existing-group", "--name", "x", cwd=tmp_path
        ).returncode
        == 2
    )
    assert (
        run_civic(
            "new-group", "-f", str(config), "Bad_Name", "--name", "x", cwd=tmp_path
        ).returncode
        == 2
    )


def test_codeowners(tmp_path: Path) -> None:
    groups = {
        "alpha.md": group_file(name="アルファ", kana="あるふぁ", maintainers=["alice", "carol"]),
        "beta.md": group_file(name="ベータ", kana="べーた"),
    }
    config = write_project(
        tmp_path, groups, plugin={"staff": ["center-staff"], "staff_team": "@kawanami/staff"}
    )
    run = run_civic("owners", "-f", str(config), "--write", cwd=tmp_path)
    assert run.returncode == 0
    assert (tmp_path / ".github/CODEOWNERS").read_text().splitlines()[1:] == [
        "* @center-staff @kawanami/staff",
        "/groups/alpha.md @alice @carol @center-staff @kawanami/staff",
        "/groups/beta.md @center-staff @kawanami/staff",
    ]


def test_github_annotation_format(tmp_path: Path) -> None:
    config = write_project(tmp_path, {"bad-group.md": group_file(sumary="x, y: 100%")})
    run = run_civic("check", "-f", str(config), "--format", "github", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "::error file=groups/bad-group.md,line=7,title=sumary::「sumary」という項目はありません。もしかして「summary」ですか？"
    ]


def test_image_size_limit_is_configurable(tmp_path: Path) -> None:
    png = png_bytes(padding=3000)
    config = write_project(
        tmp_path,
        {"logo-group.md": group_file(logo="images/big.png")},
        images={"big.png": png},
        plugin={"limits": {"image_kb": 2}},
    )
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert (
        run.returncode == 1
        and "logo: 画像が大きすぎます（2 KB）。2 KB 以内にしてください" in run.stdout
    )


def test_committed_codeowners_is_the_generated_one() -> None:
    run = run_civic("owners", cwd=REPO)
    assert run.returncode == 0
    assert (REPO / ".github/CODEOWNERS").read_text(encoding="utf-8") == run.stdout, (
        "run `civic owners --write`"
    )


def test_values_in_the_forms_yaml_12_stay_text(hostile_site: Built) -> None:
    """h28 is written as the web form writes (YAML 1.2): `on`, `yes`, `1_000`, `0001234567`
    and `16:00` unquoted are shown as written, not as YAML 1.1 booleans and numbers."""
    page = hostile_site.html("groups/h28-form-style/")
    text = page.get_text(" ", strip=True)
    chips = [li.get_text(strip=True) for li in page.select("li")]
    assert {"yes", "no", "1_000"} <= set(chips), chips
    assert "0001234567" in text
    assert page.find("meta", attrs={"name": "description"})["content"] == "on"  # the summary
    event = hostile_site.html("events/h28-form-style-20261205/")
    cells = [c.get_text(" ", strip=True) for c in event.select("dd, td")]
    assert "on" in cells, cells  # fee
    assert any("16:00" in c for c in cells), cells
