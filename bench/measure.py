"""The benchmark's measurements: building a site in a child process (wall time, peak memory),
counting its pages and file sizes, the events figures, and the bytes a search fetches in Chromium.

Imported by run.py (bench_size: one N, both sites) and page_weight.py; bench/ is a folder of
scripts, not a package.
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import socket
import subprocess
import sys
import tempfile
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

# -- builds, pages and sizes -----------------------------------------------------------------------


def build_site(config: Path, site: Path, label: str) -> dict[str, float]:
    """Run `mkdocs build` in a child process; wall seconds and peak RSS (largest of it and its children)."""
    log = config.parent / "build.log"
    env = {**os.environ, **BUILD_ENV}
    start = time.perf_counter()
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text("utf-8", errors="replace").splitlines()[-40:]
        print(
            f"BUILD FAILED ({label}, exit {proc.returncode}); stderr tail:\n" + "\n".join(tail),
            file=sys.stderr,
        )
        sys.exit(1)
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


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


# -- one size: both sites, built and measured ------------------------------------------------------


def bench_size(n: int, events_per_group: float = 0) -> dict[str, Any]:
    groups = generate_groups(n, events_per_group)
    truth = {q: sum(q in g.indexed_text() for g in groups) for q in QUERIES}
    first = groups[0].slug
    with tempfile.TemporaryDirectory(prefix=f"civic-bench-{n}-") as tmp:
        result: dict[str, Any] = {"n": n, "first_slug": first, "truth": truth}
        if events_per_group:
            result["events_per_group"] = events_per_group
        for label, writer in (("ours", write_portal_project), ("baseline", write_baseline_project)):
            root, site = Path(tmp, label), Path(tmp, f"{label}-site")
            root.mkdir()
            config = writer(root, groups)
            print(f"[N={n}] building {label} …", flush=True)
            stats = build_site(config, site, f"{label}, N={n}")
            pages = html_page_count(site)
            stats |= {
                "html_pages": pages,
                "ms_per_page": round(1000 * stats["seconds"] / pages, 2),
                "group_page_bytes": (site / "groups" / first / "index.html").stat().st_size,
            }
            print(
                f"[N={n}] {label}: {stats['seconds']} s, {pages} pages, {stats['peak_rss_mib']} MiB",
                flush=True,
            )
            if label == "ours":
                stats |= {
                    "groups_index_json": file_sizes(site / "groups" / "index.json"),
                    "groups_index_html": file_sizes(site / "groups" / "index.html"),
                    "pagefind_bytes": folder_bytes(site / "pagefind"),
                }
                if events_per_group:
                    stats["events"] = event_figures(site, groups)
                    e = stats["events"]
                    print(
                        f"[N={n}] ours events: {e['total']} ({e['recurring']} recurring), "
                        f"{e['occurrences']} occurrences, {e['html_pages']} pages under events/",
                        flush=True,
                    )
                print(f"[N={n}] searching ours in Chromium …", flush=True)
                stats["queries"] = measure_search_transfer(site, QUERIES)
            else:
                stats["search_index_json"] = file_sizes(site / "search" / "search_index.json")
            result[label] = stats
    result["per_page_ratio"] = round(
        result["ours"]["ms_per_page"] / result["baseline"]["ms_per_page"], 2
    )
    return result
