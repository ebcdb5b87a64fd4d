"""The first hour of a newcomer: the README's commands as written, its example output as the
real output, `civic new-group` from a Japanese name, a news post naming an invalid group, and
the test command telling why it skips."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, Built, dedent, group_file, run_civic, write_project

README = (REPO / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent  # the virtual environment the README sets up (.venv/bin)
_COMMAND = re.compile(
    r"(?<![\w./-])(civic|mkdocs) (check|build|serve|new-group|newsletter|schema|owners|cms-config"
    r"|export|import|pr-check|gh-deploy)\b"
)


def test_the_readme_writes_every_command_one_way() -> None:
    """A bare `civic check` is "command not found" in a fresh shell: every command after the
    set-up line names the virtual environment, except where the README says how to shorten it."""
    explained = README.index("short forms `civic …` and `mkdocs …` work too")
    bare = [
        m.group(0) for m in _COMMAND.finditer(README) if not explained <= m.start() < explained + 80
    ]
    assert bare == [], bare


def test_every_command_the_readme_names_exists() -> None:
    names = set(re.findall(r"\.venv/bin/(civic|mkdocs) ([a-z][a-z-]+)", README))
    assert ("civic", "check") in names and ("mkdocs", "build") in names
    for tool, sub in sorted(names):
        assert (BIN / tool).exists(), f".venv/bin/{tool} is installed by the set-up command"
        if tool == "civic":
            done = subprocess.run(
                [str(BIN / tool), sub, "--help"], capture_output=True, text=True, timeout=60
            )
            assert done.returncode == 0, f"civic {sub}: {done.stderr}"


def _sample_copy(target: Path) -> Path:
    """The sample portal's sources (configuration, content, groups, templates) in `target`."""
    target.mkdir()
    for name in ("mkdocs.yml", "content", "groups", "overrides"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


def test_the_readmes_example_output_is_the_real_output(tmp_path: Path) -> None:
    block = re.search(
        r"```\n\$ \.venv/bin/civic check (groups/hidamari-salon\.md)\n(.*?)```", README, re.S
    )
    assert block, "the README shows a command and its output"
    project = _sample_copy(tmp_path / "portal")
    target = project / block.group(1)
    lines = target.read_text(encoding="utf-8").split("\n")
    # the edits the README describes: line 4 summary → sumary, line 29's date → 2027-02-30
    assert lines[3].startswith("summary:") and "until: 2027-03-31" in lines[28]
    lines[3] = lines[3].replace("summary:", "sumary:", 1)
    lines[28] = lines[28].replace("2027-03-31", "2027-02-30")
    target.write_text("\n".join(lines), encoding="utf-8")
    run = run_civic("check", block.group(1), cwd=project)
    assert run.returncode == 1
    assert run.stdout + run.stderr == block.group(2)


# -- civic new-group ------------------------------------------------------------------------------


def _portal(tmp_path: Path) -> Path:
    write_project(tmp_path, {"existing-group.md": group_file()})
    return tmp_path


def test_new_group_takes_a_japanese_name_and_derives_the_file_name(tmp_path: Path) -> None:
    root = _portal(tmp_path)
    args = [
        "--kana",
        "かわなみこどもかい",
        "--summary",
        "子どもの会です。",
        "--fields",
        "子どもの健全育成",
    ]
    run = run_civic("new-group", "川波こども会", *args, cwd=root)
    assert run.returncode == 0, run.stderr
    text = (root / "groups/kawanami-kodomo-kai.md").read_text(encoding="utf-8")
    assert 'name: "川波こども会"' in text
    assert (
        "groups/kawanami-kodomo-kai.md を作りました（ページ: /groups/kawanami-kodomo-kai/）"
        in run.stderr
    )
    chosen = run_civic("new-group", "みなみ子ども会", "--slug", "minami", *args, cwd=root)
    assert chosen.returncode == 0 and (root / "groups/minami.md").exists()
    taken = run_civic("new-group", "きた子ども会", "--slug", "minami", *args, cwd=root)
    assert taken.returncode == 2 and "groups/minami.md はもうあります" in taken.stderr


def test_new_group_without_a_terminal_writes_nothing_when_values_are_missing(
    tmp_path: Path,
) -> None:
    root = _portal(tmp_path)
    before = sorted(p.name for p in (root / "groups").iterdir())
    run = run_civic("new-group", "子ども会", cwd=root)
    assert run.returncode == 2
    assert "ファイルを作りませんでした: --kana … --summary … --fields …" in run.stderr
    assert sorted(p.name for p in (root / "groups").iterdir()) == before


def test_new_group_asks_on_a_terminal_and_suggests_reading_and_file_name(tmp_path: Path) -> None:
    """Answers typed on a terminal (a pseudo-terminal here): Enter keeps the suggested reading
    (pykakasi's) and the file name made from it."""
    root = _portal(tmp_path)
    main, child = os.openpty()
    answers = "川波将棋クラブ\n\n将棋を指す会です。\n学術・文化・芸術・スポーツ\n\n\n\n"
    os.write(main, answers.encode())
    done = subprocess.run(
        [sys.executable, "-m", "civic_portal.cli", "new-group"],
        stdin=child,
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )
    os.close(main)
    os.close(child)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "読みがな（ひらがな） [かわなみしょうぎくらぶ]" in done.stdout
    assert "[kawanami-shougi-kurabu]" in done.stdout
    text = (root / "groups/kawanami-shougi-kurabu.md").read_text(encoding="utf-8")
    assert 'kana: "かわなみしょうぎくらぶ"' in text
    assert 'fields: ["学術・文化・芸術・スポーツ"]' in text, "「・」 is part of a field's name"


def test_an_unknown_field_names_the_field_it_may_mean(tmp_path: Path) -> None:
    root = _portal(tmp_path)
    args = ["--kana", "てすと", "--summary", "s", "--fields", "学術"]
    run = run_civic("new-group", "テスト会", *args, cwd=root)
    [line] = [line for line in run.stdout.splitlines() if ": fields[0]: " in line]
    assert "もしかして「学術・文化・芸術・スポーツ」ですか？" in line
    assert "学術、文化、芸術又はスポーツの振興を図る活動" not in line, "one name per field"


# -- a reference to an invalid group ----------------------------------------------------------------


def test_a_post_naming_an_invalid_group_reports_only_the_groups_problems(tmp_path: Path) -> None:
    post = dedent(
        """
        ---
        title: 講座のお知らせ
        date: 2026-11-20
        category: oshirase
        groups: [broken-group]
        ---
        本文です。
        """
    )
    config = write_project(
        tmp_path,
        {"broken-group.md": group_file(founded="去年")},
        content={"news/2026-11-20-koza.md": post},
    )
    check = run_civic("check", "-f", str(config), cwd=tmp_path)
    lines = check.stdout.splitlines()
    assert check.returncode == 1 and lines, check.stderr
    assert all(line.startswith("groups/broken-group.md:") for line in lines), lines
    build = subprocess.run(
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    reported = [line for line in build.stderr.splitlines() if re.match(r"^\S+\.md:\d+: ", line)]
    assert reported == lines, "the build stops with exactly what civic check says"


# -- the test command ------------------------------------------------------------------------------


def test_skips_say_why_by_default(tmp_path: Path) -> None:
    (tmp_path / "test_skip.py").write_text(
        "import pytest\n\n\ndef test_x():\n    pytest.skip('Chromium がありません')\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml"),
         "--rootdir", str(tmp_path), "-p", "no:cacheprovider", str(tmp_path / "test_skip.py")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert "1 skipped" in done.stdout
    assert "SKIPPED" in done.stdout and "Chromium がありません" in done.stdout


@pytest.mark.parametrize("name", ["site", "test-output", ".cache"])
def test_what_commands_write_is_ignored_by_git(name: str) -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert f"/{name}/" in ignored


# -- the citizens' tabs -----------------------------------------------------------------------------

CITIZENS_TABS = [
    "ホーム", "団体をさがす", "イベント", "お知らせ", "情報紙", "サイト内検索", "センターについて",
]  # fmt: skip
GUIDES = ("editing/", "editing-form/", "news-guide/", "newsletter-guide/")


def test_the_tabs_are_the_citizens_and_the_guides_are_one_link_away(sample_site: Built) -> None:
    home = sample_site.html("")
    tabs = [a.get_text(strip=True) for a in home.select(".md-tabs__link")]
    assert tabs == CITIZENS_TABS
    for url in ("", "groups/hidamari-salon/", "events/", "editing/"):
        link = sample_site.html(url).select_one(".md-footer nav.civic-footer-links a")
        assert link is not None and "編集の手引き" in link.get_text(), url
    guides = sample_site.html("guides")
    targets = {a["href"] for a in guides.select("article a")}
    assert all(f"../{g}" in targets for g in GUIDES), targets
    about = {a["href"] for a in sample_site.html("about").select("article a")}
    assert "../guides/" in about


# -- one pass -----------------------------------------------------------------------------------------


def test_rules_between_files_are_checked_on_files_with_other_problems(tmp_path: Path) -> None:
    """Fixing a file's own problem must not reveal, in the next build, that its name or an
    event's name clashes with another file: both come in the same pass."""
    event = {
        "title": "クリスマス会",
        "kana": "くりすますかい",
        "id": "christmas",
        "start": "2026-12-20",
    }
    clash = {
        "title": "偽のクリスマス会",
        "kana": "にせ",
        "id": "salon-christmas",
        "start": "2026-12-20",
    }
    groups = {
        "hidamari-salon.md": group_file(
            name="ひだまりサロン", kana="ひだまりさろん", events=[event]
        ),
        "hidamari.md": group_file(
            name="ひだまりサロン", kana="ひだまり", founded="去年", events=[clash]
        ),
    }
    config = write_project(tmp_path, groups)
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    keys = sorted((line.split(":")[0], line.split(": ")[1]) for line in run.stdout.splitlines())
    assert ("groups/hidamari.md", "founded") in keys
    assert ("groups/hidamari.md", "name") in keys, "the same name as hidamari-salon.md"
    assert ("groups/hidamari.md", "events") in keys and (
        "groups/hidamari-salon.md",
        "events",
    ) in keys


def test_a_broken_front_matter_still_has_its_body_checked(tmp_path: Path) -> None:
    text = '---\nname: "ひだまり\nkana: ひだまり\n---\n本文です。\n\n![写真](images/missing.png)\n'
    config = write_project(tmp_path, {"hidamari.md": text})
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    lines = run.stdout.splitlines()
    assert run.returncode == 1 and len(lines) == 2, lines
    assert lines[1].startswith(
        "groups/hidamari.md:7: body: 画像 groups/images/missing.png が見つかりません"
    )


def test_the_readmes_commands_run_from_a_fresh_shell(tmp_path: Path) -> None:
    """A newcomer's walk-through: a copy of the portal with its set-up virtual environment, a
    shell whose PATH knows nothing of it, and the README's commands typed as written (those that
    only read, or write into the copy)."""
    portal = _sample_copy(tmp_path / "portal")
    (portal / ".venv").symlink_to(Path(sys.prefix))
    written = set(re.findall(r"`(\.venv/bin/civic [^`…<]*?)`", README))
    safe = {
        ".venv/bin/civic check",
        ".venv/bin/civic owners --write",
        ".venv/bin/civic schema --write",
        ".venv/bin/civic cms-config --write",
        ".venv/bin/civic export groups --format xlsx -o 団体名簿.xlsx",
    }
    assert safe <= written, safe - written
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    for command in sorted(safe):
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=portal,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    assert (portal / "団体名簿.xlsx").stat().st_size > 0
