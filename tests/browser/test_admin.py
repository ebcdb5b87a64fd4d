"""The web form at /admin/ (Decap CMS) in Debian's Chromium, against Decap's local backend.

A copy of the sample portal is a Git repository; `decap-server` (npm, pinned) runs on it in its
Git mode, which keeps the editorial workflow: saving makes a `cms/groups/<name>` branch, the
local stand-in for the pull request that the GitHub backend opens, and main stays as it was.
The site served is a real build of that copy; the only change is where its configuration points
the local backend (a free port instead of 8081).

The screenshots of the guide page 「フォームで編集する」 (content/editing-form.md) are taken here:
each test run writes them to test-output/admin/; CIVIC_UPDATE_SCREENSHOTS=1 also copies them to
content/images/form/, where the guide shows them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from civic_portal.kana import gojuon_key
from civic_portal.load.group_contract import MESSAGES

from ..conftest import REPO, build_project, png, run_civic
from .browser_support import (
    DESKTOP,
    PHONE,
    TEST_OUTPUT,
    axe_missing,
    browser,
    browser_missing,
    describe,
    requirement,
    run_axe,
    serve,
)

__all__ = ["browser"]  # fixtures, used by name

SERVER_JS = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
BUNDLE_JS = REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"


def cms_missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed (apt-get install nodejs)"
    if not SERVER_JS.is_file() or not BUNDLE_JS.is_file():
        return "decap-cms / decap-server are missing: run `npm ci`"
    if shutil.which("git") is None:
        return "git is not installed"
    return None


pytestmark = requirement(browser_missing() or cms_missing() or axe_missing(), "web form tests")

SHOTS = TEST_OUTPUT / "admin"
GUIDE_SHOTS = REPO / "content" / "images" / "form"
GIT = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.jp",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.jp",
}
# axe rules the CMS's own markup breaks and civic-cms.js cannot mend, with where and why; any
# other violation fails the test. (civic-cms.js names the unnamed list buttons, drag handles and
# Markdown box; admin/index.html darkens two greys: without them axe finds button-name,
# aria-command-name, aria-input-field-name and color-contrast here.)
DECAP_KNOWN: dict[str, str] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT},
        check=True,
    )
    return done.stdout


@dataclass
class Cms:
    repo: Path  # the portal copy decap-server writes to (a Git repository on main)
    admin: str  # URL of /admin/
    tmp: Path

    def branches(self) -> list[str]:
        out = git(self.repo, "branch", "--list", "cms/*", "--format=%(refname:short)")
        return sorted(out.split())

    def show(self, ref: str, path: str) -> str:
        return git(self.repo, "show", f"{ref}:{path}")

    def checkout(self, ref: str, name: str) -> Path:
        """The portal as it would be with the pull request merged, in a folder of its own."""
        target = self.tmp / name
        git(self.repo, "worktree", "add", "--detach", str(target), ref)
        return target


def _build(root: Path, site: Path) -> Path:
    before = os.environ.get("CIVIC_NEWSLETTER_PDF")
    os.environ["CIVIC_NEWSLETTER_PDF"] = "false"  # the PDFs are tested elsewhere; minutes here
    try:
        return build_project(root / "mkdocs.yml", site)
    finally:
        if before is None:
            os.environ.pop("CIVIC_NEWSLETTER_PDF", None)
        else:
            os.environ["CIVIC_NEWSLETTER_PDF"] = before


@pytest.fixture(scope="module")
def cms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cms]:
    tmp = tmp_path_factory.mktemp("cms")
    repo = tmp / "portal"
    repo.mkdir()
    for name in ("content", "groups", "overrides"):
        shutil.copytree(REPO / name, repo / name)
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    (repo / ".gitignore").write_text("node_modules\nsite\n.cache\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the sample portal")
    (repo / "node_modules").symlink_to(REPO / "node_modules")  # the CMS bundle for /admin/
    site = _build(repo, tmp / "site")
    port = free_port()
    config = site / "admin" / "config.yml"
    text = config.read_text(encoding="utf-8")
    assert "local_backend: true\n" in text
    config.write_text(
        text.replace(
            "local_backend: true\n", f"local_backend:\n  url: http://127.0.0.1:{port}/api/v1\n"
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        **GIT,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "LOG_LEVEL": "error",
    }
    server = subprocess.Popen(["node", str(SERVER_JS)], cwd=repo, env=env)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "decap-server stopped"
                assert time.monotonic() < deadline, "decap-server did not start"
                time.sleep(0.2)
        with serve(site) as url:
            yield Cms(repo, url + "admin/", tmp)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def form(browser: Any, cms: Cms) -> Iterator[Any]:
    """/admin/ signed in (the local backend's sign-in is one button), on a desktop screen; every
    request is recorded, and a request to any host but this machine fails the test."""
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r))  # type: ignore[attr-defined]
    page.errors = errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())  # "leave this page?" between tests
    page.goto(cms.admin)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_text("団体ページ", exact=True).first.wait_for()
    try:
        yield page
    finally:
        hosts = {r.url.split("/")[2].split(":")[0] for r in page.requests}  # type: ignore[attr-defined]
        context.close()
    assert hosts <= {"127.0.0.1"}, hosts
    assert errors == [], errors


def shot(page: Any, name: str) -> None:
    """A screenshot for the guide page, which must show it."""
    guide = (REPO / "content" / "editing-form.md").read_text(encoding="utf-8")
    assert f"(images/form/{name}.png)" in guide, f"the guide does not show {name}.png"
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    if os.environ.get("CIVIC_UPDATE_SCREENSHOTS") == "1":
        GUIDE_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, GUIDE_SHOTS / path.name)


def field(page: Any, name: str, scope: Any = None) -> Any:
    """The input of the form field `name` (Decap ids its inputs "<name>-field-<n>")."""
    return (scope or page).locator(f"[id^='{name}-field-']").first


def choose(page: Any, name: str, *labels: str) -> None:
    """Pick options of a (react-)select by typing part of their label."""
    box = field(page, name)
    for label in labels:
        box.click()
        box.fill(label)
        page.keyboard.press("Enter")


def open_item(page: Any, summary: str) -> Any:
    """Open a collapsed list item (an event) by the summary it shows; returns the item."""
    item = page.get_by_text(summary).locator(
        "xpath=ancestor::div[contains(@class,'listControlItem')][1]"
    )
    item.locator("button").first.click()
    return item


def settled_axe(page: Any) -> list[dict[str, Any]]:
    """axe once nothing is fading in or out (a toast half-faded has no fixed contrast); the
    toast's countdown bar and endless animations (a spinner) are not waited for."""
    page.wait_for_function(
        """() => document.getAnimations().every(a =>
            a.playState !== "running" || !a.effect ||
            a.effect.getComputedTiming().iterations === Infinity ||
            (a.effect.target && a.effect.target.matches('[class*="progress-bar"]')))""",
        timeout=10_000,
    )
    return run_axe(page)


def save(page: Any) -> None:
    page.get_by_role("button", name="保存", exact=True).click()


def second_saturday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(5 - first.weekday()) % 7 + 7)


