"""When each source file first entered the repository, from one `git log` call."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path


def file_history(
    root: Path, folders: list[str], tz: dt.tzinfo
) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Map paths under `folders` (relative to `root`) to (first commit, last commit) times.

    Files git does not know (a fresh edit, or no repository at all) are absent: callers treat
    them as added and changed "now", the build's own clock, which honours SOURCE_DATE_EPOCH.
    """
    git = shutil.which("git")
    folders = [f for f in folders if (root / f).is_dir()]
    if git is None or not folders:
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
                "--name-only",
                "--format=%x00%ct",
                "--no-renames",
                "--",
                *folders,
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
    history: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    # Newest commits come first: the first sighting is the last change, the last the first.
    for block in log.split("\x00")[1:]:
        stamp, _, names = block.partition("\n")
        when = dt.datetime.fromtimestamp(int(stamp), tz)
        for name in names.split("\n"):
            name = name.strip()
            if name:
                rel = name if base in ("", ".") else name.removeprefix(base + "/")
                history[rel] = (when, history.get(rel, (when, when))[1])
    return history
