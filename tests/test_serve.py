"""The edit loop of `mkdocs serve`: a save rebuilds only what changed (group files read again
only when their bytes changed, group and event pages rendered again only when their inputs
changed, calendar entries serialised again only for changed events, the search index rebuilt
in the background), and what is reused is byte for byte what a full build writes."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import REPO, build_project, write_project

EVENTS = [
    {
        "id": "salon",
        "title": "子育てサロン",
        "start": "2026-12-08T10:00",
        "end": "2026-12-08T12:00",
    },
    {"id": "weekly", "title": "読み聞かせ", "start": "2026-12-05T10:00", "repeat": "毎週土曜"},
]


def group(name: str, kana: str, body: str, events: list[dict[str, str]] | None = None) -> str:
    data: dict[str, object] = {"name": name, "kana": kana, "summary": f"{name}です。"}
    data["fields"] = ["まちづくり"]
    if events:
        data["events"] = events
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


@contextmanager
def preview(
    config_file: Path, site: Path, *, command: str = "serve", dirty: bool = False
) -> Iterator[Any]:
    """The configuration MkDocs' serve (or build) command makes, with the plugin started; its
    `build(config)` is one rebuild."""
    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command=command, dirty=dirty)
    try:
        yield config
    finally:
        config.plugins.on_shutdown()


def files_of(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and "pagefind" not in p.parts
    }


def test_a_preview_rebuild_reuses_unchanged_pages_and_equals_a_full_build(tmp_path: Path) -> None:
    groups = {
        "alpha.md": group("あるふぁの会", "あるふぁのかい", "本文です。\n", EVENTS),
        "beta.md": group("べーたの会", "べーたのかい", "べーたの本文です。\n", EVENTS[:1]),
    }
    config_file = write_project(tmp_path / "p", groups, plugin={"search": {"enabled": True}})
    with preview(config_file, tmp_path / "served") as config:
        build(config)
        plugin = config.plugins["civic"]
        assert not plugin.hits
        assert len(plugin.reused) == 5 + len([p for p in plugin.pages if p.startswith("events/20")])
        # a save: beta's body changes, alpha's does not
        beta = tmp_path / "p" / "groups" / "beta.md"
        beta.write_text(beta.read_text(encoding="utf-8") + "\n追記しました。\n", encoding="utf-8")
        build(config)
        months = [p for p in plugin.pages if p.startswith("events/20")]
        assert set(months) <= set(plugin.hits)  # beta's events did not change: nor did a month
        assert sorted(set(plugin.hits) - set(months)) == [
            "events/alpha-salon.md",
            "events/alpha-weekly.md",
            "groups/alpha.md",
        ]
        assert sorted(plugin.misses) == ["events/beta-salon.md", "groups/beta.md"]
        plugin.search_behind.wait(120)
        assert (tmp_path / "served" / "pagefind" / "pagefind.js").is_file()
        served = files_of(tmp_path / "served")
    assert "追記しました" in served["groups/beta/index.html"].decode()
    # the same project built from scratch, as `mkdocs build` would with serve's site URL
    with preview(config_file, tmp_path / "fresh") as fresh:
        build(fresh)
        fresh.plugins["civic"].search_behind.wait(120)
    assert files_of(tmp_path / "fresh") == served


def test_a_dirty_preview_writes_only_what_changed(tmp_path: Path) -> None:
    """`mkdocs serve --dirty`: pages and files equal to the previous build's are not written
    again (their files keep their times), and the site is still what a full build writes."""
    groups = {
        "alpha.md": group("あるふぁの会", "あるふぁのかい", "本文です。\n", EVENTS),
        "beta.md": group("べーたの会", "べーたのかい", "べーたの本文です。\n", EVENTS[:1]),
    }
    config_file = write_project(tmp_path / "p", groups)
    served = tmp_path / "served"
    with preview(config_file, served, dirty=True) as config:
        build(config, dirty=True)
        times = {p: (served / p).stat().st_mtime_ns for p in files_of(served)}
        time.sleep(0.05)
        beta = tmp_path / "p" / "groups" / "beta.md"
        beta.write_text(beta.read_text(encoding="utf-8") + "\n追記しました。\n", encoding="utf-8")
        build(config, dirty=True)
        after = files_of(served)
    rewritten = {p for p in times if (served / p).stat().st_mtime_ns != times[p]}
    for kept in ("groups/alpha/index.html", "events/alpha-salon/index.html",
                 "events/alpha-salon/calendar.ics", "events/2026/12/index.html"):  # fmt: skip
        assert kept not in rewritten, kept
    assert "groups/beta/index.html" in rewritten
    assert "追記しました" in after["groups/beta/index.html"].decode()
    full = build_project(config_file, tmp_path / "full")
    assert files_of(full).keys() == after.keys()
    different = [p for p in after if after[p] != (full / p).read_bytes()]
    assert different == ["search/index.html"], different  # the preview's note on the index


class _Server:
    """MkDocs' LiveReloadServer as serve() drives it, without a socket or a file watcher: its
    `serve()` runs the test's `saves` while serve()'s folder exists; `self.builder()` is the
    rebuild the server runs after a save (the builder as the plugin's on_serve left it)."""

    saves: Callable[[_Server], None]

    def __init__(self, builder: Callable[[], None], host: str, port: int, root: str, **_: Any):
        self.builder, self.root = builder, Path(root)
        self.error_handler: Any = None

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        pass

    def serve(self, *, open_in_browser: bool = False) -> None:
        self.saves(self)

    def shutdown(self, wait: bool = False) -> None:
        pass


def mkdocs_serve_with(
    monkeypatch: pytest.MonkeyPatch, config_file: Path, saves: Callable[[_Server], None]
) -> None:
    """`mkdocs serve --strict` (MkDocs' own serve(): its first build, its builder, its plugin
    events), the saves made while it serves."""
    server = type("Server", (_Server,), {"saves": staticmethod(saves)})
    monkeypatch.setattr(mkdocs_serve, "LiveReloadServer", server)
    mkdocs_serve.serve(str(config_file), strict=True)


def test_mkdocs_serve_rebuilds_over_its_previous_build_as_a_full_build_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without `--dirty`, MkDocs empties its folder and writes every file again on each save
    (20-30 s at 1,000 groups with 5,000 events); the plugin has it write over the previous build:
    an unchanged file keeps its time, a removed group's pages go, the home page (its newest
    groups) follows, and the folder is what serve's first build of the same files writes."""
    groups = {
        "alpha.md": group("あるふぁの会", "あるふぁのかい", "本文です。\n", EVENTS[:1]),
        "beta.md": group("べーたの会", "べーたのかい", "べーたの本文です。\n", EVENTS[1:]),
    }
    config_file = write_project(tmp_path / "p", groups)
    seen: dict[str, Any] = {}

    def saves(server: _Server) -> None:
        site = server.root
        seen["first"] = files_of(site)
        times = {p: (site / p).stat().st_mtime_ns for p in seen["first"]}
        time.sleep(0.05)
        beta = tmp_path / "p" / "groups" / "beta.md"
        beta.write_text(beta.read_text(encoding="utf-8") + "\n追記しました。\n", encoding="utf-8")
        server.builder()
        seen["rewritten"] = {p for p in times if (site / p).stat().st_mtime_ns != times[p]}
        seen["edited"] = files_of(site)
        (tmp_path / "p" / "groups" / "alpha.md").unlink()
        server.builder()
        seen["removed"] = files_of(site)
        seen["folders"] = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_dir()}

    mkdocs_serve_with(monkeypatch, config_file, saves)
    for kept in ("groups/alpha/index.html", "events/alpha-salon/index.html",
                 "events/alpha-salon/calendar.ics"):  # fmt: skip
        assert kept not in seen["rewritten"], kept
    assert "追記しました" in seen["edited"]["groups/beta/index.html"].decode()
    assert "あるふぁの会" in seen["edited"]["index.html"].decode()
    assert "events/alpha-salon" not in seen["folders"]
    assert "あるふぁの会" not in seen["removed"]["index.html"].decode()

    def first_build(server: _Server) -> None:
        seen["fresh"] = files_of(server.root)

    mkdocs_serve_with(monkeypatch, config_file, first_build)
    assert seen["removed"].keys() == seen["fresh"].keys()
    assert [p for p in seen["fresh"] if seen["fresh"][p] != seen["removed"][p]] == []