def wait_for_branch(page: Any, cms: Cms, before: list[str]) -> str:
    """The branch saving made (its pull request), once the form says the draft is saved."""
    page.get_by_text("下書き").first.wait_for()
    new = sorted(set(cms.branches()) - set(before))
    assert new, "saving made no cms/ branch (no pull request)"
    return new[0]


def test_a_new_group_typed_in_japanese_becomes_a_pull_request_that_builds(
    form: Any, cms: Cms
) -> None:
    page = form
    shot(page, "1-list")
    before = cms.branches()
    page.goto(cms.admin + "#/collections/groups/new")
    field(page, "name").fill("川波こども将棋クラブ")
    field(page, "kana").fill("かわなみこどもしょうぎくらぶ")
    field(page, "summary").fill("小学生から中学生までが集まって将棋を指す、北部地区のクラブです。")
    choose(page, "fields", "子どもの健全育成", "学術")
    choose(page, "areas", "北部地区")
    logo = cms.tmp / "shogi-logo.png"
    logo.write_bytes(png(64, 64))
    page.get_by_role("button", name="画像を選択").click()
    page.locator("input[type=file]").set_input_files(str(logo))
    page.get_by_role("button", name="選択する").click()
    shot(page, "2-new-group")
    page.get_by_role("button", name="イベント を追加").click()
    event = page.locator("[id^='events-field-']").first
    day = second_saturday(2026, 12)
    field(page, "title", event).fill("こども将棋教室")
    field(page, "start", event).fill(f"{day:%Y-%m-%d} 10:00")
    field(page, "end", event).fill("12:00")
    repeat = field(page, "repeat", event)
    repeat.fill("毎月第2")
    assert "毎月第2土曜" in repeat.evaluate(
        "el => Array.from(el.list.options).map(o => o.value)"
    ), "the usual phrases are offered"
    repeat.fill("毎月第2土曜")
    field(page, "place", event).fill("北部公民館 和室")
    save(page)
    branch = wait_for_branch(page, cms, before)
    shot(page, "3-saved")

    assert branch.startswith("cms/groups/group-"), branch
    path = f"groups/{branch.removeprefix('cms/groups/')}.md"
    text = cms.show(branch, path)
    with pytest.raises(subprocess.CalledProcessError):
        cms.show("main", path)  # not pushed to main: a pull request waits for staff
    assert "repeat: 毎月第2土曜" in text and "  - 北部地区" in text
    assert "logo: images/shogi-logo.png" in text
    uploaded = subprocess.run(
        ["git", "cat-file", "blob", f"{branch}:groups/images/shogi-logo.png"],
        cwd=cms.repo,
        capture_output=True,
        check=True,
    ).stdout
    assert uploaded == logo.read_bytes()  # in the same pull request

    merged = cms.checkout(branch, "merged")
    done = run_civic("check", path, cwd=merged)
    assert done.returncode == 0, done.stdout + done.stderr

    site = _build(merged, cms.tmp / "merged-site")
    directory = BeautifulSoup((site / "groups" / "index.html").read_text("utf-8"), "lxml")
    cards = directory.select("li.civic-card")
    names = [c.select_one(".civic-card__name").get_text(strip=True) for c in cards]
    readings = [c.select_one(".civic-card__kana").get_text(strip=True) for c in cards]
    assert "川波こども将棋クラブ" in names
    assert readings == sorted(readings, key=gojuon_key), "五十音 order"
    for month, date in (("2026/12", day), ("2027/01", second_saturday(2027, 1))):
        calendar = (site / "events" / month / "index.html").read_text("utf-8")
        assert "こども将棋教室" in calendar, month
        assert date.isoformat() in calendar, (month, date)


