"""Lighthouse against a built site served like a real static host: the server, the runner, the
figures read from a report, and the thresholds the issue sets.

Shared by tests/browser/test_lighthouse.py and bench/lighthouse.py (which loads this file by its
path), so it uses the standard library only and imports nothing from the test package.

- `serve_like_host(site)`: a threaded HTTP/1.1 server on 127.0.0.1 that sends text gzip-compressed
  when the client accepts it, with the content types and cache headers of a static host
  (`immutable` for Material's hashed assets and Pagefind's hashed files, a short max-age for the
  rest), and the site's 404.html with status 404 for a missing file. Every request is recorded;
  4xx and 5xx responses are also printed to stderr.
- `run_lighthouse(url, preset, out_json)`: `node_modules/.bin/lighthouse` with Debian's Chromium
  (CHROME_PATH=/usr/bin/chromium; Lighthouse downloads no browser); returns the parsed report.
  Requests to other hosts (`https://*`: Material's GitHub star count) are blocked, so a run is
  the same offline and online; they are listed in `Figures.blocked`.
- `figures(report)`: what the test asserts and the benchmark prints; `problems(figures, preset)`:
  the thresholds broken, one line each, with the audits that fail.
"""

from __future__ import annotations

import gzip
import http.server
import json
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[2]
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"

# One page of every kind of the sample site (URLs relative to the site root).
PAGES = {
    "home": "",
    "directory": "groups/",
    "group": "groups/hidamari-salon/",
    "field": "groups/fields/kodomo/",
    "events": "events/",
    "month": "events/2026/12/",
    "event": "events/aozora-fukushikai-pan-no-hi/",
    "news": "news/",
    "news post": "news/2026-11-13-kawanami-kikin-2027/",
    "newsletter": "newsletters/2026-12/",
    "search": "search/",
    "places": "places/",
    "place": "places/tsunaguba/",
}
PRESETS = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

# The thresholds. Scores are Lighthouse's 0-100.
MIN_SCORE = {"accessibility": 100, "best-practices": 100, "seo": 100}
MIN_PERFORMANCE = {"mobile": 90}  # desktop performance is reported, not asserted
MAX_CLS = 0.1  # fails at 0.1 or more
# The README's budgets for every page kind: transferred bytes (gzip, both profiles), and on the
# mobile profile first and largest contentful paint (Core Web Vitals' "good" LCP is 2.5 s; the
# plain mkdocs-material page paints in 1.3 s here, ours in 1.1-1.5 s).
MAX_KB = 100
MAX_PAINT_MS = {"mobile": (2000, 2500)}  # (first, largest) contentful paint

# -- the server ----------------------------------------------------------------------------------

# Sent gzip-compressed when the client accepts it, as static hosts do.
TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".ics": "text/calendar; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".yml": "text/yaml; charset=utf-8",
    ".yaml": "text/yaml; charset=utf-8",
}
# Sent as they are: already compressed (images, PDFs, fonts, Pagefind's gzipped index files).
BINARY_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".wasm": "application/wasm",
    ".gz": "application/gzip",
}
# Names that change when the content does: cached for a year. Material's assets carry an
# 8-hex-digit hash (assets/javascripts/bundle.a5f9d56c.min.js), Pagefind's fragments and index
# chunks a 7-hex-digit one (pagefind/fragment/ja_0827822.pf_fragment).
HASHED = re.compile(
    r"^(assets/.*\.[0-9a-f]{8}\.min\.(js|css)(\.map)?"
    r"|pagefind/(fragment|index)/[^/]+_[0-9a-f]{7,}\.pf_(fragment|index))$"
)
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=600"  # HTML and unhashed files (GitHub Pages sends 600 for everything)


