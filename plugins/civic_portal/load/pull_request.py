"""What a pull request changes, and who may change it, read from git (never from the work tree).

Everything that decides whether the author may make the change comes from the BASE commit: the
staff list and the groups folder in mkdocs.yml, and each group file's maintainers, logo and body
images. A pull request cannot add itself to `staff:` or to a group's `maintainers:`, and what it
changes is listed by git with rename detection off, so a renamed or moved file shows as the
deletion of the old path (whose owners are checked) and the addition of the new one.

mkdocs.yml is read as plain YAML with every tag (`!ENV`, `!!python/...`) ignored: loading it the
way MkDocs does would run code a pull request wrote.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .body import check_body
from .frontmatter import FrontMatterError, parse
from .group_contract import is_group_file

SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"


class PullRequestError(Exception):
    """git could not tell what the pull request changes (the message is for the person running it)."""


@dataclass(frozen=True)
class Change:
    path: str
    status: str  # A added, M modified, D deleted, T type changed
    mode: str  # the new file mode ("000000" when deleted)


@dataclass(frozen=True)
class GroupRefs:
    """What the ownership rule needs of one group file."""

    maintainers: tuple[str, ...] = ()
    images: frozenset[str] = frozenset()  # names under groups/images/: logo and body images


@dataclass(frozen=True)
class PullRequest:
    staff: tuple[str, ...]
    groups_dir: str
    changes: tuple[Change, ...]
    base_groups: dict[str, GroupRefs] = field(default_factory=dict)  # path → refs, at base
    head_groups: dict[str, GroupRefs] = field(default_factory=dict)  # path → refs, at head


def read_pull_request(
    root: Path, base: str, head: str = "HEAD", config_file: str = "mkdocs.yml"
) -> PullRequest:
    """The pull request from `base` to `head` in the repository at `root`."""
    git = _Git(root)
    settings = _civic_settings(git.show(base, config_file), config_file)
    groups_dir = str(settings.get("groups_dir") or "groups").strip("/")
    staff = tuple(str(s).lstrip("@") for s in settings.get("staff") or () if s)
    raw = git.run("diff", "--raw", "--no-renames", "-z", f"{base}...{head}")
    changes = _parse_raw(raw)
    return PullRequest(
        staff=staff,
        groups_dir=groups_dir,
        changes=changes,
        base_groups=_group_refs(git, base, groups_dir),
        head_groups=_group_refs(git, head, groups_dir),
    )


def _parse_raw(raw: str) -> tuple[Change, ...]:
    """`git diff --raw -z`: ":old new oldsha newsha status\\0path\\0" for each change."""
    fields = raw.split("\0")
    changes = []
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        if not meta.startswith(":"):
            continue
        _, new_mode, _, _, status = meta[1:].split(" ")
        changes.append(Change(path, status[:1], new_mode))
    return tuple(sorted(changes, key=lambda c: c.path))


def _group_refs(git: _Git, commit: str, groups_dir: str) -> dict[str, GroupRefs]:
    names = git.run("ls-tree", "-z", "--name-only", f"{commit}:{groups_dir}", check=False)
    paths = [f"{groups_dir}/{n}" for n in names.split("\0") if is_group_file(n)]
    return {path: _refs(text) for path, text in zip(paths, git.blobs(commit, paths), strict=True)}


def _refs(text: str | None) -> GroupRefs:
    """Maintainers and pictures of a group file; an unreadable file has neither."""
    if text is None:
        return GroupRefs()
    try:
        doc = parse(text.replace("\r\n", "\n"))
    except FrontMatterError:
        return GroupRefs()
    value = doc.data.get("maintainers") or ()
    people = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    logo = doc.data.get("logo")
    images = {name for _, name in check_body(doc.body).images}
    if isinstance(logo, str):
        images.add(logo.strip().removeprefix("images/"))
    return GroupRefs(
        tuple(str(p).strip().lstrip("@").lower() for p in people if isinstance(p, str | int)),
        frozenset(images),
    )


def _civic_settings(text: str | None, config_file: str) -> dict[str, Any]:
    if text is None:
        raise PullRequestError(f"基準のブランチに {config_file} がありません")
    try:
        data = yaml.load(text, Loader=_TagBlindLoader)
    except yaml.YAMLError as e:
        raise PullRequestError(f"基準のブランチの {config_file} を読めません（{e}）") from None
    for plugin in (data or {}).get("plugins") or ():
        if isinstance(plugin, dict) and isinstance(plugin.get("civic"), dict):
            return plugin["civic"]
    return {}


class _TagBlindLoader(yaml.SafeLoader):
    """Safe YAML in which an unknown tag (!ENV, !!python/name:…) reads as null, never as code."""


_TagBlindLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class _Git:
    def __init__(self, root: Path) -> None:
        executable = shutil.which("git")
        if executable is None:
            raise PullRequestError("git が見つかりません")
        self.command = [executable, "-C", str(root)]

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([*self.command, *args], capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise PullRequestError(f"git {args[0]} が失敗しました: {done.stderr.strip()}")
        return done.stdout if done.returncode == 0 else ""

    def show(self, commit: str, path: str) -> str | None:
        [text] = self.blobs(commit, [path])
        return text

    def blobs(self, commit: str, paths: list[str]) -> list[str | None]:
        """The text of each path at `commit` (None if absent), from one `git cat-file` process."""
        if not paths:
            return []
        done = subprocess.run(
            [*self.command, "cat-file", "--batch"],
            input="".join(f"{commit}:{p}\n" for p in paths).encode(),
            capture_output=True,
            timeout=120,
        )
        out, position, texts = done.stdout, 0, []
        for _ in paths:
            end = out.index(b"\n", position)
            header = out[position:end].split(b" ")
            position = end + 1
            if header[-1] == b"missing" or len(header) != 3:
                texts.append(None)
                continue
            size = int(header[2])
            texts.append(out[position : position + size].decode("utf-8", "replace"))
            position += size + 1
        return texts
