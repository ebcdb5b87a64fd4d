"""Page weight of the group directory at 1,000 groups, against a plain mkdocs-material page, with budgets.

Usage: .venv/bin/python bench/page_weight.py [--groups 1000] [--out bench/out]

Builds two sites in a temporary folder and reports what a browser downloads to show the directory:
its HTML, every stylesheet (<link rel=stylesheet>) and script (<script src>, plus Material's search
worker where the search plugin is on) it loads, and the JSON it fetches — raw, and gzip-compressed as a
static host sends text. Exit status 1 when a budget is exceeded.

- ours: the repository's mkdocs.yml, content/ and the 38 sample groups (the news and newsletters
  name them), plus generated groups (bench/generate.py) up to --groups; page groups/.
- plain: mkdocs-material with its own search over the same number of generated group pages, in
  its best configuration (the group pages out of the navigation); its home page and the search
  index that Material fetches on load.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

# bench/ is a folder of scripts, not a package: they import each other from this folder.
from generate import REPO, generate_groups, write_baseline_project, write_portal_with_sample
from measure import build_site, file_sizes
from report import kb, pad

# Budgets for the directory of a 1,000-group portal, in gzip-compressed KB (what travels).
BUDGETS_KB = {
    "html": 80,
    "css": 40,
    "js": 60,
    "html+css+js": 160,
    "json": 60,
}
SITE_ORIGIN = "https://portal.example.jp/"


class Assets(HTMLParser):
    """The stylesheets, scripts, JSON and Material configuration a page names."""

    def __init__(self) -> None:
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []
        self.json: list[str] = []
        self._config = False
        self.config = ""
        self.search = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.css.append(a["href"] or "")
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"] or "")
        elif tag == "script" and a.get("id") == "__config":
            self._config = True
        if tag == "form" and a.get("data-json"):  # the directory (civic-directory.js)
            self.json.append(a["data-json"] or "")
        if a.get("data-md-component") == "search":  # Material's search box: its worker runs
            self.search = True

    def handle_data(self, data: str) -> None:
        if self._config:
            self.config += data

    def handle_endtag(self, tag: str) -> None:
        self._config = False


@dataclass
class Weight:
    page: str
    files: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)

    def total(self, kind: str, key: int) -> int:
        return sum(f[key] for f in self.files.get(kind, []))


def page_weight(site: Path, page_url: str) -> Weight:
    """Raw and gzip bytes of a page and of the local files it loads, grouped by kind."""
    html = site / page_url / "index.html"
    parser = Assets()
    parser.feed(html.read_text("utf-8"))
    base = urljoin(SITE_ORIGIN, page_url)
    if parser.search and parser.config:  # Material's search worker and index, loaded on every page
        config = json.loads(parser.config)
        root = urljoin(base, config.get("base", ".") + "/")
        parser.js.append(urljoin(base, config["search"]))
        parser.json.append(urljoin(root, "search/search_index.json"))
    weight = Weight(page_url)
    weight.files["html"] = [(page_url, *file_sizes(html).values())]
    for kind, urls in (("css", parser.css), ("js", parser.js), ("json", parser.json)):
        for url in dict.fromkeys(urls):
            absolute = urljoin(base, url)
            if not absolute.startswith(SITE_ORIGIN):
                continue  # another host: the portal loads none (a test checks that)
            path = urlsplit(absolute).path.removeprefix(urlsplit(SITE_ORIGIN).path)
            sizes = file_sizes(site / path)
            weight.files.setdefault(kind, []).append((path, sizes["raw"], sizes["gzip"]))
    return weight


def rows(ours: Weight, plain: Weight) -> list[tuple[str, str, str, str, str]]:
    """(item, ours raw/gz KB, plain raw/gz KB, budget, verdict) for the table."""

    def cell(w: Weight, kinds: tuple[str, ...]) -> str:
        raw = sum(w.total(k, 1) for k in kinds)
        gz = sum(w.total(k, 2) for k in kinds)
        return f"{kb(raw)} / {kb(gz)}"

    table = []
    for label, kinds in (
        ("html", ("html",)),
        ("css", ("css",)),
        ("js", ("js",)),
        ("html+css+js", ("html", "css", "js")),
        ("json", ("json",)),
    ):
        gz = sum(ours.total(k, 2) for k in kinds)
        budget = BUDGETS_KB[label]
        verdict = "pass" if gz <= budget * 1024 else "FAIL"
        table.append((label, cell(ours, kinds), cell(plain, kinds), f"<= {budget}", verdict))
    return table


def print_report(ours: Weight, plain: Weight, count: int) -> bool:
    print(f"\nDirectory page weight at {count} groups (KB raw / gzip; budgets on ours, gzip KB)\n")
    header = ("item", f"ours: /{ours.page}", f"plain: /{plain.page}", "budget", "")
    table = rows(ours, plain)
    widths = [max(len(r[i]) for r in (header, *table)) for i in range(5)]
    for line in (header, tuple("-" * w for w in widths), *table):
        print(
            "  ".join(
                pad(c, w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    for name, w in (("ours", ours), ("plain", plain)):
        print(f"\n{name}, /{w.page}:")
        for kind in ("css", "js", "json"):
            for path, raw, gz in w.files.get(kind, []):
                print(f"  {kind:4} {path:60} {kb(raw):>8} / {kb(gz):>7}")
    return all(r[4] == "pass" for r in table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="civic-weight-") as tmp:
        ours_root, plain_root = Path(tmp, "ours"), Path(tmp, "plain")
        ours_root.mkdir()
        plain_root.mkdir()
        print(f"building ours ({args.groups} groups) …", flush=True)
        stats = build_site(
            write_portal_with_sample(ours_root, args.groups), Path(tmp, "ours-site"), "ours"
        )
        print(f"  {stats['seconds']} s", flush=True)
        print(f"building plain mkdocs-material ({args.groups} group pages) …", flush=True)
        plain_config = write_baseline_project(plain_root, generate_groups(args.groups))
        stats = build_site(plain_config, Path(tmp, "plain-site"), "plain")
        print(f"  {stats['seconds']} s", flush=True)
        ours = page_weight(Path(tmp, "ours-site"), "groups/")
        plain = page_weight(Path(tmp, "plain-site"), "")
    ok = print_report(ours, plain, args.groups)
    args.out.mkdir(parents=True, exist_ok=True)
    result = {"groups": args.groups, "budgets_kb_gzip": BUDGETS_KB, "ours": ours.__dict__}
    result["plain"] = plain.__dict__
    (args.out / "page_weight.json").write_text(json.dumps(result, indent=2), "utf-8")
    print(f"\nresults: {args.out / 'page_weight.json'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
