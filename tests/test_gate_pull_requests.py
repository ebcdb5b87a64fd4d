"""Who may change what, tried as an attacker would: scripted pull requests in a temporary git
repository (a base branch, a clone with a pull-request branch), each run through the ownership
step of .github/workflows/pr.yml exactly as written; and the workflows' own settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import PNG, REPO, group_file, png, write_project

WORKFLOWS = REPO / ".github" / "workflows"
OWNERSHIP_STEP = "Check who may change these files"


def _workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _step(name: str) -> dict:
    [step] = [s for s in _workflow("pr.yml")["jobs"]["pr"]["steps"] if s.get("name") == name]
    return step


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.jp"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.jp"}
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)
    return done.stdout.decode()


class PullRequest:
    """A centre's repository on `main` and a contributor's clone with a pull-request branch."""

    def __init__(self, tmp_path: Path) -> None:
        origin = tmp_path / "origin"
        groups = {
            "alpha.md": group_file(
                name="アルファ", kana="あるふぁ", maintainers=["alice"], logo="images/alpha.png"
            ),
            "beta.md": group_file(
                name="ベータ", kana="べーた", maintainers=["bob"], body="![写真](images/shared.png)"
            ),
            "gamma.md": group_file(
                name="ガンマ", kana="がんま", maintainers=["alice"], body="![](images/shared.png)"
            ),
        }
        images = {"alpha.png": PNG, "shared.png": PNG}
        write_project(origin, groups, images=images, plugin={"staff": ["center-staff"]})
        _git(origin, "init", "-q", "-b", "main")
        _git(origin, "add", "-A")
        _git(origin, "commit", "-qm", "base")
        self.work = tmp_path / "work"
        _git(tmp_path, "clone", "-q", str(origin), str(self.work))
        _git(self.work, "checkout", "-qb", "pull-request")

    def write(self, path: str, data: str | bytes) -> None:
        target = self.work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")

    def run(self, author: str) -> tuple[int, dict[str, str]]:
        """Commit the branch and run the workflow's ownership step as GitHub would: its script
        with bash, PR_AUTHOR and BASE_REF in the environment, the checker on PATH."""
        _git(self.work, "add", "-A")
        _git(self.work, "commit", "-qm", "pull request", "--allow-empty")
        env = {
            **os.environ,
            "PR_AUTHOR": author,
            "BASE_REF": "main",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        done = subprocess.run(
            ["bash", "-e", "-c", _step(OWNERSHIP_STEP)["run"]],
            cwd=self.work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in done.stderr, done.stderr
        refused = {}
        for line in done.stdout.splitlines():
            assert line.startswith("::error file="), line
            where, _, message = line.partition("::")[2].partition("::")
            refused[where.split(",")[0].removeprefix("error file=")] = message
        return done.returncode, refused


@pytest.fixture
def pr(tmp_path: Path) -> PullRequest:
    return PullRequest(tmp_path)


def _text(pr: PullRequest, path: str) -> str:
    return (pr.work / path).read_text(encoding="utf-8")


def test_a_maintainer_edits_their_group(pr: PullRequest) -> None:
    pr.write(
        "groups/alpha.md", _text(pr, "groups/alpha.md").replace("テストの団体", "更新した団体")
    )
    assert pr.run("alice") == (0, {})
    assert pr.run("Alice")[0] == 0  # GitHub user names are case-insensitive


def test_someone_else_may_not_edit_it_even_by_adding_themselves(pr: PullRequest) -> None:
    pr.write(
        "groups/alpha.md", _text(pr, "groups/alpha.md").replace("- alice", "- alice\n- mallory")
    )
    code, refused = pr.run("mallory")
    assert code == 1 and "maintainers に入っていない" in refused["groups/alpha.md"]


def test_new_group_files_list_their_author(pr: PullRequest) -> None:
    pr.write("groups/delta.md", group_file(name="デルタ", kana="でるた", maintainers=["dave"]))
    assert pr.run("dave") == (0, {})
    code, refused = pr.run("erin")
    assert code == 1 and "maintainers: に @erin" in refused["groups/delta.md"]


def test_renaming_someone_elses_group_is_deleting_it(pr: PullRequest) -> None:
    _git(pr.work, "mv", "groups/alpha.md", "groups/alpha2.md")
    pr.write("groups/alpha2.md", _text(pr, "groups/alpha2.md").replace("- alice", "- mallory"))
    code, refused = pr.run("mallory")
    assert code == 1 and "削除できません" in refused["groups/alpha.md"]
    assert (
        "groups/alpha2.md" not in refused
    )  # the new file lists its author; the old one is the hole


def test_moving_a_group_file_into_images_deletes_nothing_silently(pr: PullRequest) -> None:
    _git(pr.work, "mv", "groups/alpha.md", "groups/images/alpha-group.png")
    code, refused = pr.run("mallory")
    assert code == 1
    assert "削除できません" in refused["groups/alpha.md"]
    assert (
        "この画像を使う @mallory さんの団体ファイルがありません"
        in refused["groups/images/alpha-group.png"]
    )


def test_staff_are_read_from_the_base_branch(pr: PullRequest) -> None:
    config = _text(pr, "mkdocs.yml").replace("- center-staff", "- center-staff\n    - mallory")
    assert "mallory" in config
    pr.write("mkdocs.yml", config)
    pr.write("groups/alpha.md", _text(pr, "groups/alpha.md").replace("テストの団体", "乗っ取り"))
    code, refused = pr.run("mallory")
    assert code == 1 and set(refused) == {"mkdocs.yml", "groups/alpha.md"}
    assert pr.run("center-staff") == (0, {})


def test_the_pull_requests_mkdocs_yml_is_never_loaded(pr: PullRequest) -> None:
    marker = pr.work / "PWNED"
    pr.write(
        "mkdocs.yml",
        _text(pr, "mkdocs.yml") + f"extra: !!python/object/apply:os.system ['touch {marker}']\n",
    )
    code, refused = pr.run("mallory")
    assert code == 1 and "mkdocs.yml" in refused
    assert pr.run("center-staff")[0] == 0
    assert not marker.exists()


def test_logos_and_pictures_belong_to_the_groups_that_name_them(pr: PullRequest) -> None:
    pr.write("groups/images/alpha.png", png(2, 2))
    code, refused = pr.run("bob")
    assert code == 1 and "groups/alpha.md が使っている" in refused["groups/images/alpha.png"]
    assert pr.run("alice") == (0, {})


def test_a_picture_two_groups_show_needs_both(pr: PullRequest) -> None:
    pr.write("groups/images/shared.png", png(3, 3))
    for author in ("alice", "bob"):
        code, refused = pr.run(author)
        assert code == 1 and "groups/images/shared.png" in refused
    assert pr.run("center-staff") == (0, {})


def test_a_new_image_needs_a_group_file_of_its_author_that_names_it(pr: PullRequest) -> None:
    pr.write("groups/images/new.png", PNG)
    code, refused = pr.run("alice")
    assert (
        code == 1
        and "この画像を使う @alice さんの団体ファイルがありません"
        in refused["groups/images/new.png"]
    )
    pr.write(
        "groups/alpha.md",
        _text(pr, "groups/alpha.md").replace("images/alpha.png", "images/new.png"),
    )
    assert pr.run("alice") == (0, {})
    code, refused = pr.run("bob")
    assert code == 1 and set(refused) == {"groups/alpha.md", "groups/images/new.png"}


def test_deleting_your_own_group_and_its_logo(pr: PullRequest) -> None:
    _git(pr.work, "rm", "-q", "groups/alpha.md", "groups/images/alpha.png")
    assert pr.run("alice") == (0, {})
    assert pr.run("bob")[0] == 1


def test_links_are_refused(pr: PullRequest) -> None:
    os.symlink("../../mkdocs.yml", pr.work / "groups/images/link.png")
    pr.write(
        "groups/alpha.md",
        _text(pr, "groups/alpha.md").replace("images/alpha.png", "images/link.png"),
    )
    code, refused = pr.run("alice")
    assert code == 1 and "リンク" in refused["groups/images/link.png"]


def test_code_and_workflows_are_staff_only(pr: PullRequest) -> None:
    pr.write("plugins/civic_portal/owners.py", "def author_problems(*a):\n    return []\n")
    pr.write(".github/workflows/pr.yml", "name: pr\n")
    code, refused = pr.run("alice")
    assert code == 1 and set(refused) == {
        "plugins/civic_portal/owners.py",
        ".github/workflows/pr.yml",
    }


def test_the_venue_register_is_staff_only(pr: PullRequest) -> None:
    """A group cannot move a venue (its address and position reach every event held there)."""
    register = "hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
    pr.write("groups/places.yml", register)
    code, refused = pr.run("alice")
    assert code == 1 and "スタッフだけ" in refused["groups/places.yml"]
    assert pr.run("center-staff") == (0, {})


# -- the workflows themselves ------------------------------------------------------------------------


def test_the_checker_is_the_base_branchs_code() -> None:
    """Nothing of the pull request is installed before the ownership step; the checker comes
    from a worktree of the base branch."""
    steps = _workflow("pr.yml")["jobs"]["pr"]["steps"]
    names = [s.get("name") for s in steps]
    before = steps[: names.index(OWNERSHIP_STEP)]
    installs = [s["run"] for s in before if "pip" in s.get("run", "")]
    assert installs and all('install -q "$RUNNER_TEMP/base"' in run for run in installs)
    assert all("-e ." not in s.get("run", "") for s in before)
    assert 'git worktree add --detach "$RUNNER_TEMP/base" "origin/$BASE_REF"' in installs[0]
    assert "${{" not in _step(OWNERSHIP_STEP)["run"]  # values reach the script through env


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_every_job_has_a_timeout_and_checkout_keeps_no_token(name: str) -> None:
    workflow = _workflow(name)
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert 1 <= job["timeout-minutes"] <= 60
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False


def test_only_the_deploy_job_may_publish() -> None:
    jobs = _workflow("deploy.yml")["jobs"]
    assert "permissions" not in jobs["build"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