def content_type(path: Path) -> tuple[str, bool]:
    """The Content-Type of a file and whether it is text (compressed on the way)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_TYPES:
        return TEXT_TYPES[suffix], True
    if suffix in BINARY_TYPES:
        return BINARY_TYPES[suffix], False
    guessed = mimetypes.guess_type(path.name)[0]
    return guessed or "application/octet-stream", False


@dataclass
class Request:
    method: str
    path: str
    status: int
    bytes: int  # body bytes sent (compressed when gzip)
    gzip: bool
    referer: str


class HostHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a browser gets from a real host
    server_version = "StaticHost"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection is closed after this

    server: HostServer

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def respond(self, *, head: bool) -> None:
        site = self.server.site
        url_path = unquote(urlsplit(self.path).path)
        relative = url_path.lstrip("/")
        target = (site / relative).resolve()
        if target != site and site not in target.parents:
            self.send_file(404, site / "404.html", head=head)
            return
        if target.is_dir():
            if not url_path.endswith("/"):
                self.send_redirect(url_path + "/")
                return
            target = target / "index.html"
        if target.is_file():
            self.send_file(200, target, head=head)
        else:
            self.send_file(404, site / "404.html", head=head)

    def send_redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", SHORT)
        self.end_headers()
        self.record(301, 0, False)

    def send_file(self, status: int, path: Path, *, head: bool) -> None:
        if path.is_file():
            kind, text = content_type(path)
            body = path.read_bytes()
        else:  # a site without 404.html
            kind, text, body = "text/plain; charset=utf-8", True, b"Not Found\n"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        compressed = text and accepts
        if compressed:
            body = self.server.gzipped(path, body)
        relative = path.relative_to(self.server.site).as_posix() if status == 200 else ""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        if text:
            self.send_header("Vary", "Accept-Encoding")
        if status == 200:
            self.send_header("Cache-Control", IMMUTABLE if HASHED.match(relative) else SHORT)
            self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        else:
            self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.record(status, 0 if head else len(body), compressed)

    def record(self, status: int, size: int, compressed: bool) -> None:
        self.server.requests.append(
            Request(
                self.command,
                self.path,
                status,
                size,
                compressed,
                self.headers.get("Referer", ""),
            )
        )

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        try:
            status = int(code)
        except ValueError:
            return
        if status >= 400:
            referer = self.headers.get("Referer", "") if self.headers else ""
            print(
                f"static host: {status} {self.command} {self.path}"
                + (f" (from {referer})" if referer else ""),
                file=sys.stderr,
            )

    def log_message(self, format: str, *args: Any) -> None:
        pass  # log_request prints the errors; log_error's messages are in the status line


class HostServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Path) -> None:
        super().__init__(("127.0.0.1", 0), HostHandler)
        self.site = site.resolve()
        self.requests: list[Request] = []
        self._gzip: dict[Path, tuple[int, bytes]] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def gzipped(self, path: Path, body: bytes) -> bytes:
        """`body` compressed at gzip level 6 (a common host setting), once per file version."""
        mtime = path.stat().st_mtime_ns if path.is_file() else 0
        with self._lock:
            cached = self._gzip.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        data = gzip.compress(body, compresslevel=6, mtime=0)
        with self._lock:
            self._gzip[path] = (mtime, data)
        return data

    def not_found(self, since: int = 0) -> list[Request]:
        """The 404 responses from request number `since` on."""
        return [r for r in self.requests[since:] if r.status == 404]


@contextmanager
def serve_like_host(site: Path) -> Iterator[HostServer]:
    """Serve a built site as a static host does (see the module docstring); yields the server,
    whose `url` ends in / and whose `requests` lists every request answered."""
    server = HostServer(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# -- running Lighthouse --------------------------------------------------------------------------


def lighthouse_missing() -> str | None:
    if not shutil.which("node"):
        return "Node.js is not installed (apt-get install nodejs npm)"
    if not LIGHTHOUSE.exists():
        return f"{LIGHTHOUSE.relative_to(REPO)} is missing: run `npm ci`"
    if not Path(CHROMIUM).exists():
        return f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def lighthouse_version() -> str:
    package = REPO / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text("utf-8"))["version"]


class LighthouseError(RuntimeError):
    pass


def run_lighthouse(
    url: str,
    preset: str,
    out_json: Path,
    *,
    timeout: float = 240,
    block_other_hosts: bool = True,
) -> dict[str, Any]:
    """Run Lighthouse on `url` with the `preset` "mobile" (its default) or "desktop"; the JSON
    report is written to `out_json` and returned parsed."""
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {PRESETS}, not {preset!r}")
    out_json.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out_json}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox",
        "--no-enable-error-reporting",
        "--max-wait-for-load=45000",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    if block_other_hosts:
        # Material asks api.github.com for the repository's star count (repo_url). Blocked
        # requests are not console errors (Lighthouse ignores ERR_BLOCKED_BY_CLIENT.Inspector).
        command.append("--blocked-url-patterns=https://*")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    try:
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO
        )
    except subprocess.TimeoutExpired as e:
        raise LighthouseError(f"lighthouse timed out after {timeout:.0f} s on {url}") from e
    if proc.returncode != 0 or not out_json.is_file():
        raise LighthouseError(
            f"lighthouse exited {proc.returncode} on {url} ({preset}):\n"
            + (proc.stderr or proc.stdout)[-3000:]
        )
    report = json.loads(out_json.read_text("utf-8"))
    if report.get("runtimeError"):
        raise LighthouseError(f"lighthouse on {url}: {report['runtimeError']}")
    return report


# -- what a report says --------------------------------------------------------------------------


@dataclass
class Failing:
    """A scored audit of accessibility, best practices or SEO that does not pass."""

    category: str
    id: str
    title: str
    score: float
    items: list[str] = field(default_factory=list)  # what fails: elements or URLs


@dataclass
class Figures:
    url: str
    preset: str
    scores: dict[str, int | None]  # category -> 0..100
    cls: float
    fcp_ms: float
    lcp_ms: float
    tbt_ms: float
    speed_index_ms: float
    total_bytes: int  # transferred (compressed) bytes of every request
    requests: int
    dom_elements: int
    lcp_element: str
    console_errors: list[tuple[str, str, str]]  # (source, description, URL)
    failing: list[Failing]
    layout_shifts: list[tuple[float, str]]  # (score, element)
    render_blocking: list[tuple[str, int, float]]  # (URL, transferred bytes, wasted ms)
    unused_css: list[tuple[str, int, int]]  # (URL, transferred bytes, unused bytes)
    unused_js: list[tuple[str, int, int]]
    not_found: list[str]  # URLs answered 404
    blocked: list[str]  # requests to other hosts (blocked unless run_lighthouse is told not to)
    uncompressed: list[tuple[str, int]]  # (URL, bytes a text compression would save)
    short_cache: list[tuple[str, int]]  # (URL, cache lifetime in seconds)
    opportunities: list[tuple[str, str]]  # performance audits that do not pass: (id, display)
    lighthouse: str
    benchmark_index: float  # Lighthouse's CPU speed score of the run: lower under load
    run_seconds: float = 0.0
    report_path: str = ""  # the JSON report (measure fills it in)


def node_label(node: dict[str, Any] | None) -> str:
    if not node:
        return ""
    label = node.get("selector") or node.get("nodeLabel") or ""
    snippet = node.get("snippet", "")
    return f"{label} {snippet[:120]}".strip()


def item_label(item: dict[str, Any]) -> str:
    """One line for a row of an audit's details table."""
    for key in ("node", "element", "relatedNode"):
        if isinstance(item.get(key), dict) and item[key].get("type") == "node":
            return node_label(item[key])
    location = item.get("sourceLocation")
    if isinstance(location, dict) and location.get("url"):  # a console message
        return f"{item.get('description', '')} {location['url']}".strip()
    for key in ("url", "source"):
        value = item.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and value.get("url"):
            return value["url"]
    if isinstance(item.get("description"), str):
        return item["description"]
    return json.dumps(item, ensure_ascii=False)[:160]


