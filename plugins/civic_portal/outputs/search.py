"""The site search bundle: Pagefind's CLI run over one small page per search record, in parts.

Pagefind holds every token of every page in memory while it indexes (about 0.8 KB for each
distinct token of each page: 1.4 GB for 3,000 group pages, 4.3 GB for 10,000 with events), and has
no setting that bounds it. So the records are indexed in parts of at most `part_tokens` distinct
tokens (page by page), one Pagefind run after another, and the search page merges the parts with
Pagefind's own `mergeIndex` (a merged part fetches its page list and the index chunks a query
needs; the WebAssembly is loaded once, by the first part).

A build fills the parts in the order its pages are converted and indexes each as soon as it is
full, while the pages render: Pagefind works on one processor for about as long as the build
renders on the other (10 s at 3,000 groups), so it is mostly done when the last page is. A
preview puts a record in the part a hash of its URL names (modulo the number of parts), so a save
changes one part, and only that part is indexed again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import select
import shutil
import subprocess
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..background import Background, received
from ..model.settings import PART_TOKENS
from ..render.search import IndexPage, SearchRecord, index_page

PARTS_FILE = "civic-parts.json"  # the bundle's other parts, for the search page to merge
# Index chunks of about this many word positions (Pagefind's default is 20,000; its only knob
# is this environment variable, pinned with Pagefind's version). A query fetches one chunk for
# each token and part: at 3,000 groups in 6 parts a query moved 488 KB with the default and
# 220 KB with 1,000; in one part, 167 KB instead of 219 KB.
INDEX_CHUNK = 1000
# What a merged part needs (Pagefind's scripts, styles and WebAssembly come from the first part)
_PART_FILES = ("pagefind-entry.json", "index", "fragment", "filter")


def plan_parts(
    pages: Mapping[SearchRecord, IndexPage], part_tokens: int = PART_TOKENS
) -> list[list[SearchRecord]]:
    """A preview's parts: the records in parts of about `part_tokens` distinct tokens each,
    each part in URL order; the same records always give the same parts, and one record's edit
    moves no other record."""
    total = sum(page.tokens for page in pages.values())
    count = max(1, -(-total // max(1, part_tokens)))
    parts: list[list[SearchRecord]] = [[] for _ in range(count)]
    for record in sorted(pages, key=lambda r: r.url):
        parts[zlib.crc32(record.url.encode("utf-8")) % count].append(record)
    return [part for part in parts if part]


def _part_contents(
    pages: Mapping[SearchRecord, IndexPage], part_tokens: int
) -> list[list[tuple[str, str]]]:
    """Each part's pages for Pagefind, (URL, page), as plan_parts divides them."""
    return [[(r.url, pages[r].html) for r in part] for part in plan_parts(pages, part_tokens)]


def _part_folder(number: int) -> str:
    """Where part `number` (1 and up) sits in the bundle; part 0 is the bundle's top."""
    return f"part-{number}"


def write_index(
    records: Iterable[SearchRecord],
    output: Path,
    *,
    part_tokens: int = PART_TOKENS,
) -> int:
    """Write the Pagefind bundle of `records` into `output` (replacing what was there), as a
    build does: parts filled in the records' order, the first at the bundle's top, the others in
    `part-<n>/`, listed in civic-parts.json; returns how many records it holds."""
    return _write_in_order(((r.url, index_page(r)) for r in records), output, part_tokens)


def _write_in_order(
    pages: Iterable[tuple[str, IndexPage]],
    output: Path,
    part_tokens: int,
    after: Callable[[], None] | None = None,
) -> int:
    """write_index of the records' pages, (URL, page), which may still be arriving: a thread
    fills the parts from `pages` while this one indexes each part as soon as it is full (the
    first once `after()` has returned). The Pagefind runs are in this thread, so that a
    cancelled build's SystemExit (see background._answer) stops the one running."""
    _remove(output)
    parts: queue.SimpleQueue[list[tuple[str, str]] | BaseException | None] = queue.SimpleQueue()
    threading.Thread(target=_fill, args=(pages, part_tokens, parts), daemon=True).start()
    taken: set[str] = set()
    number = count = 0
    while (part := parts.get()) is not None:
        if isinstance(part, BaseException):  # the records could not be read: the build says why
            raise part
        if not number and after is not None:
            after()
        target = output / _part_folder(number) if number else output
        taken |= _index_part(part, target, taken, number)
        number, count = number + 1, count + len(part)
    _write_parts_file(output, number)
    return count