def test_editing_an_event_time_changes_only_that_line(form: Any, cms: Cms) -> None:
    page = form
    before = cms.branches()
    original = cms.show("main", "groups/hidamari-salon.md")
    page.goto(cms.admin + "#/collections/groups/entries/hidamari-salon")
    item = open_item(page, "2026-12-18 10:30 ひだまりクリスマス親子会")
    start = field(page, "start", item)
    assert start.input_value() == "2026-12-18 10:30"
    start.fill("2026-12-18 11:00")
    shot(page, "4-edit-event")
    save(page)
    branch = wait_for_branch(page, cms, before)
    assert branch == "cms/groups/hidamari-salon"
    changed = cms.show(branch, "groups/hidamari-salon.md")
    assert cms.show("main", "groups/hidamari-salon.md") == original
    old, new = original.split("\n"), changed.split("\n")
    assert len(old) == len(new)
    diff = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert diff == [("    start: 2026-12-18 10:30", "    start: 2026-12-18 11:00")], diff


def test_kana_written_in_kanji_is_refused_in_japanese(form: Any, cms: Cms) -> None:
    page = form
    before = cms.branches()
    page.goto(cms.admin + "#/collections/groups/new")
    field(page, "name").fill("川波読書会")
    field(page, "kana").fill("川波読書会")
    field(page, "summary").fill("月に一度、本を持ち寄って話す会です。")
    choose(page, "fields", "社会教育")
    save(page)
    message = page.get_by_text(MESSAGES["kana"]).first
    message.wait_for()
    shot(page, "5-kana-refused")
    time.sleep(1)
    assert cms.branches() == before, "nothing is saved while the form shows a problem"
    # Decap refuses the save by rejecting a promise with nothing, which Chromium reports as an
    # uncaught "undefined"; that one is expected here, anything else is not.
    page.errors[:] = [e for e in page.errors if e != "undefined"]


