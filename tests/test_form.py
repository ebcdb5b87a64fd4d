"""The web form at /admin/ as the build writes it: the committed configuration is the generated
one, the CMS is served from the site itself, a citizen's page is the same byte for byte with or
without it, a stale configuration stops the build, and the sample group files are already in the
style the form writes (so a group's first edit changes only what it edits).

What the form does in a browser is tested in tests/browser/test_admin.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import Abort

from civic_portal.outputs.admin import phrases

from .conftest import REPO, Built, build_project, group_file, run_civic, write_project

NODE = shutil.which("node")
READY = NODE is not None and (REPO / "node_modules" / "decap-cms" / "dist").is_dir()
if not READY and os.environ.get("CI") == "true":
    raise RuntimeError("web form tests cannot run under CI: run `npm ci` (see .ci/run)")
needs_npm = pytest.mark.skipif(
    not READY, reason="WEB FORM TESTS SKIPPED: run `npm ci` (decap-cms, Node.js)"
)


def test_committed_form_configuration_is_the_generated_one() -> None:
    run = run_civic("cms-config", cwd=REPO)
    assert run.returncode == 0, run.stderr
    committed = (REPO / "content" / "admin" / "config.yml").read_text(encoding="utf-8")
    assert committed == run.stdout, "run `civic cms-config --write`"


@needs_npm
def test_admin_is_served_from_the_site_itself(sample_site: Built) -> None:
    admin = sample_site.site / "admin"
    page = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "lxml")
    assert page.html["lang"] == "ja"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    sources = [s["src"] for s in page.find_all("script", src=True)]
    assert sources == ["decap-cms.js", "civic-cms.js"]  # same folder, same host; no CDN
    for name in sources:
        assert (admin / name).is_file()
    bundle = REPO / "node_modules" / "decap-cms" / "dist"
    chunks = sorted(p.name for p in bundle.glob("*.decap-cms.js"))
    assert chunks and all((admin / c).is_file() for c in chunks)  # loaded on demand
    assert (admin / "decap-cms.js.LICENSE.txt").is_file()
    assert not list(admin.glob("*.map"))
    config = (admin / "config.yml").read_text(encoding="utf-8")
    assert config == (REPO / "content" / "admin" / "config.yml").read_text(encoding="utf-8")


@needs_npm
def test_no_citizen_page_loads_or_links_the_form(sample_site: Built) -> None:
    for path in sample_site.site.rglob("*.html"):
        if path.parts[len(sample_site.site.parts)] == "admin":
            continue
        text = path.read_text(encoding="utf-8")
        assert "decap" not in text.lower(), path
        page = BeautifulSoup(text, "lxml")
        assert not [s for s in page.find_all("script", src=True) if "admin/" in s["src"]], path
    sitemap = (sample_site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/admin/" not in sitemap


def _portal(root: Path, *, with_npm: bool) -> Path:
    config = write_project(root, {"hidamari.md": group_file()})
    done = run_civic("cms-config", "--write", cwd=root)
    assert done.returncode == 0, done.stderr
    if with_npm:
        (root / "node_modules").symlink_to(REPO / "node_modules")
    return config


@needs_npm
def test_the_form_adds_nothing_to_any_citizen_page(tmp_path: Path) -> None:
    """Built with and without the CMS installed: /admin/ differs, every other file is the same
    (without Node.js the site is complete, less the form)."""
    plain = build_project(_portal(tmp_path / "a", with_npm=False), tmp_path / "site-a")
    form = build_project(_portal(tmp_path / "b", with_npm=True), tmp_path / "site-b")
    assert not (plain / "admin" / "index.html").exists()
    assert (form / "admin" / "index.html").is_file()

    def files(site: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(site)): p.read_bytes()
            for p in site.rglob("*")
            if p.is_file() and p.relative_to(site).parts[0] != "admin"
        }

    assert files(plain) == files(form)


def test_a_stale_form_configuration_stops_the_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An area renamed in mkdocs.yml without `civic cms-config --write`: the form would offer the
    old name, which the check then refuses."""
    config = _portal(tmp_path / "p", with_npm=False)
    written = tmp_path / "p" / "content" / "admin" / "config.yml"
    written.write_text(written.read_text("utf-8").replace("中央地区", "中央"), "utf-8")
    with pytest.raises(Abort):
        build_project(config, tmp_path / "site")
    assert not (tmp_path / "site").exists()
    message = "\n".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert "content/admin/config.yml:1: cms-config: " in message
    assert "civic cms-config --write" in message


@needs_npm
def test_sample_group_files_are_in_the_style_the_form_writes() -> None:
    """tests/js/form_style.cjs writes a file as Decap does (its own gray-matter and yaml, and
    civic-cms.js's key order); the browser test shows a real save matching it line for line."""
    files = sorted(str(p) for p in (REPO / "groups").glob("*.md"))
    done = subprocess.run(
        [NODE, str(REPO / "tests" / "js" / "form_style.cjs"), "--check", *files],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, f"not in the form's style (run with --write): {done.stdout}"


@needs_npm
def test_every_phrase_of_the_cms_is_in_japanese() -> None:
    """Decap's Japanese locale lacks some phrases of its English one; the portal supplies them
    (and its validation wording), so no English shows in the form."""
    script = """
const { createRequire } = require("module");
const req = createRequire(process.cwd() + "/node_modules/decap-cms/");
const en = req("decap-cms-locales/dist/esm/en/index.js");
const ja = req("decap-cms-locales/dist/esm/ja/index.js");
const flat = (o, p = "") => Object.entries(o).flatMap(([k, v]) =>
  v && typeof v === "object" ? flat(v, p + k + ".") : [p + k]);
const ours = new Set(flat(JSON.parse(process.argv[1])));
const have = new Set([...flat(ja.default || ja), ...ours]);
console.log(JSON.stringify(flat(en.default || en).filter((k) => !have.has(k))));
"""
    done = subprocess.run(
        [NODE, "-e", script, json.dumps(phrases())],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_guide_shows_the_screenshots_the_browser_tests_take(sample_site: Built) -> None:
    """content/images/form/ holds only pictures tests/browser/test_admin.py takes (its shot()
    refuses a name the guide does not show), each shown by the guide; group pages link to it."""
    guide = sample_site.html("editing-form/")
    shown = {img["src"].rsplit("/", 1)[-1] for img in guide.select("article img")}
    assert all(img.get("alt") for img in guide.select("article img"))
    taken = {p.name for p in (REPO / "content" / "images" / "form").glob("*.png")}
    assert shown == taken and len(taken) >= 5
    for name in taken:
        assert (sample_site.site / "images" / "form" / name).read_bytes()[
            :8
        ] == b"\x89PNG\r\n\x1a\n"
    group = sample_site.html("groups/hidamari-salon/")
    links = [a["href"] for a in group.select("nav.civic-group__footer a")]
    assert any(h.endswith("editing-form/") for h in links), links