def _ending(pid: int) -> Callable[[], None]:
    """A function that returns once process `pid` has ended (at once for 0). The process is
    watched from now on: on Linux through a descriptor opened here, which stays its own even
    if the process ends and its number is given to another; elsewhere it is asked every 50 ms."""
    if not pid:
        return lambda: None
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:  # ended already
        return lambda: None
    except (AttributeError, OSError):  # no pidfd_open on this system

        def poll() -> None:
            while _running(pid):
                time.sleep(0.05)

        return poll

    def wait() -> None:
        try:
            select.select([handle], [], [])
        finally:
            os.close(handle)

    return wait


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: it exists
        pass
    return True


def _fill(
    pages: Iterable[tuple[str, IndexPage]],
    part_tokens: int,
    parts: queue.SimpleQueue[list[tuple[str, str]] | BaseException | None],
) -> None:
    """Each part of `pages` handed over as soon as the next page would take it past
    `part_tokens` (a page of more tokens than that is a part of its own); then None."""
    try:
        part: list[tuple[str, str]] = []
        tokens = 0
        for url, page in pages:
            if part and tokens + page.tokens > part_tokens:
                parts.put(part)
                part, tokens = [], 0
            part.append((url, page.html))
            tokens += page.tokens
        if part:
            parts.put(part)
        parts.put(None)
    except BaseException as e:  # handed to the indexing thread, which raises it
        parts.put(e)


class IndexInBackground:
    """`write_index` in a process of its own, started before the first page is converted: it
    makes each record's page for Pagefind (the tokens, in Python) as the build hands it over,
    and runs Pagefind on each part as soon as it is full, on the processor the build leaves
    idle while it renders pages. A thread would hold Python's lock for the tokens (5 s at 3,000
    groups) and slow the rendering by as much. The records are pickled to the process in
    batches by a thread of the build, and not kept here."""

    BATCH = 100  # records handed to the pipe's thread at a time

    def __init__(self, output: Path, *, part_tokens: int, after: int | None = None) -> None:
        """`after`: a process (the build's writer) whose end the first Pagefind run waits for,
        so that the two never hold their memory at once (at 3,000 groups with events on a
        quarter: 661 MiB side by side, the goal is 600 MB)."""
        self._batch: list[SearchRecord] = []
        self._queue: queue.SimpleQueue[list[SearchRecord] | None] = queue.SimpleQueue()
        self._finished = False
        batches = iter(self._queue.get, None)  # until finish()
        args = [str(output), str(part_tokens), str(after or 0)]
        self._process = Background(_index_in_child, args, batches, behind=True)

    def add(self, record: SearchRecord) -> None:
        self._batch.append(record)
        if len(self._batch) >= self.BATCH:
            self._queue.put(self._batch)
            self._batch = []

    def finish(self) -> None:
        """Every record is in: the process may plan the parts and run Pagefind."""
        if not self._finished:
            self._finished = True
            if self._batch:
                self._queue.put(self._batch)
            self._queue.put(None)

    def result(self) -> int:
        """How many records the index holds, once it is written; its error, if it failed."""
        self.finish()
        return int(self._process.result())

    def cancel(self) -> None:
        """Stop at once (a failed build): the process stops its Pagefind run (subprocess.run
        kills it on the SystemExit that SIGTERM raises), and ends."""
        self._batch = []
        self.finish()
        self._process.cancel()


def _index_in_child(output_dir: str, tokens: str, after: str = "0") -> int:
    """IndexInBackground's process: each batch of records made into pages as it arrives, and
    the index written into `output_dir` in parts of at most `tokens` tokens as they fill, the
    first once process `after` (if not 0) has ended."""
    ended = _ending(int(after))
    pages = ((record.url, index_page(record)) for batch in received() for record in batch)
    return _write_in_order(pages, Path(output_dir), int(tokens), ended)


def _index_part(
    pages: list[tuple[str, str]],
    folder: Path,
    taken: set[str],
    number: int,
    *,
    background: bool = False,
) -> set[str]:
    """Index one part into `folder`; returns its pages' ids. The search page tells pages apart
    by Pagefind's id (7 hex digits of a hash, unique within one run): a part whose ids meet
    another part's is indexed again with a salt in its pages, which changes their hashes."""
    for salt in range(8):
        salted = pages if not salt else [(url, _salted(html, salt)) for url, html in pages]
        _remove(folder)
        _pagefind(salted, folder, background=background)
        ids = {p.name.split(".")[0] for p in (folder / "fragment").glob("*.pf_fragment")}
        if not ids & taken:
            if number:
                _prune(folder)
            return ids
    raise RuntimeError("Pagefind gave pages of two parts the same id eight times")


def _salted(html: str, salt: int) -> str:
    return html.replace("<body>", f'<body><p data-pagefind-meta="salt">{salt}</p>', 1)


