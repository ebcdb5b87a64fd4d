"""Lighthouse on one page of every kind of the sample portal, mobile and desktop, beside a plain
mkdocs-material page of the same text; served with gzip and cache headers like a static host.

Usage:
    .venv/bin/python bench/lighthouse.py                    # build the sample, all pages, ~10 min
    .venv/bin/python bench/lighthouse.py --site /tmp/site   # an already built sample site
    .venv/bin/python bench/lighthouse.py --pages directory events --presets mobile

Needs `npm ci` (Lighthouse, pinned by package-lock.json) and Debian's Chromium at
/usr/bin/chromium; nothing is downloaded. The server, the runner and the thresholds are those of
tests/browser/test_lighthouse.py (tests/browser/lighthouse_support.py, loaded by its path).

Prints one table per preset (scores, CLS, first and largest contentful paint, KB transferred,
console errors, which of the issue's thresholds fail), then for each page what fails: the failing
audits, console errors with their URLs, layout shifts, render-blocking resources, unused CSS and JS,
404s and requests to other hosts (blocked; --allow-other-hosts lets them through). Reports go to
<out>/<page>.<preset>.json, the figures to <out>/results.json. Exit status 1 when a threshold fails.

The baseline ("plain Material") is a site of one page, content/about.md, built with mkdocs-material
alone (`theme: {name: material, language: ja, font: false}`, its own search, the sample's Markdown
extensions); the sample's own about/ page is measured too, as "about (ours)", for the same text.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from report import pad

REPO = Path(__file__).resolve().parent.parent
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1795230000"}  # the tests' "now"


def load_support() -> Any:
    """tests/browser/lighthouse_support.py, by its path (bench/ does not import the test package)."""
    path = REPO / "tests" / "browser" / "lighthouse_support.py"
    spec = importlib.util.spec_from_file_location("lighthouse_support", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


ls = load_support()

BASELINE = "plain Material"
EXTRA = {"about (ours)": "about/"}


def build(config: Path, site: Path, *, pdf: bool = True) -> float:
    """`mkdocs build` of `config` into `site` in a child process; wall seconds."""
    env = {**os.environ, **BUILD_ENV}
    if not pdf:
        env["CIVIC_NEWSLETTER_PDF"] = "false"
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.parent,
    )
    if proc.returncode != 0:
        print(f"BUILD FAILED ({config}):\n" + proc.stderr[-4000:], file=sys.stderr)
        if pdf:
            print("(no Japanese font for the newsletter PDFs? try --no-pdf)", file=sys.stderr)
        sys.exit(2)
    return time.perf_counter() - start


def write_baseline(root: Path) -> Path:
    """A plain mkdocs-material project whose only page is the sample's about page."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    shutil.copy(REPO / "content" / "about.md", docs / "index.md")
    # The sample's own name, description and address (its mkdocs.yml has tags yaml cannot read).
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    sample = dict(re.findall(r"(?m)^(site_name|site_description|site_url): (.+)$", text))
    config = {
        **sample,
        "theme": {"name": "material", "language": "ja", "font": False},
        # The sample's extensions, but toc's Japanese slugify (a Python object) left at its default.
        "markdown_extensions": [
            "admonition",
            "pymdownx.details",
            "attr_list",
            "def_list",
            "tables",
            {"toc": {"permalink": False}},
        ],
    }
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8"
    )
    return root / "mkdocs.yml"


def verdict(f: Any) -> str:
    """Short names of the thresholds `f` breaks (the test's), or ok."""
    broken = []
    for name, short in (("accessibility", "a11y"), ("best-practices", "BP"), ("seo", "SEO")):
        score = f.scores.get(name)
        if score is None or score < ls.MIN_SCORE[name]:
            broken.append(short)
    if f.cls >= ls.MAX_CLS:
        broken.append("CLS")
    if f.console_errors:
        broken.append("console")
    minimum = ls.MIN_PERFORMANCE.get(f.preset)
    if minimum is not None and (f.scores["performance"] or 0) < minimum:
        broken.append("perf")
    return ",".join(broken) or "ok"


HEADER = (
    "page",
    "perf",
    "a11y",
    "BP",
    "SEO",
    "CLS",
    "FCP s",
    "LCP s",
    "TBT ms",
    "KB",
    "req",
    "DOM",
    "errors",
    "fails",
)


def row(label: str, f: Any) -> tuple[str, ...]:
    s = f.scores
    return (
        label,
        *(str(s[c]) if s[c] is not None else "-" for c in ls.CATEGORIES),
        f"{f.cls:.3f}",
        f"{f.fcp_ms / 1000:.1f}",
        f"{f.lcp_ms / 1000:.1f}",
        f"{f.tbt_ms:.0f}",
        f"{f.total_bytes / 1024:.0f}",
        str(f.requests),
        str(f.dom_elements),
        str(len(f.console_errors)),
        verdict(f) if label != BASELINE else "",
    )


