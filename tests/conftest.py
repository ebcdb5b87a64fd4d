"""Fixtures that build real portals in a temporary folder and parse what they write."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import resource
import struct
import subprocess
import sys
import textwrap
import zlib
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from civic_portal.load.groups import Vocabulary, load_groups
from civic_portal.model import ActivityField, Area, Contact, Group
from civic_portal.model.events import Event
from civic_portal.model.settings import NPO_ACT_FIELDS

REPO = Path(__file__).resolve().parent.parent
OVERRIDES = REPO / "overrides"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Builds are reproducible: fix "now" (2026-11-21 12:00 JST) for every test build.
os.environ["SOURCE_DATE_EPOCH"] = "1795230000"

SITE_URL = "https://portal.example.jp/"  # site_url of every project write_project writes
AREAS = [{"slug": "chuo", "name": "中央地区"}, {"slug": "kita", "name": "北部地区"}]
# One problem as `civic check` prints it: path:line: key: message.
LINE_RE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+): (?P<key>[\w.\[\]%\"-]+): (?P<message>[^\n]+)$"
)


def png(width: int = 1, height: int = 1, padding: int = 0) -> bytes:
    """A white PNG of width x height, followed by `padding` bytes, which image readers ignore.
    Beyond 4096 x 4096 pixels only the header says so (no pixel data: the loader refuses such
    an image by its header, before decoding it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    real = width * height <= 4096 * 4096
    pixels = zlib.compress(
        (b"\x00" + b"\xff" * 3 * width) * height if real else b"\x00\xff\xff\xff"
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
        + b"\x00" * padding
    )


PNG = png()


def group_file(**front: object) -> str:
    """A group file from front-matter values; `body` becomes the Markdown body."""
    body = str(front.pop("body", "活動紹介の本文です。"))
    data = {"name": "テスト団体", "kana": "てすとだんたい", "summary": "テストの団体です。"}
    data["fields"] = ["まちづくり"]
    data.update(front)
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


def run_civic(
    *args: str, cwd: Path, memory_mib: int | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The `civic` command as a user runs it, in a child process; `memory_mib` caps its address
    space (a MemoryError then shows in stderr instead of the machine swapping)."""

    def limit() -> None:
        if memory_mib is not None:
            size = memory_mib * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return subprocess.run(
        [sys.executable, "-m", "civic_portal.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        preexec_fn=limit,
    )


@dataclass
class Built:
    root: Path
    site: Path

    def html(self, url: str) -> BeautifulSoup:
        path = self.site / url / "index.html" if not url.endswith(".html") else self.site / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def text(self, relative: str) -> str:
        return (self.site / relative).read_text(encoding="utf-8")


def write_project(
    root: Path,
    groups: dict[str, str],
    *,
    plugin: dict[str, object] | None = None,
    images: dict[str, bytes] | None = None,
    content: dict[str, str] | None = None,
) -> Path:
    """Write a small portal project: mkdocs.yml, content/, groups/ (and groups/images/)."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "groups").mkdir(exist_ok=True)
    pages = {
        "index.md": "---\ntemplate: civic/home.html\n---\n# テスト市 市民活動ポータル\n\nようこそ。\n",
        "search.md": "---\ntemplate: civic/search.html\n---\n# サイト内検索\n",
    }
    pages.update(content or {})
    for name, text in pages.items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    for name, text in groups.items():
        (root / "groups" / name).write_text(text, encoding="utf-8")
    for name, data in (images or {}).items():
        (root / "groups" / "images").mkdir(exist_ok=True)
        (root / "groups" / "images" / name).write_bytes(data)
    options: dict[str, object] = {"areas": AREAS, "search": {"enabled": False}}
    options.update(plugin or {})
    config = {
        "site_name": "テスト市 市民活動ポータル",
        "site_url": SITE_URL,
        "docs_dir": "content",
        "theme": {
            "name": "material",
            "custom_dir": str(OVERRIDES),
            "language": "ja",
            "font": False,
        },
        "nav": [{"ホーム": "index.md"}, {"団体をさがす": "groups/index.md"}, {"検索": "search.md"}],
        "plugins": [{"civic": options}],
    }
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root / "mkdocs.yml"


def build_project(
    config_file: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    adjust: Callable[[Any], None] | None = None,
) -> Path:
    """Build like `mkdocs build --strict`, with the start-up/shutdown events build() skips;
    `adjust` changes the loaded configuration first (a setting the sample does not set)."""
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    if adjust is not None:
        adjust(config)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Built]:
    """Write and build a small portal; returns the built site for parsing."""

    def make(groups: dict[str, str], **kwargs: object) -> Built:
        root = tmp_path / "project"
        config = write_project(root, groups, **kwargs)  # type: ignore[arg-type]
        return Built(root, build_project(config, tmp_path / "site"))

    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The repository's own sample portal, built once, strictly, search index included."""
    site = tmp_path_factory.mktemp("sample") / "site"
    return Built(REPO, build_project(REPO / "mkdocs.yml", site))


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# -- helpers several test modules share (a test module never imports another) -----------------

# What load_groups checks group files against: the NPO Act fields, write_project's areas, two
# legal forms, and the tests' fixed today.
VOCABULARY = Vocabulary(
    fields=tuple(ActivityField(*f) for f in NPO_ACT_FIELDS),
    areas=tuple(Area(a["slug"], a["name"]) for a in AREAS),
    legal_forms=("NPO法人", "任意団体"),
    today=dt.date(2026, 11, 21),
)


def load_problems(tmp_path: Path, files: dict[str, bytes | str]) -> list[str]:
    """The problems load_groups reports for `files` written to tmp_path/groups/ (beside an
    images folder with ok.png, a real PNG, and fake.png, which is not one), as printed lines."""
    groups = tmp_path / "groups"
    (groups / "images").mkdir(parents=True, exist_ok=True)
    (groups / "images" / "fake.png").write_text("not a png")
    (groups / "images" / "ok.png").write_bytes(PNG)
    paths = []
    for name, data in files.items():
        path = groups / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        paths.append(path)
    _, problems = load_groups(paths, tmp_path, VOCABULARY, groups / "images")
    return [str(p) for p in problems]


def feeds_in(site: Path) -> list[Path]:
    """Every RSS (feed.xml) and Atom (atom.xml) file of a built site."""
    return sorted(p for p in site.rglob("*.xml") if p.name in ("feed.xml", "atom.xml"))


def page_exists(site: Path, url: str) -> bool:
    """Whether an absolute URL of the portal is a page or file of the built site."""
    assert url.startswith(SITE_URL), url
    path = urlsplit(url).path.lstrip("/")
    return (
        (site / path / "index.html").is_file()
        if path.endswith("/") or not path
        else (site / path).is_file()
    )


# -- hand-made model objects for the unit tests (no files, no build) ----------------------------

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=TOKYO)  # the SOURCE_DATE_EPOCH above
MACHIZUKURI = ActivityField("machizukuri", "まちづくりの推進を図る活動", "まちづくり")
KODOMO = ActivityField("kodomo", "子どもの健全育成を図る活動", "子どもの健全育成")
CHUO, KITA = (Area(a["slug"], a["name"]) for a in AREAS)


