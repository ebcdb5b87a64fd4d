"""The site's generated files (calendars, feeds, open data, directory data: 7,600 files at 1,000
groups with 5,000 events) written by a process of their own while the build renders its pages.

MkDocs writes them one after another before it renders a page, and each new file costs the
build's one thread its system calls (creating folders and files: 0.2-1 ms each on a disk).
Here the build pickles each file into a pipe as soon as the files are known, and lets go of its
text; the process writes them on another processor.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from .background import Background, answer, received

# One file to write: its path in the site, and a function giving its bytes
Pending = tuple[str, Callable[[], bytes]]


class WriteInBackground:
    """Writes `files` into `site_dir`; `done()` waits and says how many it wrote. Each file's
    bytes are asked for (`content()`: the build lets go of its text) as it goes into the pipe."""

    def __init__(self, site_dir: Path, files: Iterable[Pending]) -> None:
        items = ((path, content()) for path, content in files)
        self._process = Background(__spec__.name, [str(site_dir)], items)

    def done(self) -> int:
        return int(self._process.result())

    def cancel(self) -> None:
        self._process.cancel()


def write_files(site_dir: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Each (path, bytes) of `files` written under `site_dir`."""
    count = 0
    made: set[Path] = set()
    for path, data in files:
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"not a path in the site: {path}")
        target = site_dir.joinpath(*relative.parts)
        try:
            if target.parent not in made:
                os.makedirs(target.parent, exist_ok=True)
                made.add(target.parent)
            with open(target, "wb") as f:
                f.write(data)
        except OSError as e:  # the file named, with the system's reason
            raise OSError(f"{path}: {e.strerror or e}") from e
        count += 1
    return count


if __name__ == "__main__":
    answer(lambda: write_files(Path(sys.argv[1]), received()))