def test_without_a_nav_a_new_page_shows_in_the_navigation_of_every_kept_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without `nav:` in mkdocs.yml, MkDocs lists every page of docs_dir: a page added while
    serving is in the navigation of the group pages kept from the previous build too."""
    config_file = write_project(tmp_path / "p", {"alpha.md": group("あるふぁの会", "あ", "本文")})
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    del config["nav"]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    seen: dict[str, str] = {}

    def saves(server: _Server) -> None:
        page = tmp_path / "p" / "content" / "about.md"
        page.write_text("# センターについて\n", encoding="utf-8")
        server.builder()
        seen["group"] = (server.root / "groups" / "alpha" / "index.html").read_text("utf-8")

    mkdocs_serve_with(monkeypatch, config_file, saves)
    assert "センターについて" in seen["group"]


def test_a_change_to_mkdocs_yml_renders_every_page_again(tmp_path: Path) -> None:
    groups = {"alpha.md": group("あるふぁの会", "あるふぁのかい", "本文です。\n", EVENTS)}
    config_file = write_project(tmp_path / "p", groups)
    with preview(config_file, tmp_path / "served") as config:
        build(config)
        plugin = config.plugins["civic"]
        build(config)
        assert len([p for p in plugin.hits if not p.startswith("events/20")]) == 3
        text = config_file.read_text(encoding="utf-8")
        config_file.write_text(text.replace("テスト市", "テスト町"), encoding="utf-8")
        build(config)
        assert not plugin.hits


def test_a_build_reuses_nothing(tmp_path: Path) -> None:
    """`mkdocs build` renders every page (the reuse is the preview's)."""
    groups = {"alpha.md": group("あるふぁの会", "あるふぁのかい", "本文です。\n", EVENTS)}
    config_file = write_project(tmp_path / "p", groups)
    with preview(config_file, tmp_path / "a", command="build") as config:
        build(config)
        build(config)
        assert not config.plugins["civic"].hits


def test_a_preview_of_files_git_does_not_know_reuses_their_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without SOURCE_DATE_EPOCH each rebuild has its own clock; a group file outside git is
    dated when the preview first read it, so its pages stay the same from save to save."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    groups = {
        "alpha.md": group("あるふぁの会", "あるふぁのかい", "本文です。\n", EVENTS[:1]),
        "beta.md": group("べーたの会", "べーたのかい", "べーたの本文です。\n"),
    }
    config_file = write_project(tmp_path / "p", groups)
    with preview(config_file, tmp_path / "served") as config:
        build(config)
        plugin = config.plugins["civic"]
        time.sleep(1.1)  # the next build's clock is another second
        beta = tmp_path / "p" / "groups" / "beta.md"
        beta.write_text(beta.read_text(encoding="utf-8") + "\n追記しました。\n", encoding="utf-8")
        build(config)
        assert {"groups/alpha.md", "events/alpha-salon.md"} <= set(plugin.hits)
        assert "groups/beta.md" in plugin.misses


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    """The page as served, without the build epochs serve's reload script carries."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode("utf-8")
    except OSError:
        return None
    return re.sub(r"livereload\(\d+, \d+\)", "livereload()", text)


def test_mkdocs_serve_on_the_sample_shows_a_saved_change(tmp_path: Path) -> None:
    """The README's preview, for real: `mkdocs serve` on a copy of the sample (its web form's
    committed configuration names the real site URL, which serve replaces with its own), then a
    saved group file shows on its page while another group's page stays as it was."""
    project = tmp_path / "sample"
    for folder in ("content", "groups", "overrides"):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    if (REPO / "node_modules").is_dir():
        (project / "node_modules").symlink_to(REPO / "node_modules")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    try:
        deadline = time.monotonic() + 180
        while fetch(base + "groups/hidamari-salon/") is None:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the first build did not finish"
            time.sleep(0.5)
        other = fetch(base + "groups/harmony-chorus/")
        assert other and "harmony" in other
        source = project / "groups" / "hidamari-salon.md"
        source.write_text(
            source.read_text(encoding="utf-8") + "\n保存した変更です。\n", encoding="utf-8"
        )
        deadline = time.monotonic() + 120
        while "保存した変更です" not in (fetch(base + "groups/hidamari-salon/") or ""):
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the saved change never showed"
            time.sleep(0.5)
        assert fetch(base + "groups/harmony-chorus/") == other
        if (REPO / "node_modules" / "decap-cms").is_dir():
            assert "civic-cms.js" in (fetch(base + "admin/") or "")
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
