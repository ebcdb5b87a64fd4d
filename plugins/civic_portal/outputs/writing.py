"""The site's generated files (calendars, feeds, open data, directory data: 7,600 files at 1,000
groups with 5,000 events) made and written by a process of their own while the build renders
its pages.

MkDocs writes them one after another before it renders a page, and each new file costs the
build's one thread its system calls (creating folders and files: 0.2-1 ms each on a disk); and
making them (serialising 5,000 events' calendars, 2,000 feeds) took the build's one thread 8 s
at 1,000 groups with 5,000 events. Here the build hands the process what they are made of (a
`Batch`: the site's model, pickled once) and the files it already has, and the process makes
and writes them on another processor.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ..background import Background, received

# How to make one file's content, when it is asked for
Make = Callable[[], str | bytes]
# One file to write: its path in the site, and a function giving its bytes
Pending = tuple[str, Callable[[], bytes]]
# Files made in the writing process: a function of a module (pickled by reference, as a
# functools.partial with its arguments) giving (path, bytes) pairs
Batch = Callable[[], Iterable[tuple[str, bytes]]]


class WriteInBackground:
    """Writes each file of `batches` (made in the process) and `files` into `site_dir`; `done()`
    waits and says how many it wrote. Each file's bytes are asked for (`content()`: the build
    lets go of its text) as it goes into the pipe."""

    def __init__(
        self, site_dir: Path, files: Iterable[Pending], batches: Iterable[Batch] = ()
    ) -> None:
        items = itertools.chain(batches, ((path, content()) for path, content in files))
        self._process = Background(write_received, [str(site_dir)], items)

    @property
    def pid(self) -> int:
        """The writing process's (see IndexInBackground's `after`)."""
        return self._process.pid

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


# The hidden folder a build moves the previous build's files into (set_aside)
PREVIOUS_SITE = ".civic-previous-"


def set_aside(site_dir: Path) -> Path | None:
    """Every file and folder of the previous build that MkDocs would delete before writing the
    new one (all but the hidden ones), and any folder an interrupted build left aside, moved
    into a new hidden folder of `site_dir`, which `RemoveInBackground` deletes while the build
    renders its pages: deleting 16,000 files of 3,000 groups took a second build's one thread 4
    to 10 s on a disk here. None when there is nothing to move. An entry that cannot be moved
    (a mount point) is left where it is, for MkDocs to delete as before."""
    if not site_dir.is_dir():
        return None
    entries = [
        e
        for e in site_dir.iterdir()
        if not e.name.startswith(".") or e.name.startswith(PREVIOUS_SITE)
    ]
    if not entries:
        return None
    try:
        aside = Path(tempfile.mkdtemp(prefix=PREVIOUS_SITE, dir=site_dir))
    except OSError:  # a folder it may not write in: MkDocs' own cleaning says so
        return None
    for entry in entries:
        try:
            entry.rename(aside / entry.name)
        except OSError:
            pass
    return aside


class RemoveInBackground:
    """Deletes `folder` in a process of its own; `done()` waits until it is gone."""

    def __init__(self, folder: Path) -> None:
        self._process = Background(remove_folder, [str(folder)], [], behind=True)

    def done(self) -> None:
        self._process.result()


def remove_folder(folder: str) -> None:
    """RemoveInBackground's process. Like MkDocs' own cleaning, what cannot be deleted stays
    (the next build sets it aside again)."""
    shutil.rmtree(folder, ignore_errors=True)


def as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _files(items: Iterable[Any]) -> Iterator[tuple[str, bytes]]:
    """The process's side: each (path, bytes) received, and each file of each Batch made."""
    for item in items:
        if callable(item):
            yield from item()
        else:
            yield item


def write_received(site_dir: str) -> int:
    """WriteInBackground's process: every file received, and every file of each Batch."""
    return write_files(Path(site_dir), _files(received()))