def test_required_keys_are_asked_for_in_civic_checks_wording(form: Any, cms: Cms) -> None:
    page = form
    page.goto(cms.admin + "#/collections/groups/new")
    field(page, "name").fill("川波読書会")
    save(page)
    page.get_by_text("必須の項目です。「団体名の読みがな」を書いてください").first.wait_for()
    page.errors[:] = [e for e in page.errors if e != "undefined"]  # the refused save, as above


def test_the_form_loads_only_from_the_site_itself(form: Any, cms: Cms) -> None:
    page = form
    page.goto(cms.admin + "#/collections/groups/entries/hidamari-salon")
    page.get_by_text("ひだまりクリスマス親子会").first.wait_for()
    site = cms.admin.removesuffix("admin/")
    scripts = [r.url for r in page.requests if r.resource_type == "script"]
    assert scripts and all(u.startswith(site + "admin/") for u in scripts), scripts
    others = [r.url for r in page.requests if not r.url.startswith(site)]
    # only the local backend, and the pictures the page shows from memory (blob: of its own)
    assert all("/api/v1" in u or u.startswith("blob:" + site) for u in others), others


def test_view_live_opens_the_groups_own_page(form: Any, cms: Cms) -> None:
    page = form
    page.goto(cms.admin + "#/collections/groups/entries/aozora-fukushikai")
    live = page.get_by_role("link", name="ライブで見る").get_attribute("href")
    assert live == "https://portal.example.jp/groups/aozora-fukushikai/"


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_axe_on_the_form(browser: Any, cms: Cms, screen: str) -> None:
    """WCAG 2.1 AA on each screen a group member goes through: sign-in, the list of groups, a
    group's form with an event open, a new group's form showing its problems, and the drafts
    waiting for review (after the tests above saved some)."""
    context = browser.new_context(viewport=DESKTOP if screen == "desktop" else PHONE)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        page.goto(cms.admin)
        page.get_by_role("button", name="ログイン").wait_for()
        found["sign-in"] = settled_axe(page)
        page.get_by_role("button", name="ログイン").click()
        page.get_by_text("社会福祉法人 あおぞら福祉会").wait_for()  # the entries have loaded
        found["list"] = settled_axe(page)
        page.goto(cms.admin + "#/collections/groups/entries/hidamari-salon")
        item = open_item(page, "2026-12-01 10:00 親子ふれあいサロン")
        field(page, "start", item).wait_for()
        found["group"] = settled_axe(page)
        if screen == "phone":
            shot(page, "6-phone")
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"the form is {width}px wide on a phone"
        page.goto(cms.admin + "#/collections/groups/new")
        field(page, "kana").fill("川波")
        save(page)
        page.get_by_text(MESSAGES["kana"]).first.wait_for()
        found["problems"] = settled_axe(page)
        page.goto(cms.admin + "#/workflow")  # leaving the unsaved form: Decap asks first
        page.get_by_text("レビュー中").first.wait_for()
        found["workflow"] = settled_axe(page)
    finally:
        context.close()
    unknown = {
        where: [v for v in violations if v["id"] not in DECAP_KNOWN]
        for where, violations in found.items()
    }
    assert not any(unknown.values()), "\n".join(
        f"{where}:\n{describe(v)}" for where, v in unknown.items() if v
    )
