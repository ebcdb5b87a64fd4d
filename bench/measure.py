"""The benchmark's measurements: building a site in a child process (wall time, peak memory of
the whole process tree), counting its pages and file sizes, the events figures, and the bytes a
search fetches in Chromium.

Imported by run.py (bench_size: one N, ours and the baselines), page_weight.py and serve_edit.py;
bench/ is a folder of scripts, not a package.
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from generate import (
    QUERIES,
    GeneratedGroup,
    generate_groups,
    write_baseline_project,
    write_portal_project,
)

CHROMIUM = Path("/usr/bin/chromium")
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1795000000"}

# -- memory of a process tree, from /proc ----------------------------------------------------------

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


def parent_pids(first: int) -> dict[int, int]:
    """{pid: parent pid} of every process whose pid is `first` or higher. Linux hands out pids in
    increasing order (until they wrap at pid_max, millions here), so a process started after
    `first` has a higher pid: reading only those keeps a poll cheap on a busy machine."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) < first:
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # gone meanwhile
            continue
        # "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")"
        parents[int(name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return parents


def tree_pids(root: int) -> list[int]:
    """`root` and all its descendants that are alive now."""
    children: dict[int, list[int]] = {}
    for pid, parent in parent_pids(root).items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def rss_bytes(pid: int) -> int:
    """Resident set size of one process (the second field of /proc/<pid>/statm, in pages); 0 once
    it has exited (a zombie has no memory)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


class TreeMemory(threading.Thread):
    """Polls /proc every `interval` seconds while a process runs: the sum of the resident memory
    of it and all its descendants (for ours: mkdocs and the Pagefind CLI it runs, `python -m
    pagefind`, which execs the binary), keeping the largest sum. Shared pages (libraries) count
    once per process, as in `ps`/`top`; a child that lives less than one interval can be missed.
    One poll reads /proc/<pid>/stat of the newer pids only: about 0.3 ms here."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_bytes = 0
        self.peak_processes = 0  # how many processes the tree had at the peak
        self.max_processes = 0
        self.samples = 0
        self._done = threading.Event()

    def sample(self) -> None:
        pids = tree_pids(self.root)
        total = sum(rss_bytes(pid) for pid in pids)
        self.samples += 1
        self.max_processes = max(self.max_processes, len(pids))
        if total > self.peak_bytes:
            self.peak_bytes, self.peak_processes = total, len(pids)

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def figures(self) -> dict[str, float]:
        return {
            "peak_tree_mib": round(self.peak_bytes / MIB, 1),
            "tree_processes_at_peak": self.peak_processes,
            "tree_processes_max": self.max_processes,
            "memory_samples": self.samples,
        }


# -- builds, pages and sizes -----------------------------------------------------------------------


def build_site(config: Path, site: Path, label: str) -> dict[str, float]:
    """Run `mkdocs build` in a child process, after `sync`: wall seconds, the peak of the summed
    resident memory of its whole process tree (`peak_tree_mib`, polled from /proc every 50 ms),
    and `ru_maxrss` (`peak_rss_mib`: the largest single process of the tree, not their sum)."""
    log = config.parent / "build.log"
    env = {**os.environ, **BUILD_ENV}
    # The previous build's files written to disk first, untimed: otherwise a build pays for the
    # writeback of the one before it (ours writes 22,000 files at 1,000 groups with events, and
    # its second and third builds took 12 and 23 % longer than its first)
    os.sync()
    start = time.perf_counter()
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
        memory = TreeMemory(proc.pid)
        memory.start()
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    memory.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text("utf-8", errors="replace").splitlines()[-40:]
        print(
            f"BUILD FAILED ({label}, exit {proc.returncode}); stderr tail:\n" + "\n".join(tail),
            file=sys.stderr,
        )
        sys.exit(1)
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        **memory.figures(),
    }


def html_page_count(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if p.name != "404.html")


def file_sizes(path: Path) -> dict[str, int]:
    data = path.read_bytes()
    return {"raw": len(data), "gzip": len(gzip.compress(data, compresslevel=9))}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def largest(paths: list[Path], site: Path) -> dict[str, Any]:
    """Sizes of the biggest of `paths` (by raw bytes), with its path in the site."""
    if not paths:
        return {"path": None, "raw": 0, "gzip": 0}
    biggest = max(paths, key=lambda p: (p.stat().st_size, str(p)))
    return {"path": biggest.relative_to(site).as_posix(), **file_sizes(biggest)}


def event_figures(site: Path, groups: list[GeneratedGroup]) -> dict[str, Any]:
    """Ours only: what the generator wrote and what the events part of the build produced."""
    with (site / "opendata" / "events.csv").open(encoding="utf-8-sig", newline="") as f:
        csv_rows = sum(1 for _ in csv.reader(f)) - 1  # records, not counting the header
    events_dir = site / "events"
    return {
        "total": sum(len(g.events) for g in groups),
        "recurring": sum("repeat" in e for g in groups for e in g.events),
        "groups_with_events": sum(bool(g.events) for g in groups),
        "occurrences": csv_rows,
        "html_pages": sum(1 for _ in events_dir.rglob("*.html")),
        "largest_month_page": largest(
            list(events_dir.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html")), site
        ),
        "events_index_html": file_sizes(events_dir / "index.html"),
        "events_ics": file_sizes(site / "events.ics"),
        "largest_group_ics": largest(list((site / "groups").glob("*/events.ics")), site),
        "opendata_csv": file_sizes(site / "opendata" / "events.csv"),
    }


# -- search transfer in a real browser -------------------------------------------------------------

STATUS_SETTLED = """() => { const t = (document.querySelector('#site-status') || {}).textContent || '';
  return t.trim() !== '' && !t.includes('検索しています'); }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"http.server did not start on port {port}")


TEXT_SUFFIXES = (".js", ".json", ".css", ".html")


def served_bytes(name: str, body: bytes) -> int:
    """Bytes a static host sends: text gzipped (as GitHub Pages, nginx do); Pagefind's .pf_* and
    wasm files are gzip already, so they travel as they are."""
    return len(gzip.compress(body, 9)) if name.endswith(TEXT_SUFFIXES) else len(body)


def search_in_browser(browser: Any, port: int, query: str) -> dict[str, Any]:
    """Open the search page with ?q= in a fresh context; bytes of /pagefind/ responses and result count."""
    context = browser.new_context()
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url else None)
    page.goto(f"http://127.0.0.1:{port}/search/?q={quote(query)}")
    page.wait_for_function(STATUS_SETTLED, timeout=120_000)
    page.wait_for_load_state("networkidle")
    status = page.inner_text("#site-status")
    bodies = {urlsplit(r.url).path.split("/pagefind/", 1)[1]: r.body() for r in responses}
    files = {name: len(body) for name, body in bodies.items()}
    context.close()
    found = re.search(r"(\d+)件", status)
    served = sum(served_bytes(name, body) for name, body in bodies.items())
    return {
        "bytes": sum(files.values()),
        "served_bytes": served,
        "requests": len(responses),
        "results": int(found.group(1)) if found else 0,
        "status": status,
        "files": files,
    }


def measure_search_transfer(
    site: Path, queries: tuple[str, ...]
) -> dict[str, dict[str, Any]] | None:
    if not CHROMIUM.exists():
        print("query transfer: skipped (chromium missing)", flush=True)
        return None
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(site),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            results = {q: search_in_browser(browser, port, q) for q in queries}
            browser.close()
        return results
    finally:
        server.terminate()
        server.wait()


# -- one size: ours and the baselines, built and measured ----------------------------------------

# (key in results.json, label in the table); the first is ours, the others plain mkdocs-material
SITES = (
    ("ours", "ours"),
    ("baseline", "plain"),
    ("baseline_auto_nav", "plain, auto nav"),
)


def interleaved_builds(
    sites: dict[str, tuple[str, Path, Path]], n: int, repeat: int
) -> dict[str, list[dict[str, float]]]:
    """Each site of `sites` ({key: (label, mkdocs.yml, site folder)}) built `repeat` times, the
    sites taking turns (ours, plain, ours, plain, …): this shared machine's speed drifts over
    minutes, and a drift between all of one site's builds and all of the other's would land in
    their ratio."""
    runs: dict[str, list[dict[str, float]]] = {key: [] for key in sites}
    for turn in range(repeat):
        for key, (label, config, site) in sites.items():
            print(f"[N={n}] building {label} ({turn + 1} of {repeat}) …", flush=True)
            runs[key].append(build_site(config, site, f"{label}, N={n}"))
    return runs


def site_stats(
    label: str, runs: list[dict[str, float]], site: Path, n: int, first: str
) -> dict[str, Any]:
    """What the table shows for one site built `len(runs)` times (the fastest build's seconds,
    the highest memory)."""
    repeat = len(runs)
    stats: dict[str, Any] = min(runs, key=lambda r: r["seconds"]) | {
        key: max(r[key] for r in runs) for key in runs[0] if key != "seconds"
    }
    if repeat > 1:
        stats["all_seconds"] = [r["seconds"] for r in runs]
    pages = html_page_count(site)
    stats |= {
        "html_pages": pages,
        "ms_per_page": round(1000 * stats["seconds"] / pages, 2),
        "seconds_per_1000_groups": round(1000 * stats["seconds"] / n, 2) if n else None,
        "tree_mib_per_1000_groups": round(1000 * stats["peak_tree_mib"] / n, 1) if n else None,
        "group_page_bytes": (site / "groups" / first / "index.html").stat().st_size,
    }
    print(
        f"[N={n}] {label}: {stats['seconds']} s"
        + (f" (fastest of {stats['all_seconds']})" if repeat > 1 else "")
        + f", {pages} pages, peak tree "
        f"{stats['peak_tree_mib']} MiB (largest process {stats['peak_rss_mib']} MiB)",
        flush=True,
    )
    return stats


def bench_size(
    n: int,
    events_per_group: float = 0,
    events_share: float | None = None,
    *,
    auto_nav: bool = True,
    edit_loop: bool = False,
    repeat: int = 1,
) -> dict[str, Any]:
    """One N: ours, plain mkdocs-material in its best configuration (`baseline`) and, unless
    `auto_nav` is false, plain with MkDocs' automatic navigation (`baseline_auto_nav`); with
    `edit_loop`, then the `mkdocs serve` edit loop on ours (serve_edit.py). A failed edit loop
    is recorded, not raised."""
    groups = generate_groups(n, events_per_group, events_share)
    truth = {q: sum(q in g.indexed_text() for g in groups) for q in QUERIES}
    first = groups[0].slug
    writers = {
        "ours": write_portal_project,
        "baseline": lambda root, gs: write_baseline_project(root, gs, auto_nav=False),
        "baseline_auto_nav": lambda root, gs: write_baseline_project(root, gs, auto_nav=True),
    }
    with tempfile.TemporaryDirectory(prefix=f"civic-bench-{n}-") as tmp:
        result: dict[str, Any] = {"n": n, "first_slug": first, "truth": truth}
        if events_per_group:
            result["events_per_group"] = events_per_group
            if events_share is not None:
                result["events_share"] = events_share
        sites: dict[str, tuple[str, Path, Path]] = {}
        for key, label in SITES:
            if key == "baseline_auto_nav" and not auto_nav:
                continue
            root, site = Path(tmp, key), Path(tmp, f"{key}-site")
            root.mkdir()
            sites[key] = (label, writers[key](root, groups), site)
        runs = interleaved_builds(sites, n, repeat)
        for key, (label, _, site) in sites.items():
            stats = site_stats(label, runs[key], site, n, first)
            if key == "ours":
                stats |= {
                    "groups_index_json": file_sizes(site / "groups" / "index.json"),
                    "groups_index_html": file_sizes(site / "groups" / "index.html"),
                    "pagefind_bytes": folder_bytes(site / "pagefind"),
                }
                if events_per_group:
                    stats["events"] = event_figures(site, groups)
                    e = stats["events"]
                    print(
                        f"[N={n}] ours events: {e['total']} ({e['recurring']} recurring) on "
                        f"{e['groups_with_events']} groups, {e['occurrences']} occurrences, "
                        f"{e['html_pages']} pages under events/",
                        flush=True,
                    )
                print(f"[N={n}] searching ours in Chromium …", flush=True)
                stats["queries"] = measure_search_transfer(site, QUERIES)
            else:
                stats["search_index_json"] = file_sizes(site / "search" / "search_index.json")
            shutil.rmtree(site)  # a big N's sites add up; every figure is taken
            result[key] = stats
        ours_ms = result["ours"]["ms_per_page"]
        result["per_page_ratio"] = round(ours_ms / result["baseline"]["ms_per_page"], 2)
        if "baseline_auto_nav" in result:
            result["per_page_ratio_auto_nav"] = round(
                ours_ms / result["baseline_auto_nav"]["ms_per_page"], 2
            )
        if edit_loop:
            from serve_edit import measure_edit_loop  # it imports this module

            print(f"[N={n}] edit loop: mkdocs serve on ours …", flush=True)
            config = Path(tmp, "ours", "mkdocs.yml")
            try:
                loop = measure_edit_loop(config, Path(tmp, "ours", "groups", f"{first}.md"))
            except RuntimeError as e:
                print(f"[N={n}] edit loop failed: {e}", file=sys.stderr, flush=True)
                loop = {"error": str(e), "median_seconds": None, "meets_goal": False}
            result["edit_loop"] = loop
    return result