def _pagefind(pages: list[tuple[str, str]], output: Path, *, background: bool = False) -> None:
    """One Pagefind run over `pages` (URL, page) into `output`. `background`: a preview's index,
    run out of the next rebuild's way."""
    with tempfile.TemporaryDirectory(prefix="civic-pagefind-", dir=_scratch()) as tmp:
        for url, html in pages:
            page = Path(tmp, url.strip("/"), "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(html, encoding="utf-8")
        result = subprocess.run(
            [
                _pagefind_binary(),
                "--site",
                tmp,
                "--output-path",
                str(output.resolve()),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK)},
            preexec_fn=_yield_to_the_build if background else None,
        )
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(" / ".join(tail) or f"exit {result.returncode}")


def _pagefind_binary() -> str:
    """The Pagefind CLI that `python -m pagefind` runs (PAGEFIND_BINARY_PATH, else the binary
    the pagefind[bin] package installed), run here without that Python's start-up each part."""
    from pagefind.service import get_executable  # its asyncio, only in the indexing process

    if (binary := get_executable()) is None:
        raise RuntimeError("Pagefind's program is not installed (pip install 'pagefind[bin]')")
    return str(binary)


def _prune(part: Path) -> None:
    """A merged part keeps only its index: its entry, page list, chunks and fragments."""
    for entry in part.iterdir():
        if entry.name in _PART_FILES or entry.suffix == ".pf_meta":
            continue
        _remove(entry)


def _write_parts_file(bundle: Path, count: int) -> None:
    """The list of the parts after the first, as URLs relative to the bundle."""
    names = [_part_folder(number) + "/" for number in range(1, count)]
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / PARTS_FILE).write_text(json.dumps({"parts": names}) + "\n", encoding="utf-8")


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


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
    again, in a background thread, only the parts whose records changed (one part for a saved
    group file), then links the new bundle in. A save shows its page without waiting for
    Pagefind; the search answers from the previous index meanwhile, and the search page says so."""

    def __init__(self, part_tokens: int = PART_TOKENS) -> None:
        self.part_tokens = part_tokens
        self._lock = threading.Lock()
        self._folder = Path(tempfile.mkdtemp(prefix="civic-search-"))
        self._bundle: Path | None = None  # the newest finished index
        self._pending: list[SearchRecord] | None = None
        self._target: Path | None = None
        self._thread: threading.Thread | None = None
        self._runs = 0
        self._pages: dict[SearchRecord, IndexPage] = {}  # each record's page, last run
        # each part's index and its pages' ids, by what it holds
        self._parts: dict[str, tuple[Path, frozenset[str]]] = {}
        self.indexed: list[int] = []  # how many parts each run indexed (tests)

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
            used = {folder for folder, _ in self._parts.values()}
            for folder in self._folder.glob("part-*"):
                if folder not in used:
                    shutil.rmtree(folder, ignore_errors=True)

    def _index(self, records: list[SearchRecord]) -> Path:
        """A new bundle of links to each part's index; a part that holds the same pages as
        one of the last run is not indexed again."""
        self._runs += 1
        pages = {r: self._pages.get(r) or index_page(r) for r in records}
        self._pages = pages
        bundle = self._folder / f"bundle-{self._runs}"
        bundle.mkdir()
        planned = [
            (number, _digest(number, content), content)
            for number, content in enumerate(_part_contents(pages, self.part_tokens))
        ]
        parts = {key: self._parts[key] for _, key, _ in planned if key in self._parts}
        taken = set().union(*(ids for _, ids in parts.values()))
        for number, key, content in planned:
            if key not in parts:
                folder = self._folder / f"part-{self._runs}-{number}"
                ids = _index_part(content, folder, taken, number, background=self._runs > 1)
                taken |= ids
                parts[key] = (folder, frozenset(ids))
            folder = parts[key][0]
            if number:
                _link(folder, bundle / _part_folder(number))
            else:
                for entry in folder.iterdir():
                    _link(entry, bundle / entry.name)
        self.indexed.append(sum(1 for key in parts if key not in self._parts))
        self._parts = parts
        _write_parts_file(bundle, len(planned))
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
        _remove(output)
        _link(self._bundle, output)


def _digest(number: int, content: list[tuple[str, str]]) -> str:
    h = hashlib.sha256(str(number).encode())
    for url, html in content:
        h.update(b"\0" + url.encode("utf-8") + b"\0" + html.encode("utf-8"))
    return h.hexdigest()


def _link(source: Path, link: Path) -> None:
    """A link to `source` (the preview's server follows it), or a copy where links cannot be
    made."""
    try:
        link.symlink_to(source, target_is_directory=source.is_dir())
    except OSError:
        if source.is_dir():
            shutil.copytree(source, link)
        else:
            shutil.copy2(source, link)