def print_table(preset: str, rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in (HEADER, *rows)) for i in range(len(HEADER))]
    print(
        f"\nLighthouse {ls.lighthouse_version()}, {preset} "
        + (
            "(default: Moto G Power, slow 4G, 4x CPU)"
            if preset == "mobile"
            else "(--preset=desktop)"
        )
        + "; KB transferred (gzip), req = requests, DOM = elements"
    )
    for line in (HEADER, tuple("-" * w for w in widths), *rows):
        print(
            "  ".join(
                pad(c, w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )


def short(url: str, base: str) -> str:
    return "/" + url.removeprefix(base) if url.startswith(base) else url


def print_details(label: str, f: Any, not_found: list[Any], base: str) -> None:
    lines = []
    for a in f.failing:
        lines.append(f"  {a.category}: {a.id} ({a.score:g}) {a.title}")
        if a.id == "errors-in-console":
            continue  # listed below, with their URLs
        lines.extend(f"      {short(i, base)}" for i in a.items[:6])
        if len(a.items) > 6:
            lines.append(f"      ... and {len(a.items) - 6} more")
    for source, description, url in f.console_errors:
        lines.append(f"  console [{source}]: {description} {short(url, base)}")
    if f.cls >= 0.001:
        lines.append(f"  CLS {f.cls:.3f}:")
        lines.extend(f"      {score:.3f} {element}" for score, element in f.layout_shifts)
    for url, size, ms in f.render_blocking:
        lines.append(f"  render-blocking: {short(url, base)} {size / 1024:.1f} KB, {ms:.0f} ms")
    for kind, entries in (("CSS", f.unused_css), ("JS", f.unused_js)):
        for url, total, unused in entries:
            lines.append(
                f"  unused {kind}: {short(url, base)} {unused / 1024:.0f} of {total / 1024:.0f} KB"
                f" ({100 * unused / max(total, 1):.0f} %)"
            )
    for request in not_found:
        note = (
            " (Lighthouse's robots-txt audit asks for it)" if request.path == "/robots.txt" else ""
        )
        lines.append(f"  404: {request.path}{note}")
    for url in f.blocked:
        lines.append(f"  other host: {url}")
    for url, saved in f.uncompressed:
        lines.append(f"  not compressed: {short(url, base)} ({saved / 1024:.0f} KB to save)")
    if f.lcp_element:
        lines.append(f"  LCP element: {f.lcp_element[:150]}")
    if lines:
        print(f"\n{label} ({f.preset}, /{short(f.url, base).lstrip('/')}):")
        print("\n".join(lines))


def progress(preset: str, label: str, f: Any) -> None:
    print(
        f"  {preset:7} {label:14} {f.run_seconds:5.1f} s, benchmark index {f.benchmark_index:.0f}",
        file=sys.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built sample site (default: build it)")
    parser.add_argument("--pages", nargs="+", choices=list(ls.PAGES), default=list(ls.PAGES))
    parser.add_argument("--presets", nargs="+", choices=ls.PRESETS, default=list(ls.PRESETS))
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain Material page")
    parser.add_argument(
        "--no-pdf", action="store_true", help="build with CIVIC_NEWSLETTER_PDF=false"
    )
    parser.add_argument("--allow-other-hosts", action="store_true", help="do not block https://*")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "lighthouse")
    args = parser.parse_args()

    missing = ls.lighthouse_missing()
    if missing:
        print(f"cannot run Lighthouse: {missing}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        work = Path(tmp)
        site = args.site
        if site is None:
            site = work / "site"
            seconds = build(REPO / "mkdocs.yml", site, pdf=not args.no_pdf)
            print(f"sample built in {seconds:.0f} s")
        plain = None
        if not args.no_baseline:
            plain = work / "plain-site"
            build(write_baseline(work / "plain"), plain)

        targets = [(kind, ls.PAGES[kind]) for kind in args.pages]
        if not args.no_baseline:
            targets += list(EXTRA.items())
        results: dict[str, list[tuple[str, Any, list[Any]]]] = {p: [] for p in args.presets}
        times = []
        options = {"block_other_hosts": not args.allow_other_hosts}
        with ls.serve_like_host(site) as ours:
            for preset in args.presets:
                for label, page in targets:
                    f, not_found = ls.measure(ours, page, preset, args.out, **options)
                    times.append(f.run_seconds)
                    results[preset].append((label, f, not_found))
                    progress(preset, label, f)
        if plain is not None:
            with ls.serve_like_host(plain) as server:
                for preset in args.presets:
                    f, not_found = ls.measure(
                        server, "", preset, args.out / "plain-material", **options
                    )
                    times.append(f.run_seconds)
                    results[preset].append((BASELINE, f, not_found))
                    progress(preset, BASELINE, f)

    failed = False
    for preset, measured in results.items():
        print_table(preset, [row(label, f) for label, f, _ in measured])
        failed |= any(verdict(f) != "ok" for label, f, _ in measured if label != BASELINE)
    print("\nWhat fails or costs, page by page (URLs relative to the page's site):")
    for measured in results.values():
        for label, f, not_found in measured:
            base = f.url[: f.url.index("/", len("http://")) + 1]
            print_details(label, f, not_found, base)
    print(
        f"\n{len(times)} Lighthouse runs, {sum(times) / 60:.1f} min: "
        f"{min(times):.1f}-{max(times):.1f} s each, mean {sum(times) / len(times):.1f} s"
    )
    data = {
        preset: [
            {"page": label, **dataclasses.asdict(f), "server_404": [r.path for r in not_found]}
            for label, f, not_found in measured
        ]
        for preset, measured in results.items()
    }
    path = args.out / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    print(f"reports and {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