def items(audit: dict[str, Any]) -> list[dict[str, Any]]:
    details = audit.get("details") or {}
    return list(details.get("items") or [])


def figures(report: dict[str, Any], preset: str) -> Figures:
    """The figures of one Lighthouse report."""
    audits = report["audits"]

    def value(audit_id: str) -> float:
        return float(audits.get(audit_id, {}).get("numericValue") or 0)

    scores = {}
    for name in CATEGORIES:
        score = report["categories"].get(name, {}).get("score")
        scores[name] = None if score is None else round(score * 100)

    failing = []
    for name in ("accessibility", "best-practices", "seo"):
        for ref in report["categories"].get(name, {}).get("auditRefs", []):
            audit = audits[ref["id"]]
            if ref.get("weight", 0) == 0 or audit.get("score") is None:
                continue
            if audit["scoreDisplayMode"] in ("manual", "notApplicable", "informative"):
                continue
            if audit["score"] < 1:
                failing.append(
                    Failing(
                        name,
                        ref["id"],
                        audit["title"],
                        audit["score"],
                        [item_label(i) for i in items(audit)],
                    )
                )

    console_errors = []
    for item in items(audits.get("errors-in-console", {})):
        location = item.get("sourceLocation") or {}
        console_errors.append(
            (item.get("source", ""), item.get("description", ""), location.get("url", ""))
        )

    shifts = []
    for item in items(audits.get("layout-shifts", {})):
        shifts.append((float(item.get("score") or 0), node_label(item.get("node"))))
    for item in items(audits.get("layout-shift-elements", {})):  # Lighthouse < 12
        shifts.append((float(item.get("score") or 0), node_label(item.get("node"))))

    def transfers(audit_id: str) -> list[tuple[str, int, int]]:
        return [
            (i["url"], int(i.get("totalBytes") or 0), int(i.get("wastedBytes") or 0))
            for i in items(audits.get(audit_id, {}))
        ]

    requests = items(audits.get("network-requests", {}))
    origin = urlsplit(report.get("finalDisplayedUrl") or report["requestedUrl"])
    local = f"{origin.scheme}://{origin.netloc}/"
    lcp = items(audits.get("largest-contentful-paint-element", {}))
    lcp_element = ""
    if lcp and lcp[0].get("items"):
        lcp_element = item_label(lcp[0]["items"][0])
    elif lcp:
        lcp_element = item_label(lcp[0])

    # What costs performance: the metrics that score below 0.9, and the opportunities (the
    # classic audits; the newer "-insight" audits repeat them) said to save 100 ms or more.
    opportunities = []
    for ref in report["categories"].get("performance", {}).get("auditRefs", []):
        audit = audits[ref["id"]]
        if audit.get("score") is None or audit["score"] >= 0.9:
            continue
        details = audit.get("details") or {}
        metric = ref.get("weight", 0) > 0
        saves = details.get("type") == "opportunity" and details.get("overallSavingsMs", 0) >= 100
        if metric or saves:
            opportunities.append(
                (ref["id"], audit.get("displayValue") or f"score {audit['score']}")
            )

    return Figures(
        url=report["requestedUrl"],
        preset=preset,
        scores=scores,
        cls=value("cumulative-layout-shift"),
        fcp_ms=value("first-contentful-paint"),
        lcp_ms=value("largest-contentful-paint"),
        tbt_ms=value("total-blocking-time"),
        speed_index_ms=value("speed-index"),
        total_bytes=int(value("total-byte-weight")),
        requests=len(requests),
        dom_elements=int(value("dom-size")),
        lcp_element=lcp_element,
        console_errors=console_errors,
        failing=failing,
        layout_shifts=shifts,
        render_blocking=[
            (i["url"], int(i.get("totalBytes") or 0), float(i.get("wastedMs") or 0))
            for i in items(audits.get("render-blocking-resources", {}))
        ],
        unused_css=transfers("unused-css-rules"),
        unused_js=transfers("unused-javascript"),
        not_found=[r["url"] for r in requests if r.get("statusCode") == 404],
        blocked=[
            r["url"]
            for r in requests
            if r["url"].startswith(("http:", "https:")) and not r["url"].startswith(local)
        ],
        uncompressed=[
            (i["url"], int(i.get("wastedBytes") or 0))
            for i in items(audits.get("uses-text-compression", {}))
        ],
        short_cache=[
            (i["url"], round(float(i.get("cacheLifetimeMs") or 0) / 1000))
            for i in items(audits.get("uses-long-cache-ttl", {}))
        ],
        opportunities=opportunities,
        lighthouse=report.get("lighthouseVersion", ""),
        benchmark_index=float(report.get("environment", {}).get("benchmarkIndex") or 0),
    )


