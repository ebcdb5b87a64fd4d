"""The site search bundle: Pagefind's CLI run once over one small page per search record."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from ..render.search import SearchRecord, record_html


def write_index(
    records: Iterable[SearchRecord],
    output: Path,
    *,
    background: bool = False,
    pages: dict[SearchRecord, str] | None = None,
) -> int:
    """Write a Pagefind bundle into `output`; returns how many records it holds.

    Pagefind's CLI indexes a folder of pages in one run (3,000 pages in about 5 s); its Python
    service answers one record per 0.1 s, too slow for a large portal, so we use the CLI.
    `background`: a preview's index, run out of the next rebuild's way; `pages`: each record's
    page from the previous run (folding a record into tokens is the costly part), updated to
    this run's records.
    """
    ordered = sorted(records, key=lambda r: r.url)
    kept = pages or {}
    with tempfile.TemporaryDirectory(prefix="civic-pagefind-", dir=_scratch()) as tmp:
        made = {}
        for record in ordered:
            page = Path(tmp, record.url.strip("/"), "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            made[record] = html = kept.get(record) or record_html(record)
            page.write_text(html, encoding="utf-8")
        if pages is not None:
            pages.clear()
            pages.update(made)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                tmp,
                "--output-path",
                str(output.resolve()),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            preexec_fn=_yield_to_the_build if background else None,
        )
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(" / ".join(tail) or f"exit {result.returncode}")
    return len(ordered)


log = logging.getLogger("mkdocs.plugins.civic_portal")


def _yield_to_the_build() -> None:
    """A preview's background index keeps out of the next rebuild's way: the lowest priority,
    and one processor of several (Pagefind uses every one it has; on 2 cores the rebuilds that
    overlapped it took 9.6, 11.9, 14.4 s one after the other instead of about 8 s)."""
    os.nice(19)
    if hasattr(os, "sched_getaffinity") and len(cpus := os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, {max(cpus)})


_RAM_FOLDER = Path("/dev/shm")


def _scratch() -> str | None:
    """Where the pages for Pagefind are written: a folder in memory where the system has one
    (Linux's /dev/shm). They live for seconds, and a folder and a file for each of 6,000 records
    took 6.7 s on a disk here, 0.7 s in memory. Elsewhere the system's temporary folder."""
    if _RAM_FOLDER.is_dir() and os.access(_RAM_FOLDER, os.W_OK | os.X_OK):
        return str(_RAM_FOLDER)
    return None


class SearchBehind:
    """The search index of a preview (`mkdocs serve`): the first build indexes at once; after
    that each rebuild links the newest finished index into the new site at once and indexes
    its records again in a background thread, which links its bundle in when done. A save
    shows its page without waiting for Pagefind (seconds at 1,000 groups); the search answers
    from the previous index for those seconds, and the search page says so."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._folder = Path(tempfile.mkdtemp(prefix="civic-search-"))
        self._bundle: Path | None = None  # the newest finished index
        self._pending: list[SearchRecord] | None = None
        self._target: Path | None = None
        self._thread: threading.Thread | None = None
        self._runs = 0
        self._pages: dict[SearchRecord, str] = {}  # each record's page for Pagefind, last run

    def update(self, records: Iterable[SearchRecord], output: Path) -> None:
        records = list(records)
        with self._lock:
            self._target = output
            first = self._bundle is None
            if not first:
                self._copy_in(output)
        if first:
            self._bundle = self._index(records)
            self._copy_in(output)
            return
        with self._lock:
            self._pending = records
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the background index is done (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                records, self._pending = self._pending, None
            if records is None:
                return
            try:
                bundle = self._index(records)
            except Exception as e:  # a failed preview index is reported, the old one stays
                log.warning("サイト内検索の索引を更新できませんでした（Pagefind: %s）", e)
                continue
            with self._lock:
                old, self._bundle = self._bundle, bundle
                if self._target is not None:
                    self._copy_in(self._target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)

    def _index(self, records: list[SearchRecord]) -> Path:
        self._runs += 1
        bundle = self._folder / f"bundle-{self._runs}"
        write_index(records, bundle, background=self._runs > 1, pages=self._pages)
        return bundle

    def close(self, timeout: float = 60) -> None:
        """At the end of the preview: let a running index finish, then remove the bundles."""
        with self._lock:
            self._pending = None
        self.wait(timeout)
        shutil.rmtree(self._folder, ignore_errors=True)

    def _copy_in(self, output: Path) -> None:
        """The newest bundle into the site: a link to it (one file, not thousands: the
        preview's server follows it), or a copy where links cannot be made."""
        if self._bundle is None or not output.parent.is_dir():
            return
        if output.is_symlink() or output.is_file():
            output.unlink()
        elif output.is_dir():
            shutil.rmtree(output)
        try:
            output.symlink_to(self._bundle, target_is_directory=True)
        except OSError:
            shutil.copytree(self._bundle, output)