def make_group(slug: str = "hidamari", **changes: object) -> Group:
    """A valid group as the loader would return it; `changes` replace any field."""
    group = Group(
        slug=slug,
        source=f"groups/{slug}.md",
        name="ひだまりサロン",
        kana="ひだまりさろん",
        summary="子育て中の親子が集まるサロンです。",
        fields=(KODOMO,),
        body="## 活動内容\n\n毎週火曜に集まります。\n",
        body_line=7,
        areas=(CHUO,),
        contact=Contact(email="info@hidamari.example.jp", phone="0120-000-000"),
    )
    return replace(group, **changes)  # type: ignore[arg-type]


def make_event(series_id: str = "hidamari-salon", **changes: object) -> Event:
    """A one-off timed event of the group `hidamari`; `changes` replace any field."""
    event = Event(
        series_id=series_id,
        group_slug="hidamari",
        title="親子ふれあいサロン",
        start=dt.datetime(2026, 12, 1, 10, 0),
        end=dt.datetime(2026, 12, 1, 15, 0),
    )
    return replace(event, **changes)  # type: ignore[arg-type]


# -- reading imports (the layer and test-layout checks) ---------------------------------------------


def imports_of(
    path: Path, package: Sequence[str], text: str | None = None
) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, absolute dotted module, names taken from it) of every import in `path` (or in
    `text` as if it stood at `path`), read with `ast` so a function-level import counts too.
    `package` is the dotted package `path` belongs to, for resolving relative imports."""
    tree = ast.parse(text if text is not None else path.read_text(encoding="utf-8"))
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = list(package[: len(package) - node.level + 1])
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base, tuple(alias.name for alias in node.names)))
    return found