def problems(f: Figures) -> list[str]:
    """The issue's thresholds that `f` breaks, one line each, with what fails; [] when none."""
    found = []
    for name, minimum in MIN_SCORE.items():
        score = f.scores.get(name)
        if score is None or score < minimum:
            found.append(f"{name} {score} < {minimum}")
            for a in f.failing:
                if a.category == name and a.id == "errors-in-console":
                    found.append(f"    {a.id} ({a.score:g}): {a.title} (listed below)")
                elif a.category == name:
                    found.append(f"    {a.id} ({a.score:g}): {a.title}")
                    found.extend(f"        {line}" for line in a.items[:8])
                    if len(a.items) > 8:
                        found.append(f"        ... and {len(a.items) - 8} more")
    if f.cls >= MAX_CLS:
        found.append(f"cumulative layout shift {f.cls:.3f} >= {MAX_CLS}")
        found.extend(f"    {score:.3f} {element}" for score, element in f.layout_shifts)
    if f.console_errors:
        found.append(f"{len(f.console_errors)} console error(s)")
        found.extend(f"    [{s}] {d} {u}" for s, d, u in f.console_errors)
    if f.total_bytes > MAX_KB * 1024:
        found.append(f"{f.total_bytes / 1024:.0f} KB transferred > {MAX_KB} KB")
    if (paints := MAX_PAINT_MS.get(f.preset)) and (f.fcp_ms > paints[0] or f.lcp_ms > paints[1]):
        found.append(
            f"first/largest contentful paint {f.fcp_ms / 1000:.1f} s/{f.lcp_ms / 1000:.1f} s > "
            f"{paints[0] / 1000:.1f} s/{paints[1] / 1000:.1f} s (LCP element: {f.lcp_element})"
        )
    minimum = MIN_PERFORMANCE.get(f.preset)
    performance = f.scores.get("performance")
    if minimum is not None and (performance is None or performance < minimum):
        found.append(
            f"{f.preset} performance {performance} < {minimum} (FCP {f.fcp_ms / 1000:.1f} s, "
            f"LCP {f.lcp_ms / 1000:.1f} s, TBT {f.tbt_ms:.0f} ms, CLS {f.cls:.3f})"
        )
        found.extend(f"    {audit_id}: {display}" for audit_id, display in f.opportunities)
    return found


def measure(
    server: HostServer, page: str, preset: str, out_dir: Path, **kwargs: Any
) -> tuple[Figures, list[Request]]:
    """Run Lighthouse on `page` of the site `server` serves; its figures and the 404s the server
    answered during the run."""
    since = len(server.requests)
    slug = re.sub(r"[^a-z0-9]+", "-", page.lower()).strip("-") or "home"
    out_json = out_dir / f"{slug}.{preset}.json"
    start = time.perf_counter()
    report = run_lighthouse(server.url + page, preset, out_json, **kwargs)
    result = figures(report, preset)
    result.run_seconds = time.perf_counter() - start
    result.report_path = str(out_json)
    return result, server.not_found(since)
