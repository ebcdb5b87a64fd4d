"""When each source file first entered the repository, from one `git log` call."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path


def first_added(root: Path, folder: str, tz: dt.tzinfo) -> dict[str, dt.datetime]:
    """Map repository-relative paths under `folder` to the time of the commit that added them.

    Files git does not know (a fresh edit, or no repository at all) are absent: callers treat
    them as added "now", the build's own clock, which honours SOURCE_DATE_EPOCH.
    """
    git = shutil.which("git")
    if git is None or not (root / folder).is_dir():
        return {}
    try:
        top = subprocess.run(
            [git, "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        log = subprocess.run(
            [
                git,
                "-C",
                str(root),
                "log",
                "--diff-filter=A",
                "--name-only",
                "--format=%x00%ct",
                "--no-renames",
                "--",
                folder,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    prefix = Path(top).resolve()
    try:
        base = root.resolve().relative_to(prefix).as_posix()
    except ValueError:
        return {}
    added: dict[str, dt.datetime] = {}
    # Newest commits come first; keep overwriting so a re-added file keeps its first addition.
    for block in log.split("\x00")[1:]:
        stamp, _, names = block.partition("\n")
        when = dt.datetime.fromtimestamp(int(stamp), tz)
        for name in names.split("\n"):
            name = name.strip()
            if name:
                rel = name if base in ("", ".") else name.removeprefix(base + "/")
                added[rel] = when
    return added
